/**
 * The records of a world: plain data, each an entity's unchanging facts (model/entities.ts) plus its state. Records of
 * one world point at each other (a connection at its session, a stream at its owner): cascades walk those links for
 * every event, and a world is copied as a graph (clone.ts), links kept. Tables that find a record by id or handle
 * live in the partition (below; world.ts makes them).
 *
 * Scheduled work is data too: a command, a timer record, or a decision the host resolves — never a closure.
 */
import type {
  BroadcastFacts,
  ConnectionFacts,
  MasterNodeFacts,
  MediaNodeFacts,
  NodeStatus,
  RecordingFacts,
  RecordingProps,
  RecordingStatus,
  SessionFacts,
  SessionId,
  StreamFacts,
  SubscriptionFacts,
} from '../model/entities.js';
import type { JavaConcurrentHashMapKeys } from '../model/java.js';
import type { Action } from '../model/commands.js';
import type { MetadataSource } from './metadata.js';
import type { Rng } from './rng.js';
import type { Scheduler } from './scheduler.js';
import type { Plan } from './traffic.js';

export type SessionStatus = 'created' | 'active' | 'closed';

export interface SessionRecord extends SessionFacts {
  /** The partition whose clock and random streams its cascades run on. */
  readonly partition: Partition;
  readonly defaultRecording: Partial<RecordingProps>;
  readonly autoSubscribe: boolean;
  /** `created` until someone joins (OpenVidu's "active" session), `closed` once destroyed. */
  status: SessionStatus;
  /** Connected participants in join order (a list: a session has few, and its loops are the hottest). */
  readonly connections: ConnectionRecord[];
  /** Connections publishing a stream now. */
  publishers: number;
  /** The recording in progress (starting or started). */
  recording: RecordingRecord | undefined;
  /** Recordings stopped and waiting for their `ready`/`failed`, in the order they stopped. */
  readonly processing: RecordingRecord[];
  /** The auto-stop countdown of OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT. */
  autostop: TimerRecord | undefined;
  /** Pro: the media node asked for at creation (`createSession.mediaNode`). */
  readonly pinnedNode: string | undefined;
  /** Pro: the media node hosting the session, chosen at its first join. */
  node: MediaNodeRecord | undefined;
  /** Pro: the broadcast in progress. */
  broadcast: BroadcastRecord | undefined;
  /** LiveKit: the room's close when idle (its empty timeout, or its departure timeout once everyone left). */
  roomTimer: TimerRecord | undefined;
}

/**
 * `lost`: its client is gone (its network dropped) but OpenVidu has not noticed yet — it still counts the connection
 * until its ping watchdog gives up (see connection.ts).
 */
export type ConnectionStatus = 'active' | 'lost' | 'left';

export interface ConnectionRecord extends ConnectionFacts {
  /** Its scenario handle; a connection left behind by a flapping network is renamed (see connection.ts). */
  handle: string;
  readonly session: SessionRecord;
  status: ConnectionStatus;
  /** Its media connects (false: `join.connects: false`, the client gives up; it may not publish). */
  readonly connects: boolean;
  /** LiveKit: its media is connected (ACTIVE); set by `connection-active`, or by a publish that comes first. */
  active: boolean;
  /** LiveKit: the pending `connection-active`. */
  activeTimer: TimerRecord | undefined;
  /** Its pending `connection-drop` (a stale connection after a reconnection, media that never connects). */
  dropTimer: TimerRecord | undefined;
  /** While `lost`: the ping watchdog's timer, which logs the departure. */
  pingTimeout: TimerRecord | undefined;
  stream: StreamRecord | undefined;
  /** Streams it receives, in subscription order (one per publisher). */
  readonly subscriptions: SubscriptionRecord[];
}

export type StreamStatus = 'published' | 'unpublished';

export interface StreamRecord extends StreamFacts {
  readonly owner: ConnectionRecord;
  status: StreamStatus;
  /**
   * Its receivers, in subscription order. A list, not a map: it is short, and a run creates and drops hundreds of
   * thousands of them.
   */
  readonly subscribers: SubscriptionRecord[];
}

export interface SubscriptionRecord extends SubscriptionFacts {
  readonly subscriber: ConnectionRecord;
  readonly stream: StreamRecord;
}

