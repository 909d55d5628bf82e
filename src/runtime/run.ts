/**
 * `ovsim run`: a scenario played on the wall clock through real sinks — the CDR file and OpenVidu's WebHook sender —
 * configured with OpenVidu's own properties.
 *
 * `startRun` returns a handle: `done` settles when the scenario has played and the WebHook queue has drained;
 * `shutdown()` stops the simulated server the way OpenVidu does (every live session closed with
 * `openviduServerStopped`) and lets the queue drain for at most `drainTimeoutMs` from that moment — also when it comes
 * after the scenario has played, while the queue drains — then reports what was not delivered; `abort()` stops at
 * once, still reporting. A sink that fails (the CDR file or the dead-letter file cannot be written) ends the run at
 * once with `end: 'failed'` and the failure, naming the file. Signals are the CLI's business; these are plain
 * functions tests can call.
 */
import { ActionRefused, Engine, type Batch } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { OpenviduConfig } from '../config/openvidu-config.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { stepError, type SimulationSettings } from '../scenario/simulate-scenario.js';
import { CdrFileSink } from '../sinks/cdr-file.js';
import { NO_CHAOS, retriesScheduled, type ChaosSpec } from '../sinks/chaos-spec.js';
import { ChaosStage, type ChaosReport } from '../sinks/chaos-stage.js';
import { DeadLetterFile } from '../sinks/dead-letter.js';
import type { DeliveryReport } from '../sinks/delivery-stats.js';
import { openJournal, type JournalHeader } from '../sinks/journal-header.js';
import type { JournalFile } from '../sinks/journal-file.js';
import { OpenviduWebhookSender } from '../sinks/webhook-openvidu.js';
import { WebhookSigner } from '../sinks/webhook-signing.js';
import type { TruthBuilder } from '../truth/build-truth.js';
import { truthFactsFor } from '../truth/livekit-facts.js';
import { Pacer, type BatchSource, type Speed } from './pacing.js';
import { RunSummary } from './summary.js';
import type { CdrEvent } from '../model/catalogue.js';
import { Profile } from '../model/profile.js';
import { DEFAULT_VERSION } from '../model/version.js';
import { v2compatEvent } from '../model/ov3/server-wire.js';
import {
  LivekitRunSender,
  MeetRunSender,
  type LivekitDeliverySettings,
  type Ov3Sender,
} from './ov3-senders.js';
import type { UrlReport } from '../sinks/livekit-notifier.js';

export interface RunOptions {
  readonly scenario: Scenario;
  readonly settings: SimulationSettings;
  readonly config: OpenviduConfig;
  /** Default `max`. */
  readonly speed?: Speed;
  /** JSONL file of every event not delivered (`--dead-letter`). */
  readonly deadLetterPath?: string | undefined;
  /** `whsec_…`: add Standard Webhooks signature headers. */
  readonly signSecret?: string | undefined;
  /** WebHook connect/read timeouts, ms; default 10 000 (OpenVidu's). */
  readonly timeoutMs?: number | undefined;
  /** How long `shutdown()` lets the WebHook queue drain, ms; default 10 000. */
  readonly drainTimeoutMs?: number | undefined;
  /** Called with every batch after the sinks took it (progress, tests). */
  readonly onBatch?: ((batch: Batch) => void) | undefined;
  /**
   * Receives OpenVidu's console lines for the CDR messages (`[INFO] <date> [<thread>] io.openvidu.server.cdr.CDRLoggerFile
   * - {…}`), one call per batch, as they are written to the CDR file (`--cdr-stdout`). Default none. Only used when
   * OPENVIDU_CDR is on: as in OpenVidu, that logger only exists then.
   */
  readonly cdrEcho?: ((text: string) => void) | undefined;
  /** Every failed WebHook attempt, with its class (`refused`, `status 204`, …): early warnings. */
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
  /** Sender-side chaos (`--chaos`): how the sender misbehaves. Needs the WebHook on. */
  readonly chaos?: ChaosSpec | undefined;
  /** The delivery journal (`--journal`): its file and the facts of its `run` record. Needs the WebHook on. */
  readonly journal?: { readonly path: string; readonly header: JournalHeader } | undefined;
  /** Folds every batch the engine yields, before any sink: the ground truth of the run (`--truth`). */
  readonly truth?: TruthBuilder | undefined;
  /**
   * What `settings.server` signs with: LiveKit's API key and secret (`--server openvidu3`), Meet's API key
   * (`--server meet`). Required by those servers when the WebHook is on.
   */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret?: string | undefined } | undefined;
  /** LiveKit's `webhook:` block beyond the endpoint (`--livekit-config`). */
  readonly livekit?: LivekitDeliverySettings | undefined;
}

