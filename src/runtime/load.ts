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
import type { Batch } from '../engine/engine.js';
import type { CdrEvent } from '../model/catalogue.js';
import { simulateScenario } from '../scenario/simulate-scenario.js';
import { NO_CHAOS, retriesScheduled, type ChaosSpec } from '../sinks/chaos-spec.js';
import { ChaosStage } from '../sinks/chaos-stage.js';
import { DeadLetterFile } from '../sinks/dead-letter.js';
import type { JournalFile } from '../sinks/journal-file.js';
import { openJournal } from '../sinks/journal-header.js';
import { UndiciTransport } from '../sinks/undici-transport.js';
import { LoadDelivery } from '../sinks/webhook-load.js';
import { WebhookSigner } from '../sinks/webhook-signing.js';
import { foldingBatches, factsOfBatch } from '../truth/engine-facts.js';
import { ArrivalSchedule, NO_RETRY, OPENVIDU_RETRY, type Rate } from './load-plan.js';
import type { RetryPolicy } from '../sinks/webhook-load.js';
import { iteratorSource, Pacer, type BatchSource } from './pacing.js';
import { ReplicaStream } from './replicas.js';
import type { GracefulStopReport, LoadHandle, LoadOptions, LoadResult } from './load-types.js';

export type { GracefulStopReport, LoadHandle, LoadOptions, LoadResult } from './load-types.js';

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

/** Webhook-eligible events per session of one replica (dry run). */
function eventsPerSession(o: LoadOptions): number {
  let events = 0;
  let sessions = 0;
  for (const b of simulateScenario(o.scenario, o.settings)) {
    for (const e of b.events) {
      if (!o.settings.profile.has(e.name) || !o.config.webhookEvents.has(e.name)) continue;
      events++;
      if (e.name === 'sessionCreated') sessions++;
    }
  }
  return sessions === 0 ? events : events / sessions;
}

/** Sessions as the submitted events tell them: created, destroyed, and the active ones still open. */
class SessionLedger {
  created = 0;
  destroyed = 0;
  private readonly active = new Set<string>();

  note(e: CdrEvent): void {
    const name = e.name;
    if (name === 'sessionCreated') this.created++;
    else if (name === 'participantJoined') this.active.add(e.data.sessionId ?? '');
    else if (name === 'sessionDestroyed') {
      this.destroyed++;
      this.active.delete(e.data.sessionId ?? '');
    }
  }

  get activeOpen(): number {
    return this.active.size;
  }
}

/** The sender's own retry under `--chaos`: none when the chaos layer retries on its schedule (or `retry=none`). */
function senderRetry(retry: RetryPolicy, spec: ChaosSpec | undefined): RetryPolicy {
  if (spec === undefined) return retry;
  if (retriesScheduled(spec.retry) || spec.retry.kind === 'none') return NO_RETRY;
  return spec.retry.kind === 'openvidu' ? OPENVIDU_RETRY : retry;
}

function acceptOf(accept: '200' | '2xx'): (status: number) => boolean {
  return accept === '2xx' ? (s) => s >= 200 && s < 300 : (s) => s === 200;
}

/** @throws OvsimError BAD_INPUT when the dead-letter file or the secret cannot be used */
export function startLoad(o: LoadOptions): LoadHandle {
  return new LoadRun(o);
}

