/**
 * Sender-side chaos (`--chaos`) and the delivery journal (`--journal`), between the engine's events and a WebHook
 * sender (OpenVidu's FIFO sender for `run`, load delivery for `load`).
 *
 * Each event offered, in run order, is planned by chaos-plan.ts: dropped, or sent as one or more copies, each due at
 * a planned instant (the event's own instant, or the close of its reorder window, plus its delays; a stall pushes
 * what falls within it to its end). Copies are handed to the sender in the order of their planned instants, ties in
 * plan order. The planned instants are on a clock the caller gives with each offer: virtual time for `run` and a paced
 * `load` (then `scale` maps it to the wall clock: 1/speed, and 0 at `--speed max`, where the clock only moves with the
 * offers — so the order of the hand-overs is the plan's, exactly, whatever the machine); the wall clock for a `load`
 * rate plan.
 *
 * A copy whose answer is not a success is sent again on the spec's retry schedule (`list`, `exp`) without holding the
 * others back; with the sender's own rule (`openvidu`, `sender`) the sender retries, and only a `noack` copy is sent
 * again, at once. Every injected fault, every request and every copy that never went out is journaled; nothing is
 * injected without a trace (docs/chaos.md).
 */
import { createHash } from 'node:crypto';
import { CATALOGUE, type CdrEvent, type EventName, type EventSpec } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';
import { ChaosPlanner, type CopyPlan, type EventPlan } from './chaos-plan.js';
import { retriesScheduled, retryDelayMs, type ChaosSpec } from './chaos-spec.js';
import type { AttemptReport, DeliveryFate, DeliveryTag } from './delivery-tag.js';
import { DueHeap } from './due-heap.js';
import type { JournalFile } from './journal-file.js';
import type { FaultKind, JournalEnd, JournalEventRef, JournalFault } from './journal-schema.js';

export interface ChaosStageOptions {
  readonly spec: ChaosSpec;
  /** The run's seed: the plan's streams are named after it. */
  readonly seed: string;
  readonly profile: Profile;
  /** OPENVIDU_WEBHOOK_EVENTS: other events are not offered to the plan. */
  readonly events: ReadonlySet<EventName>;
  /** Hands a copy to the sender; a promise asks the producer to wait. */
  readonly send: (event: CdrEvent, tag: DeliveryTag, intendedAt: number) => void | Promise<void>;
  /** Wall ms per clock ms; 0: the clock moves only with the offers (speed max). */
  readonly scale: number;
  readonly journal?: JournalFile | undefined;
  /** Wall clock, ms; default performance.now. */
  readonly now?: () => number;
}

/** What the stage did, in events and copies. */
export interface ChaosReport {
  /** Events offered to the plan (after OPENVIDU_WEBHOOK_EVENTS). */
  readonly events: number;
  readonly filtered: number;
  readonly dropped: number;
  /** Copies planned: one per event not dropped, plus duplicates. */
  readonly deliveries: number;
  readonly duplicates: number;
  readonly delayed: number;
  readonly reordered: number;
  readonly stalls: number;
  readonly noacks: number;
  /** Copies sent again by the stage (its retry schedule, or after an ignored answer). */
  readonly retries: number;
  /** Requests made. */
  readonly requests: number;
  /** Events (not dropped) the receiver accepted at least once. */
  readonly delivered: number;
  /** Events (not dropped) never accepted: failed or never sent. */
  readonly undelivered: number;
  /** Copies that never went out (the run stopped first). */
  readonly unsent: number;
}

interface Offered {
  readonly seq: number;
  readonly event: CdrEvent;
  readonly ref: JournalEventRef | undefined;
  readonly at: number;
  readonly wall: number;
  readonly plan: EventPlan;
  /** Copies not yet done. */
  open: number;
  accepted: boolean;
}

interface Pending {
  readonly due: number;
  readonly order: number;
  readonly wallDue: number;
  readonly copy: Copy;
}

class Copy implements DeliveryTag {
  /** Requests made. */
  attempts = 0;
  /** Hand-overs to the sender. */
  handovers = 0;
  /** Wall ms the current hand-over was due. */
  intendedAt = 0;
  lastEnd = 0;
  /** A success was ignored (noack): the copy is to be sent again. */
  ignored = false;
  done = false;

