import type { Argv } from 'yargs';
import {
  type RunArgs,
  scenarioRunBuilder,
  refuseGeneratedTraffic,
  formatChaos,
  LOAD_ONLY_OPTIONS,
  loadBuilder,
  parseFraction,
  warnOnce,
  writeReport,
} from './play-options.js';
import { runLoadCommand } from './load.js';
import { defineCommand } from '../command.js';
import { OvsimError } from '../../errors.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { startRun, type RunHandle, type RunResult } from '../../runtime/run.js';
import { readScenario } from '../../scenario/read-scenario.js';
import { resolveSettings, type SimulationSettings } from '../../scenario/simulate-scenario.js';
import { explainUndelivered, type ExplainContext } from '../../sinks/delivery-explain.js';
import { formatDelivery } from '../../sinks/delivery-stats.js';
import { EXIT, type CliIo } from '../io.js';
import {
  parseEditionOption,
  parseStartOption,
  parseVersionOption,
  serverOverrides,
  withServerOptions,
} from '../options.js';
import {
  applyLivekitConfig,
  refuseLivekitConfigFor,
  senderCredentials,
  withApiKeyOptions,
} from '../api-key-options.js';
import { formatUrlReport } from '../../sinks/livekit-notifier.js';
import { SERVER_DESCRIPTIONS } from '../../model/servers.js';
import { configFromFlags, parseDurationOption } from '../openvidu-options.js';
import { onSignals } from '../signals.js';
import {
  journalHeader,
  openTruth,
  parseRehearsalOptions,
  refuseTruthFor,
  requireWebhook,
  settleTruth,
  truthRunOf,
  warnNoWebhookEvents,
  type TruthOutput,
} from '../chaos-options.js';
import type { OpenviduConfig } from '../../config/openvidu-config.js';

function runBuilder(y: Argv): Argv<RunArgs> {
  const b = withApiKeyOptions(withServerOptions(scenarioRunBuilder(y)))
    .option('speed', {
      type: 'string',
      default: 'realtime',
      describe: 'realtime | max | a factor (60 plays an hour in a minute)',
    })
    .option('cdr-stdout', {
      type: 'boolean',
      default: false,
      describe:
        'also print every CDR line on stdout as OpenVidu\'s console does: "[INFO] <yyyy-MM-dd HH:mm:ss,SSS> [<thread>] io.openvidu.server.cdr.CDRLoggerFile - {…}" (virtual UTC time; needs the CDR file on)',
    })
    .option('delivery', {
      choices: ['openvidu', 'load'] as const,
      default: 'openvidu' as const,
      describe:
        "openvidu: OpenVidu's sender, to the byte; load: concurrent load-test delivery (see ovsim load)",
    });
  return loadBuilder(b as unknown as Argv) as unknown as Argv<RunArgs>;
}

/** `run --delivery openvidu` refuses the load-only flags it would otherwise ignore (exit 2). */
function refuseLoadOnlyFlags(o: RunArgs): void {
  const given = LOAD_ONLY_OPTIONS.filter(([key]) => o[key] !== undefined).map(([, flag]) => flag);
  if (given.length === 0) return;
  throw new OvsimError(
    'BAD_INPUT',
    `${given.join(', ')}: load delivery only — ovsim run plays one scenario through OpenVidu's sender; ` +
      'use ovsim load (or ovsim run --delivery load)',
  );
}

/** `ovsim run`'s options, parsed and checked (exit 2 on bad input). */
function parseRunOptions(o: RunArgs) {
  return {
    speed: parseSpeed(o.speed),
    start: parseStartOption(o.start),
    version: parseVersionOption(o.openviduVersion),
    edition: parseEditionOption(o.edition),
    drainTimeoutMs: parseDurationOption(o.drainTimeout, '--drain-timeout', 10_000),
    timeoutMs: parseDurationOption(o.timeout, '--timeout', 10_000),
    maxFailureRate: parseFraction(o.maxFailureRate, '--max-failure-rate') ?? 0,
    maxP99: o.maxP99 === undefined ? undefined : parseDurationOption(o.maxP99, '--max-p99', 0),
    rehearsal: parseRehearsalOptions(o, { '--report': o.report, '--dead-letter': o.deadLetter }),
  };
}

