/**
 * Load mode (`ovsim load`, `ovsim run --delivery load`): lifelike events from replicas of a scenario, POSTed
 * concurrently at a planned rate, with honest latency and failure figures.
 *
 * Two ways to pace:
 * - a rate plan (`--rate`, `--stages`, `--duration`): event i is due when the plan says, on the wall clock,
 *   whatever happened to earlier events (open model); virtual timestamps in the bodies keep the scenario's own pace;
 * - no rate: the replicas play on virtual time at `--speed` (realtime, a factor, or max = as fast as delivery goes),
 *   each event due at its batch's wall time.
 * Latency is measured from the due time to the answer (no coordinated omission).
 *
 * How a test ends:
 * - the plan is over: as k6's gracefulStop, no new replica starts and the live ones play on to their end (at the plan's
 *   peak rate) for at most `gracefulStopMs`; then every session still open is closed as a server stop closes it
 *   (`openviduServerStopped`), and the backlog drains;
 * - `shutdown(drainMs)` (a signal): production stops at once, the servers are stopped the same way, and the backlog
 *   drains for at most `drainMs` from that moment, whatever phase the test was in;
 * - `abort()` (a second signal): everything not delivered is given up at once (counted, dead-lettered);
 * - a sink fails (the dead-letter file cannot be written): the test stops at once, `end: 'failed'`, the failure named.
 */
import type { OvsimError } from '../errors.js';
import { batchHasOutput, type Batch } from '../engine/engine.js';
import type { CdrEvent } from '../model/catalogue.js';
import { isLivekitBased } from '../model/servers.js';
import { simulateScenario } from '../scenario/simulate-scenario.js';
import { foldingBatches } from '../truth/engine-facts.js';
import { truthFactsFor } from '../truth/livekit-facts.js';
import { ArrivalSchedule, type Rate } from './load-plan.js';
import { itemCounter, openLoadWire, type LoadWire } from './load-wire.js';
import { iteratorSource, Pacer, type BatchSource } from './pacing.js';
import { ReplicaStream } from './replicas.js';
import type {
  GracefulStopReport,
  LoadHandle,
  LoadOptions,
  LoadProgressSource,
  LoadResult,
} from './load-types.js';

export type {
  GracefulStopReport,
  LoadHandle,
  LoadOptions,
  LoadProgressSource,
  LoadResult,
} from './load-types.js';

/**
 * Load mode's default `maxBacklog`: 20 ms of work at 50 000 requests/s, topped up every millisecond — enough to keep
 * every connection busy, small enough that the bodies waiting are still in the CPU caches when they are sent (in the
 * bench harness, 20 000 cost about 1.5 µs more CPU per request than 500–1 000, at the same rate).
 */
export const DEFAULT_MAX_BACKLOG = 1_000;
/** Load mode's default graceful stop, as k6's. */
export const DEFAULT_GRACEFUL_STOP_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A sleep `wake()` ends early (a stop must not wait for the next planned arrival, which may be seconds away). */
function wakeableSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  let wakeUp: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        }
        wakeUp = done;
      }),
    wake: () => wakeUp?.(),
  };
}
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Requests per session of one replica (dry run): what the server sends for it, after the event filter. */
function eventsPerSession(o: LoadOptions): number {
  const count = itemCounter(o);
  let events = 0;
  let sessions = 0;
  for (const b of simulateScenario(o.scenario, o.settings)) {
    events += count(b);
    for (const e of b.events) if (e.name === 'sessionCreated') sessions++;
  }
  return sessions === 0 ? events : events / sessions;
}

/** Sessions as the submitted events tell them: created, destroyed, and the active ones still open. */
class SessionLedger {
  created = 0;
  destroyed = 0;
  private readonly active = new Set<string>();