export interface RecordingRecord extends RecordingFacts {
  readonly session: SessionRecord;
  status: RecordingStatus;
  /** When `started` was logged (composed recorders take a while). */
  startedAt: number | undefined;
  stoppedAt: number | undefined;
  reason: string | undefined;
  /** Integral of recorded streams over time (ms × streams), for INDIVIDUAL sizes. */
  streamMs: number;
  /** Streams being recorded right now, and since when the integral was last updated. */
  activeStreams: number;
  lastTouch: number;
  firstStreamAt: number | undefined;
  lastStreamEnd: number | undefined;
  /** The pending `started` or `ready`/`failed`. */
  timer: TimerRecord | undefined;
}

export interface BroadcastRecord extends BroadcastFacts {
  readonly session: SessionRecord;
}

/** A crash in progress: what becomes of the node (decided when it stops answering). */
export interface NodeCrash {
  /** It answers again before its reconnection timeout: `nodeRecovered`. */
  readonly recovers: boolean;
  /** When it is given up, ms after it stopped answering; undefined: never (infinite reconnection timeout). */
  readonly givenUpAfterMs: number | undefined;
}

export interface MediaNodeRecord extends MediaNodeFacts {
  status: NodeStatus;
  /** Order of launch, for "oldest first". */
  readonly launchSeq: number;
  /** Sessions hosted (placed at their first join). */
  readonly sessions: Set<SessionRecord>;
  /** Their ids as OpenVidu's `Kms.kurentoSessions` (a ConcurrentHashMap) holds them: the order a crash lists them. */
  readonly kurentoSessions: JavaConcurrentHashMapKeys;
  /** Generated runs: partitions planned on it whose session has not joined yet. */
  readonly planned: Set<Partition>;
  /** Lost and not (yet) recovered: no new sessions. */
  crashed: boolean;
  crash: NodeCrash | undefined;
  /** A launch in progress (a canceled node terminates when it completes). */
  launchTimer: TimerRecord | undefined;
  readonly faultTimers: TimerRecord[];
}

export type MasterNodeRecord = MasterNodeFacts;

/** Something that happens later by itself. `cancelled` ones are skipped when due. */
export type TimerRecord = TimerBase &
  (
    | { readonly kind: 'cluster-boot' | 'autoscaling-sample' }
    | { readonly kind: 'recording-started' | 'recording-processed'; readonly recording: RecordingRecord }
    | { readonly kind: 'autostop'; readonly session: SessionRecord }
    /** LiveKit: the participant's media connects (ACTIVE). */
    | { readonly kind: 'connection-active'; readonly connection: ConnectionRecord }
    /** The client's connection is dropped (a reconnection's stale connection, media that never connects). */
    | { readonly kind: 'connection-drop'; readonly connection: ConnectionRecord; readonly reason: string }
    /** LiveKit: the room ticker finds the room idle past its empty or departure timeout. */
    | { readonly kind: 'room-idle'; readonly session: SessionRecord }
    /** OpenVidu's garbage collector of non-active sessions, due at `at` (it runs every interval from the start). */
    | { readonly kind: 'session-gc'; readonly at: number }
    | { readonly kind: 'ping-timeout'; readonly connection: ConnectionRecord }
    /** A flapping client comes back with a new connection (`handle`), as `ghost` was. */
    | { readonly kind: 'rejoin'; readonly ghost: ConnectionRecord; readonly handle: string }
    /** The next drop of a flapping network (`times` drops left, `every` ms apart). */
    | { readonly kind: 'flap'; readonly handle: string; readonly times: number; readonly every: number }
    | { readonly kind: 'node-launched'; readonly node: MediaNodeRecord; readonly fails: boolean }
    | {
        readonly kind: 'node-back' | 'node-declared-crashed' | 'node-recovered' | 'node-given-up';
        readonly node: MediaNodeRecord;
      }
  );

interface TimerBase {
  cancelled: boolean;
  /** Background work (load sampling) does not keep a finite run going. */
  readonly background: boolean;
}

export type TimerKind = TimerRecord['kind'];

type WithoutState<T> = T extends unknown ? Omit<T, keyof TimerBase> : never;
/** What a timer is about: a TimerRecord without its state. */
export type TimerSpec = WithoutState<TimerRecord>;