/** A run needs somewhere to play to, and `--cdr-stdout` the CDR file. @throws OvsimError BAD_INPUT */
function checkRunConfig(o: RunArgs, config: OpenviduConfig): void {
  if (o.cdrStdout === true && !config.cdr)
    throw new OvsimError(
      'BAD_INPUT',
      '--cdr-stdout needs the CDR file on (OPENVIDU_CDR=true, --cdr or --cdr-path DIR): OpenVidu prints those lines only then',
    );
  if (!config.cdr && !config.webhook)
    throw new OvsimError(
      'BAD_INPUT',
      'nothing to play to: the CDR file and the WebHook are both off — add --cdr-path DIR and/or ' +
        "--webhook-endpoint URL (ovsim generate writes a scenario's events at once)",
    );
}

/** `--delivery load`: the scenario played by load's delivery (the server's wire at a rate), which writes no CDR file. */
function runLoadDelivery(o: RunArgs, io: CliIo): Promise<number> {
  if (o.cdrStdout === true)
    throw new OvsimError(
      'BAD_INPUT',
      '--cdr-stdout: load delivery writes no CDR file (use --delivery openvidu)',
    );
  return runLoadCommand(o, io);
}

/**
 * Runs `ovsim run`; throws OvsimError on bad input (exit 2). Exit 1 when an event was not delivered (beyond
 * `--max-failure-rate`, default 0: a fixture driver must deliver everything) or over `--max-p99`, or when a sink
 * failed; 130 after SIGINT/SIGTERM.
 */
export async function runRunCommand(o: RunArgs, io: CliIo): Promise<number> {
  if (o.delivery === 'load') return runLoadDelivery(o, io);
  refuseLoadOnlyFlags(o);
  const a = parseRunOptions(o);
  const base = await configFromFlags(o);
  const { config, file: livekitFile } = applyLivekitConfig(o, base, base.webhook);
  requireWebhook(a.rehearsal, config);
  checkRunConfig(o, config);
  const scenario = await readScenario(o.scenario);
  refuseGeneratedTraffic(scenario, 'run');
  const settings = resolveSettings(scenario, {
    seed: o.seed,
    start: a.start,
    version: a.version,
    edition: a.edition,
    ...serverOverrides(o),
  });
  refuseTruthFor(settings.server.kind, a.rehearsal.truthPath);
  refuseLivekitConfigFor(settings.server.kind, livekitFile);
  const credentials = config.webhook
    ? senderCredentials(settings.server.kind, o, process.env, livekitFile)
    : undefined;
  warnNoWebhookEvents(config, io, o.envFile);
  const ctx: ExplainContext = {
    endpoint: config.webhookEndpoint,
    accept: a.rehearsal.spec?.accept ?? '200',
    timeout: o.timeout,
    canAccept2xx: false,
  };
  const truth = await openTruth(a.rehearsal.truthPath);
  let handle: RunHandle;
  try {
    handle = startRun({
      scenario,
      settings,
      config,
      speed: a.speed,
      deadLetterPath: o.deadLetter,
      signSecret: o.signSecret,
      timeoutMs: a.timeoutMs,
      drainTimeoutMs: a.drainTimeoutMs,
      cdrEcho: o.cdrStdout === true ? io.stdout : undefined,
      onAttemptFailed: warnOnce(io, ctx),
      chaos: a.rehearsal.spec,
      journal:
        a.rehearsal.journalPath === undefined
          ? undefined
          : {
              path: a.rehearsal.journalPath,
              header: journalHeader('run', o.scenario, settings, config, a.rehearsal.spec, {
                speed: o.speed,
              }),
            },
      truth: truth?.builder,
      credentials: credentials?.kind === 'none' ? undefined : credentials,
      livekit: livekitFile?.delivery,
    });
  } catch (e) {
    await truth?.sink.abort();
    throw e;
  }
  io.stderr(
    runBanner(scenario.name, settings, o.speed, handle, config, livekitFile?.config.urls.length ?? 1),
  );
  const { result, interrupted } = await watchRun(handle, io, a.drainTimeoutMs, truth);
  const thresholds = { maxFailureRate: a.maxFailureRate, maxP99Ms: a.maxP99 };
  const verdict = judgeRun(result, thresholds, ctx, interrupted);
  io.stderr(formatRunResult(scenario.name, result, verdict));
  await settleTruth(
    truth,
    result.end === 'completed' || result.end === 'shutdown',
    truthRunOf(scenario, settings),
    io,
  );
  if (o.report !== undefined)
    writeReport(o.report, runReport(scenario.name, config, result, verdict, thresholds, interrupted));
  return verdict.exitCode;
}

