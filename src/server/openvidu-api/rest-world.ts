/**
 * What OpenVidu's REST layer knows beyond the engine's live state: the properties sessions were created with,
 * connections created by the application and not yet taken by a client (`pending`), recordings kept in storage
 * after their session ended, media node times, and the client policies. Kept current from the simulation's events
 * (a sink) and cleared when the world resets; it never acts on the engine itself.
 */
import { Rng } from '../../engine/rng.js';
import type { CdrEvent } from '../../model/catalogue.js';
import type { LiveSimulation } from '../live-simulation.js';
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

/** A recording as its last `recordingStatusChanged` event described it. */
export interface StoredRecording {
  readonly id: string;
  readonly sessionId: string;
  readonly name: string;
  readonly outputMode: string;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
  readonly resolution: string | undefined;
  readonly frameRate: number | undefined;
  readonly recordingLayout: string | undefined;
  readonly customLayout: string | undefined;
  readonly mediaNodeId: string | undefined;
  readonly createdAt: number;
  readonly size: number;
  readonly duration: number;
  readonly status: string;
}

export interface NodeTimes {
  readonly environmentId: string | null;
  readonly uri: string | null;
  launchingTime: number | undefined;
  connectionTime: number | undefined;
  disconnectionTime: number | undefined;
}

export class RestWorld {
  /** REST-created connections by connection id (pending and active; removed when they leave). */
  readonly connections = new Map<string, RestConnection>();
  /** Properties of REST-created sessions, by session id (removed when the session is destroyed). */
  readonly sessionProps = new Map<string, RestSessionProps>();
  /** Recordings seen in events, by id, until deleted through the API. */
  readonly recordings = new Map<string, StoredRecording>();
  readonly deletedRecordings = new Set<string>();
  readonly nodes = new Map<string, NodeTimes>();
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
      }),
      sim.addSink((batch) => {
        for (const e of batch.events) this.observe(e);
      }),
    );
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
    this.recordings.clear();
    this.deletedRecordings.clear();
    this.nodes.clear();
    this.seedStreams();
  }

  private observe(e: CdrEvent): void {
    switch (e.name) {
      case 'participantJoined': {
        const c = this.connections.get(e.data.connectionId);
        if (c && c.sessionId === e.data.sessionId) {
          c.status = 'active';
          c.activeAt = e.data.timestamp;
        }
        return;
      }
      case 'participantLeft':
        this.connections.delete(e.data.connectionId);
        return;
      case 'sessionDestroyed':
        // Pending connections die with their session (their tokens are no longer valid).
        for (const [id, c] of this.connections)
          if (c.sessionId === e.data.sessionId) this.connections.delete(id);
        this.sessionProps.delete(e.data.sessionId ?? '');
        return;
      case 'recordingStatusChanged': {
        const d = e.data;
        if (this.deletedRecordings.has(d.id)) return;
        this.recordings.set(d.id, {
          id: d.id,
          sessionId: d.sessionId ?? '',
          name: d.name,
          outputMode: d.outputMode,
          hasAudio: d.hasAudio,
          hasVideo: d.hasVideo,
          resolution: d.resolution,
          frameRate: d.frameRate,
          recordingLayout: d.recordingLayout,
          customLayout: d.customLayout,
          mediaNodeId: d.media_node_id,
          createdAt: d.startTime,
          size: d.size,
          duration: d.duration,
          status: d.status,
        });
        return;
      }
      case 'mediaNodeStatusChanged': {
        const d = e.data;
        let n = this.nodes.get(d.id);
        if (!n) {
          n = {
            environmentId: d.environmentId,
            uri: d.uri,
            launchingTime: undefined,
            connectionTime: undefined,
            disconnectionTime: undefined,
          };
          this.nodes.set(d.id, n);
        }
        if (d.newStatus === 'launching' && n.launchingTime === undefined) n.launchingTime = d.timestamp;
        if (d.newStatus === 'running' && n.connectionTime === undefined) n.connectionTime = d.timestamp;
        if (d.newStatus === 'terminated') this.nodes.delete(d.id);
        return;
      }
      case 'nodeCrashed': {
        const n = this.nodes.get((e.data as { id: string }).id);
        if (n) n.disconnectionTime = e.data.timestamp;
        return;
      }
      case 'nodeRecovered': {
        const n = this.nodes.get((e.data as { id: string }).id);
        if (n) n.disconnectionTime = undefined;
        return;
      }
      default:
        return;
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
