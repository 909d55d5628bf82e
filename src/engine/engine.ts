/**
 * The engine as scripted and live runs drive it: one world of one partition, fed commands — from a scenario's
 * timeline (`schedule`) or live, one at a time (`execute`) — and timers, each run as a step (step.ts) through the
 * dispatcher (dispatcher.ts) into the machines and cascades. Each step's facts come back as a Batch, rendered as
 * OpenVidu 2 CDR events for the edges. Generated runs, with a partition per session, are partitioned-run.ts's.
 *
 * Pure and deterministic: no wall clock, no Math.random, no timers, no I/O. Same options and commands ⇒ same events.
 */
import type { CdrEvent } from '../model/catalogue.js';
import type { Fact } from '../model/facts.js';
import type { Edition } from '../model/profile.js';
import { toCdrEvent } from '../model/ov2-events.js';
import type { Action } from '../model/commands.js';
import { cloneGraph } from './clone.js';
import { dispatch, fireTimer } from './dispatcher.js';
import { isHandleFree } from './handles.js';
import * as ids from './ids.js';
import { bootCluster, clusterConfig, createCluster } from './machines/cluster.js';
import { livekitSettings, type LivekitOptions } from './machines/room.js';
import { newTimer, timerLabel, type Work } from './records.js';
import { actionRefused, Refusal } from './refusal.js';
import { Rng } from './rng.js';
import { Step } from './step.js';
import {
  recordingDetail,
  sessionDetail,
  snapshotOf,
  type EngineSnapshot,
  type RecordingDetail,
  type SessionDetail,
} from './views.js';
import type { Partition } from './records.js';
import {
  behaviourSettings,
  createPartition,
  schedule,
  SCRIPTED_PARTITION,
  type ClusterConfig,
  type World,
} from './world.js';
import type { MediaNodeId, SessionId } from '../model/entities.js';

export { ActionRefused } from './refusal.js';
export { PATCH_TARGETS, NODE_TRANSITIONS } from './machines/media-node.js';
export { clusterConfig } from './machines/cluster.js';
export type { ClusterConfig } from './world.js';
export { SILENT_RETRY_MS } from './cascades.js';
export { finalReason } from './machines/session.js';
export type { EngineSnapshot, SessionDetail, ConnectionDetail, RecordingDetail } from './views.js';
export type { LivekitOptions } from './machines/room.js';

/** How an {@link Engine} is set up: seed, virtual start, edition and the server settings it simulates. */
export interface EngineOptions {
  /** Seed of every random stream. */
  readonly seed: string | number;
  /** Virtual start instant, ms since the epoch. */
  readonly start: number;
  /** OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT in seconds; default 120. */
  readonly recordingAutostopTimeout?: number;
  /** Pro GeoIP locations (`"City, Country"`) instead of CE's `"unknown"`; default: true unless CE. */
  readonly geoLocation?: boolean;
  /** Prefix of media node ids: `media_` (2.17+, default) or `kms_`. */
  readonly mediaNodePrefix?: string;
  /**
   * Remember handles of closed entities to explain later references ("session s1 was closed") — right for scripted
   * scenarios; turn off for endless streams so memory depends only on live entities. Default true.
   */
  readonly rememberClosedHandles?: boolean;
  /** The CE media server's id; default drawn from the seed's `nodes` stream with `mediaNodePrefix`. */
  readonly mediaNodeId?: string;
  /** `ce` (default), `pro` or `enterprise`: Pro adds the media node cluster, broadcasts; Enterprise adds HA nodes. */
  readonly edition?: Edition;
  /** Pro cluster settings (defaults: one node, no autoscaling). */
  readonly cluster?: Partial<ClusterConfig>;
  /** Log every recording's `ready` 2–5 times, as OpenVidu Pro 2.22 did (OpenVidu#747); default false. */
  readonly repeatReady?: boolean | undefined;
  /**
   * OPENVIDU_SESSIONS_GARBAGE_INTERVAL in seconds: how often the garbage collector of non-active sessions runs,
   * counted from the start; 0 turns it off (as before 2.13, which had none). Default 900.
   */
  readonly sessionsGarbageInterval?: number | undefined;
  /** OPENVIDU_SESSIONS_GARBAGE_THRESHOLD in seconds: how old a never-joined session must be to go. Default 3600. */
  readonly sessionsGarbageThreshold?: number | undefined;
  /**
   * Simulate a LiveKit-based server (OpenVidu 3): rooms that outlive their last participant, participants joined
   * when their media connects, LiveKit ids. Undefined (the default): OpenVidu 2.
   */
  readonly livekit?: LivekitOptions | undefined;
  /**
   * Resolves a decision queued with `scheduleDecision` when it falls due: the command to run then, or undefined to do
   * nothing. The world holds only the decision's data; the host keeps what it means.
   */
  readonly decide?: (decision: unknown) => Action | undefined;
}

