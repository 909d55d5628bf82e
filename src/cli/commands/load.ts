import type { Argv } from 'yargs';
import {
  formatChaos,
  refuseGeneratedTraffic,
  scenarioRunBuilder,
  type RunArgs,
  type LoadArgs,
  loadBuilder,
  parseFraction,
  warnOnce,
  writeReport,
} from './play-options.js';
import { OvsimError } from '../../errors.js';
import { LoadMetrics } from '../../runtime/load-metrics.js';
import { parseRate, parseRetry, parseStages, type Stage } from '../../runtime/load-plan.js';
import { startLoadProgress } from '../../runtime/load-progress.js';
import { formatLoadReport, judgeLoad } from '../../runtime/load-report.js';
import { DEFAULT_GRACEFUL_STOP_MS, startLoad, type LoadHandle, type LoadResult } from '../../runtime/load.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { readScenario } from '../../scenario/read-scenario.js';
import { resolveSettings, type SimulationSettings } from '../../scenario/simulate-scenario.js';
import type { ExplainContext } from '../../sinks/delivery-explain.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { configFromFlags, parseDurationOption, type OpenviduFlags } from '../openvidu-options.js';
import {
  parseEditionOption,
  parseStartOption,
  parseVersionOption,
  serverOverrides,
  withServerOptions,
} from '../options.js';
import {
  applyLivekitConfig,
  senderCredentials,
  withApiKeyOptions,
  type SenderCredentials,
} from '../api-key-options.js';
import type { LivekitDeliverySettings } from '../../runtime/ov3-senders.js';
import type { ServerKind } from '../../model/servers.js';
import { onSignals } from '../signals.js';
import type { ChaosSpec } from '../../sinks/chaos-spec.js';
import {
  journalHeader,
  openTruth,
  parseRehearsalOptions,
  refuseTruthFor,
  requireWebhook,
  settleTruth,
  truthRunOf,
  warnNoWebhookEvents,
  type RehearsalOptions,
  type TruthOutput,
} from '../chaos-options.js';
import type { OpenviduConfig } from '../../config/openvidu-config.js';
import type { LoadOptions } from '../../runtime/load-types.js';
import type { Scenario } from '../../scenario/scenario.js';

function positiveInt(v: number | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1)
    throw new OvsimError('BAD_INPUT', `${option} must be a whole number ≥ 1`);
  return v;
}

/** Load mode's options, parsed and checked (exit 2 on bad input). */
function parseLoadArgs(o: RunArgs & LoadArgs & OpenviduFlags) {
  const rate = o.rate === undefined ? undefined : parseRate(o.rate);
  const stages = o.stages === undefined ? undefined : parseStages(o.stages);
  const durationMs = o.duration === undefined ? undefined : parseDurationOption(o.duration, '--duration', 0);
  if (durationMs !== undefined && rate === undefined)
    throw new OvsimError('BAD_INPUT', '--duration needs --rate');
  const accept = o.accept ?? '200';
  if (accept !== '200' && accept !== '2xx')
    throw new OvsimError('BAD_INPUT', `--accept "${accept}" must be 200 or 2xx`);
  if (o.cdr !== undefined || o.cdrPath !== undefined || o.cdrStdout === true) {
    const flag = o.cdrStdout === true ? '--cdr-stdout' : o.cdrPath !== undefined ? '--cdr-path' : '--cdr';
    throw new OvsimError(
      'BAD_INPUT',
      `${flag}: load delivery writes no CDR file (ovsim run --delivery openvidu writes it)`,
    );
  }
  return {
    speed: parseSpeed(o.speed ?? 'max'),
    start: parseStartOption(o.start),
    version: parseVersionOption(o.openviduVersion),
    edition: parseEditionOption(o.edition),
    rate,
    stages,
    durationMs,
    retry: parseRetry(o.retry ?? 'openvidu'),
    connections: positiveInt(o.connections, '--connections') ?? 50,
    replicas: positiveInt(o.replicas, '--replicas'),
    lanes: positiveInt(o.lanes, '--lanes'),
    maxFailureRate: parseFraction(o.maxFailureRate, '--max-failure-rate'),
    maxP99: o.maxP99 === undefined ? undefined : parseDurationOption(o.maxP99, '--max-p99', 0),
    accept: accept as '200' | '2xx',
    drainMs: parseDurationOption(o.drainTimeout, '--drain-timeout', 10_000),
    timeoutMs: parseDurationOption(o.timeout, '--timeout', 10_000),
    gracefulStopMs: parseDurationOption(o.gracefulStop, '--graceful-stop', DEFAULT_GRACEFUL_STOP_MS),
  };
}