class LoadRun implements LoadHandle {
  readonly delivery: LoadDelivery;
  readonly startedAt: number;
  readonly done: Promise<LoadResult>;
  private readonly o: LoadOptions;
  private readonly planned: boolean;
  private readonly deadLetter: DeadLetterFile | undefined;
  private readonly journal: JournalFile | undefined;
  private readonly stage: ChaosStage | undefined;
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
  private leftover: readonly CdrEvent[] = [];
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
    const connections = Math.max(1, o.connections ?? 50);
    this.planned = o.rate !== undefined || (o.stages !== undefined && o.stages.length > 0);
    const signer = o.signSecret === undefined ? undefined : new WebhookSigner(o.signSecret);
    this.deadLetter = o.deadLetterPath === undefined ? undefined : new DeadLetterFile(o.deadLetterPath);
    if (this.deadLetter) this.deadLetter.onFailure = (f) => this.fail(f);
    try {
      this.journal = o.journal ? openJournal(o.journal.path, o.journal.header) : undefined;
    } catch (e) {
      this.deadLetter?.close();
      throw e;
    }
    if (this.journal) this.journal.onFailure = (f) => this.fail(f);
    // `--journal` without `--chaos`: every request journaled, nothing injected.
    const spec = o.chaos ?? (this.journal ? NO_CHAOS : undefined);
    // undici Clients, one keep-alive connection per lane (TLS trusting any certificate, as OpenVidu does).
    const transport =
      o.transport ??
      new UndiciTransport(o.config.webhookEndpoint, { connections, timeoutMs: o.timeoutMs ?? 10_000 });
    const maxSpeed = !this.planned && (o.speed ?? 'max') === 'max';
    const delivery = new LoadDelivery({
      transport,
      connections,
      profile: o.settings.profile,
      events: o.config.webhookEvents,
      headers: o.config.webhookHeaders,
      retry: senderRetry(o.retry, spec),
      retryTimeScale: maxSpeed ? 0 : 1,
      signer,
      deadLetter: this.deadLetter,
      success: spec?.accept === undefined ? o.success : acceptOf(spec.accept),
      onSettled: o.onSettled,
      onAttemptFailed: o.onAttemptFailed,
    });
    this.delivery = delivery;
    const speed = o.speed ?? 'max';
    this.stage = spec
      ? new ChaosStage({
          spec,
          seed: String(o.settings.seed),
          profile: o.settings.profile,
          events: o.config.webhookEvents,
          send: (event, tag, intendedAt) => delivery.submit(event, intendedAt, tag),
          // A rate plan's clock is the wall clock; a paced test's, virtual time.
          scale: this.planned ? 1 : speed === 'max' ? 0 : 1 / speed,
          journal: this.journal,
        })
      : undefined;
    this.perSession = eventsPerSession(o);
    const endless = o.durationMs !== undefined || (o.stages !== undefined && o.stages.length > 0);
    this.stream = new ReplicaStream(o.scenario, o.settings, {
      replicas: o.replicas ?? (endless ? Infinity : 1),
      lanes: o.lanes ?? connections,
    });
    this.batches = o.truth ? foldingBatches(this.stream, o.truth) : this.stream;
    this.maxBacklog = o.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    this.startedAt = performance.now();
    const production = this.planned ? this.produceByPlan() : this.produceByPacing();
    this.done = production.then(
      () => this.finish(),
      async (e: unknown) => {
        this.stage?.abort();
        await this.delivery.abort();
        this.stage?.close('failed');
        this.deadLetter?.close();
        throw e;
      },
    );
  }

  shutdown(drainMs: number): Promise<LoadResult> {
    if (this.endKind === 'completed') this.endKind = 'shutdown';
    this.stop();
    this.stage?.limitDrain(drainMs);
    this.delivery.limitDrain(drainMs);
    return this.done;
  }

  async abort(): Promise<LoadResult> {
    if (this.endKind !== 'failed') this.endKind = 'aborted';
    this.stop();
    this.stage?.abort();
    await this.delivery.abort();
    return this.done;
  }

  /** A sink failed: stop at once (what cannot be recorded must not be risked further). */
  fail(failure: OvsimError): void {
    if (this.failure) return;
    this.failure = failure;
    this.endKind = 'failed';
    this.stop();
    this.stage?.abort();
    void this.delivery.abort();
  }

  private stop(): void {
    this.stopped = true;
    this.pacer?.stop();
    this.nap.wake();
  }

  private eligible(e: CdrEvent): boolean {
    return this.o.settings.profile.has(e.name);
  }

  /** Submits an event due at `due` (wall); `at` is its instant on the chaos plan's clock (virtual when paced). */
  private submit(e: CdrEvent, due: number, at = due): void {
    this.ledger.note(e);
    if (this.stage) void this.stage.offer(e, at, due);
    else this.delivery.submit(e, due);
  }

  /** Events not yet settled: in the sender, and held by the chaos plan. */
  private get backlog(): number {
    return this.delivery.backlog + (this.stage?.held ?? 0);
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
      for (let j = 0; j < batch.events.length; j++) {
        const event = batch.events[j]!;
        if (!this.eligible(event)) continue;
        let due: number;
        if (grace === undefined) {
          const offset = this.stopped ? undefined : schedule.timeOf(i);
          if (offset === undefined) {
            grace = this.stopped ? undefined : this.beginGrace(peak);
            if (grace === undefined) {
              this.leftover = batch.events.slice(j);
              return;
            }
          }
          due = grace ? grace.start : this.startedAt + offset!;
        } else {
          due = grace.start + grace.n * grace.spacing;
        }
        if (this.stopped || (grace !== undefined && due > grace.end)) {
          this.leftover = batch.events.slice(j);
          return;
        }
        const wait = due - performance.now();
        if (wait > 1) await this.nap.sleep(wait);
        else if ((i + this.graceEvents) % 256 === 255) await tick();
        if (this.backlog >= this.maxBacklog) await this.roomInBacklog();
        if (this.stopped) {
          this.leftover = batch.events.slice(j);
          return;
        }
        this.submit(event, due);
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
    this.grace = { graceMs, openAtPlanEnd: open, finished: 0, stopped: 0, events: 0 };
    this.graceDestroyedBefore = this.ledger.destroyed;
    if (graceMs <= 0 || open === 0 || !(peakPerSecond > 0)) return undefined;
    this.stream.finishLive();
    return { start: now, end: now + graceMs, spacing: 1000 / peakPerSecond, n: 0 };
  }

  /** Sessions destroyed when the plan ended. */
  private graceDestroyedBefore = 0;

  private async produceByPacing(): Promise<void> {
    this.source = iteratorSource(this.batches[Symbol.iterator]());
    this.pacer = new Pacer({
      source: this.source,
      speed: this.o.speed ?? 'max',
      onBatch: async (batch, timing) => {
        for (const event of batch.events)
          if (this.eligible(event)) this.submit(event, timing.dueWall, batch.at);
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
    await this.stage?.finish();
    await this.delivery.shutdown();
    this.stage?.close(this.endKind);
    this.deadLetter?.close();
    return this.result();
  }

  private closeLeftOpen(): void {
    const now = performance.now();
    let submitted = 0;
    const submit = (events: readonly CdrEvent[], at: number) => {
      for (const e of events) {
        if (!this.eligible(e)) continue;
        this.submit(e, now, this.planned ? now : at);
        submitted++;
      }
    };
    submit(this.leftover, now);
    this.leftover = [];
    this.stream.halt();
    // Bounded: the stream is halted, so the source holds at most the one batch it read ahead.
    for (let b = this.source?.take(), n = 0; b !== undefined && n < 2; b = this.source?.take(), n++)
      submit(b.events, b.at);
    let stopped = 0;
    for (const b of this.stream.stopServers()) {
      // Never yielded by the stream (produced ahead, or the stop cascades): folded into the truth here.
      if (this.o.truth) for (const fact of factsOfBatch(b)) this.o.truth.add(fact);
      submit(b.events, b.at);
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
        finished:
          this.ledger.destroyed - stopped - (this.graceDestroyedBefore ?? this.ledger.destroyed - stopped),
        stopped,
        events: this.graceEvents,
      };
    }
  }

  private result(): LoadResult {
    const r = this.delivery.stats.report();
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
      deadLetterPath: this.deadLetter?.path,
      deadLetterLost: this.deadLetter?.lost ?? 0,
      virtualRetryMs: this.delivery.virtualRetryMs,
      serverStopEvents: this.stopEvents,
      sessions: {
        created: this.ledger.created,
        destroyed: this.ledger.destroyed,
        leftOpen: this.ledger.activeOpen,
      },
      gracefulStop: this.grace,
      chaos: this.stage?.report(),
      journalPath: this.journal?.path,
    };
  }
}