export type RunEnd = 'completed' | 'shutdown' | 'aborted' | 'failed';

export interface RunResult {
  readonly end: RunEnd;
  readonly summary: RunSummary;
  /** CDR files written, in order (empty when OPENVIDU_CDR=false). */
  readonly cdrFiles: readonly string[];
  /** LiveKit: each URL's counts, drops included (LiveKit keeps them to itself). */
  readonly perUrl?: readonly UrlReport[] | undefined;
  /** WebHook delivery figures (undefined when OPENVIDU_WEBHOOK=false). */
  readonly delivery: DeliveryReport | undefined;
  readonly deadLetterPath: string | undefined;
  /** Dead letters that could not be written (the file failed). */
  readonly deadLetterLost: number;
  /** Why a `failed` run stopped (a sink that could not be written), naming the file. */
  readonly failure: string | undefined;
  /** Lateness of batches behind the wall clock, ms (0 in max mode). */
  readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** What `--chaos`/`--journal` did, per event (undefined without them). */
  readonly chaos: ChaosReport | undefined;
  readonly journalPath: string | undefined;
}

export interface RunHandle {
  readonly engine: Engine;
  readonly pacer: Pacer;
  /** OpenVidu 2's sender (`--server openvidu2`, and the v2-compatibility module's, which is the same). */
  readonly sender: OpenviduWebhookSender | undefined;
  /** LiveKit's notifier or Meet's dispatcher (`--server openvidu3`, `meet`). */
  readonly ov3Sender: Ov3Sender | undefined;
  readonly cdr: CdrFileSink | undefined;
  /** Settles when the run ends, however it ends; rejects only on a scenario error (a refused step). */
  readonly done: Promise<RunResult>;
  /**
   * Graceful stop: stopServer cascade, drain within the deadline (from this call, in whatever phase the run is), files
   * flushed. Idempotent; resolves with `done`.
   */
  shutdown(): Promise<RunResult>;
  /** Immediate stop: in-flight requests aborted, the queue given up (counted, dead-lettered). */
  abort(): Promise<RunResult>;
}

/** The engine as a pacing source, with refusals located at their scenario step. */
function scenarioSource(engine: Engine): BatchSource {
  return {
    peekAt: () => engine.nextRunAt(),
    hasOutput: (b) => engine.hasOutput(b),
    take: () => {
      try {
        return engine.runNext();
      } catch (e) {
        if (e instanceof ActionRefused && isStep(e.origin)) throw stepError(e.origin, e.message);
        throw e;
      }
    },
  };
}

function isStep(origin: unknown): origin is ScenarioStep {
  return typeof origin === 'object' && origin !== null && 'index' in origin && 'action' in origin;
}

/** The sinks of a run, opened together: a failure to open one closes those already open. */
interface RunSinks {
  readonly cdr: CdrFileSink | undefined;
  readonly deadLetter: DeadLetterFile | undefined;
  readonly sender: OpenviduWebhookSender | undefined;
  readonly ov3Sender: Ov3Sender | undefined;
  readonly journal: JournalFile | undefined;
  readonly stage: ChaosStage | undefined;
  /** The profile of the OpenVidu 2 bodies sent (the v2-compatibility module's: the last 2.x release). */
  readonly wireProfile: Profile;
}

/**
 * Opens the CDR file (created at once, as OpenVidu does at startup), the dead-letter file, OpenVidu's sender and, with
 * `--chaos` or `--journal`, the chaos stage in front of it.
 * @throws OvsimError BAD_INPUT when a sink cannot be opened (naming OPENVIDU_CDR_PATH, --dead-letter or --journal)
 */