/** The load test's inputs: flags checked, configuration, scenario and settings, and how failures are explained. */
async function prepareLoad(o: RunArgs & LoadArgs & OpenviduFlags, io: CliIo) {
  const a = parseLoadArgs(o);
  const rehearsal = parseRehearsalOptions(o, {
    '--report': o.report,
    '--dead-letter': o.deadLetter,
    '--metrics': o.metrics,
  });
  refuseTwoRetryRules(o, rehearsal.spec);
  const base = await configFromFlags(o);
  const { config, file: livekitFile } = applyLivekitConfig(o, base, base.webhook);
  if (!config.webhook)
    throw new OvsimError(
      'BAD_INPUT',
      'load mode needs --webhook-endpoint URL (or OPENVIDU_WEBHOOK_ENDPOINT; --server openvidu3: webhook.urls of --livekit-config)',
    );
  requireWebhook(rehearsal, config);
  const scenario = await readScenario(o.scenario);
  refuseGeneratedTraffic(scenario, 'load');
  const settings = resolveSettings(scenario, {
    seed: o.seed,
    start: a.start,
    version: a.version,
    edition: a.edition,
    ...serverOverrides(o),
  });
  const credentials = senderCredentials(settings.server.kind, o, process.env, livekitFile);
  refuseOpenvidu2Options(settings.server.kind, o, rehearsal);
  refuseTruthFor(settings.server.kind, rehearsal.truthPath);
  // LiveKit and Meet take any 2xx as delivered; OpenVidu 2's sender only a 200.
  if (o.accept === undefined && (settings.server.kind === 'openvidu3' || settings.server.kind === 'meet'))
    a.accept = '2xx';
  warnNoWebhookEvents(config, io, o.envFile);
  const ctx: ExplainContext = {
    endpoint: config.webhookEndpoint,
    accept: rehearsal.spec?.accept ?? a.accept,
    timeout: o.timeout ?? '10s',
    canAccept2xx: true,
  };
  return { a, rehearsal, config, scenario, settings, ctx, credentials, livekit: livekitFile?.delivery };
}

/**
 * LiveKit's notifier and Meet's dispatcher have their own retry schedules and signatures, and the chaos stage wraps
 * OpenVidu 2's sender: what only OpenVidu 2's delivery has is refused under them (exit 2), not ignored.
 */
function refuseOpenvidu2Options(kind: ServerKind, o: RunArgs & LoadArgs, rehearsal: RehearsalOptions): void {
  if (kind !== 'openvidu3' && kind !== 'meet') return;
  const own =
    kind === 'meet' ? "Meet's (6 attempts, 300 ms doubling)" : "LiveKit's (5 attempts, 1 s doubling)";
  if (o.retry !== undefined)
    throw new OvsimError('BAD_INPUT', `--retry: --server ${kind} retries on its own schedule, ${own}`);
  if (o.signSecret !== undefined)
    throw new OvsimError(
      'BAD_INPUT',
      `--sign-secret: --server ${kind} signs its webhooks its own way, with --api-key${kind === 'meet' ? '' : '/--api-secret'}`,
    );
  if (rehearsal.spec !== undefined || rehearsal.journalPath !== undefined)
    throw new OvsimError(
      'BAD_INPUT',
      `--chaos and --journal wrap OpenVidu 2's WebHook sender, not ${kind}'s (not supported yet): ` +
        'drop them, or use --server openvidu2 or openvidu3-v2compat',
    );
}