/** The JSON of `--report`. */
function runReport(
  name: string,
  config: OpenviduConfig,
  result: RunResult,
  verdict: RunVerdict,
  thresholds: { maxFailureRate: number; maxP99Ms: number | undefined },
  interrupted: boolean,
) {
  return {
    scenario: name,
    endpoint: config.webhook ? config.webhookEndpoint : undefined,
    ...result,
    summary: {
      events: result.summary.events,
      sessions: result.summary.sessions,
      byType: Object.fromEntries(result.summary.byType),
      virtualSpanMs: result.summary.virtualSpanMs,
    },
    failureRate: verdict.failureRate,
    thresholds: { ...thresholds, breaches: verdict.breaches, passed: verdict.breaches.length === 0 },
    failures: verdict.failures,
    interrupted,
    exitCode: verdict.exitCode,
  };
}

/** What is played, and where to (stderr, at the start). */
function runBanner(
  name: string,
  settings: SimulationSettings,
  speed: string,
  handle: RunHandle,
  config: OpenviduConfig,
  urls: number,
): string {
  return (
    `ovsim: ${name}: ${describeServer(settings)}, speed ${speed}\n` +
    (handle.cdr
      ? `ovsim: CDR file: ${handle.cdr.currentFile}\n`
      : 'ovsim: CDR file: off (OPENVIDU_CDR=false; --cdr-path DIR turns it on)\n') +
    (config.webhook
      ? `ovsim: WebHook: POST ${config.webhookEndpoint}${webhookDetail(settings, config.webhookEvents.size, urls)}\n`
      : 'ovsim: WebHook: off (OPENVIDU_WEBHOOK=false; --webhook-endpoint URL turns it on)\n')
  );
}

/** Waits for the end of the run, stopping it on SIGINT/SIGTERM (quitting on a second signal). */
async function watchRun(
  handle: RunHandle,
  io: CliIo,
  drainTimeoutMs: number,
  truth: TruthOutput | undefined,
): Promise<{ result: RunResult; interrupted: boolean }> {
  let interrupted = false;
  const release = onSignals(
    (signal) => {
      interrupted = true;
      io.stderr(
        `ovsim: ${signal}: stopping: closing every session (openviduServerStopped), draining for ${drainTimeoutMs / 1000} s (again to quit now)\n`,
      );
      void handle.shutdown();
    },
    () => {
      io.stderr('ovsim: quitting now\n');
      void handle.abort();
    },
  );
  try {
    return { result: await handle.done, interrupted };
  } catch (e) {
    await truth?.sink.abort();
    throw e;
  } finally {
    release();
  }
}

/** `OpenVidu 2.32 ce`, or the OpenVidu 3 server and its LiveKit build. */
function describeServer(settings: SimulationSettings): string {
  const kind = settings.server.kind;
  if (kind === 'openvidu2') return `OpenVidu ${settings.profile.version} ${settings.profile.edition}`;
  return `${SERVER_DESCRIPTIONS[kind]} (LiveKit ${settings.server.livekit.version})`;
}

/** What the sender sends: OPENVIDU_WEBHOOK_EVENTS applies to the OpenVidu 2 bodies only. */
function webhookDetail(settings: SimulationSettings, eventTypes: number, urls: number): string {
  switch (settings.server.kind) {
    case 'openvidu3':
      return `${urls > 1 ? ` and ${urls - 1} more URL(s)` : ''}, LiveKit's notifier: per-room queues, JWT-signed`;
    case 'meet':
      return ", OpenVidu Meet's dispatcher: X-Signature HMAC";
    default:
      return ` (${eventTypes} event types)`;
  }
}

interface RunVerdict {
  readonly failureRate: number;
  readonly breaches: readonly string[];
  readonly hints: readonly string[];
  readonly failures: readonly string[];
  readonly exitCode: number;
}

