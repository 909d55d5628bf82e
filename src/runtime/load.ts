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
 */
import type { OpenviduConfig } from '../config/openvidu-config.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Scenario } from '../scenario/scenario.js';
import { simulateScenario, type SimulationSettings } from '../scenario/simulate-scenario.js';
import { DeadLetterFile } from '../sinks/dead-letter.js';
import type { DeliveryReport } from '../sinks/delivery-stats.js';
import type { Transport } from '../sinks/http-transport.js';
import { UndiciTransport } from '../sinks/undici-transport.js';
import { LoadDelivery } from '../sinks/webhook-load.js';
import { WebhookSigner } from '../sinks/webhook-signing.js';
import { ArrivalSchedule, type Rate, type RetryPolicy, type Stage } from './load-plan.js';
import { iteratorSource, Pacer, type BatchSource, type Speed } from './pacing.js';
import { ReplicaStream } from './replicas.js';

export interface LoadOptions {
  readonly scenario: Scenario;
  readonly settings: SimulationSettings;
  /** Endpoint, headers and event filter (OPENVIDU_WEBHOOK_*). */
  readonly config: OpenviduConfig;
  /** Constant target rate, or the start rate of `stages`. */
  readonly rate?: Rate | undefined;
  readonly stages?: readonly Stage[] | undefined;
  /** Length of a constant-rate test, ms. */
  readonly durationMs?: number | undefined;
  /** Scenario copies; default 1 without a duration or stages, endless with them. */
  readonly replicas?: number | undefined;
  /** Copies live at once; default `connections`. */
  readonly lanes?: number | undefined;
  /** Pacing of virtual time when there is no rate plan; default `max`. */
  readonly speed?: Speed | undefined;
  /** Requests in flight at most; default 50. */
  readonly connections?: number | undefined;
  readonly retry: RetryPolicy;
  readonly timeoutMs?: number | undefined;
  readonly deadLetterPath?: string | undefined;
  readonly signSecret?: string | undefined;
  /**
   * Events submitted but not settled before production waits; default 20 000 — a memory bound (each holds its event
   * and its serialized body), far above what 50 connections need to stay busy (measured: 2 000 to 100 000 made no
   * difference to the delivered rate).
   */
  readonly maxBacklog?: number | undefined;
  /** Success statuses; default only 200. */
  readonly success?: ((status: number) => boolean) | undefined;
  /** Transport override (tests, benchmarks); default one undici Client per connection. */
  readonly transport?: Transport | undefined;
  readonly onSettled?: ((event: CdrEvent, delivered: boolean) => void) | undefined;
}

export interface LoadResult {
  readonly end: 'completed' | 'shutdown' | 'aborted';
  readonly delivery: DeliveryReport;
  /** Wall time from the first due event to the last settled one, ms. */
  readonly wallMs: number;
  /** First sends per second over the production window. */
  readonly sentPerSecond: number;
  /** Deliveries per second over `wallMs`. */
  readonly deliveredPerSecond: number;
  /** Target in events/s (undefined without a rate plan). */
  readonly targetEventsPerSecond: number | undefined;
  /** Events per session of one replica (the sessions/s conversion factor). */
  readonly eventsPerSession: number;
  readonly deadLetterPath: string | undefined;
  /** Largest retry delay taken on virtual time instead of waited (speed max), ms. */
  readonly virtualRetryMs: number;
  /**
   * Events submitted by `shutdown()`'s server stop: those already produced but not yet submitted, and the
   * `openviduServerStopped` cascades (0 when the run was not shut down). Included in `delivery.events`.
   */
  readonly serverStopEvents: number;
}

export interface LoadHandle {
  readonly delivery: LoadDelivery;
  /** performance.now() when production began. */
  readonly startedAt: number;
  readonly done: Promise<LoadResult>;
  /**
   * Stops the simulated servers the way OpenVidu stops: production ends, then every live session of every replica is
   * closed with reason `openviduServerStopped` (the engine's `stopServer` cascade), those events submitted due now
   * like any other; the backlog drains for `drainMs`, then the rest is given up (counted, dead-lettered). Idempotent.
   */
  shutdown(drainMs: number): Promise<LoadResult>;
  abort(): Promise<LoadResult>;
}

/** Load mode's default `maxBacklog` (see LoadOptions). */
export const DEFAULT_MAX_BACKLOG = 20_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A sleep `wake()` ends early (shutdown must not wait for the next planned arrival, which may be seconds away). */
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