/** Runs load mode: exit 1 when a threshold is exceeded, nothing was delivered or a sink failed; 130 after a signal. */
export async function runLoadCommand(o: RunArgs & LoadArgs & OpenviduFlags, io: CliIo): Promise<number> {
  const { a, rehearsal, config, scenario, settings, ctx, credentials, livekit } = await prepareLoad(o, io);
  const truth = await openTruth(rehearsal.truthPath);
  const metrics = o.metrics === undefined ? undefined : new LoadMetrics(o.metrics);
  let handle: LoadHandle;
  try {
    handle = startLoad(
      loadOptions(o, a, rehearsal, { scenario, settings, config, io, ctx, truth, credentials, livekit }),
    );
  } catch (e) {
    metrics?.stop();
    await truth?.sink.abort();
    throw e;
  }
  const plan = a.stages
    ? `stages ${o.stages}`
    : a.rate
      ? `rate ${o.rate}${o.duration ? ` for ${o.duration}` : ''}`
      : `speed ${o.speed ?? 'max'}`;
  io.stderr(
    `ovsim: load ${scenario.name} → POST ${config.webhookEndpoint}: ${plan}, ${a.connections} connections, ` +
      `${senderLabel(settings.server.kind, a.retry.name)}\n`,
  );
  let watched: { result: LoadResult; interrupted: boolean };
  try {
    watched = await watchLoad(handle, io, metrics, a.drainMs, planLength(a));
  } catch (e) {
    await truth?.sink.abort();
    throw e;
  }
  const { result, interrupted } = watched;
  const thresholds = { maxFailureRate: a.maxFailureRate, maxP99Ms: a.maxP99 };
  const verdict = judgeLoad(result, thresholds, ctx, interrupted);
  io.stdout(formatLoadReport(result, verdict));
  if (result.chaos) io.stdout(`${formatChaos(result.chaos)}\n`);
  if (result.journalPath) io.stdout(`journal: ${result.journalPath}\n`);
  const ended = result.end === 'completed' || result.end === 'shutdown';
  await settleTruth(truth, ended, truthRunOf(scenario, settings), io);
  if (o.report !== undefined) {
    writeReport(o.report, {
      scenario: scenario.name,
      endpoint: config.webhookEndpoint,
      connections: a.connections,
      retry: a.retry.name,
      plan,
      ...result,
      metricsPath: metrics?.path,
      failureRate: verdict.failureRate,
      thresholds: { ...thresholds, breaches: verdict.breaches, passed: verdict.breaches.length === 0 },
      failures: verdict.failures,
      interrupted,
      exitCode: verdict.exitCode,
    });
  }
  if (result.failure !== undefined) io.stderr(`ovsim: ${result.failure}\n`);
  return verdict.exitCode;
}

/** The options of `startLoad`, from the command's. */
function loadOptions(
  o: RunArgs & LoadArgs & OpenviduFlags,
  a: ReturnType<typeof parseLoadArgs>,
  rehearsal: RehearsalOptions,
  c: {
    scenario: Scenario;
    settings: SimulationSettings;
    config: OpenviduConfig;
    io: CliIo;
    ctx: ExplainContext;
    truth: TruthOutput | undefined;
    credentials: SenderCredentials;
    livekit: LivekitDeliverySettings | undefined;
  },
): LoadOptions {
  return {
    scenario: c.scenario,
    settings: c.settings,
    config: c.config,
    rate: a.rate,
    stages: a.stages,
    durationMs: a.durationMs,
    replicas: a.replicas,
    lanes: a.lanes,
    speed: a.speed,
    connections: a.connections,
    retry: a.retry,
    timeoutMs: a.timeoutMs,
    gracefulStopMs: a.gracefulStopMs,
    deadLetterPath: o.deadLetter,
    signSecret: o.signSecret,
    credentials: c.credentials.kind === 'none' ? undefined : c.credentials,
    livekit: c.livekit,
    success: a.accept === '2xx' ? (s) => s >= 200 && s < 300 : (s) => s === 200,
    onAttemptFailed: warnOnce(c.io, c.ctx),
    chaos: rehearsal.spec,
    journal:
      rehearsal.journalPath === undefined
        ? undefined
        : {
            path: rehearsal.journalPath,
            header: journalHeader('load', o.scenario, c.settings, c.config, rehearsal.spec, {
              speed: o.speed ?? 'max',
              flags: reproduceFlags(o),
            }),
          },
    truth: c.truth?.builder,
  };
}