  /** Notes a batch's engine events (whatever the wire makes of them) as production takes it. */
  note(events: readonly CdrEvent[]): void {
    for (const e of events) {
      const name = e.name;
      if (name === 'sessionCreated') this.created++;
      else if (name === 'participantJoined') this.active.add(e.data.sessionId ?? '');
      else if (name === 'sessionDestroyed') {
        this.destroyed++;
        this.active.delete(e.data.sessionId ?? '');
      }
    }
  }

  get activeOpen(): number {
    return this.active.size;
  }
}

/** @throws OvsimError BAD_INPUT when the dead-letter file or the secret cannot be used */
export function startLoad(o: LoadOptions): LoadHandle {
  return new LoadRun(o);
}

class LoadRun implements LoadHandle {
  readonly startedAt: number;
  readonly done: Promise<LoadResult>;
  private readonly o: LoadOptions;
  private readonly planned: boolean;
  private readonly wire: LoadWire<unknown>;
  /** The truth's adapter, one for the whole test (LiveKit's keeps the rooms it rendered). */
  private readonly truthFacts: ReturnType<typeof truthFactsFor>;
  private readonly stream: ReplicaStream;
  private readonly batches: Iterable<Batch>;
  private readonly perSession: number;
  private readonly nap = wakeableSleep();
  private readonly ledger = new SessionLedger();
  private readonly maxBacklog: number;
  private endKind: LoadResult['end'] = 'completed';
  private failure: OvsimError | undefined;
  private stopped = false;
  /** Events the replicas produced but production had not submitted when it stopped (plan mode, mid-batch). */
  private leftover: readonly unknown[] = [];
  /** The pacer and its source (pacing mode): the source reads one batch ahead. */
  private pacer: Pacer | undefined;
  private source: BatchSource | undefined;
  /** When the plan (or the shutdown) ended production of planned events. */
  private producedUntil: number | undefined;
  private stopEvents = 0;
  private graceEvents = 0;
  private grace: GracefulStopReport | undefined;

  constructor(o: LoadOptions) {
    this.o = o;
    this.planned = o.rate !== undefined || (o.stages !== undefined && o.stages.length > 0);
    this.wire = openLoadWire(o, this.planned, (f) => this.fail(f));
    this.truthFacts = truthFactsFor(o.settings.server);
    this.perSession = eventsPerSession(o);
    const endless = o.durationMs !== undefined || (o.stages !== undefined && o.stages.length > 0);
    this.stream = new ReplicaStream(o.scenario, o.settings, {
      replicas: o.replicas ?? (endless ? Infinity : 1),
      lanes: o.lanes ?? Math.max(1, o.connections ?? 50),
    });
    this.batches = o.truth ? foldingBatches(this.stream, o.truth, this.truthFacts) : this.stream;
    this.maxBacklog = o.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    this.startedAt = performance.now();
    const production = this.planned ? this.produceByPlan() : this.produceByPacing();
    this.done = production.then(
      () => this.finish(),
      async (e: unknown) => {
        await this.wire.abort();
        this.wire.close('failed');
        throw e;
      },
    );
  }

  get delivery(): LoadProgressSource {
    return this.wire.progress;
  }

  shutdown(drainMs: number): Promise<LoadResult> {
    if (this.endKind === 'completed') this.endKind = 'shutdown';
    this.stop();
    this.wire.limitDrain(drainMs);
    return this.done;
  }

  async abort(): Promise<LoadResult> {
    if (this.endKind !== 'failed') this.endKind = 'aborted';
    this.stop();
    await this.wire.abort();
    return this.done;
  }

  /** A sink failed: stop at once (what cannot be recorded must not be risked further). */
  fail(failure: OvsimError): void {
    if (this.failure) return;
    this.failure = failure;
    this.endKind = 'failed';
    this.stop();
    void this.wire.abort();
  }

  private stop(): void {
    this.stopped = true;
    this.pacer?.stop();
    this.nap.wake();
  }

  /** A batch's items, the batch noted in the session ledger. */
  private itemsOf(batch: Batch): readonly unknown[] {
    this.ledger.note(batch.events);
    return this.wire.items(batch);
  }

