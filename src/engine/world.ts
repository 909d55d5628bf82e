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
import type { MediaNodeId } from '../model/entities.js';
import { MetadataSource } from './metadata.js';
import type { MasterNodeRecord, MediaNodeRecord, Partition, Work } from './records.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';

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
  /** Every `ready` is logged 2–5 times, as OpenVidu Pro 2.22 did (OpenVidu#747). */
  readonly repeatReady: boolean;
  /** OPENVIDU_SESSIONS_GARBAGE_INTERVAL, ms; 0: no garbage collector of non-active sessions. */
  readonly gcIntervalMs: number;
  /** OPENVIDU_SESSIONS_GARBAGE_THRESHOLD, ms. */
  readonly gcThresholdMs: number;
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

/** The Pro cluster's settings (OPENVIDU_PRO_CLUSTER_*): machines/cluster.ts fills in OpenVidu's defaults. */
export interface ClusterConfig {
  readonly id: string | undefined;
  /** Initial node count, or their handles. */
  readonly mediaNodes: number | readonly string[];
  /** Seconds; -1 = infinite. */
  readonly reconnectionTimeout: number | undefined;
  /** Seconds between two load samples of the autoscaling. */
  readonly loadInterval: number;
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minNodes: number;
    readonly maxNodes: number;
    /** Percent. */
    readonly minLoad: number;
    /** Percent. */
    readonly maxLoad: number;
  };
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

/** The behaviour settings of a world, from the engine's options (OpenVidu's defaults where they are left out). */
export function behaviourSettings(o: {
  readonly repeatReady?: boolean | undefined;
  readonly sessionsGarbageInterval?: number | undefined;
  readonly sessionsGarbageThreshold?: number | undefined;
}): Pick<WorldSettings, 'repeatReady' | 'gcIntervalMs' | 'gcThresholdMs'> {
  return {
    repeatReady: o.repeatReady ?? false,
    gcIntervalMs: (o.sessionsGarbageInterval ?? 900) * 1000,
    gcThresholdMs: (o.sessionsGarbageThreshold ?? 3600) * 1000,
  };
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
    gcPassAt: undefined,
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
