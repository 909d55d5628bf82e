import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { OvsimError } from '../../errors.js';
import { parseRate, parseRetry, parseStages } from '../../runtime/load-plan.js';
import { startLoad, type LoadResult } from '../../runtime/load.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { readScenario } from '../../scenario/parse-scenario.js';
import { resolveSettings } from '../../scenario/simulate-scenario.js';
import { formatDelivery } from '../../sinks/delivery-stats.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';
import { configFromFlags, parseDurationOption, type OpenviduFlags } from '../openvidu-options.js';
import { parseEditionOption, parseStartOption, parseVersionOption } from '../options.js';
import { onSignals } from '../signals.js';
import { scenarioRunBuilder, type RunArgs } from './run.js';

/** Options of load mode (shared by `ovsim load` and `ovsim run --delivery load`). */
export interface LoadArgs {
  readonly rate?: string | undefined;
  readonly stages?: string | undefined;
  readonly duration?: string | undefined;
  readonly replicas?: number | undefined;
  readonly lanes?: number | undefined;
  readonly connections?: number | undefined;
  readonly retry?: string | undefined;
  readonly accept?: string | undefined;
  readonly report?: string | undefined;
  readonly maxFailureRate?: string | undefined;
  readonly maxP99?: string | undefined;
}

export function loadBuilder<T>(y: Argv<T>): Argv<T & LoadArgs> {
  return y
    .option('rate', {
      type: 'string',
      describe: 'target rate: events/s (500/s) or sessions/s (5sessions/s); without it, --speed paces',
    })
    .option('stages', {
      type: 'string',
      describe: 'ramps DURATION:RATE,… from --rate (or 0), e.g. 30s:100/s,60s:1000/s',
    })
    .option('duration', {
      type: 'string',
      describe: 'length of a constant --rate test (then the scenario is replayed as needed)',
    })
    .option('replicas', {
      type: 'number',
      describe: 'copies of the scenario (default 1, endless with --duration or --stages)',
    })
    .option('lanes', { type: 'number', describe: 'copies live at once (default --connections)' })
    .option('connections', {
      type: 'number',
      default: 50,
      describe: 'concurrent requests; one session is never sent on two at once',
    })
    .option('retry', {
      type: 'string',
      default: 'openvidu',
      describe:
        'openvidu (5 immediate attempts on network errors) | none | 1s,5s,30s | exp:base=200ms,max=5,cap=30s,jitter',
    })
    .option('accept', {
      type: 'string',
      default: '200',
      describe: "success statuses: 200 (OpenVidu's rule) or 2xx",
    })
    .option('report', { type: 'string', describe: 'write the final report as JSON to this file' })
    .option('max-failure-rate', {
      type: 'string',
      describe: 'exit 1 when undelivered/sent exceeds this (0.01 or 1%)',
    })
    .option('max-p99', {
      type: 'string',
      describe: 'exit 1 when the p99 latency exceeds this (e.g. 200ms)',
    }) as unknown as Argv<T & LoadArgs>;
}

function parseFraction(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v <= 1))
    throw new OvsimError(
      'BAD_INPUT',
      `${option} "${text}" must be a fraction 0..1 or a percentage such as 1%`,
    );
  return v;
}

function positiveInt(v: number | undefined, option: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1)
    throw new OvsimError('BAD_INPUT', `${option} must be a whole number ≥ 1`);
  return v;
}