/** Events not delivered, of those meant to be: per event with chaos (a duplicate accepted counts), else per request. */
function undelivered(r: RunResult): { lost: number; meant: number } {
  const c = r.chaos;
  if (c) return { lost: c.undelivered, meant: c.events - c.dropped };
  const d = r.delivery;
  // Every event handed over and not filtered was meant to arrive, including those LiveKit dropped before sending.
  return d ? { lost: d.failedTotal + d.unsent, meant: d.events - d.filtered } : { lost: 0, meant: 0 };
}

/** Exit 1 for a failed sink; else 130 after a signal; else 1 for a threshold over its limit; else 0. */
function judgeRun(
  r: RunResult,
  t: { maxFailureRate: number; maxP99Ms: number | undefined },
  ctx: ExplainContext,
  interrupted: boolean,
): RunVerdict {
  const d = r.delivery;
  const { lost, meant } = undelivered(r);
  const failureRate = d ? lost / Math.max(1, meant) : 0;
  const breaches: string[] = [];
  if (d && failureRate > t.maxFailureRate) {
    breaches.push(
      `${lost} of ${meant} event(s) not delivered` +
        (t.maxFailureRate > 0
          ? ` (failure rate ${(failureRate * 100).toFixed(2)}% > ${(t.maxFailureRate * 100).toFixed(2)}%)`
          : ''),
    );
  }
  if (d && t.maxP99Ms !== undefined && d.latencyMs.p99 > t.maxP99Ms) {
    breaches.push(`p99 latency ${d.latencyMs.p99} ms > ${t.maxP99Ms} ms`);
  }
  const failures = r.failure !== undefined ? [r.failure] : [];
  const exitCode =
    failures.length > 0
      ? EXIT.FAILURE
      : interrupted
        ? EXIT.INTERRUPTED
        : breaches.length > 0
          ? EXIT.FAILURE
          : EXIT.OK;
  return { failureRate, breaches, hints: d ? explainUndelivered(d, ctx) : [], failures, exitCode };
}

/** The end-of-run summary (stderr). */
export function formatRunResult(name: string, r: RunResult, v?: RunVerdict): string {
  const lines = [`ovsim: ${name}: ${r.end}; ${r.summary.line()}`];
  if (r.cdrFiles.length > 0) lines.push(`ovsim: CDR: ${r.cdrFiles.join(', ')}`);
  if (r.chaos) lines.push(`ovsim: ${formatChaos(r.chaos)}`);
  if (r.journalPath) lines.push(`ovsim: journal: ${r.journalPath}`);
  if (r.delivery) {
    lines.push(`ovsim: WebHook: ${formatDelivery(r.delivery)}`);
    const l = r.delivery.latencyMs;
    if (l.count > 0) lines.push(`ovsim: WebHook latency ms: p50 ${l.p50}, p99 ${l.p99}, max ${l.max}`);
    if (r.perUrl && r.perUrl.length > 1)
      for (const u of r.perUrl) lines.push(`ovsim:   ${formatUrlReport(u)}`);
    const { lost } = undelivered(r);
    if (lost > 0) {
      lines.push(
        `ovsim: ${lost} event(s) not delivered` +
          (r.deadLetterPath ? `: see ${r.deadLetterPath}` : ' (--dead-letter FILE keeps them)'),
      );
      for (const h of v?.hints ?? []) lines.push(`ovsim:   ${h}`);
    }
  }
  if (r.deadLetterLost > 0) lines.push(`ovsim: dead letters not written: ${r.deadLetterLost}`);
  if (r.latenessMs.max > 0)
    lines.push(
      `ovsim: pacing lateness ms: p50 ${r.latenessMs.p50}, p99 ${r.latenessMs.p99}, max ${r.latenessMs.max}`,
    );
  for (const b of v?.breaches ?? []) lines.push(`ovsim: FAILED: ${b}`);
  for (const f of v?.failures ?? []) lines.push(`ovsim: FAILED: ${f}`);
  return lines.join('\n') + '\n';
}

export const runCommand = defineCommand<RunArgs>({
  command: 'run <scenario>',
  describe: "play a scenario on the wall clock through OpenVidu's CDR file and WebHook sender",
  builder: runBuilder,
  run: runRunCommand,
});