/** A timer record, not cancelled; `background` ones (load sampling) do not keep a finite run going. */
export function newTimer(spec: TimerSpec, background = false): TimerRecord {
  return { ...spec, cancelled: false, background } as TimerRecord;
}

/** A unit of scheduled work. */
export type Work =
  | { readonly kind: 'command'; readonly command: Action; readonly origin: unknown }
  | { readonly kind: 'timer'; readonly timer: TimerRecord }
  /** A move whose command is decided when it falls due, by the host (see EngineOptions.decide). */
  | { readonly kind: 'decision'; readonly decision: unknown; readonly origin: unknown };

/** The label of a timer, as causes show it. */
export function timerLabel(t: TimerRecord): string {
  switch (t.kind) {
    case 'cluster-boot':
      return 'cluster boot';
    case 'autoscaling-sample':
      return 'autoscaling load sample';
    case 'recording-started':
      return `recording ${t.recording.id} started`;
    case 'recording-processed':
      return `recording ${t.recording.id} ${t.recording.props.outcome}`;
    case 'autostop':
      return `auto-stop countdown of ${t.session.sessionId}`;
    case 'connection-active':
      return `participant ${t.connection.handle} connected`;
    case 'connection-drop':
      return `participant ${t.connection.handle} dropped`;
    case 'room-idle':
      return `room ${t.session.sessionId} idle`;
    case 'session-gc':
      return 'garbage collector of non-active sessions';
    case 'ping-timeout':
      return `ping timeout of ${t.connection.connectionId}`;
    case 'rejoin':
      return `${t.handle} reconnects`;
    case 'flap':
      return `network of ${t.handle} drops`;
    case 'node-launched':
      return `media node ${t.node.id} launched`;
    case 'node-back':
      return `media node ${t.node.id} back`;
    case 'node-declared-crashed':
      return `media node ${t.node.id} crashed`;
    case 'node-recovered':
      return `media node ${t.node.id} recovered`;
    case 'node-given-up':
      return `media node ${t.node.id} given up`;
  }
}

/** A partition's random streams, each forked by name from the partition's seed. */
export interface PartitionStreams {
  readonly ids: Rng;
  readonly timing: Rng;
  readonly media: Rng;
  readonly meta: MetadataSource;
  /** LiveKit ids, secrets and delays (`<seed>/livekit`): only on a LiveKit-based server, so OpenVidu 2 draws nothing. */
  readonly livekit: Rng | undefined;
}

export interface Partition {
  /** Its place in the merge order: a generated session's index; see SCRIPTED_PARTITION, CLUSTER_PARTITION. */
  readonly index: number;
  readonly rng: PartitionStreams;
  /** Virtual time, ms since the epoch: cascades move it on as OpenVidu's clock moves between events. */
  clock: number;
  /** `stopServer` ran: every later command is refused. */
  stopped: boolean;
  readonly queue: Scheduler<Work>;
  /** Queued items that keep a finite run going (everything but background sampling). */
  foreground: number;
  /** Live sessions, connections and recordings by handle. */
  readonly sessions: Map<string, SessionRecord>;
  readonly connections: Map<string, ConnectionRecord>;
  /** Made at the first recording: most generated sessions never record, and an empty Map weighs ~190 bytes. */
  recordings: Map<string, RecordingRecord> | undefined;
  /** Recording numbers ever used, per session id: the next free `SESSION~n` (recording folders outlive sessions). */
  recordingCounters: Map<string, number> | undefined;
  /** Live sessions by id (a custom id must be unique among them). */
  readonly sessionsById: Map<SessionId, SessionRecord>;
  /** What closed entities were, by handle (`rememberClosedHandles`). */
  readonly closedHandles: Map<string, string> | undefined;
  /** Pro, generated runs: the node chosen for its session when it arrived, where its first join places it. */
  plannedNode: MediaNodeRecord | undefined;
  /**
   * Generated runs: the session's planned commands and the next one due. They come before anything in `queue` due at
   * the same instant (the plan was there first).
   */
  plan: Plan | undefined;
  cursor: number;
  /** When the garbage collector's next queued pass is due (only passes that can collect are queued). */
  gcPassAt: number | undefined;
}