/** What made a batch of events happen. */
export type Cause =
  | { readonly kind: 'action'; readonly action: Action; readonly origin: unknown }
  | { readonly kind: 'timer'; readonly label: string };

/** The events of one cascade: one command or one timer, at one virtual instant. */
export interface Batch {
  /** Virtual time the cascade began (ms since the epoch). */
  readonly at: number;
  readonly cause: Cause;
  /** The cascade's facts as OpenVidu 2 CDR events. */
  readonly events: readonly CdrEvent[];
  /** The cascade's facts, protocol-neutral (absent on batches not made by an engine). */
  readonly facts?: readonly Fact[];
}

/**
 * Whether a batch has something to render: an OpenVidu 2 event, or, on a LiveKit-based server, any fact (a
 * participant becoming ACTIVE sends `participant_joined` and no OpenVidu 2 event).
 */
export function batchHasOutput(b: Batch, livekit: boolean): boolean {
  return b.events.length > 0 || (livekit && (b.facts?.length ?? 0) > 0);
}

/** A world and its partition as the facade holds them: cloned together. */
interface State {
  readonly world: World;
  readonly main: Partition;
}

/**
 * One simulated OpenVidu 2.x server on virtual time: `execute` runs an action now and returns the cascade of events it
 * caused, `schedule` queues one for later, `runNext`/`runUntil` advance time. Pure and deterministic: the same seed,
 * start and actions give the same events. A refused action throws {@link ActionRefused} and changes nothing.
 */
export class Engine {
  private readonly world: World;
  private readonly main: Partition;
  private readonly ctx: Step;
  private readonly decide: EngineOptions['decide'];

  constructor(options: EngineOptions, state?: State) {
    const s = state ?? newState(options);
    this.world = s.world;
    this.main = s.main;
    this.ctx = new Step(this.world);
    this.decide = options.decide;
  }

  /** An independent copy of this engine at this point: both run on to the same events. */
  clone(options: Pick<EngineOptions, 'decide'> = {}): Engine {
    const copy = cloneGraph<State>({ world: this.world, main: this.main });
    return new Engine({ seed: '', start: 0, ...options }, copy);
  }

  /** Current virtual time, ms since the epoch. */
  get now(): number {
    return this.main.clock;
  }

  /** The CE media server's id, written as `media_node_id` where spec §2.7 says. */
  get mediaNodeId(): string {
    return this.world.settings.mediaNodeId;
  }

  /** Whether the server is LiveKit-based (OpenVidu 3): some of its batches have facts but no OpenVidu 2 event. */
  get isLivekit(): boolean {
    return this.world.settings.livekit !== undefined;
  }

  /** Whether a batch has something to render: an OpenVidu 2 event, or (LiveKit) any fact. */
  hasOutput(b: Batch): boolean {
    return batchHasOutput(b, this.isLivekit);
  }