function openRunSinks(options: RunOptions, speed: Speed): RunSinks {
  const { settings, config } = options;
  const kind = settings.server.kind;
  checkServerSinks(options);
  // The v2-compatibility module writes the OpenVidu 2 events of the last 2.x release, whatever the scenario names.
  const wireProfile =
    kind === 'openvidu3-v2compat' ? new Profile(DEFAULT_VERSION, settings.profile.edition) : settings.profile;
  const none = { sender: undefined, ov3Sender: undefined, journal: undefined, stage: undefined, wireProfile };
  const cdr = config.cdr
    ? new CdrFileSink({
        dir: config.cdrPath,
        serverStart: settings.start,
        profile: settings.profile,
        echo: options.cdrEcho,
      })
    : undefined;
  let deadLetter: DeadLetterFile | undefined;
  let journal: JournalFile | undefined;
  try {
    const signer = options.signSecret === undefined ? undefined : new WebhookSigner(options.signSecret);
    if (!config.webhook) return { ...none, cdr, deadLetter };
    deadLetter =
      options.deadLetterPath === undefined ? undefined : new DeadLetterFile(options.deadLetterPath);
    const ov3Sender = openOv3Sender(options, speed, deadLetter);
    if (ov3Sender) return { ...none, cdr, deadLetter, ov3Sender };
    // `--journal` without `--chaos`: every request journaled, nothing injected.
    const spec = options.chaos ?? (options.journal ? NO_CHAOS : undefined);
    const oneAttempt = spec !== undefined && (retriesScheduled(spec.retry) || spec.retry.kind === 'none');
    const sender = new OpenviduWebhookSender({
      endpoint: config.webhookEndpoint,
      headers: config.webhookHeaders,
      events: config.webhookEvents,
      profile: wireProfile,
      timeoutMs: options.timeoutMs ?? 10_000,
      deadLetter,
      signer,
      // Paced runs keep OpenVidu's unbounded queue (a slow consumer must not slow the server); max speed waits.
      highWaterMark: speed === 'max' ? 10_000 : Infinity,
      onAttemptFailed: options.onAttemptFailed,
      ...(oneAttempt ? { maxAttempts: 1 } : {}),
      ...(spec?.accept === '2xx' ? { success: (st: number) => st >= 200 && st < 300 } : {}),
    });
    if (!spec) return { ...none, cdr, deadLetter, sender };
    journal = options.journal ? openJournal(options.journal.path, options.journal.header) : undefined;
    const stage = new ChaosStage({
      spec,
      seed: String(settings.seed),
      profile: wireProfile,
      events: config.webhookEvents,
      send: (event, tag) => sender.enqueue(event, tag),
      scale: speed === 'max' ? 0 : 1 / speed,
      journal,
    });
    return { ...none, cdr, deadLetter, sender, journal, stage };
  } catch (e) {
    cdr?.close();
    deadLetter?.close();
    journal?.close();
    throw e;
  }
}

/**
 * Opens the sinks and starts playing.
 * @throws OvsimError BAD_INPUT when a sink cannot be opened (naming OPENVIDU_CDR_PATH, --dead-letter or --journal)
 */
export function startRun(options: RunOptions): RunHandle {
  return new ScenarioRun(options);
}

class ScenarioRun implements RunHandle {
  readonly engine: Engine;
  readonly pacer: Pacer;
  readonly sender: OpenviduWebhookSender | undefined;
  readonly ov3Sender: Ov3Sender | undefined;
  readonly cdr: CdrFileSink | undefined;
  readonly done: Promise<RunResult>;
  private readonly o: RunOptions;
  private readonly sinks: RunSinks;
  private readonly summary = new RunSummary();
  private failure: OvsimError | undefined;
  private endKind: RunEnd = 'completed';
  private stopping = false;
  /** The truth's adapter (LiveKit's keeps the rooms it rendered). */
  private readonly truthFacts: ReturnType<typeof truthFactsFor>;

  constructor(options: RunOptions) {
    this.o = options;
    const { scenario, settings, config } = options;
    this.truthFacts = truthFactsFor(settings.server);
    const speed = options.speed ?? 'max';
    this.engine = new Engine({
      ...settings.engine,
      recordingAutostopTimeout:
        config.recordingAutostopTimeout ?? settings.engine.recordingAutostopTimeout ?? 120,
      sessionsGarbageInterval: config.sessionsGarbageInterval ?? settings.engine.sessionsGarbageInterval,
      sessionsGarbageThreshold: config.sessionsGarbageThreshold ?? settings.engine.sessionsGarbageThreshold,
    });
    for (const step of scenario.steps) this.engine.schedule(settings.start + step.at, step.action, step);
    this.sinks = openRunSinks(options, speed);
    this.sender = this.sinks.sender;
    this.ov3Sender = this.sinks.ov3Sender;
    this.cdr = this.sinks.cdr;
    const fail = (f: OvsimError) => this.fail(f);
    if (this.sinks.deadLetter) this.sinks.deadLetter.onFailure = fail;
    if (this.sinks.journal) this.sinks.journal.onFailure = fail;
    this.pacer = new Pacer({
      source: scenarioSource(this.engine),
      speed,
      origin: settings.start,
      onBatch: (batch, timing) => this.emit(batch, timing.dueWall),
    });
    this.done = this.pacer.start().then(
      () => this.finish(),
      async (e: unknown) => {
        this.sinks.stage?.abort();
        await this.sender?.abort();
        await this.ov3Sender?.abort();
        this.sinks.stage?.close('failed');
        this.closeFiles();
        throw e;
      },
    );
  }

