/**
 * A generated run: one simulation of many partitions. Each generated session gets a partition of its own, seeded
 * `<seed>/session/<index>` — its ids, timings and metadata come only from its own streams and its clock is its own —
 * so its lines are the same whatever other sessions exist: that makes `--shard i/n` exact (a shard simulates the
 * partitions with `index % n === i`) and memory flat (a partition is dropped when its session is over). A Pro cluster
 * has a partition of its own too (`<seed>/cluster`): its boot, autoscaling and node faults run once, there, and reach
 * the sessions of a crashed node in their partitions (cascades.ts). A scenario's scripted steps run in one more.
 *
 * Partitions step in the order of `(at, partition)`: when their next work is due, then their index — never by
 * history — which is the merge key of shards generated apart. At one instant, the cluster's work comes first, then a
 * server fault (delivered to every live partition), then an arrival, then the sessions; a scripted step comes before
 * anything generated at or after its instant.
 *
 * The traffic (src/generate) only plans: arrivals, each session's commands, faults. Pure: same options ⇒ same steps.
 */
import { ScenarioError } from '../errors.js';
import type { Fact } from '../model/facts.js';
import type { Action } from '../model/commands.js';
import { dispatch, fireTimer } from './dispatcher.js';
import { crashNodeNow, SILENT_RETRY_MS } from './cascades.js';
import * as ids from './ids.js';
import {
  bootCluster,
  clusterConfig,
  createCluster,
  placeWaiting,
  planPartition,
  reconnectionTimeout,
  runningNodes,
  unplanPartition,
} from './machines/cluster.js';
import type { Cause, EngineOptions } from './engine.js';
import { livekitSettings } from './machines/room.js';
import { timerLabel, type Partition, type TimerRecord, type Work } from './records.js';
import { actionRefused, Refusal } from './refusal.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import { SEGMENT_FIELDS, Step } from './step.js';
import { RunStats, type PlannedFault, type Shard, type Traffic } from './traffic.js';
import {
  behaviourSettings,
  CLUSTER_PARTITION,
  createPartition,
  nextDue,
  schedule,
  SCRIPTED_PARTITION,
  type World,
} from './world.js';
import type { MediaNodeId } from '../model/entities.js';

/** A scenario's scripted step: a command at an instant, with what it came from (refusals name it). */
export interface ScriptedCommand {
  readonly at: number;
  readonly action: Action;
  readonly origin: unknown;
}

export interface PartitionedRunOptions {
  /** The simulated server (seed, start, edition, cluster…). */
  readonly engine: EngineOptions;
  readonly traffic: Traffic;
  /** Default: the whole dataset (`{ index: 0, count: 1 }`). */
  readonly shard?: Shard | undefined;
  /** Filled as the run goes. */
  readonly stats?: RunStats | undefined;
  /** Scripted steps run beside the traffic (shard 0 only); a refused one ends the run (ActionRefused). */
  readonly scripted?: readonly ScriptedCommand[] | undefined;
}

/** Numbers per output segment in `segments`: at, order, source, start and end of its facts in `facts`. */
export const OUTPUT_FIELDS = 5;

/** What running a partition's next item came to. */
type Outcome = typeof NOTHING | typeof RAN | typeof REFUSED;
const NOTHING = 0;
const RAN = 1;
const REFUSED = 2;

/** Marks commands delivered by a server fault to every live partition. */
const GLOBAL = Object.freeze({ generated: 'global-fault' });

export class PartitionedRun {
  readonly stats: RunStats;
  /**
   * The segments of the last step with facts: per segment OUTPUT_FIELDS numbers — the virtual time it began, its
   * merge order (when its partition's work was due), its source (the partition's index: a session's, or
   * SCRIPTED_PARTITION, CLUSTER_PARTITION) and the range of its facts in `facts`; the first `segmentsLength`
   * numbers (the array is reused from step to step).
   */
  readonly segments: number[] = [];
  segmentsLength = 0;
  private readonly world: World;
  private readonly ctx: Step;
  private readonly traffic: Traffic;
  private readonly shard: Shard;
  private readonly seed: string;
  private readonly options: EngineOptions;
  /** A LiveKit-based server: partitions carry its random stream. */
  private readonly livekit: boolean;
  private readonly live = new Scheduler<Partition>();
  private readonly cluster: Partition | undefined;
  private readonly scripted: Partition | undefined;
  private readonly crashPicks: Rng;
  private readonly recoverAfterMs: number;
  private readonly crashesRecover: boolean;
  private nextArrival: IteratorResult<number>;
  private nextFault: IteratorResult<PlannedFault>;
  private index = 0;
  private downUntil = -Infinity;
  private booted = false;
  /** What the last step ran: a command (and where it came from), or a timer. */
  private command: Action | undefined;
  private origin: unknown;
  private timer: TimerRecord | undefined;
  private refusal: Refusal | undefined;