  constructor(
    private readonly stage: ChaosStage,
    readonly offered: Offered,
    readonly plan: CopyPlan,
    readonly messageId: string,
  ) {}

  attempted(a: AttemptReport): void {
    this.stage.attempted(this, a);
  }

  settled(fate: DeliveryFate, reason: string): boolean {
    return this.stage.settled(this, fate, reason);
  }
}

type Counts = { -readonly [K in keyof ChaosReport]: number };

export class ChaosStage {
  private readonly o: ChaosStageOptions;
  private readonly planner: ChaosPlanner;
  private readonly journal: JournalFile | undefined;
  private readonly now: () => number;
  private readonly heap = new DueHeap<Pending>();
  private readonly faults = new Map<FaultKind, number>();
  private readonly counts: Counts = {
    events: 0,
    filtered: 0,
    dropped: 0,
    deliveries: 0,
    duplicates: 0,
    delayed: 0,
    reordered: 0,
    stalls: 0,
    noacks: 0,
    retries: 0,
    requests: 0,
    delivered: 0,
    undelivered: 0,
    unsent: 0,
  };
  private window: Offered[] = [];
  private windows = 0;
  private order = 0;
  private clock = Number.NEGATIVE_INFINITY;
  private anchorAt = 0;
  private anchorWall = 0;
  private stallUntil = Number.NEGATIVE_INFINITY;
  private copiesOpen = 0;
  private ended = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(options: ChaosStageOptions) {
    this.o = options;
    this.planner = new ChaosPlanner(options.spec, options.seed);
    this.journal = options.journal;
    this.now = options.now ?? (() => performance.now());
  }

  /** Copies held (planned, not yet handed to the sender), window included. */
  get held(): number {
    return this.heap.size + this.window.length;
  }

  report(): ChaosReport {
    return { ...this.counts };
  }

  /**
   * Offers the next event of the run: `at` is its instant on the plan's clock, `wall` the wall time (performance.now
   * ms) it is due. Returns a promise when the sender asks the producer to wait.
   */
  offer(event: CdrEvent, at: number, wall: number): void | Promise<void> {
    if (!this.o.events.has(event.name) || (CATALOGUE[event.name] as EventSpec).companionOf) {
      this.counts.filtered++;
      return;
    }
    this.anchorAt = at;
    this.anchorWall = wall;
    if (at > this.clock) this.clock = at;
    // What was due by this instant goes first: a stall starting now does not hold it back.
    const before = this.release(this.clockNow());
    const seq = this.counts.events++;
    const plan = this.planner.next();
    const o: Offered = { seq, event, ref: this.refOf(seq, event), at, wall, plan, open: 0, accepted: false };
    if (plan.stallMs > 0) this.startStall(o, at + plan.stallMs);
    if (plan.drop) {
      this.counts.dropped++;
      this.fault('drop', o, {});
    } else if (this.o.spec.reorder > 1) {
      this.window.push(o);
      if (this.window.length >= this.o.spec.reorder) this.closeWindow();
    } else {
      this.schedule(o, at, wall);
    }
    const after = this.release(this.clockNow());
    this.arm();
    return after ?? before;
  }

  /** No more events: the last window closes; resolves once every copy is done (retries included). */
  async finish(): Promise<void> {
    this.ended = true;
    if (this.window.length > 0) this.closeWindow();
    const pending = this.release(this.clockNow());
    this.arm();
    await pending;
    await this.idle();
  }