  /** Graceful stop: the stopServer cascade, then a drain within the deadline (from this call, in any phase). */
  shutdown(): Promise<RunResult> {
    if (this.endKind === 'completed') this.endKind = 'shutdown';
    const drainMs = this.o.drainTimeoutMs ?? 10_000;
    this.sinks.stage?.limitDrain(drainMs);
    this.sender?.limitDrain(drainMs);
    this.ov3Sender?.limitDrain(drainMs);
    if (!this.stopping) {
      this.stopping = true;
      this.pacer.stop();
    }
    return this.done;
  }

  async abort(): Promise<RunResult> {
    if (this.endKind !== 'failed') this.endKind = 'aborted';
    this.pacer.stop();
    this.sinks.stage?.abort();
    await this.sender?.abort();
    await this.ov3Sender?.abort();
    return this.done;
  }

  private fail(f: OvsimError): void {
    if (this.failure) return;
    this.failure = f;
    this.endKind = 'failed';
    this.pacer.stop();
    this.sinks.stage?.abort();
    void this.sender?.abort();
    void this.ov3Sender?.abort();
  }

  private emit(batch: Batch, dueWall: number): void | Promise<void> {
    if (this.failure) return;
    const { truth, settings } = this.o;
    if (truth) for (const fact of this.truthFacts(batch)) truth.add(fact);
    try {
      this.cdr?.writeBatch(batch);
    } catch (e) {
      return this.fail(cdrWriteFailure(e, this.cdr?.currentFile));
    }
    const { stage, ov3Sender, wireProfile } = this.sinks;
    let pending: Promise<void> | undefined;
    if (ov3Sender) pending = ov3Sender.take(batch.facts ?? [], this.summary) ?? undefined;
    else {
      for (const event of wireEvents(settings, batch)) {
        if (!wireProfile.has(event.name)) continue;
        this.summary.add(event);
        const p = stage ? stage.offer(event, batch.at, dueWall) : this.sender?.enqueue(event);
        if (p) pending = p;
      }
    }
    this.o.onBatch?.(batch);
    return pending;
  }

  /** The scenario has played (or the pacer stopped): the stop cascade if asked, then the drain and the files. */
  private async finish(): Promise<RunResult> {
    if (this.endKind === 'shutdown') await this.stopServer();
    // Drains as long as it takes, unless a signal set a deadline (shutdown) or the run was given up.
    await this.sinks.stage?.finish();
    await this.sender?.shutdown();
    await this.ov3Sender?.shutdown();
    this.sinks.stage?.close(this.endKind);
    this.closeFiles();
    return this.result();
  }

  /** OpenVidu's stop: what is due by now happened, then @PreDestroy closes every active session. */
  private async stopServer(): Promise<void> {
    const now = this.pacer.virtualNow();
    try {
      if (now !== undefined) for (const b of this.engine.runUntil(now)) await this.emit(b, performance.now());
    } catch {
      // A refused step at the very end does not prevent the stop.
    }
    if (!this.engine.isStopped && !this.failure)
      await this.emit(this.engine.execute({ type: 'stopServer', args: {} }), performance.now());
  }

  private closeFiles(): void {
    try {
      this.cdr?.close();
    } catch (e) {
      this.fail(cdrWriteFailure(e, this.cdr?.currentFile));
    }
    this.sinks.deadLetter?.close();
  }