  constructor(o: PartitionedRunOptions) {
    this.options = o.engine;
    this.traffic = o.traffic;
    this.shard = o.shard ?? { index: 0, count: 1 };
    this.stats = o.stats ?? new RunStats();
    this.seed = String(o.engine.seed);
    this.world = newWorld(o.engine, this.seed);
    this.livekit = o.engine.livekit !== undefined;
    this.ctx = new Step(this.world);
    this.cluster = this.world.cluster?.partition;
    this.crashPicks = new Rng(this.seed).fork('crashed-node');
    this.recoverAfterMs = Math.max(1, o.traffic.nodeRecoverAfterMs);
    this.crashesRecover = this.checkFaults();
    this.scripted =
      this.shard.index === 0 && o.scripted?.length ? this.scriptedPartition(o.scripted) : undefined;
    this.nextArrival = o.traffic.arrivals.next();
    this.nextFault = o.traffic.faults.next();
  }

  /** The facts of the last step with facts (see `segments`). */
  get facts(): readonly Fact[] {
    return this.ctx.facts;
  }

  /** What made the last step happen. */
  get cause(): Cause {
    if (this.command !== undefined) return { kind: 'action', action: this.command, origin: this.origin };
    return { kind: 'timer', label: this.timer === undefined ? 'cluster boot' : timerLabel(this.timer) };
  }

  /** Runs on to the next step with facts; false when the run is over. */
  next(): boolean {
    for (;;) {
      if (!this.advance()) return false;
      if (this.collect()) return true;
    }
  }

  /** Refuses what a generated run cannot model; whether crashed nodes recover (else they are given up at once). */
  private checkFaults(): boolean {
    const cluster = this.world.cluster;
    const proCrashes = cluster !== undefined && this.traffic.nodeCrashes;
    if ((proCrashes || cluster?.config.autoscaling.enabled === true) && this.shard.count > 1) {
      throw scenarioProblem(
        proCrashes ? 'generate.faults.nodeCrash' : 'openvidu.cluster.autoscaling',
        `${proCrashes ? 'node crashes' : 'autoscaling'} on OpenVidu Pro need every session in one generator ` +
          '(nodeCrashed lists the sessions of its node, autoscaling weighs the load of all): drop --shard',
      );
    }
    if (cluster === undefined) return true;
    // `nodeCrashed` is logged after OpenVidu's 3 s of silent retries (the fault's instant). A node that answers again
    // before its reconnection timeout (infinite by default, 3 s with autoscaling) recovers; one that does not is given
    // up: `terminating`, its sessions closed, `terminated`, and autoscaling replaces it if it must.
    const timeout = reconnectionTimeout(cluster);
    const givenUpAfterMs = timeout < 0 ? Infinity : Math.max(3, timeout) * 1000;
    const recovers = SILENT_RETRY_MS + this.recoverAfterMs < givenUpAfterMs;
    if (proCrashes && !recovers && givenUpAfterMs > SILENT_RETRY_MS) {
      // Its sessions would linger on a node that does not answer until the timeout: not modelled.
      throw scenarioProblem(
        'generate.faults.nodeRecoverAfter',
        `${this.recoverAfterMs} ms reaches past openvidu.cluster.reconnectionTimeout (${timeout} s) in a generated ` +
          'run: make the timeout 3 s or less (crashed nodes are given up at once) or longer than 3 s plus the ' +
          'recovery (they recover), or script the crash with crashMediaNode steps',
      );
    }
    return recovers;
  }

  private scriptedPartition(steps: readonly ScriptedCommand[]): Partition {
    const p = createPartition(SCRIPTED_PARTITION, this.seed, this.options.start, true, this.livekit);
    for (const s of steps) schedule(p, s.at, { kind: 'command', command: s.action, origin: s.origin });
    return p;
  }

