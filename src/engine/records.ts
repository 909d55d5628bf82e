/**
 * The records of a world: plain data, each an entity's unchanging facts (model/entities.ts) plus its state. Records of
 * one world point at each other (a connection at its session, a stream at its owner): cascades walk those links for
 * every event, and a world is copied as a graph (clone.ts), links kept. Tables that find a record by id or handle
 * live in the partition (world.ts).
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
  StreamFacts,
  SubscriptionFacts,
} from '../model/entities.js';
import type { JavaConcurrentHashMapKeys } from '../model/java.js';
import type { Action } from '../scenario/schema.js';
import type { Partition } from './world.js';

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

export type ConnectionStatus = 'active' | 'left';

export interface ConnectionRecord extends ConnectionFacts {
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
