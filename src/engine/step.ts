/**
 * The step context: the only way machines and cascades act. A step runs one unit of work (a command, a timer) of one
 * partition; through the context it reads the partition's clock, stamps events as OpenVidu's clock moves between
 * them, emits facts, sets timers (as data, into the partition's queue) and refuses (throwing a Refusal with a reason
 * code — never an HTTP status). What the step emitted is `facts`, in `segments` by partition: a cascade that reaches
 * other partitions (a media node crash closing the sessions of a generated run) switches partition with `within`.
 */
import { withoutStack } from '../errors.js';
import type { Fact } from '../model/facts.js';
import type { RefusalReason } from '../model/refusals.js';
import type { Partition, TimerRecord } from './records.js';
import { Refusal } from './refusal.js';
import { schedule, type World } from './world.js';

/** How `within` sets the clock of the partition it enters. */
export type EnterClock =
  /** The partition's clock moves on to `at` if it is behind (a session reached by a crash at `at`). */
  | 'catch-up'
  /**
   * The step is stamped at `at` exactly, even if the partition's clock is already later; the clock is then left at
   * the later of the two (a generated run's cluster, driven by sessions that run apart, each ahead by its cascade).
   */
  | 'exact';

/** Numbers per segment in `segments`: at (virtual time it began), order (merge key), source (partition), end. */
export const SEGMENT_FIELDS = 4;

export class Step {
  readonly world: World;
  /** The partition acted in. */
  partition!: Partition;
  /**
   * The facts of the step, in order: the first `factCount` (the arrays are reused from step to step, never shrunk:
   * emptying an array drops its storage, and a run has millions of steps).
   */
  readonly facts: Fact[] = [];
  factCount = 0;
  /**
   * Per segment (a run of facts of one partition), SEGMENT_FIELDS numbers: the virtual time it began, its merge order
   * (when its work was due), its source (the partition's index) and the end of its facts in `facts`; the first
   * `segmentsLength` numbers.
   */
  readonly segments: number[] = [];
  segmentsLength = 0;
  /** The refusal that ended the step, if any. */
  refusal: Refusal | undefined;
  private first = true;
  private order = 0;

  constructor(world: World) {
    this.world = world;
  }

  /** Starts a step in `p` (its clock already at the work's instant); `order` is when the work was due. */
  begin(p: Partition, order: number): void {
    this.partition = p;
    this.factCount = 0;
    this.segmentsLength = 0;
    this.refusal = undefined;
    this.first = true;
    this.order = order;
    this.pushSegment(p.clock, order, p.index);
  }

  /** Forgets what the step emitted (a refused command). */
  clear(): void {
    this.factCount = 0;
    this.segmentsLength = 0;
  }

  /** The facts of the step (a copy). */
  emitted(): Fact[] {
    return this.facts.slice(0, this.factCount);
  }

  /** Starts a further cascade in the step, in `p` (a new segment; the first event of a cascade reads the clock). */
  cascade(p: Partition, order: number): void {
    if (this.segmentsLength === 0) this.begin(p, order);
    else this.switchTo(p, order, true);
  }

  /** Closes the step's last segment. */
  end(): void {
    this.segments[this.segmentsLength - 1] = this.factCount;
  }

  /** Current virtual time of the partition acted in. */
  get now(): number {
    return this.partition.clock;
  }

  /** The timestamp of the next event: OpenVidu reads the clock per event, a millisecond or two apart. */
  stamp(): number {
    const p = this.partition;
    if (!this.first) p.clock += p.rng.timing.int(0, 1);
    this.first = false;
    return p.clock;
  }

  /** Moves the clock forward inside a cascade (work that takes time: negotiation, a container stopping). */
  elapse(ms: number): void {
    this.partition.clock += ms;
  }

  emit(fact: Fact): void {
    this.facts[this.factCount++] = fact;
  }

  /** Schedules `timer` `delayMs` from now, in the partition acted in. */
  setTimer<T extends TimerRecord>(delayMs: number, timer: T): T {
    schedule(this.partition, this.partition.clock + delayMs, { kind: 'timer', timer });
    return timer;
  }

  /** Refuses the command: nothing it would have done happens (guards run before any change). */
  refuse(reason: RefusalReason, message: string): never {
    throw withoutStack(() => new Refusal(reason, message));
  }

  /**
   * Runs `act` in partition `p` — its clock, its random streams, its timers — as a segment of its own (merge order
   * `order`, by default the current one), then comes back. Inside one partition (scripted runs) it just runs `act`,
   * unless `fresh`: a new cascade of the same partition, its clock set as `clock` says.
   */
  within(
    p: Partition,
    at: number,
    clock: EnterClock,
    act: () => void,
    order = this.order,
    fresh = false,
  ): void {
    if (p === this.partition && !fresh) {
      act();
      return;
    }
    const back = this.partition;
    const backFirst = this.first;
    const backOrder = this.order;
    const later = p.clock;
    if (clock === 'exact' || p.clock < at) p.clock = at;
    this.switchTo(p, order, true);
    try {
      act();
    } finally {
      if (clock === 'exact' && p.clock < later) p.clock = later;
      this.switchTo(back, backOrder, backFirst);
    }
  }

  private switchTo(p: Partition, order: number, first: boolean): void {
    this.end();
    this.partition = p;
    this.first = first;
    this.order = order;
    this.pushSegment(p.clock, order, p.index);
  }

  private pushSegment(at: number, order: number, source: number): void {
    const s = this.segments;
    const n = this.segmentsLength;
    s[n] = at;
    s[n + 1] = order;
    s[n + 2] = source;
    s[n + 3] = this.factCount;
    this.segmentsLength = n + SEGMENT_FIELDS;
  }
}