  /** Runs one unit of work; false when the run is over. */
  private advance(): boolean {
    this.ctx.clear();
    if (!this.booted) return this.boot();
    const tS = this.scriptedDue();
    const tE = this.live.peek()?.at ?? Infinity;
    const tA = this.nextArrival.done === true ? Infinity : this.nextArrival.value;
    const tF = this.nextFault.done === true ? Infinity : this.nextFault.value.at;
    const recovering = this.recovering();
    if (tS === Infinity && tE === Infinity && tA === Infinity && tF === Infinity && !recovering) return false;
    const tC = this.cluster?.queue.peek()?.at ?? Infinity;
    if (tS <= tC && tS <= tF && tS <= tA && tS <= tE) this.runScripted();
    else if (tC <= tF && tC <= tA && tC <= tE) this.runCluster(tC);
    else if (tF <= tA && tF <= tE) this.fault(this.nextFault.value as PlannedFault);
    else if (tA <= tE) this.arrive(tA);
    else this.runSession();
    return true;
  }

  /** The cluster's nodes come up once, at the start instant, before anything else. */
  private boot(): boolean {
    this.booted = true;
    const cluster = this.world.cluster;
    if (cluster !== undefined) {
      this.ctx.begin(cluster.partition, this.options.start);
      bootCluster(this.ctx, cluster);
      this.ctx.end();
    }
    return true;
  }

  /** Pro: a crashed node has yet to answer again (the run goes on until it does). */
  private recovering(): boolean {
    const cluster = this.world.cluster;
    if (cluster === undefined) return false;
    for (const n of cluster.nodes.values()) if (n.crash?.recovers === true) return true;
    return false;
  }

  /** When the scripted partition's next step begins: its due time, or its clock if that is later. */
  private scriptedDue(): number {
    const p = this.scripted;
    if (p === undefined) return Infinity;
    // Cancelled timers at its head do nothing but move its clock, which its next step would do anyway.
    for (let head = p.queue.peek(); head !== undefined; head = p.queue.peek()) {
      const w = head.item;
      if (!(w.kind === 'timer' && w.timer.cancelled)) break;
      p.queue.pop();
      if (!w.timer.background) p.foreground--;
      if (head.at > p.clock) p.clock = head.at;
    }
    const head = p.queue.peek();
    if (head === undefined || p.foreground === 0) return Infinity;
    return Math.max(head.at, p.clock);
  }

  private runScripted(): void {
    const p = this.scripted!;
    if (this.runPartition(p, Math.max(p.queue.peek()!.at, p.clock)) === REFUSED)
      throw actionRefused(this.command!, this.origin, this.refusal!);
  }

  /** One item of the cluster's own work (autoscaling, launches, recoveries). */
  private runCluster(due: number): void {
    const p = this.cluster!;
    const next = p.queue.pop()!;
    const work = next.item;
    if (!(work.kind === 'timer' && work.timer.background)) p.foreground--;
    if (next.at > p.clock) p.clock = next.at;
    if (next.at > this.stats.now) this.stats.now = next.at;
    if (work.kind !== 'timer' || work.timer.cancelled) return;
    this.command = undefined;
    this.timer = work.timer;
    this.ctx.begin(p, due);
    fireTimer(this.ctx, work.timer);
    this.ctx.end();
    // A node back, or launched while every other was down, takes the sessions that waited.
    placeWaiting(this.world.cluster!);
  }

  /**
   * Runs a partition's next item — the next command of its plan, or of its queue (the timers it skips included): the
   * step's facts are in the context, the command in `command`; a refusal is in `refusal`.
   */
  private runPartition(p: Partition, order: number): Outcome {
    for (;;) {
      const plan = p.plan;
      const planAt = plan !== undefined && p.cursor < plan.length ? plan.at(p.cursor) : Infinity;
      const head = p.queue.peek();
      if (planAt !== Infinity && (head === undefined || planAt <= head.at)) {
        if (planAt > p.clock) p.clock = planAt;
        return this.runCommand(p, order, plan!.command(p.cursor++), undefined);
      }
      if (head === undefined || p.foreground === 0) return NOTHING;
      p.queue.pop();
      const work: Work = head.item;
      if (!(work.kind === 'timer' && work.timer.background)) p.foreground--;
      if (head.at > p.clock) p.clock = head.at;
      if (work.kind === 'command') return this.runCommand(p, order, work.command, work.origin);
      if (work.kind === 'decision' || work.timer.cancelled) continue;
      this.command = undefined;
      this.timer = work.timer;
      this.ctx.begin(p, order);
      fireTimer(this.ctx, work.timer);
      this.ctx.end();
      return RAN;
    }
  }