  private result(): RunResult {
    const { deadLetter, journal, stage } = this.sinks;
    const lateness = this.pacer.lateness;
    const ms = (us: number) => Math.round(Math.min(us, lateness.maxValue)) / 1000;
    return {
      end: this.endKind,
      summary: this.summary,
      cdrFiles: this.cdr ? [...this.cdr.files] : [],
      delivery: this.sender?.stats.report() ?? this.ov3Sender?.report(),
      perUrl: this.ov3Sender?.urlReports?.(),
      deadLetterPath: deadLetter?.path,
      deadLetterLost: deadLetter?.lost ?? 0,
      failure: (this.failure ?? deadLetter?.failure ?? journal?.failure)?.message,
      latenessMs: {
        p50: ms(lateness.getValueAtPercentile(50)),
        p99: ms(lateness.getValueAtPercentile(99)),
        max: ms(lateness.maxValue),
      },
      chaos: stage?.report(),
      journalPath: journal?.path,
    };
  }
}

/** A CDR write that failed, as the run reports it: naming the file (the sink's own error already does). */
function cdrWriteFailure(e: unknown, file: string | undefined): OvsimError {
  if (e instanceof OvsimError) return e;
  return new OvsimError('IO', `CDR file ${file ?? '(none)'}: write failed (${(e as Error).message})`, {
    cause: e,
  });
}

/** The OpenVidu 2 events a batch sends: its own, or those the v2-compatibility module makes of its facts. */
function wireEvents(settings: SimulationSettings, batch: Batch): readonly CdrEvent[] {
  if (settings.server.kind !== 'openvidu3-v2compat') return batch.events;
  const out: CdrEvent[] = [];
  for (const fact of batch.facts ?? []) {
    const e = v2compatEvent(settings.server, fact);
    if (e) out.push(e);
  }
  return out;
}

/**
 * What an OpenVidu 3 server cannot have: a CDR file, and (LiveKit's notifier, Meet's dispatcher) the chaos stage and
 * journal, which wrap OpenVidu 2's sender. @throws OvsimError BAD_INPUT
 */
function checkServerSinks(options: RunOptions): void {
  const { settings, config } = options;
  const kind = settings.server.kind;
  if (config.cdr && kind !== 'openvidu2')
    throw new OvsimError(
      'BAD_INPUT',
      `--server ${kind} writes no CDR file (OpenVidu 3 has none: its record is analytics in MongoDB): ` +
        'drop --cdr/--cdr-path (and OPENVIDU_CDR), or use --server openvidu2',
    );
  if (options.signSecret !== undefined && (kind === 'openvidu3' || kind === 'meet'))
    throw new OvsimError(
      'BAD_INPUT',
      `--sign-secret: ${kind} signs its webhooks its own way (${kind === 'meet' ? 'X-Signature, with --api-key' : 'a JWT, with --api-key/--api-secret'}); ` +
        'Standard Webhooks headers are for --server openvidu2 and openvidu3-v2compat',
    );
  if ((options.chaos || options.journal) && (kind === 'openvidu3' || kind === 'meet'))
    throw new OvsimError(
      'BAD_INPUT',
      `--chaos and --journal wrap OpenVidu 2's WebHook sender, not ${kind}'s (not supported yet): ` +
        'drop them, or use --server openvidu2 or openvidu3-v2compat',
    );
}

/**
 * LiveKit's notifier or Meet's dispatcher for `--server openvidu3` / `meet`; undefined for the servers that send
 * OpenVidu 2 bodies. @throws OvsimError BAD_INPUT when the server signs and its credentials are missing
 */
function openOv3Sender(
  options: RunOptions,
  speed: Speed,
  deadLetter: DeadLetterFile | undefined,
): Ov3Sender | undefined {
  const { settings, config, credentials } = options;
  const kind = settings.server.kind;
  if (kind !== 'openvidu3' && kind !== 'meet') return undefined;
  const o = {
    server: settings.server,
    url: config.webhookEndpoint,
    // Paced runs never hold the server back; max speed waits for the backlog, as OpenVidu 2's sender does.
    highWaterMark: speed === 'max' ? 100 : Infinity,
    onAttemptFailed: options.onAttemptFailed,
    deadLetter,
    livekit: options.livekit,
  };
  if (kind === 'meet') {
    if (credentials === undefined) throw new OvsimError('BAD_INPUT', '--server meet: the API key is missing');
    return new MeetRunSender(o, credentials.apiKey);
  }
  if (credentials?.apiSecret === undefined)
    throw new OvsimError('BAD_INPUT', '--server openvidu3: the API key and secret are missing');
  return new LivekitRunSender(o, { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret });
}
