import type { Argv } from 'yargs';
import { defineCommand } from '../command.js';
import { OvsimError } from '../../errors.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { startRun, type RunHandle, type RunResult } from '../../runtime/run.js';
import { readScenario } from '../../scenario/parse-scenario.js';
import { resolveSettings } from '../../scenario/simulate-scenario.js';
import { formatDelivery } from '../../sinks/delivery-stats.js';
import { EXIT, type CliIo } from '../io.js';
import { parseEditionOption, parseStartOption, parseVersionOption, withScenarioOptions } from '../options.js';
import {
  configFromFlags,
  openviduFlagsBuilder,
  parseDurationOption,
  type OpenviduFlags,
} from '../openvidu-options.js';
import { loadBuilder, runLoadCommand, type LoadArgs } from './load.js';
import { onSignals } from '../signals.js';

export interface RunArgs extends OpenviduFlags, LoadArgs {
  readonly scenario: string;
  readonly seed?: string | undefined;
  readonly start?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly edition?: string | undefined;
  readonly speed: string;
  readonly delivery: 'openvidu' | 'load';
  readonly deadLetter?: string | undefined;
  readonly signSecret?: string | undefined;
  readonly drainTimeout: string;
  readonly timeout: string;
  readonly cdrStdout?: boolean | undefined;
}

/** Options every scenario-playing command shares: scenario, seed, start, version, pacing, sinks. */
export function scenarioRunBuilder(y: Argv): Argv<RunArgs> {
  const base = withScenarioOptions(y)
    .option('dead-letter', {
      type: 'string',
      describe: 'JSONL file of every event not delivered, with its attempts',
    })
    .option('sign-secret', {
      type: 'string',
      describe:
        'whsec_… secret: add Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature)',
    })
    .option('drain-timeout', {
      type: 'string',
      default: '10s',
      describe: 'on SIGINT/SIGTERM, how long the WebHook queue may drain',
    })
    .option('timeout', {
      type: 'string',
      default: '10s',
      describe: "WebHook connect and read timeouts (OpenVidu's: 10s)",
    });
  return openviduFlagsBuilder(base) as unknown as Argv<RunArgs>;
}

function runBuilder(y: Argv): Argv<RunArgs> {
  const b = scenarioRunBuilder(y)
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

/** Runs `ovsim run`; throws OvsimError on bad input (exit 2). */
export async function runRunCommand(o: RunArgs, io: CliIo): Promise<number> {
  if (o.delivery === 'load') {
    if (o.cdrStdout === true)
      throw new OvsimError(
        'BAD_INPUT',
        '--cdr-stdout: load delivery writes no CDR file (use --delivery openvidu)',
      );
    return runLoadCommand(o, io);
  }
  const speed = parseSpeed(o.speed);
  const start = parseStartOption(o.start);
  const version = parseVersionOption(o.openviduVersion);
  const edition = parseEditionOption(o.edition);
  const drainTimeoutMs = parseDurationOption(o.drainTimeout, '--drain-timeout', 10_000);
  const timeoutMs = parseDurationOption(o.timeout, '--timeout', 10_000);
  const config = await configFromFlags(o);
  if (o.cdrStdout === true && !config.cdr)
    throw new OvsimError(
      'BAD_INPUT',
      '--cdr-stdout needs the CDR file on (OPENVIDU_CDR=true, --cdr or --cdr-path DIR): OpenVidu prints those lines only then',
    );
  const scenario = await readScenario(o.scenario);
  const settings = resolveSettings(scenario, { seed: o.seed, start, version, edition });
  const handle: RunHandle = startRun({
    scenario,
    settings,
    config,
    speed,
    deadLetterPath: o.deadLetter,
    signSecret: o.signSecret,
    timeoutMs,
    drainTimeoutMs,
    cdrEcho: o.cdrStdout === true ? io.stdout : undefined,
  });
  io.stderr(
    `ovsim: ${scenario.name}: OpenVidu ${settings.profile.version} ${settings.profile.edition}, speed ${o.speed}\n` +
      (handle.cdr
        ? `ovsim: CDR file: ${handle.cdr.currentFile}\n`
        : 'ovsim: CDR file: off (OPENVIDU_CDR=false; --cdr-path DIR turns it on)\n') +
      (config.webhook
        ? `ovsim: WebHook: POST ${config.webhookEndpoint} (${config.webhookEvents.size} event types)\n`
        : 'ovsim: WebHook: off (OPENVIDU_WEBHOOK=false; --webhook-endpoint URL turns it on)\n'),
  );
  const release = onSignals(
    () => {
      io.stderr(
        `ovsim: stopping: closing every session (openviduServerStopped), draining for ${drainTimeoutMs / 1000} s (again to quit now)\n`,
      );
      void handle.shutdown();
    },
    () => {
      io.stderr('ovsim: quitting now\n');
      void handle.abort();
    },
  );
  try {
    const result = await handle.done;
    io.stderr(formatRunResult(scenario.name, result));
    return EXIT.OK;
  } finally {
    release();
  }
}

/** The end-of-run summary (stderr). */
export function formatRunResult(name: string, r: RunResult): string {
  const lines = [`ovsim: ${name}: ${r.end}; ${r.summary.line()}`];
  if (r.cdrFiles.length > 0) lines.push(`ovsim: CDR: ${r.cdrFiles.join(', ')}`);
  if (r.delivery) {
    lines.push(`ovsim: WebHook: ${formatDelivery(r.delivery)}`);
    const l = r.delivery.latencyMs;
    if (l.count > 0) lines.push(`ovsim: WebHook latency ms: p50 ${l.p50}, p99 ${l.p99}, max ${l.max}`);
    const lost = r.delivery.failedTotal + r.delivery.unsent;
    if (lost > 0) {
      lines.push(
        `ovsim: ${lost} event(s) not delivered` +
          (r.deadLetterPath ? `: see ${r.deadLetterPath}` : ' (--dead-letter FILE keeps them)'),
      );
    }
  }
  if (r.latenessMs.max > 0)
    lines.push(
      `ovsim: pacing lateness ms: p50 ${r.latenessMs.p50}, p99 ${r.latenessMs.p99}, max ${r.latenessMs.max}`,
    );
  return lines.join('\n') + '\n';
}

export const runCommand = defineCommand<RunArgs>({
  command: 'run <scenario>',
  describe: "play a scenario on the wall clock through OpenVidu's CDR file and WebHook sender",
  builder: runBuilder,
  run: runRunCommand,
});