  private runCommand(p: Partition, order: number, command: Action, origin: unknown): Outcome {
    this.command = command;
    this.origin = origin;
    this.timer = undefined;
    this.ctx.begin(p, order);
    try {
      dispatch(this.ctx, command);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      // What the refused command did before its guard is undone: nothing of it is logged.
      this.ctx.clear();
      this.refusal = e;
      return REFUSED;
    }
    this.ctx.end();
    return RAN;
  }

  /** The earliest live session runs its next step, then is due again later, or is over. */
  private runSession(): void {
    const entry = this.live.peek()!;
    const p = entry.item;
    const dueAt = entry.at;
    const outcome = this.runPartition(p, dueAt);
    if (outcome === REFUSED) {
      const type = this.command!.type;
      this.stats.skipped.set(type, (this.stats.skipped.get(type) ?? 0) + 1);
    }
    const stepAt = this.ctx.segments[0]!;
    if (outcome === RAN && stepAt > this.stats.now) this.stats.now = stepAt;
    // A server stop or media server loss ends every session of the partition: whatever it still planned is moot.
    const type = outcome === RAN ? this.command?.type : undefined;
    const ended = type === 'stopServer' || type === 'mediaServerCrash';
    const due = ended ? undefined : nextDue(p);
    if (due !== undefined) {
      this.live.rescheduleTop(due, p.index);
      return;
    }
    this.live.pop();
    if (!ended) this.closeIdle(p, dueAt);
    this.end(p);
  }

  /**
   * Left with sessions and nothing pending (a recording's countdown cut short by a media server restart): the
   * application closes them by REST, as apps do with idle sessions, so every session ends.
   */
  private closeIdle(p: Partition, order: number): void {
    if (p.sessions.size === 0) return;
    for (const s of [...p.sessions.values()]) {
      this.stats.closedIdle++;
      this.ctx.cascade(p, order);
      dispatch(this.ctx, closeCommand(s.handle));
    }
    this.ctx.end();
  }

  /** A partition is over: dropped, and planned on no node any more. */
  private end(p: Partition): void {
    this.stats.live--;
    const cluster = this.world.cluster;
    if (cluster !== undefined) unplanPartition(cluster, p);
  }

  private arrive(at: number): void {
    const i = this.index++;
    this.stats.arrived++;
    if (at > this.stats.now) this.stats.now = at;
    this.nextArrival = this.traffic.arrivals.next();
    if (at < this.downUntil) {
      this.stats.lostToServerStop++;
      return;
    }
    const cluster = this.world.cluster;
    if (cluster !== undefined && runningNodes(cluster).length === 0) {
      // No node of the cluster is running (all crashed): OpenVidu has nowhere to put the session.
      this.stats.lostNoMediaNode++;
      return;
    }
    if (i % this.shard.count !== this.shard.index) return;
    const p = createPartition(i, `${this.seed}/session/${i}`, at, false, this.livekit);
    if (cluster !== undefined) planPartition(cluster, p);
    p.plan = this.traffic.plan(i, at);
    const stats = this.stats;
    stats.planned++;
    stats.live++;
    if (stats.live > stats.peakLive) stats.peakLive = stats.live;
    this.live.push(nextDue(p) ?? at, p, i);
  }

  private fault(fault: PlannedFault): void {
    const type = fault.action.type;
    this.nextFault = this.traffic.faults.next();
    if (fault.at > this.stats.now) this.stats.now = fault.at;
    this.stats.faults.set(type, (this.stats.faults.get(type) ?? 0) + 1);
    if (this.world.cluster !== undefined && type === 'mediaServerCrash') return this.crashNode(fault.at);
    // Every live session receives it at the same instant.
    const all: Partition[] = [];
    for (let e = this.live.pop(); e; e = this.live.pop()) all.push(e.item);
    all.sort((a, b) => a.index - b.index);
    for (const p of all) {
      schedule(p, fault.at, { kind: 'command', command: fault.action, origin: GLOBAL });
      this.live.push(nextDue(p) ?? fault.at, p, p.index);
    }
    if (type === 'stopServer') this.downUntil = fault.at + this.traffic.restartAfterMs;
  }