/** Who sends, when it is not OpenVidu 2's sender with load's retry rule. */
function senderLabel(kind: ServerKind, retry: string): string {
  switch (kind) {
    case 'openvidu3':
      return "LiveKit's notifier (per-resource queues, 5 attempts, JWT-signed)";
    case 'meet':
      return "OpenVidu Meet's dispatcher (6 attempts, X-Signature)";
    case 'openvidu3-v2compat':
      return `the v2-compatibility module's OpenVidu 2 bodies, retry ${retry}`;
    default:
      return `retry ${retry}`;
  }
}

/** `--retry` and a chaos `retry=` item are two answers to one question: refused (exit 2). */
function refuseTwoRetryRules(o: LoadArgs, spec: ChaosSpec | undefined): void {
  if (spec === undefined) return;
  if (o.retry !== undefined && spec.retry.kind !== 'sender')
    throw new OvsimError('BAD_INPUT', '--retry and --chaos retry=… both set a retry rule: give one of them');
  if (o.accept !== undefined && spec.accept !== undefined)
    throw new OvsimError(
      'BAD_INPUT',
      '--accept and --chaos accept=… both set the success statuses: give one of them',
    );
}

/** The load flags that decide which events the replicas produce (for the journal's command line). */
function reproduceFlags(o: LoadArgs): string[] {
  const out: string[] = [];
  for (const [key, flag] of [
    ['rate', '--rate'],
    ['stages', '--stages'],
    ['duration', '--duration'],
    ['replicas', '--replicas'],
    ['lanes', '--lanes'],
    ['connections', '--connections'],
    ['retry', '--retry'],
    ['accept', '--accept'],
  ] as const) {
    const v = o[key];
    if (v !== undefined) out.push(flag, String(v));
  }
  return out;
}

/** The plan's length in ms (the progress bar's 100 %), undefined without one. */
function planLength(a: { durationMs?: number | undefined; stages?: readonly Stage[] | undefined }) {
  if (a.stages && a.stages.length > 0) return a.stages.reduce((n, s) => n + s.durationMs, 0);
  return a.durationMs;
}

/** Waits for the end of the test with its live line, its metrics and the signals. */
async function watchLoad(
  handle: LoadHandle,
  io: CliIo,
  metrics: LoadMetrics | undefined,
  drainMs: number,
  planMs: number | undefined,
): Promise<{ result: LoadResult; interrupted: boolean }> {
  const backlog = () => handle.delivery.backlog;
  if (metrics) {
    metrics.onFailure = (f) => handle.fail(f);
    metrics.start(handle.delivery.stats, backlog, handle.startedAt);
  }
  const progress = startLoadProgress(
    io.stderrIsTTY,
    handle.delivery.stats,
    backlog,
    handle.startedAt,
    planMs,
  );
  let interrupted = false;
  const release = onSignals(
    (signal) => {
      interrupted = true;
      io.stderr(
        `\novsim: ${signal}: stopping: closing every live session (openviduServerStopped), draining for ${drainMs / 1000} s (again to quit now)\n`,
      );
      void handle.shutdown(drainMs);
    },
    () => {
      io.stderr('ovsim: quitting now\n');
      void handle.abort();
    },
  );
  try {
    return { result: await handle.done, interrupted };
  } finally {
    release();
    progress.stop();
    metrics?.stop();
  }
}

function loadCommandBuilder(y: Argv): Argv {
  const b = withApiKeyOptions(withServerOptions(scenarioRunBuilder(y))).option('speed', {
    type: 'string',
    default: 'max',
    describe: 'without --rate: pace the replicas on virtual time (realtime | max | factor)',
  });
  // Shared with run, but load writes no CDR file: not shown, and refused with a hint when given (loadPlanOptions).
  return loadBuilder(b as unknown as Argv)
    .hide('cdr')
    .hide('cdr-path')
    .hide('cdr-stdout');
}

export const loadCommand = defineCommand<RunArgs & LoadArgs>({
  command: 'load <scenario>',
  describe: 'load-test a WebHook consumer: concurrent delivery at a planned rate, latency and failure report',
  builder: loadCommandBuilder,
  run: runLoadCommand,
});
