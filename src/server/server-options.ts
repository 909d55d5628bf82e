/**
 * The options and the handle of `ovsim serve`'s server as the library publishes them (`import { createServer } from
 * 'ovsim'`). Kept apart from `create-server.ts` so the published type declarations need no Express types.
 */
import type { Scenario } from '../scenario/scenario.js';
import type { Feed } from './feed.js';
import type { LiveSimulation, LiveSimulationOptions } from './live-simulation.js';
import type { WebhookPanel } from './webhook-panel.js';

/** Options of `createServer`: where to listen, the secret, the scenario and the simulation's settings. */
export interface ServerOptions extends LiveSimulationOptions {
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Default 5443; 0 picks a free port. */
  readonly port?: number | undefined;
  /** The OpenVidu secret (user OPENVIDUAPP); default MY_SECRET, refused on a non-loopback host. */
  readonly secret?: string | undefined;
  /** Scenario loaded at start (its steps run as virtual time flows); default an empty world. */
  readonly scenario?: Scenario | undefined;
  /** Default 256 kB. */
  readonly bodyLimitBytes?: number | undefined;
  /** Bytes a feed client may leave unread before it is dropped; default 4 MiB. */
  readonly feedMaxBufferedBytes?: number | undefined;
  /** The WebHook panel (the sender reports into it); default "not configured". */
  readonly webhook?: WebhookPanel | undefined;
  /**
   * Also answer OpenVidu 2's REST API at `/openvidu/api/` with simulated clients (as `ovsim serve` does), so
   * `openvidu-node-client` and the like work against the server; default false (the page and `/api/` only).
   */
  readonly openviduApi?: boolean | undefined;
  /** Bundled scenarios folder; default the package's `scenarios/`. */
  readonly scenariosDir?: string | undefined;
  /** Where unexpected errors are logged; default stderr. */
  readonly logError?: ((e: unknown) => void) | undefined;
}

/** Where a server listens once bound. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
}

/** A server built by `createServer`: bind it with `listen()`, stop it with `close()`. */
export interface OvsimServer {
  readonly simulation: LiveSimulation;
  readonly feed: Feed;
  readonly webhook: WebhookPanel;
  /** Binds host:port; resolves with the address actually bound. */
  listen(): Promise<ServerAddress>;
  /** Stops the simulation, drops feed clients and closes every connection. */
  close(): Promise<void>;
  /** The bound address once listening. */
  readonly address: ServerAddress | undefined;
}