  /** Gives up what is still held `ms` from now (a sooner deadline replaces a later one). */
  limitDrain(ms: number): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => this.giveUp('unsent: shut down'), Math.max(0, ms));
  }

  /** Gives up everything held at once; no copy is sent again. */
  abort(): void {
    this.giveUp('unsent: shut down');
  }

  /** Resolves when every copy is done. */
  idle(): Promise<void> {
    if (this.copiesOpen === 0 && this.window.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes the journal's `end` record and closes it. */
  close(end: JournalEnd['end']): void {
    clearTimeout(this.timer);
    clearTimeout(this.drainTimer);
    if (!this.journal) return;
    const c = this.counts;
    this.journal.write({
      kind: 'end',
      end,
      events: c.events,
      filtered: c.filtered,
      dropped: c.dropped,
      deliveries: c.deliveries,
      requests: c.requests,
      delivered: c.delivered,
      undelivered: c.undelivered,
      unsent: c.unsent,
      faults: Object.fromEntries(this.faults),
      endedAt: new Date().toISOString(),
    });
    this.journal.close();
  }

  /** Called by a copy after each request. */
  attempted(copy: Copy, a: AttemptReport): void {
    copy.attempts++;
    this.counts.requests++;
    const intended = a.n === 1 ? copy.intendedAt : copy.lastEnd;
    copy.lastEnd = a.startedAt + a.ms;
    let result: 'delivered' | 'ignored' | 'retry' | 'failed';
    if (a.accepted) {
      copy.offered.accepted = true;
      copy.ignored = copy.plan.noack && copy.attempts === 1;
      result = copy.ignored ? 'ignored' : 'delivered';
    } else {
      result = !a.last || this.resendDelay(copy) !== undefined ? 'retry' : 'failed';
    }
    this.journal?.write({
      kind: 'attempt',
      event: copy.offered.ref as JournalEventRef,
      copy: copy.plan.copy,
      attempt: copy.attempts,
      intendedAt: iso(intended),
      sentAt: iso(a.startedAt),
      ms: Math.round(a.ms * 1000) / 1000,
      response: a.outcome.kind === 'status' ? { status: a.outcome.status } : { error: a.outcome.failure },
      result,
    });
  }

  /** Called by a copy when a hand-over ends; false when the copy is to be sent again. */
  settled(copy: Copy, fate: DeliveryFate, reason: string): boolean {
    if (fate === 'unsent') {
      this.unsent(copy, reason);
      return true;
    }
    if (fate === 'filtered' || (fate === 'delivered' && !copy.ignored)) {
      this.done(copy);
      return true;
    }
    const delay = this.resendDelay(copy);
    copy.ignored = false;
    if (delay === undefined) {
      this.done(copy);
      return true;
    }
    this.counts.retries++;
    this.fault('retry', copy.offered, {
      copy: copy.plan.copy,
      delayMs: delay,
      attempt: copy.attempts + 1,
      after: reason,
    });
    // Not from within the sender's own settling: the copy goes back through the plan's clock.
    queueMicrotask(() => {
      this.push(copy, this.clockNow() + delay, this.now() + delay * this.o.scale);
      void this.release(this.clockNow());
      this.arm();
    });
    return false;
  }

  /** When the copy goes again after a hand-over that did not count; undefined: it does not. */
  private resendDelay(copy: Copy): number | undefined {
    if (this.stopping) return undefined;
    const retry = this.o.spec.retry;
    if (retriesScheduled(retry)) return retryDelayMs(retry, copy.handovers);
    // A read timeout after the receiver processed the body: OpenVidu's sender sends it again at once.
    return copy.ignored && retry.kind !== 'none' ? 0 : undefined;
  }

  private clockNow(): number {
    if (this.o.scale === 0) return this.ended ? Number.POSITIVE_INFINITY : this.clock;
    return Math.max(this.clock, this.anchorAt + (this.now() - this.anchorWall) / this.o.scale);
  }

  private refOf(seq: number, event: CdrEvent): JournalEventRef | undefined {
    if (!this.journal) return undefined;
    const d = event.data as Readonly<Record<string, unknown>>;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
    const body = this.o.profile.serializeWebhook(event) ?? '';
    return {
      seq,
      type: event.name,
      sessionId: str('sessionId'),
      uniqueSessionId: str('uniqueSessionId'),
      participantId: str('participantId'),
      recordingId: event.name === 'recordingStatusChanged' ? str('id') : null,
      timestamp: event.data.timestamp,
      digest: createHash('sha256').update(body).digest('hex').slice(0, 16),
    };
  }

  private closeWindow(): void {
    const w = this.window;
    this.window = [];
    const index = this.windows++;
    const last = w[w.length - 1] as Offered;
    this.planner.windowOrder(w.length).forEach((k, i) => {
      const o = w[k] as Offered;
      if (k !== i) {
        this.counts.reordered++;
        this.fault('reorder', o, { window: index, from: k, to: i });
      }
      this.schedule(o, last.at, last.wall);
    });
  }

  /** Plans the copies of an event released at `base` (clock) / `wallBase`. */
  private schedule(o: Offered, base: number, wallBase: number): void {
    for (const c of o.plan.copies) {
      let due = base + c.delayMs;
      const held = Math.max(0, this.stallUntil - due);
      due += held;
      const copy = new Copy(this, o, c, this.messageIdOf(o));
      o.open++;
      this.copiesOpen++;
      this.counts.deliveries++;
      const where = { copy: c.copy, delayMs: c.delayMs, due: o.event.data.timestamp + (due - o.at) };
      if (c.copy > 0) {
        this.counts.duplicates++;
        this.fault('duplicate', o, where);
      } else if (c.delayMs > 0) {
        this.counts.delayed++;
        this.fault('delay', o, where);
      }
      if (held > 0) this.fault('stalled', o, { ...where, delayMs: held });
      if (c.noack) {
        this.counts.noacks++;
        this.fault('noack', o, { copy: c.copy, attempt: 1 });
      }
      this.push(copy, due, wallBase + (due - base) * this.o.scale);
    }
  }

  private startStall(o: Offered, until: number): void {
    if (until <= this.stallUntil) return;
    this.stallUntil = until;
    this.counts.stalls++;
    this.fault('stall', o, { delayMs: until - o.at, due: o.event.data.timestamp + (until - o.at) });
    this.heap.rebuild((p) => {
      if (p.due >= until) return p;
      const c = p.copy;
      const held = until - p.due;
      this.fault('stalled', c.offered, {
        copy: c.plan.copy,
        delayMs: held,
        due: c.offered.event.data.timestamp + (until - c.offered.at),
      });
      return { ...p, due: until, wallDue: p.wallDue + held * this.o.scale };
    });
  }

  private push(copy: Copy, due: number, wallDue: number): void {
    // Past the drain deadline nothing more goes out: a copy planned now (a stop cascade) is never sent.
    if (this.stopping) return this.unsent(copy, 'unsent: shut down');
    this.heap.push({ due, order: this.order++, wallDue, copy });
  }

  /** Hands over every copy due by `upTo`, in plan order. */
  private release(upTo: number): Promise<void> | undefined {
    let pending: Promise<void> | undefined;
    for (let p = this.heap.peek(); p !== undefined && p.due <= upTo && !this.stopping; p = this.heap.peek()) {
      this.heap.pop();
      const copy = p.copy;
      copy.handovers++;
      copy.intendedAt = Math.min(p.wallDue, this.now());
      const r = this.o.send(copy.offered.event, copy, copy.intendedAt);
      if (r) pending = r;
    }
    return pending;
  }

  /** One timer for the next copy due on the wall clock (never at speed max). */
  private arm(): void {
    if (this.o.scale === 0 || this.stopping) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.heap.peek();
    if (!next) return;
    // Node fires at once any delay above 2^31−1 ms: long waits go in steps.
    const wait = Math.min(Math.max(0, next.wallDue - this.now()), 2_147_483_647);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (next.due > this.clock) this.clock = next.due;
      void this.release(this.clockNow());
      this.arm();
    }, wait);
  }

  private giveUp(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.window.length > 0) this.closeWindow();
    for (const p of this.heap.drain()) this.unsent(p.copy, reason);
    this.checkIdle();
  }

  private unsent(copy: Copy, reason: string): void {
    this.counts.unsent++;
    this.journal?.write({
      kind: 'unsent',
      event: copy.offered.ref as JournalEventRef,
      copy: copy.plan.copy,
      attempts: copy.attempts,
      reason,
    });
    this.done(copy);
  }

  private done(copy: Copy): void {
    if (copy.done) return;
    copy.done = true;
    this.copiesOpen--;
    const o = copy.offered;
    if (--o.open === 0) {
      if (o.accepted) this.counts.delivered++;
      else this.counts.undelivered++;
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.copiesOpen > 0 || this.window.length > 0) return;
    const list = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of list) resolve();
  }

  private fault(kind: FaultKind, o: Offered, extra: Omit<JournalFault, 'kind' | 'fault' | 'event'>): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
    if (!o.ref) return;
    this.journal?.write({ kind: 'fault', fault: kind, event: o.ref, ...extra });
  }

  /** The same id for every copy and retry of an event: a receiver can tell a repeat by it (Standard Webhooks). */
  private messageIdOf(o: Offered): string {
    const h = createHash('sha256').update(`${this.o.seed}/chaos/${o.seq}`).digest('hex');
    return `msg_${h.slice(0, 24)}`;
  }
}

function iso(perfMs: number): string {
  return new Date(performance.timeOrigin + perfMs).toISOString();
}
