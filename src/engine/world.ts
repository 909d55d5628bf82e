/**
 * The world: everything a simulated OpenVidu server is, as plain data — its settings, its partitions (each with its
 * clock, its seeded random streams, its scheduled work and its sessions), the Pro cluster and the Enterprise master
 * nodes. A scripted or live run has one partition; a generated run has one per generated session and one for the
 * cluster (partitioned-run.ts), so that each session's lines depend only on its own streams.
 *
 * Purity by contract: a world is mutated in place by the step that owns it (step.ts), never by anyone else. Copying
 * it for each step would multiply the allocations of a run that makes millions of events; `cloneGraph` copies it on
 * demand instead (tests fork a world and run both copies to the same bytes).
 */
import type { Edition } from '../model/profile.js';
import type { MediaNodeId, SessionId } from '../model/entities.js';
import type { ClusterConfig } from './machines/cluster.js';
import { MetadataSource } from './metadata.js';
import type {
  ConnectionRecord,
  MasterNodeRecord,
  MediaNodeRecord,
  RecordingRecord,
  SessionRecord,
  Work,
} from './records.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import type { Plan } from './traffic.js';

export interface WorldSettings {
  /** Seed of every random stream. */
  readonly seed: string;
  /** Virtual start instant, ms since the epoch. */
  readonly start: number;
  /** OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, ms. */
  readonly autostopMs: number;
  /** Pro GeoIP locations instead of CE's `"unknown"`. */
  readonly geoLocation: boolean;
  readonly edition: Edition;
  /** The CE media server's id, written as `media_node_id` where OpenVidu writes it. */
  readonly mediaNodeId: MediaNodeId;
  /** Media node ids of 2.17+ (`media_i-…` on AWS) rather than `kms_…`. */
  readonly modernNodeIds: boolean;
  /** Remember what closed entities were, by handle, to explain later references (scripted runs). */
  readonly rememberClosedHandles: boolean;
  /** A LiveKit-based server (OpenVidu 3): its room behaviour; undefined for OpenVidu 2. */
  readonly livekit: LivekitSettings | undefined;
}

/**
 * How a LiveKit-based server (OpenVidu 3) behaves where OpenVidu 2 differs: a room outlives its last participant by
 * `departureTimeoutMs` and an unused room by `emptyTimeoutMs`, both checked by a server-wide ticker each second
 * (`RoomManager.CloseIdleRooms`) on whole seconds (`Room.CloseIfEmpty`); a participant counts as joined when its media
 * connects; there is no recording auto-stop.
 */
export interface LivekitSettings {
  /** `room.departure_timeout`, ms (LiveKit's default 20 s). */
  readonly departureTimeoutMs: number;
  /** `room.empty_timeout`, ms (LiveKit's default 300 s). */
  readonly emptyTimeoutMs: number;
  /** When the server's 1-second room ticker fires, ms past each whole second, in [0, 1000). */
  readonly tickPhaseMs: number;
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
}

/** The partition of a scenario's scripted steps (and of everything in a scripted or live run). */
export const SCRIPTED_PARTITION = -2;
/** The partition of a generated run's Pro cluster. */
export const CLUSTER_PARTITION = -1;

export interface ClusterRecord {
  readonly clusterId: string;
  readonly config: ClusterConfig;
  /** Live nodes by handle, in launch order (terminated and failed ones are forgotten). */
  readonly nodes: Map<string, MediaNodeRecord>;
  launchCounter: number;
  /** Node identities, launch delays. */
  readonly rng: Rng;
  /** Where its own work runs: the scripted partition, or a generated run's cluster partition. */
  readonly partition: Partition;
  booted: boolean;
  /** Generated runs: partitions planned on a node that crashed while no node was running, waiting for one. */
  readonly waiting: Set<Partition>;
}

export interface World {
  readonly settings: WorldSettings;
  /** Pro and Enterprise: the media nodes. */
  cluster: ClusterRecord | undefined;
  /** Enterprise: HA master nodes by handle. */
  readonly masterNodes: Map<string, MasterNodeRecord> | undefined;
}

/**
 * A partition seeded `seed` (its streams are `<seed>/ids`, `<seed>/timing`…), its clock at `start`; `livekit` adds
 * the stream of a LiveKit-based server's draws.
 */
export function createPartition(
  index: number,
  seed: string,
  start: number,
  rememberClosedHandles: boolean,
  livekit = false,
): Partition {
  const root = new Rng(seed);
  return {
    index,
    rng: {
      ids: root.fork('ids'),
      timing: root.fork('timing'),
      media: root.fork('media'),
      meta: new MetadataSource(root.fork('metadata')),
      livekit: livekit ? root.fork('livekit') : undefined,
    },
    clock: start,
    stopped: false,
    queue: new Scheduler<Work>(),
    foreground: 0,
    sessions: new Map(),
    connections: new Map(),
    recordings: undefined,
    recordingCounters: undefined,
    sessionsById: new Map(),
    closedHandles: rememberClosedHandles ? new Map() : undefined,
    plannedNode: undefined,
    plan: undefined,
    cursor: 0,
  };
}

/** When the partition's next work is due (its plan's next command, or its queue's head), if any. */
export function nextDue(p: Partition): number | undefined {
  const head = p.queue.peek()?.at;
  const plan = p.plan;
  if (plan === undefined || p.cursor >= plan.length) return head;
  const at = plan.at(p.cursor);
  return head === undefined || at <= head ? at : head;
}

/** Queues work in a partition at virtual time `at`; `order` replaces the sequence number as the tie-break. */
export function schedule(p: Partition, at: number, work: Work, order?: number): void {
  if (!(work.kind === 'timer' && work.timer.background)) p.foreground++;
  p.queue.push(at, work, order);
}
