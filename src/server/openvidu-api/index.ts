/**
 * The fake OpenVidu: OpenVidu 2.x's REST API at `/openvidu/api/` and the simulated-client controls at `/api/`, as
 * mounts of `ovsim serve`'s server (`createServer({ mounts: openviduApiMounts() })`). Both share one RestWorld per
 * simulation.
 */
import type { ServerContext, ServerMount } from '../create-server.js';
import type { LiveSimulation } from '../live-simulation.js';
import { DEFAULT_CLIENT_POLICY, type ClientPolicy } from './client-policy.js';
import { createClientsRouter } from './clients-router.js';
import { createOpenviduRouter } from './openvidu-router.js';
import { createRecordingFilesRouter, RECORDINGS_PATH } from './recording-files.js';
import { RestWorld } from './rest-world.js';

export { CLIENT_POLICY_HEADER } from './openvidu-router.js';
export { DEFAULT_CLIENT_POLICY, parseClientPolicy, type ClientPolicy } from './client-policy.js';

/** Where OpenVidu's REST API is mounted. */
export const OPENVIDU_API_PATH = '/openvidu/api';

export interface OpenviduApiOptions {
  /** Server-wide policy of simulated clients; default DEFAULT_CLIENT_POLICY (auto: join in 1–3 s, publish, stay). */
  readonly clientPolicy?: ClientPolicy | undefined;
  /** Extra properties of `GET /openvidu/api/config` (e.g. OPENVIDU_WEBHOOK_ENDPOINT). */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Base of tokens and recording URLs, e.g. `wss://my.openvidu.ip`; default the request's Host header (`wss://` for
   * tokens, the request's scheme for `OPENVIDU_PUBLICURL` and recording URLs).
   */
  readonly publicUrl?: string | undefined;
  /** Longest wall wait of an answer that waits for the simulation (recording start/stop), ms; default 30 000. */
  readonly maxWaitMs?: number | undefined;
}

/** The mounts of the fake OpenVidu: its REST API, its recording files and the simulated-client controls. */
export function openviduApiMounts(o: OpenviduApiOptions = {}): ServerMount[] {
  const worlds = new WeakMap<LiveSimulation, RestWorld>();
  const worldOf = (ctx: ServerContext): RestWorld => {
    let w = worlds.get(ctx.simulation);
    if (!w) {
      w = new RestWorld(ctx.simulation, o.clientPolicy ?? DEFAULT_CLIENT_POLICY);
      worlds.set(ctx.simulation, w);
    }
    return w;
  };
  return [
    {
      path: OPENVIDU_API_PATH,
      router: (ctx) =>
        createOpenviduRouter({
          simulation: ctx.simulation,
          world: worldOf(ctx),
          bodyLimitBytes: ctx.bodyLimitBytes,
          config: o.config,
          publicUrl: o.publicUrl,
          maxWaitMs: o.maxWaitMs,
        }),
    },
    {
      path: RECORDINGS_PATH,
      router: (ctx) => {
        const world = worldOf(ctx);
        return createRecordingFilesRouter((id) => world.recording(id));
      },
    },
    { path: '/api', router: (ctx) => createClientsRouter(ctx.simulation, worldOf(ctx), ctx.bodyLimitBytes) },
  ];
}