/** Runs load mode; exit 1 when a threshold is exceeded. */
export async function runLoadCommand(o: RunArgs & LoadArgs & OpenviduFlags, io: CliIo): Promise<number> {
  const speed = parseSpeed(o.speed ?? 'max');
  const start = parseStartOption(o.start);
  const version = parseVersionOption(o.openviduVersion);
  const edition = parseEditionOption(o.edition);
  const rate = o.rate === undefined ? undefined : parseRate(o.rate);
  const stages = o.stages === undefined ? undefined : parseStages(o.stages);
  const durationMs = o.duration === undefined ? undefined : parseDurationOption(o.duration, '--duration', 0);
  if (durationMs !== undefined && rate === undefined)
    throw new OvsimError('BAD_INPUT', '--duration needs --rate');
  const retry = parseRetry(o.retry ?? 'openvidu');
  const connections = positiveInt(o.connections, '--connections') ?? 50;
  const replicas = positiveInt(o.replicas, '--replicas');
  const lanes = positiveInt(o.lanes, '--lanes');
  const maxFailureRate = parseFraction(o.maxFailureRate, '--max-failure-rate');
  const maxP99 = o.maxP99 === undefined ? undefined : parseDurationOption(o.maxP99, '--max-p99', 0);
  const accept = o.accept ?? '200';
  if (accept !== '200' && accept !== '2xx')
    throw new OvsimError('BAD_INPUT', `--accept "${accept}" must be 200 or 2xx`);
  const drainMs = parseDurationOption(o.drainTimeout, '--drain-timeout', 10_000);
  const timeoutMs = parseDurationOption(o.timeout, '--timeout', 10_000);
  const config = await configFromFlags(o);
  if (!config.webhook)
    throw new OvsimError(
      'BAD_INPUT',
      'load mode needs --webhook-endpoint URL (or OPENVIDU_WEBHOOK_ENDPOINT)',
    );
  const scenario = await readScenario(o.scenario);
  const settings = resolveSettings(scenario, { seed: o.seed, start, version, edition });
  const handle = startLoad({
    scenario,
    settings,
    config,
    rate,
    stages,
    durationMs,
    replicas,
    lanes,
    speed,
    connections,
    retry,
    timeoutMs,
    deadLetterPath: o.deadLetter,
    signSecret: o.signSecret,
    success: accept === '2xx' ? (s) => s >= 200 && s < 300 : (s) => s === 200,
  });
  const plan = stages
    ? `stages ${o.stages}`
    : rate
      ? `rate ${o.rate}${o.duration ? ` for ${o.duration}` : ''}`
      : `speed ${o.speed ?? 'max'}`;
  io.stderr(
    `ovsim: load ${scenario.name} → POST ${config.webhookEndpoint}: ${plan}, ${connections} connections, retry ${retry.name}\n`,
  );
  let progress: NodeJS.Timeout | undefined;
  if (io.stderrIsTTY) {
    progress = setInterval(
      () => io.stderr(`\r${progressLine(handle.delivery.stats, handle.startedAt, handle.delivery.backlog)}`),
      250,
    );
  }
  const release = onSignals(
    () => {
      io.stderr(
        `\novsim: stopping: closing every live session (openviduServerStopped), draining for ${drainMs / 1000} s (again to quit now)\n`,
      );
      void handle.shutdown(drainMs);
    },
    () => void handle.abort(),
  );
  let result: LoadResult;
  try {
    result = await handle.done;
  } finally {
    release();
    if (progress) {
      clearInterval(progress);
      io.stderr(`\r${progressLine(handle.delivery.stats, handle.startedAt, handle.delivery.backlog)}\n`);
    }
  }
  const failureRate = failureRateOf(result);
  const breaches: string[] = [];
  if (maxFailureRate !== undefined && failureRate > maxFailureRate) {
    breaches.push(`failure rate ${(failureRate * 100).toFixed(2)}% > ${(maxFailureRate * 100).toFixed(2)}%`);
  }
  if (maxP99 !== undefined && result.delivery.latencyMs.p99 > maxP99) {
    breaches.push(`p99 latency ${result.delivery.latencyMs.p99} ms > ${maxP99} ms`);
  }
  const json = {
    scenario: scenario.name,
    endpoint: config.webhookEndpoint,
    connections,
    retry: retry.name,
    plan,
    ...result,
    failureRate,
    thresholds: { maxFailureRate, maxP99Ms: maxP99, breaches, passed: breaches.length === 0 },
  };
  if (o.report !== undefined) {
    try {
      writeFileSync(o.report, JSON.stringify(json, null, 2) + '\n');
    } catch (e) {
      throw new OvsimError('IO', `--report ${o.report}: ${(e as Error).message}`);
    }
  }
  io.stdout(formatLoadReport(result, failureRate, breaches));
  return breaches.length > 0 ? EXIT.FAILURE : EXIT.OK;
}

export function failureRateOf(r: LoadResult): number {
  const lost = r.delivery.failedTotal + r.delivery.unsent;
  return lost / Math.max(1, r.delivery.sent + r.delivery.unsent);
}

function progressLine(
  s: {
    sent: number;
    delivered: number;
    failedTotal: number;
    latency: { getValueAtPercentile(p: number): number };
  },
  startedAt: number,
  backlog: number,
): string {
  const secs = (performance.now() - startedAt) / 1000;
  return (
    `${secs.toFixed(1)}s sent ${s.sent} delivered ${s.delivered} failed ${s.failedTotal} ` +
    `(${(s.delivered / Math.max(secs, 0.001)).toFixed(0)}/s) p99 ${(s.latency.getValueAtPercentile(99) / 1000).toFixed(1)} ms backlog ${backlog}   `
  );
}

/** The final report (stdout). */
export function formatLoadReport(r: LoadResult, failureRate: number, breaches: readonly string[]): string {
  const l = r.delivery.latencyMs;
  const lines = [
    `end: ${r.end} after ${(r.wallMs / 1000).toFixed(2)} s`,
    `delivery: ${formatDelivery(r.delivery)}`,
    `rate: ${r.sentPerSecond.toFixed(1)} sent/s, ${r.deliveredPerSecond.toFixed(1)} delivered/s` +
      (r.targetEventsPerSecond !== undefined ? ` (target ${r.targetEventsPerSecond.toFixed(1)}/s)` : ''),
    `latency ms (from intended send time): p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, p99.9 ${l.p999}, max ${l.max}`,
    `failure rate: ${(failureRate * 100).toFixed(2)}%` +
      (r.deadLetterPath ? `; undelivered events in ${r.deadLetterPath}` : ''),
  ];
  if (r.end === 'shutdown')
    lines.push(
      `shutdown: ${r.serverStopEvents} event(s) submitted by stopping every replica's server (live sessions closed with openviduServerStopped)`,
    );
  if (breaches.length > 0) lines.push(`FAILED thresholds: ${breaches.join('; ')}`);
  return lines.join('\n') + '\n';
}

function loadCommandBuilder(y: Argv): Argv {
  const b = scenarioRunBuilder(y).option('speed', {
    type: 'string',
    default: 'max',
    describe: 'without --rate: pace the replicas on virtual time (realtime | max | factor)',
  });
  return loadBuilder(b as unknown as Argv);
}

export const loadCommand = defineCommand<RunArgs & LoadArgs>({
  command: 'load <scenario>',
  describe: 'load-test a WebHook consumer: concurrent delivery at a planned rate, latency and failure report',
  builder: loadCommandBuilder,
  run: runLoadCommand,
});
