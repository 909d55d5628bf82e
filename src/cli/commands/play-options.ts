/**
 * What `ovsim run` and `ovsim load` share: their options (the scenario, its sinks, load delivery's flags) and the
 * words of their reports. Kept apart so that `run --delivery load` can call the load command without a cycle.
 */
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { OvsimError } from '../../errors.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { ChaosReport } from '../../sinks/chaos-stage.js';
import { earlyWarning, type ExplainContext } from '../../sinks/delivery-explain.js';
import { chaosBuilder, type ChaosArgs } from '../chaos-options.js';
import type { CliIo } from '../io.js';
import { openviduFlagsBuilder, type OpenviduFlags } from '../openvidu-options.js';
import { withScenarioOptions, type ServerFlags } from '../options.js';
import type { ApiKeyFlags } from '../api-key-options.js';

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
  readonly gracefulStop?: string | undefined;
  readonly metrics?: string | undefined;
  readonly report?: string | undefined;
  readonly maxFailureRate?: string | undefined;
  readonly maxP99?: string | undefined;
}

/**
 * The options that only load delivery uses (`run --delivery openvidu` refuses them), as yargs keys and flags. They
 * have no yargs default, so that a flag given can be told from one left out; their defaults are applied here.
 */
export const LOAD_ONLY_OPTIONS: ReadonlyArray<readonly [key: keyof LoadArgs, flag: string]> = [
  ['rate', '--rate'],
  ['stages', '--stages'],
  ['duration', '--duration'],
  ['replicas', '--replicas'],
  ['lanes', '--lanes'],
  ['connections', '--connections'],
  ['retry', '--retry'],
  ['accept', '--accept'],
  ['gracefulStop', '--graceful-stop'],
  ['metrics', '--metrics'],
];

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
      describe: 'concurrent requests (default 50); one session is never sent on two at once',
    })
    .option('retry', {
      type: 'string',
      describe:
        'openvidu (default: 5 immediate attempts on network errors) | none | 1s,5s,30s | exp:base=200ms,max=5,cap=30s,jitter',
    })
    .option('accept', {
      type: 'string',
      describe: "success statuses: 200 (default, OpenVidu's rule) or 2xx",
    })
    .option('graceful-stop', {
      type: 'string',
      describe:
        "when a --duration/--stages plan is over, how long live copies may play on to their end before their sessions are closed (default 30s, as k6's gracefulStop; 0s closes them at once)",
    })
    .option('metrics', {
      type: 'string',
      describe: 'write a per-second time series (JSON Lines: sent, delivered, failed, latency…) to this file',
    })
    .option('report', { type: 'string', describe: 'write the final report as JSON to this file' })
    .option('max-failure-rate', {
      type: 'string',
      describe:
        'exit 1 when undelivered/sent exceeds this (0.01 or 1%); run: default 0, any undelivered event fails it',
    })
    .option('max-p99', {
      type: 'string',
      describe: 'exit 1 when the p99 latency exceeds this (e.g. 200ms)',
    }) as unknown as Argv<T & LoadArgs>;
}

export function parseFraction(text: string | undefined, option: string): number | undefined {
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

/** Prints each early warning (a refused connection, an answer OpenVidu would not count) once. */
export function warnOnce(io: CliIo, ctx: ExplainContext): (outcomeClass: string) => void {
  const warned = new Set<string>();
  return (cls) => {
    if (warned.has(cls) || warned.size >= 8) return;
    warned.add(cls);
    const w = earlyWarning(cls, ctx);
    if (w !== undefined) io.stderr(`ovsim: ${w}\n`);
  };
}

/** Writes `--report`; a failure names the file (exit 1). */
export function writeReport(path: string, json: unknown): void {
  try {
    writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
  } catch (e) {
    throw new OvsimError('IO', `--report ${path}: ${(e as Error).message}`);
  }
}

export interface RunArgs extends OpenviduFlags, LoadArgs, ChaosArgs, ServerFlags, ApiKeyFlags {
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
  return chaosBuilder(openviduFlagsBuilder(base)) as unknown as Argv<RunArgs>;
}

/**
 * `run` and `load` play a scenario's `steps:`; a `generate:` block is traffic for `ovsim generate`. Playing the steps
 * alone would send a part of the scenario, or nothing, and look like success: refused (exit 2).
 */
export function refuseGeneratedTraffic(scenario: Scenario, command: 'run' | 'load'): void {
  if (scenario.generate === undefined) return;
  throw new OvsimError(
    'BAD_INPUT',
    `scenario "${scenario.name}" has a generate: block, which ovsim ${command} does not play (it plays a scenario's ` +
      'steps: on the wall clock); ovsim generate writes its events, or use a scenario of steps',
  );
}

/** `chaos: 65 events → 70 deliveries (5 duplicates, …); 72 requests; 65 accepted, 0 not` */
export function formatChaos(c: ChaosReport): string {
  const faults = [
    `${c.duplicates} duplicate(s)`,
    `${c.dropped} dropped`,
    `${c.delayed} delayed`,
    `${c.reordered} reordered`,
    `${c.stalls} stall(s)`,
    `${c.noacks} answer(s) ignored`,
    `${c.retries} sent again`,
  ];
  return (
    `chaos: ${c.events} events → ${c.deliveries} deliveries (${faults.join(', ')}); ${c.requests} requests; ` +
    `${c.delivered} event(s) accepted, ${c.undelivered} not` +
    (c.unsent > 0 ? ` (${c.unsent} deliveries never sent)` : '')
  );
}