  /**
   * Pro: one running node crashes; only its sessions go (each closed in its partition, which is then over), and later
   * sessions are placed on the others.
   */
  private crashNode(at: number): void {
    const cluster = this.world.cluster!;
    const hosts = runningNodes(cluster);
    if (hosts.length === 0) return;
    const node = hosts[this.crashPicks.int(0, hosts.length - 1)]!;
    const p = cluster.partition;
    this.command = { type: 'mediaServerCrash', args: { node: node.handle } };
    this.origin = GLOBAL;
    const later = p.clock;
    p.clock = at;
    this.ctx.begin(p, at);
    crashNodeNow(this.ctx, cluster, node, this.crashesRecover, this.recoverAfterMs);
    this.ctx.end();
    if (p.clock < later) p.clock = later;
    const segments = this.ctx.segments;
    const crashed = new Set<number>();
    for (let i = 0; i < this.ctx.segmentsLength; i += SEGMENT_FIELDS) {
      const source = segments[i + 2]!;
      if (source >= 0) crashed.add(source);
      if (segments[i]! > this.stats.now) this.stats.now = segments[i]!;
    }
    if (crashed.size === 0) return;
    const kept: Array<{ at: number; p: Partition }> = [];
    for (let e = this.live.pop(); e; e = this.live.pop()) {
      if (crashed.has(e.item.index)) this.end(e.item);
      else kept.push({ at: e.at, p: e.item });
    }
    for (const k of kept) this.live.push(k.at, k.p, k.p.index);
  }

  /** The last step's non-empty segments into `segments` (a shard other than 0 leaves the cluster's to shard 0). */
  private collect(): boolean {
    const out = this.segments;
    const src = this.ctx.segments;
    let n = 0;
    let start = 0;
    for (let i = 0; i < this.ctx.segmentsLength; i += SEGMENT_FIELDS) {
      const end = src[i + 3]!;
      const source = src[i + 2]!;
      if (end > start && !(source === CLUSTER_PARTITION && this.shard.index !== 0)) {
        out[n] = src[i]!;
        out[n + 1] = src[i + 1]!;
        out[n + 2] = source;
        out[n + 3] = start;
        out[n + 4] = end;
        n += OUTPUT_FIELDS;
      }
      start = end;
    }
    this.segmentsLength = n;
    return n > 0;
  }
}

/** A problem with a field of the scenario; the caller that knows the file locates it. */
function scenarioProblem(path: string, message: string): ScenarioError {
  return new ScenarioError([{ location: undefined, path, message }]);
}

function closeCommand(session: string): Action {
  return { type: 'closeSession', args: { session } };
}

/** The world of a generated run: its settings, and the Pro cluster in a partition of its own. */
function newWorld(o: EngineOptions, seed: string): World {
  const edition = o.edition ?? 'ce';
  const prefix = o.mediaNodePrefix ?? 'media_';
  const world: World = {
    settings: {
      seed,
      start: o.start,
      autostopMs: (o.recordingAutostopTimeout ?? 120) * 1000,
      geoLocation: o.geoLocation ?? edition !== 'ce',
      edition,
      // One media server for every session (the partitions are many, the simulated server is one).
      mediaNodeId: (o.mediaNodeId ?? ids.newMediaNodeId(new Rng(seed).fork('nodes'), prefix)) as MediaNodeId,
      modernNodeIds: prefix === 'media_',
      rememberClosedHandles: false,
      livekit: o.livekit && livekitSettings(o.livekit, seed),
      // Generated sessions are joined by plan: nothing for a garbage collector of never-joined sessions.
      ...behaviourSettings({ ...o, sessionsGarbageInterval: 0 }),
    },
    cluster: undefined,
    masterNodes: edition === 'enterprise' ? new Map() : undefined,
  };
  if (edition !== 'ce') {
    const clusterSeed = `${seed}/cluster`;
    const p = createPartition(CLUSTER_PARTITION, clusterSeed, o.start, false);
    world.cluster = createCluster(p, new Rng(clusterSeed).fork('cluster'), clusterConfig(o.cluster));
  }
  return world;
}
