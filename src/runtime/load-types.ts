/**
 * The options, result and handle of load mode (load.ts).
 */
import type { OpenviduConfig } from '../config/openvidu-config.js';
import type { OvsimError } from '../errors.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SimulationSettings } from '../scenario/simulate-scenario.js';
import type { ChaosSpec } from '../sinks/chaos-spec.js';
import type { ChaosReport } from '../sinks/chaos-stage.js';
import type { DeliveryReport } from '../sinks/delivery-stats.js';
import type { Transport } from '../sinks/http-transport.js';
import type { JournalHeader } from '../sinks/journal-header.js';
import type { TruthBuilder } from '../truth/build-truth.js';
import type { DeliveryStats } from '../sinks/delivery-stats.js';
import type { UrlReport } from '../sinks/livekit-notifier.js';
import type { LivekitDeliverySettings } from './ov3-senders.js';
import type { Rate, Stage } from './load-plan.js';
import type { RetryPolicy } from '../sinks/webhook-load.js';
import type { Speed } from './pacing.js';

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
  /** OpenVidu 3: what LiveKit (the API key and its secret) or Meet (the API key) signs with. */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret?: string | undefined } | undefined;
  /** LiveKit's `webhook:` block beyond the endpoint (`--livekit-config`): more URLs, filter, queue limits. */
  readonly livekit?: LivekitDeliverySettings | undefined;
  /**
   * Events submitted but not settled before production waits; default `DEFAULT_MAX_BACKLOG` (load.ts). A memory bound (each
   * holds its event and its serialized body) that also keeps the bodies warm in the caches until they are sent.
   */
  readonly maxBacklog?: number | undefined;
  /** Success statuses; default only 200. */
  readonly success?: ((status: number) => boolean) | undefined;
  /** Transport override (tests, benchmarks); default one undici Client per connection. */
  readonly transport?: Transport | undefined;
  /**
   * When a rate plan is over, how long the replicas still live may play on to their end (k6's gracefulStop); then the
   * sessions still open are closed by a server stop. Default `DEFAULT_GRACEFUL_STOP_MS` (load.ts); 0 stops them at once.
   */
  readonly gracefulStopMs?: number | undefined;
  readonly onSettled?: ((event: CdrEvent, delivered: boolean) => void) | undefined;
  /** Every failed attempt, with its class (`refused`, `status 500`, …): early warnings. */
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
  /** Sender-side chaos (`--chaos`); its `retry` and `accept`, when set, replace `retry` and `success`. */
  readonly chaos?: ChaosSpec | undefined;
  /** The delivery journal (`--journal`): its file and the facts of its `run` record. */
  readonly journal?: { readonly path: string; readonly header: JournalHeader } | undefined;
  /**
   * Folds every batch the replicas yield, before any delivery (`--truth`). Each replica's sessions are sessions of
   * their own (their ids differ), so the truth of a load test is the truth of all the copies side by side.
   */
  readonly truth?: TruthBuilder | undefined;
}

/** What the graceful stop at the end of a rate plan did. */
export interface GracefulStopReport {
  readonly graceMs: number;
  /** Active sessions (a participant joined, not yet destroyed) when the plan ended. */
  readonly openAtPlanEnd: number;
  /** Sessions the live copies created during the grace period (a copy may hold several, one after another). */
  readonly started: number;
  /** Sessions that ended on their own during the grace period. */
  readonly finished: number;
  /** Sessions still open when it was over, closed by stopping their servers (`openviduServerStopped`). */
  readonly stopped: number;
  /** Events produced during the grace period (not part of the planned rate). */
  readonly events: number;
}

export interface LoadResult {
  readonly end: 'completed' | 'shutdown' | 'aborted' | 'failed';
  /** Why a `failed` test stopped (a sink that could not be written), naming the file. */
  readonly failure: string | undefined;
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
  /** Dead letters that could not be written (the file failed). */
  readonly deadLetterLost: number;
  /** Largest retry delay taken on virtual time instead of waited (speed max), ms. */
  readonly virtualRetryMs: number;
  /**
   * Events submitted by stopping the replicas' servers — at a shutdown, or at the end of a test that left sessions
   * open: those already produced but not yet submitted, and the `openviduServerStopped` cascades. Included in
   * `delivery.events`.
   */
  readonly serverStopEvents: number;
  /** Sessions the replicas created and destroyed; `leftOpen`: active sessions never destroyed (0 after a stop). */
  readonly sessions: { readonly created: number; readonly destroyed: number; readonly leftOpen: number };
  /** Present when a rate plan ended on its own. */
  readonly gracefulStop: GracefulStopReport | undefined;
  /** What `--chaos`/`--journal` did, per event (undefined without them). */
  readonly chaos: ChaosReport | undefined;
  readonly journalPath: string | undefined;
  /** LiveKit: each URL's counts, drops included (LiveKit keeps them to itself). */
  readonly perUrl?: readonly UrlReport[] | undefined;
}

/** What the live line and `--metrics` read while a test runs. */
export interface LoadProgressSource {
  readonly stats: DeliveryStats;
  readonly backlog: number;
}

export interface LoadHandle {
  /** The sender's counts and backlog, for the live line and `--metrics`. */
  readonly delivery: LoadProgressSource;
  /** performance.now() when production began. */
  readonly startedAt: number;
  /** Settles when the test ends, however it ends; rejects only on a scenario error. */
  readonly done: Promise<LoadResult>;
  /**
   * Stops the simulated servers the way OpenVidu stops: production ends, then every live session of every replica is
   * closed with reason `openviduServerStopped` (the engine's `stopServer` cascade), those events submitted due now
   * like any other; what is not settled `drainMs` after the call is given up (counted, dead-lettered) — in whatever
   * phase the test is, the graceful stop and the final drain included. Idempotent; resolves with `done`.
   */
  shutdown(drainMs: number): Promise<LoadResult>;
  /** Gives up everything not delivered at once. Resolves with `done`. */
  abort(): Promise<LoadResult>;
  /** Ends the test at once because a sink of the caller failed (`--metrics`): `end: 'failed'`, the failure named. */
  fail(failure: OvsimError): void;
}