  /** Whether `stopServer` has run: every later action is refused. */
  get isStopped(): boolean {
    return this.main.stopped;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Driving

  /** Queues an action at virtual time `at`; `origin` comes back in batches and refusals (e.g. the scenario step). */
  schedule(at: number, action: Action, origin?: unknown): void {
    schedule(this.main, at, { kind: 'command', command: action, origin });
  }

  /**
   * Queues a decision at virtual time `at`: `options.decide(decision)` is asked then for the action to apply now (or
   * none). For live drivers whose plans may be overtaken meanwhile (a simulated client whose connection was deleted
   * before it joined). The decision is data: what it means stays with the host.
   */
  scheduleDecision(at: number, decision: unknown, origin?: unknown): void {
    schedule(this.main, at, { kind: 'decision', decision, origin });
  }

  /** Time of the next queued action or timer, if any (background work included: a live server runs it). */
  nextAt(): number | undefined {
    return this.main.queue.peek()?.at;
  }

  /**
   * Time of the item `runNext` would run next; `undefined` once only background work (load sampling, the garbage
   * collector of non-active sessions) is left — what a finite run waits for.
   */
  nextRunAt(): number | undefined {
    return this.main.foreground > 0 ? this.nextAt() : undefined;
  }

  /**
   * Runs the earliest queued item; `undefined` when nothing but background work (load sampling, the garbage
   * collector) is left, so a finite scenario ends — unless `background` (a live server never ends: its autoscaling
   * samples on and its garbage collector runs, whatever else is queued). Throws
   * `ActionRefused`.
   */
  runNext(background = false): Batch | undefined {
    return this.runOne(background);
  }

  /** Runs every item due at or before `t` (background work included), then moves the clock to `t`. */
  runUntil(t: number): Batch[] {
    const batches: Batch[] = [];
    for (let at = this.nextAt(); at !== undefined && at <= t; at = this.nextAt()) {
      const b = this.runOne(true);
      if (b && this.hasOutput(b)) batches.push(b);
    }
    if (t > this.main.clock) this.main.clock = t;
    return batches;
  }

  /** Applies one action now (live). Throws `ActionRefused` without changing anything when OpenVidu would refuse. */
  execute(action: Action, origin?: unknown): Batch {
    const at = this.begin();
    try {
      dispatch(this.ctx, action);
    } catch (e) {
      if (e instanceof Refusal) throw actionRefused(action, origin, e);
      throw e;
    }
    return this.end(at, { kind: 'action', action, origin });
  }

  private runOne(includeBackground: boolean): Batch | undefined {
    const p = this.main;
    for (;;) {
      if (!includeBackground && p.foreground === 0) return undefined;
      const next = p.queue.pop();
      if (!next) return undefined;
      const work: Work = next.item;
      if (!(work.kind === 'timer' && work.timer.background)) p.foreground--;
      if (next.at > p.clock) p.clock = next.at;
      if (work.kind === 'command') return this.execute(work.command, work.origin);
      if (work.kind === 'decision') {
        const action = this.decide?.(work.decision);
        if (action === undefined) continue;
        return this.execute(action, work.origin);
      }
      if (work.timer.cancelled) continue;
      const at = this.begin();
      fireTimer(this.ctx, work.timer);
      return this.end(at, { kind: 'timer', label: timerLabel(work.timer) });
    }
  }

  /** Starts a step at the partition's clock (the cluster's first nodes come up before anything else). */
  private begin(): number {
    const at = this.main.clock;
    this.ctx.begin(this.main, at);
    const cluster = this.world.cluster;
    if (cluster !== undefined && !cluster.booted) bootCluster(this.ctx, cluster);
    return at;
  }

  private end(at: number, cause: Cause): Batch {
    this.ctx.end();
    const facts = this.ctx.emitted();
    const events: CdrEvent[] = [];
    for (const f of facts) {
      const e = toCdrEvent(f);
      if (e !== undefined) events.push(e);
    }
    return { at, cause, events, facts };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading the state (for the server and the page)

  /** Whether `handle` may name a new entity (not live, and not remembered as closed). */
  isHandleFree(handle: string): boolean {
    return isHandleFree(this.main, handle);
  }

  /** The live session with OpenVidu id `sessionId`, in detail (for the OpenVidu REST API); undefined if none. */
  describeSession(sessionId: string): SessionDetail | undefined {
    const s = this.main.sessionsById.get(sessionId as SessionId);
    return s ? sessionDetail(s) : undefined;
  }

  /** Every live session in detail, in creation order. */
  describeSessions(): SessionDetail[] {
    return [...this.main.sessions.values()].map(sessionDetail);
  }

  /** Recordings the engine still tracks (starting, started, or stopped and processing), in creation order. */
  describeRecordings(): RecordingDetail[] {
    return [...(this.main.recordings?.values() ?? [])].map(recordingDetail);
  }

  /** A plain-data view of the live world. */
  snapshot(): EngineSnapshot {
    return snapshotOf(this.world, this.main);
  }
}

function newState(options: EngineOptions): State {
  const seed = String(options.seed);
  const edition = options.edition ?? 'ce';
  const prefix = options.mediaNodePrefix ?? 'media_';
  const root = new Rng(seed);
  const main = createPartition(
    SCRIPTED_PARTITION,
    seed,
    options.start,
    options.rememberClosedHandles ?? true,
    options.livekit !== undefined,
  );
  const world: World = {
    settings: {
      seed,
      start: options.start,
      autostopMs: (options.recordingAutostopTimeout ?? 120) * 1000,
      geoLocation: options.geoLocation ?? edition !== 'ce',
      edition,
      mediaNodeId: (options.mediaNodeId ?? ids.newMediaNodeId(root.fork('nodes'), prefix)) as MediaNodeId,
      modernNodeIds: prefix === 'media_',
      rememberClosedHandles: options.rememberClosedHandles ?? true,
      livekit: options.livekit && livekitSettings(options.livekit, seed),
      ...behaviourSettings(options),
    },
    cluster: undefined,
    masterNodes: edition === 'enterprise' ? new Map() : undefined,
  };
  if (edition !== 'ce') {
    world.cluster = createCluster(main, root.fork('cluster'), clusterConfig(options.cluster));
    // The initial media nodes come up at the start instant, before anything else.
    schedule(main, options.start, { kind: 'timer', timer: newTimer({ kind: 'cluster-boot' }) });
  }
  return { world, main };
}
