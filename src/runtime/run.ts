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
import { DeadLetterFile } from '../sinks/dead-letter.js';
import type { DeliveryReport } from '../sinks/delivery-stats.js';
import { OpenviduWebhookSender } from '../sinks/webhook-openvidu.js';
import { WebhookSigner } from '../sinks/webhook-signing.js';
import { Pacer, type BatchSource, type Speed } from './pacing.js';
import { RunSummary } from './summary.js';
import type { CdrEvent } from '../model/catalogue.js';
import { Profile } from '../model/profile.js';
import { DEFAULT_VERSION } from '../model/version.js';
import { v2compatEvent } from '../model/ov3/server-wire.js';
import { LivekitRunSender, MeetRunSender, type Ov3Sender } from './ov3-senders.js';

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
  /**
   * What `settings.server` signs with: LiveKit's API key and secret (`--server openvidu3`), Meet's API key
   * (`--server meet`). Required by those servers when the WebHook is on.
   */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret?: string | undefined } | undefined;
}

export type RunEnd = 'completed' | 'shutdown' | 'aborted' | 'failed';

export interface RunResult {
  readonly end: RunEnd;
  readonly summary: RunSummary;
  /** CDR files written, in order (empty when OPENVIDU_CDR=false). */
  readonly cdrFiles: readonly string[];
  /** WebHook delivery figures (undefined when OPENVIDU_WEBHOOK=false). */
  readonly delivery: DeliveryReport | undefined;
  readonly deadLetterPath: string | undefined;
  /** Dead letters that could not be written (the file failed). */
  readonly deadLetterLost: number;
  /** Why a `failed` run stopped (a sink that could not be written), naming the file. */
  readonly failure: string | undefined;
  /** Lateness of batches behind the wall clock, ms (0 in max mode). */
  readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
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
    peekAt: () => engine.nextAt(),
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

/**
 * Opens the sinks (the CDR file is created at once, as OpenVidu does at startup) and starts playing.
 * @throws OvsimError BAD_INPUT when a sink cannot be opened (naming OPENVIDU_CDR_PATH or --dead-letter)
 */
export function startRun(options: RunOptions): RunHandle {
  const { scenario, settings, config } = options;
  const speed = options.speed ?? 'max';
  const engine = new Engine({
    ...settings.engine,
    recordingAutostopTimeout:
      config.recordingAutostopTimeout ?? settings.engine.recordingAutostopTimeout ?? 120,
  });
  for (const step of scenario.steps) engine.schedule(settings.start + step.at, step.action, step);

  const kind = settings.server.kind;
  if (config.cdr && kind !== 'openvidu2')
    throw new OvsimError(
      'BAD_INPUT',
      `--server ${kind} writes no CDR file (OpenVidu 3 has none: its record is analytics in MongoDB): ` +
        'drop --cdr/--cdr-path (and OPENVIDU_CDR), or use --server openvidu2',
    );
  const ov3Sender = config.webhook ? openOv3Sender(options, speed) : undefined;
  // The v2-compatibility module writes the OpenVidu 2 events of the last 2.x release, whatever the scenario names.
  const wireProfile =
    kind === 'openvidu3-v2compat' ? new Profile(DEFAULT_VERSION, settings.profile.edition) : settings.profile;
  const cdr = config.cdr
    ? new CdrFileSink({
        dir: config.cdrPath,
        serverStart: settings.start,
        profile: settings.profile,
        echo: options.cdrEcho,
      })
    : undefined;
  let deadLetter: DeadLetterFile | undefined;
  let sender: OpenviduWebhookSender | undefined;
  try {
    const signer = options.signSecret === undefined ? undefined : new WebhookSigner(options.signSecret);
    if (config.webhook && ov3Sender === undefined) {
      deadLetter =
        options.deadLetterPath === undefined ? undefined : new DeadLetterFile(options.deadLetterPath);
      sender = new OpenviduWebhookSender({
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
      });
    }
  } catch (e) {
    cdr?.close();
    deadLetter?.close();
    throw e;
  }

  const summary = new RunSummary();
  let failure: OvsimError | undefined;
  let endKind: RunEnd = 'completed';
  const fail = (f: OvsimError): void => {
    if (failure) return;
    failure = f;
    endKind = 'failed';
    pacer.stop();
    void sender?.abort();
    void ov3Sender?.abort();
  };
  if (deadLetter) deadLetter.onFailure = fail;

  const emit = (batch: Batch): void | Promise<void> => {
    if (failure) return;
    try {
      cdr?.writeBatch(batch);
    } catch (e) {
      return fail(cdrWriteFailure(e, cdr?.currentFile));
    }
    let pending: Promise<void> | undefined;
    if (ov3Sender) {
      pending = ov3Sender.take(batch.facts ?? [], summary) ?? undefined;
    } else {
      for (const event of wireEvents(batch)) {
        if (!wireProfile.has(event.name)) continue;
        summary.add(event);
        const p = sender?.enqueue(event);
        if (p) pending = p;
      }
    }
    options.onBatch?.(batch);
    return pending;
  };

  /** The OpenVidu 2 events a batch sends: its own, or those the v2-compatibility module makes of its facts. */
  const wireEvents = (batch: Batch): readonly CdrEvent[] => {
    if (kind !== 'openvidu3-v2compat') return batch.events;
    const out: CdrEvent[] = [];
    for (const fact of batch.facts ?? []) {
      const e = v2compatEvent(settings.server, fact);
      if (e) out.push(e);
    }
    return out;
  };

  const pacer = new Pacer({ source: scenarioSource(engine), speed, origin: settings.start, onBatch: emit });

  const closeFiles = () => {
    try {
      cdr?.close();
    } catch (e) {
      fail(cdrWriteFailure(e, cdr?.currentFile));
    }
    deadLetter?.close();
  };
  const result = (): RunResult => {
    const ms = (us: number) => Math.round(Math.min(us, pacer.lateness.maxValue)) / 1000;
    return {
      end: endKind,
      summary,
      cdrFiles: cdr ? [...cdr.files] : [],
      delivery: sender?.stats.report() ?? ov3Sender?.report(),
      deadLetterPath: deadLetter?.path,
      deadLetterLost: deadLetter?.lost ?? 0,
      failure: (failure ?? deadLetter?.failure)?.message,
      latenessMs: {
        p50: ms(pacer.lateness.getValueAtPercentile(50)),
        p99: ms(pacer.lateness.getValueAtPercentile(99)),
        max: ms(pacer.lateness.maxValue),
      },
    };
  };

  /** OpenVidu's stop: what is due by now happened, then @PreDestroy closes every active session. */
  const stopServer = async (): Promise<void> => {
    const now = pacer.virtualNow();
    try {
      if (now !== undefined) for (const b of engine.runUntil(now)) await emit(b);
    } catch {
      // A refused step at the very end does not prevent the stop.
    }
    if (!engine.isStopped && !failure) await emit(engine.execute({ type: 'stopServer', args: {} }));
  };

  let stopping = false;
  const shutdown = (): Promise<RunResult> => {
    if (endKind === 'completed') endKind = 'shutdown';
    sender?.limitDrain(options.drainTimeoutMs ?? 10_000);
    ov3Sender?.limitDrain(options.drainTimeoutMs ?? 10_000);
    if (!stopping) {
      stopping = true;
      pacer.stop();
    }
    return done;
  };

  const abort = async (): Promise<RunResult> => {
    if (endKind !== 'failed') endKind = 'aborted';
    pacer.stop();
    await sender?.abort();
    await ov3Sender?.abort();
    return done;
  };

  const done: Promise<RunResult> = pacer.start().then(
    async () => {
      if (endKind === 'shutdown') await stopServer();
      // Drains as long as it takes, unless a signal set a deadline (shutdown) or the run was given up.
      await sender?.shutdown();
      await ov3Sender?.shutdown();
      closeFiles();
      return result();
    },
    async (e: unknown) => {
      await sender?.abort();
      await ov3Sender?.abort();
      closeFiles();
      throw e;
    },
  );

  return { engine, pacer, sender, ov3Sender, cdr, done, shutdown, abort };
}

/** A CDR write that failed, as the run reports it: naming the file (the sink's own error already does). */
function cdrWriteFailure(e: unknown, file: string | undefined): OvsimError {
  if (e instanceof OvsimError) return e;
  return new OvsimError('IO', `CDR file ${file ?? '(none)'}: write failed (${(e as Error).message})`, {
    cause: e,
  });
}

/**
 * LiveKit's notifier or Meet's dispatcher for `--server openvidu3` / `meet`; undefined for the servers that send
 * OpenVidu 2 bodies. @throws OvsimError BAD_INPUT when the server signs and its credentials are missing
 */
function openOv3Sender(options: RunOptions, speed: Speed): Ov3Sender | undefined {
  const { settings, config, credentials } = options;
  const kind = settings.server.kind;
  if (kind !== 'openvidu3' && kind !== 'meet') return undefined;
  const o = {
    server: settings.server,
    url: config.webhookEndpoint,
    // Paced runs never hold the server back; max speed waits for the backlog, as OpenVidu 2's sender does.
    highWaterMark: speed === 'max' ? 100 : Infinity,
    onAttemptFailed: options.onAttemptFailed,
  };
  if (kind === 'meet') {
    if (credentials === undefined) throw new OvsimError('BAD_INPUT', '--server meet: the API key is missing');
    return new MeetRunSender(o, credentials.apiKey);
  }
  if (credentials?.apiSecret === undefined)
    throw new OvsimError('BAD_INPUT', '--server openvidu3: the API key and secret are missing');
  return new LivekitRunSender(o, { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret });
}