/** @throws OvsimError BAD_INPUT when the dead-letter file or the secret cannot be used */
export function startLoad(o: LoadOptions): LoadHandle {
  const connections = Math.max(1, o.connections ?? 50);
  const planned = o.rate !== undefined || (o.stages !== undefined && o.stages.length > 0);
  const speed = o.speed ?? 'max';
  const signer = o.signSecret === undefined ? undefined : new WebhookSigner(o.signSecret);
  const deadLetter = o.deadLetterPath === undefined ? undefined : new DeadLetterFile(o.deadLetterPath);
  const transportOptions = { connections, timeoutMs: o.timeoutMs ?? 10_000 };
  // undici Clients, one keep-alive connection per lane, built for throughput (TLS trusting any certificate, as OpenVidu does).
  const transport = o.transport ?? new UndiciTransport(o.config.webhookEndpoint, transportOptions);
  const delivery = new LoadDelivery({
    transport,
    connections,
    profile: o.settings.profile,
    events: o.config.webhookEvents,
    headers: o.config.webhookHeaders,
    retry: o.retry,
    retryTimeScale: !planned && speed === 'max' ? 0 : 1,
    signer,
    deadLetter,
    success: o.success,
    onSettled: o.onSettled,
  });
  const perSession = eventsPerSession(o);
  const toEvents = (r: Rate) => (r.unit === 'sessions' ? r.perSecond * perSession : r.perSecond);
  const endless = o.durationMs !== undefined || (o.stages !== undefined && o.stages.length > 0);
  const replicas = o.replicas ?? (endless ? Infinity : 1);
  const stream = new ReplicaStream(o.scenario, o.settings, { replicas, lanes: o.lanes ?? connections });
  const nap = wakeableSleep();
  /** Events the replicas produced but production had not submitted when it stopped (plan mode, mid-batch). */
  let leftover: readonly CdrEvent[] = [];
  /** The pacer's source (pacing mode): it reads one batch ahead. */
  let source: BatchSource | undefined;
  const maxBacklog = o.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  const startedAt = performance.now();
  let producedUntil = startedAt;
  let stopped = false;
  let endKind: LoadResult['end'] = 'completed';
  let pacer: Pacer | undefined;

  const eligible = (e: CdrEvent) => o.settings.profile.has(e.name);
  let stopEvents = 0;

  async function produceByPlan(): Promise<void> {
    const schedule = new ArrivalSchedule(
      o.rate ? toEvents(o.rate) : 0,
      (o.stages ?? []).map((s) => ({ durationMs: s.durationMs, perSecond: toEvents(s.rate) })),
      o.durationMs,
    );
    let i = 0;
    for (const batch of stream) {
      for (let j = 0; j < batch.events.length; j++) {
        const event = batch.events[j]!;
        if (!eligible(event)) continue;
        if (stopped) {
          leftover = batch.events.slice(j);
          return;
        }
        const offset = schedule.timeOf(i);
        if (offset === undefined) return;
        const due = startedAt + offset;
        const wait = due - performance.now();
        if (wait > 1) await nap.sleep(wait);
        else if (i % 256 === 255) await tick();
        // Memory bound only: the due time stays the plan's, so waiting here shows up as latency.
        for (let n = 0; delivery.backlog >= maxBacklog && !stopped && n < 1e7; n++) await sleep(1);
        if (stopped) {
          leftover = batch.events.slice(j);
          return;
        }
        delivery.submit(event, due);
        i++;
      }
    }
  }

  async function produceByPacing(): Promise<void> {
    source = iteratorSource(stream[Symbol.iterator]());
    pacer = new Pacer({
      source,
      speed,
      onBatch: async (batch, timing) => {
        for (const event of batch.events) if (eligible(event)) delivery.submit(event, timing.dueWall);
        for (let n = 0; delivery.backlog >= maxBacklog && !stopped && n < 1e7; n++) await sleep(1);
      },
    });
    await pacer.start();
  }

  const result = (): LoadResult => {
    const r = delivery.stats.report();
    const wallMs = Math.max(1, performance.now() - startedAt);
    const prodMs = Math.max(1, producedUntil - startedAt);
    return {
      end: endKind,
      delivery: r,
      wallMs,
      // The shutdown's stop events go out after production ended: they are not part of the planned rate.
      sentPerSecond: (Math.max(0, r.sent - stopEvents) / prodMs) * 1000,
      deliveredPerSecond: (r.delivered / wallMs) * 1000,
      targetEventsPerSecond: o.rate && (!o.stages || o.stages.length === 0) ? toEvents(o.rate) : undefined,
      eventsPerSession: perSession,
      deadLetterPath: deadLetter?.path,
      virtualRetryMs: delivery.virtualRetryMs,
      serverStopEvents: stopEvents,
    };
  };

  /**
   * OpenVidu's stop, per replica: what the replicas already produced is submitted first (it happened; dropping it
   * would leave a `sessionDestroyed` without its `sessionCreated`), then each live server's `stopServer` cascade.
   * Everything is due now: the server stops now, whatever the plan said. Runs once production has ended.
   */
  const submitServerStop = (): void => {
    const now = performance.now();
    let submitted = 0;
    const submit = (events: readonly CdrEvent[]) => {
      for (const e of events) {
        if (!eligible(e)) continue;
        delivery.submit(e, now);
        submitted++;
      }
    };
    submit(leftover);
    leftover = [];
    stream.halt();
    // Bounded: the stream is halted, so the source holds at most the one batch it read ahead.
    for (let b = source?.take(), n = 0; b !== undefined && n < 2; b = source?.take(), n++) submit(b.events);
    for (const b of stream.stopServers()) submit(b.events);
    stopEvents = submitted;
  };

  let ending: Promise<LoadResult> | undefined;
  const finish = async (drainMs: number | undefined): Promise<LoadResult> => {
    if (drainMs === undefined) await delivery.idle();
    await delivery.shutdown(drainMs ?? 0);
    deadLetter?.close();
    return result();
  };

  const production = (planned ? produceByPlan() : produceByPacing()).then(() => {
    producedUntil = performance.now();
  });
  const done = production.then(
    () => (ending ??= finish(undefined)),
    async (e: unknown) => {
      await delivery.abort();
      deadLetter?.close();
      throw e;
    },
  );

  return {
    delivery,
    startedAt,
    done,
    shutdown(drainMs: number) {
      if (ending) return ending;
      endKind = 'shutdown';
      stopped = true;
      pacer?.stop();
      nap.wake();
      ending = production.then(() => {
        submitServerStop();
        return finish(drainMs);
      });
      return ending;
    },
    async abort() {
      endKind = 'aborted';
      stopped = true;
      pacer?.stop();
      nap.wake();
      await delivery.abort();
      if (ending) return ending;
      deadLetter?.close();
      ending = Promise.resolve(result());
      return ending;
    },
  };
}
