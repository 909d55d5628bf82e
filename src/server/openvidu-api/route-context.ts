/**
 * What the route groups of the fake OpenVidu REST API share: the simulation and REST world, the view context of a
 * request, and the lookups that answer OpenVidu's status when something is missing.
 */
import type { Request } from 'express';
import type { ConnectionDetail, SessionDetail } from '../../engine/engine.js';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../model/commands.js';
import type { LiveSimulation } from '../live-simulation.js';
import { parseClientPolicy, type ClientPolicy } from './client-policy.js';
import { publicAddress } from './config-view.js';
import {
  activeConnectionJson,
  pendingConnectionJson,
  recordingJson,
  type ViewContext,
} from './json-views.js';
import { emptyAnswer, type OpenviduRefusal } from './openvidu-errors.js';
import type { RestWorld } from './rest-world.js';

/** Header that sets the client policy of a session (on `POST /sessions`) or of one connection (`POST …/connection`). */
export const CLIENT_POLICY_HEADER = 'x-ovsim-client-policy';

export interface OpenviduRouterOptions {
  readonly simulation: LiveSimulation;
  readonly world: RestWorld;
  readonly bodyLimitBytes: number;
  /** Settings shown by `GET /config` over OpenVidu's defaults (e.g. the WebHook settings `serve` resolved). */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /** Base of tokens and recording URLs, e.g. `wss://my.openvidu.ip`; default the request's own scheme and Host. */
  readonly publicUrl?: string | undefined;
  /** Longest wait of an answer for the simulation (recording start/stop, media node `wait`), wall ms. */
  readonly maxWaitMs?: number | undefined;
}

export class RouteContext {
  readonly sim: LiveSimulation;
  readonly world: RestWorld;

  constructor(readonly o: OpenviduRouterOptions) {
    this.sim = o.simulation;
    this.world = o.world;
  }

  /** The REST API's clock: the simulation's virtual time, the clock of every CDR/WebHook timestamp too. */
  now(): number {
    return this.sim.virtualNow();
  }

  view(req: Request): ViewContext {
    const nodes = new Map<string, string>();
    return {
      world: this.world,
      edition: this.sim.currentProfile.edition,
      now: this.now(),
      finalUrl: publicAddress(req, this.o.publicUrl).finalUrl,
      nodeIp: (id) => {
        if (nodes.size === 0) for (const n of this.sim.view.snapshot().mediaNodes) nodes.set(n.id, n.ip);
        return nodes.get(id);
      },
    };
  }

  exec(action: Action): void {
    this.sim.execute(action);
  }

  /** The live session, or `fail` (OpenVidu's answer for "no such session" on that endpoint). */
  session(sessionId: string, fail: () => OpenviduRefusal): SessionDetail {
    const s = this.sim.view.describeSession(sessionId);
    if (!s) throw fail();
    return s;
  }

  /** Whether a client ever joined the session (OpenVidu's `getSession` finds it, not only `getSessionNotActive`). */
  isActive(s: SessionDetail): boolean {
    return this.sim.view.snapshot().sessions.find((x) => x.handle === s.handle)?.active ?? false;
  }

  liveRecording(id: string) {
    return this.sim.view.describeRecordings().find((r) => r.id === id);
  }

  /** The Recording object, or 404 (empty body, as `getRecording` answers). */
  recording(req: Request, id: string): Record<string, unknown> {
    const live = this.liveRecording(id);
    const stored = this.world.recording(id);
    if ((!live && !stored) || this.world.deletedRecordings.has(id))
      throw emptyAnswer(404, `no recording "${id}"`);
    return recordingJson(this.view(req), live, stored);
  }

  /** The Connection object of `connectionId` in `s`: active, else pending; 404 (empty body) otherwise. */
  connection(req: Request, s: SessionDetail, connectionId: string): Record<string, unknown> {
    const active: ConnectionDetail | undefined = s.connections.find((c) => c.connectionId === connectionId);
    const rest = this.world.connections.get(connectionId);
    if (active) return activeConnectionJson(this.view(req), s, active, rest);
    if (rest && rest.sessionHandle === s.handle && rest.status === 'pending')
      return pendingConnectionJson(rest);
    throw emptyAnswer(404, `no connection "${connectionId}" in session "${s.sessionId}"`);
  }

  mustNode(id: string) {
    const n = this.sim.view.snapshot().mediaNodes.find((x) => x.id === id);
    if (!n) throw new OvsimError('NOT_FOUND', `no media node "${id}"`);
    return n;
  }

  nodeHandle(id: string, field: string, status: number): string {
    const n = this.sim.view.snapshot().mediaNodes.find((x) => x.id === id);
    if (!n) throw new OvsimError('BAD_INPUT', `${field}: no media node "${id}"`, { status });
    return n.handle;
  }

  tokenBase(req: Request): string {
    return this.o.publicUrl ?? `wss://${req.headers.host ?? 'localhost:4443'}`;
  }
}

export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** A boolean request parameter as Spring converts it (`true`/`on`/`yes`/`1`), else `fallback`. */
export function flag(req: Request, name: string, fallback: boolean): boolean {
  const v = req.query[name];
  if (typeof v !== 'string') return fallback;
  const s = v.toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(s)) return true;
  if (['false', 'off', 'no', '0'].includes(s)) return false;
  return fallback;
}

export function headerPolicy(req: Request, base: ClientPolicy): ClientPolicy | undefined {
  const h = req.headers[CLIENT_POLICY_HEADER];
  if (h === undefined) return undefined;
  return parseClientPolicy(Array.isArray(h) ? h.join(',') : h, `header ${CLIENT_POLICY_HEADER}`, base);
}
