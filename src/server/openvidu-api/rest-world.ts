/**
 * What OpenVidu's REST layer knows that the simulated server does not: the properties sessions were created with,
 * connections created by the application and not yet taken by a client (`pending`), recordings deleted through the
 * API, and the client policies. What happened in the world — who joined and left, recordings in storage, media node
 * times — it reads from the engine and the world projection (the simulation's one projection of its events): each
 * cascade's patch tells it which of its connections became active or are gone. Cleared when the world resets; it
 * never acts on the engine itself.
 */
import { Rng } from '../../engine/rng.js';
import type { LiveSimulation } from '../live-simulation.js';
import type { StoredRecording } from '../recording-storage.js';
import type { NodeTimes } from '../world-projection.js';
import type { WorldPatch } from '../view-types.js';
import { DEFAULT_CLIENT_POLICY, type ClientPolicy } from './client-policy.js';

export type Role = 'PUBLISHER' | 'SUBSCRIBER' | 'MODERATOR';

/** A connection created through `POST …/connection` (or `/tokens`). */
export interface RestConnection {
  readonly connectionId: string;
  readonly sessionId: string;
  /** Engine handle of the session it belongs to (a later session with the same id is another session). */
  readonly sessionHandle: string;
  /** Engine handle of its participant once joined. */
  readonly handle: string;
  readonly type: 'WEBRTC' | 'IPCAM';
  /** Virtual ms since the epoch. */
  readonly createdAt: number;
  readonly token: string | null;
  readonly serverData: string;
  record: boolean;
  role: Role;
  readonly kurentoOptions: Record<string, unknown> | null;
  readonly customIceServers: readonly unknown[];
  status: 'pending' | 'active';
  activeAt: number | undefined;
  /** The policy its simulated client follows. */
  readonly policy: ClientPolicy;
}

/** What `POST /sessions` was given that the engine does not model. */
export interface RestSessionProps {
  readonly mediaMode: 'ROUTED' | 'RELAYED';
  readonly customSessionId: string | undefined;
  readonly forcedVideoCodec: string;
  readonly allowTranscoding: boolean;
  readonly mediaNode: string | undefined;
  readonly shmSize: number | undefined;
  readonly ignoreFailedStreams: boolean | undefined;
  /** Client policy of the session's connections, over the server's. */
  policy: ClientPolicy | undefined;
}

export class RestWorld {
  /** REST-created connections by connection id (pending and active; removed when they leave). */
  readonly connections = new Map<string, RestConnection>();
  /** Properties of REST-created sessions, by session id (removed when the session is destroyed). */
  readonly sessionProps = new Map<string, RestSessionProps>();
  /** Recordings deleted through the API (storage forgets them; later events about them are not stored again). */
  readonly deletedRecordings = new Set<string>();
  /** Server-wide client policy. */
  policy: ClientPolicy;
  /** The media server's addresses where no Pro media node gives one (ICE candidates of `?webRtcStats=true`). */
  server!: { readonly privateIp: string; readonly publicIp: string };
  private ids!: Rng;
  private clients!: Rng;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly sim: LiveSimulation,
    policy: ClientPolicy = DEFAULT_CLIENT_POLICY,
  ) {
    this.policy = policy;
    this.seedStreams();
    this.unsubscribe.push(
      sim.subscribe((m) => {
        if (m.type === 'reset') this.clear();
        else if (m.type === 'batch') this.follow(m.batch.world);
      }),
    );
  }

  /** A recording in storage (live ones are the engine's), unless deleted through the API. */
  recording(id: string): StoredRecording | undefined {
    return this.deletedRecordings.has(id) ? undefined : this.sim.projection.storedRecording(id);
  }

  /** Every recording id in storage, deleted ones included (callers filter with `deletedRecordings`). */
  recordingIds(): Iterable<string> {
    return this.sim.projection.storedRecordingIds();
  }

  /** `DELETE /recordings/<id>`: storage forgets it. */
  deleteRecording(id: string): void {
    this.deletedRecordings.add(id);
    this.sim.projection.forgetRecording(id);
  }

  /** A media node's launching, connection and disconnection times. */
  nodeTimes(id: string): NodeTimes | undefined {
    return this.sim.projection.nodeTimes(id);
  }

  /** Random ids of REST entities (connections, tokens), seeded from the world's seed. */
  get idRng(): Rng {
    return this.ids;
  }

  /** Random draws of simulated clients (delays, stays), seeded from the world's seed. */
  get clientRng(): Rng {
    return this.clients;
  }

  /** The policy for a new connection of `sessionId` (the session's, else the server's). */
  policyFor(sessionId: string): ClientPolicy {
    return this.sessionProps.get(sessionId)?.policy ?? this.policy;
  }

  /** A handle no live or past entity of the engine uses: `base`, else `base.2`, `base.3`, … */
  freeHandle(base: string): string {
    const view = this.sim.view;
    if (view.isHandleFree(base)) return base;
    for (let n = 2; ; n++) {
      const h = `${base}.${n}`;
      if (view.isHandleFree(h)) return h;
    }
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }

  private seedStreams(): void {
    const root = new Rng(`${String(this.sim.currentSeed)}/openvidu-rest`);
    this.ids = root.fork('ids');
    this.clients = root.fork('clients');
    const host = root.fork('server');
    this.server = { privateIp: `172.31.${host.int(0, 255)}.${host.int(1, 254)}`, publicIp: publicIpv4(host) };
  }

  private clear(): void {
    this.connections.clear();
    this.sessionProps.clear();
    this.deletedRecordings.clear();
    this.seedStreams();
  }

  /** A cascade's patch of the world projection: connections that joined become active, those gone are dropped. */
  private follow(patch: WorldPatch): void {
    for (const p of patch.participants) {
      const c = this.connections.get(p.key);
      if (!c) continue;
      if (p.leftAt !== null) {
        this.connections.delete(p.key);
      } else if (
        c.status === 'pending' &&
        this.sim.projection.sessionRecord(p.session)?.sessionId === c.sessionId
      ) {
        c.status = 'active';
        c.activeAt = p.joinedAt;
      }
    }
    for (const s of patch.sessions) {
      if (s.closedAt === null) continue;
      // Pending connections die with their session (their tokens are no longer valid).
      for (const [id, c] of this.connections) if (c.sessionId === s.sessionId) this.connections.delete(id);
      this.sessionProps.delete(s.sessionId);
    }
  }
}

/** A public unicast IPv4 address (no private, loopback, shared or multicast range). */
function publicIpv4(r: Rng): string {
  let first = r.int(1, 223);
  while (first === 10 || first === 127 || first === 100 || first === 172 || first === 192)
    first = r.int(1, 223);
  return `${first}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}