  /** Submits an item due at `due` (wall); `at` is its instant on the chaos plan's clock (virtual when paced). */
  private submit(item: unknown, due: number, at = due): void {
    this.wire.submit(item, due, at);
  }

  /** Items not yet settled: in the sender, and held by the chaos plan. */
  private get backlog(): number {
    return this.wire.backlog;
  }

  private toEvents(r: Rate): number {
    return r.unit === 'sessions' ? r.perSecond * this.perSession : r.perSecond;
  }

  /** Waits while the backlog is full — a memory bound only: the due times stay the plan's, so it shows as latency. */
  private async roomInBacklog(): Promise<void> {
    for (let n = 0; this.backlog >= this.maxBacklog && !this.stopped && n < 1e7; n++) await sleep(1);
  }

  private async produceByPlan(): Promise<void> {
    const o = this.o;
    const stages = (o.stages ?? []).map((s) => ({
      durationMs: s.durationMs,
      perSecond: this.toEvents(s.rate),
    }));
    const start = o.rate ? this.toEvents(o.rate) : 0;
    const schedule = new ArrivalSchedule(start, stages, o.durationMs);
    const peak = Math.max(start, ...stages.map((s) => s.perSecond));
    let i = 0;
    let grace: { start: number; end: number; spacing: number; n: number } | undefined;
    for (const batch of this.batches) {
      const items = this.itemsOf(batch);
      for (let j = 0; j < items.length; j++) {
        const item = items[j];
        let due: number;
        if (grace === undefined) {
          const offset = this.stopped ? undefined : schedule.timeOf(i);
          if (offset === undefined) {
            grace = this.stopped ? undefined : this.beginGrace(peak);
            if (grace === undefined) {
              this.leftover = items.slice(j);
              return;
            }
          }
          due = grace ? grace.start : this.startedAt + offset!;
        } else {
          due = grace.start + grace.n * grace.spacing;
        }
        if (this.stopped || (grace !== undefined && due > grace.end)) {
          this.leftover = items.slice(j);
          return;
        }
        const wait = due - performance.now();
        if (wait > 1) await this.nap.sleep(wait);
        else if ((i + this.graceEvents) % 256 === 255) await tick();
        if (this.backlog >= this.maxBacklog) await this.roomInBacklog();
        if (this.stopped) {
          this.leftover = items.slice(j);
          return;
        }
        this.submit(item, due);
        if (grace) {
          grace.n++;
          this.graceEvents++;
        } else i++;
      }
    }
  }

  /**
   * The plan is over: the replicas still live may play on, paced at the plan's peak rate, until `gracefulStopMs` has
   * passed (undefined: nothing to wait for, stop them now).
   */
  private beginGrace(
    peakPerSecond: number,
  ): { start: number; end: number; spacing: number; n: number } | undefined {
    const now = performance.now();
    this.producedUntil = now;
    const graceMs = this.o.gracefulStopMs ?? DEFAULT_GRACEFUL_STOP_MS;
    const open = this.ledger.activeOpen;
    this.grace = { graceMs, openAtPlanEnd: open, started: 0, finished: 0, stopped: 0, events: 0 };
    this.graceDestroyedBefore = this.ledger.destroyed;
    this.graceCreatedBefore = this.ledger.created;
    if (graceMs <= 0 || open === 0 || !(peakPerSecond > 0)) return undefined;
    this.stream.finishLive();
    return { start: now, end: now + graceMs, spacing: 1000 / peakPerSecond, n: 0 };
  }

  /** Sessions destroyed, and created, when the plan ended. */
  private graceDestroyedBefore = 0;
  private graceCreatedBefore = 0;

  private async produceByPacing(): Promise<void> {
    // The engine's notion of output: a LiveKit-based server's batches may carry facts only, and still send events.
    const livekit = isLivekitBased(this.o.settings.server.kind);
    this.source = iteratorSource(this.batches[Symbol.iterator](), (b) => batchHasOutput(b, livekit));
    this.pacer = new Pacer({
      source: this.source,
      speed: this.o.speed ?? 'max',
      onBatch: async (batch, timing) => {
        for (const item of this.itemsOf(batch)) this.submit(item, timing.dueWall, batch.at);
        if (this.backlog >= this.maxBacklog) await this.roomInBacklog();
      },
    });
    await this.pacer.start();
  }

  /**
   * The end of production, however it came: sessions still open are closed as OpenVidu's stop closes them — what the
   * replicas already produced is submitted first (it happened; dropping it would leave a `sessionDestroyed` without
   * its `sessionCreated`), then each live server's `stopServer` cascade, all due now — unless the test was aborted or
   * failed. Then the backlog drains (within a deadline once `shutdown` set one).
   */
  private async finish(): Promise<LoadResult> {
    this.producedUntil ??= performance.now();
    if (this.endKind !== 'aborted' && this.endKind !== 'failed') this.closeLeftOpen();
    await this.wire.finish();
    this.wire.close(this.endKind);
    return this.result();
  }

  private closeLeftOpen(): void {
    const now = performance.now();
    let submitted = 0;
    const submit = (items: readonly unknown[], at: number) => {
      for (const item of items) {
        this.submit(item, now, this.planned ? now : at);
        submitted++;
      }
    };
    submit(this.leftover, now);
    this.leftover = [];
    this.stream.halt();
    // Bounded: the stream is halted, so the source holds at most the one batch it read ahead.
    for (let b = this.source?.take(), n = 0; b !== undefined && n < 2; b = this.source?.take(), n++)
      submit(this.itemsOf(b), b.at);
    let stopped = 0;
    for (const b of this.stream.stopServers()) {
      // Never yielded by the stream (produced ahead, or the stop cascades): folded into the truth here.
      if (this.o.truth) for (const fact of this.truthFacts(b)) this.o.truth.add(fact);
      submit(this.itemsOf(b), b.at);
      // The stop's own closures: the batches the replicas had produced before it close sessions their own way.
      for (const e of b.events) {
        if (
          e.name === 'sessionDestroyed' &&
          (e.data as { reason?: string }).reason === 'openviduServerStopped'
        )
          stopped++;
      }
    }
    this.stopEvents = submitted;
    if (this.grace) {
      this.grace = {
        ...this.grace,
        started: this.ledger.created - this.graceCreatedBefore,
        finished:
          this.ledger.destroyed - stopped - (this.graceDestroyedBefore ?? this.ledger.destroyed - stopped),
        stopped,
        events: this.graceEvents,
      };
    }
  }

  private result(): LoadResult {
    const r = this.wire.report();
    const now = performance.now();
    const wallMs = Math.max(1, now - this.startedAt);
    const prodMs = Math.max(1, (this.producedUntil ?? now) - this.startedAt);
    const o = this.o;
    return {
      end: this.endKind,
      failure: this.failure?.message,
      delivery: r,
      wallMs,
      // Stop and grace events go out after the plan: they are not part of the planned rate.
      sentPerSecond: (Math.max(0, r.sent - this.stopEvents - this.graceEvents) / prodMs) * 1000,
      deliveredPerSecond: (r.delivered / wallMs) * 1000,
      targetEventsPerSecond:
        o.rate && (!o.stages || o.stages.length === 0) ? this.toEvents(o.rate) : undefined,
      eventsPerSession: this.perSession,
      deadLetterPath: this.wire.deadLetter?.path,
      deadLetterLost: this.wire.deadLetter?.lost ?? 0,
      virtualRetryMs: this.wire.virtualRetryMs,
      serverStopEvents: this.stopEvents,
      sessions: {
        created: this.ledger.created,
        destroyed: this.ledger.destroyed,
        leftOpen: this.ledger.activeOpen,
      },
      gracefulStop: this.grace,
      chaos: this.wire.chaos(),
      journalPath: this.wire.journalPath,
      perUrl: this.wire.urlReports(),
    };
  }
}
