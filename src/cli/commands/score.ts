import type { Argv } from 'yargs';
import { checkOpenviduSecret } from '../../config/openvidu-secret.js';
import { OvsimError } from '../../errors.js';
import { compareWithTruth } from '../../score/compare.js';
import { formatScoreJson, formatScoreText } from '../../score/format-score.js';
import { readJournalEvidence } from '../../score/journal-evidence.js';
import { readActual, readTruth, type ActualFormat } from '../../score/read-inputs.js';
import { judge } from '../../score/verdict.js';
import { DEFAULT_SECRET } from '../../server/auth.js';
import { EffectsCounter } from '../../server/effects-counter.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';
import { parseDurationOption } from '../openvidu-options.js';
import { onSignals } from '../signals.js';

export interface ScoreArgs {
  readonly truth: string;
  readonly actual: string;
  readonly actualFormat?: ActualFormat | undefined;
  readonly actualHeader?: readonly string[] | undefined;
  readonly timeout?: string | undefined;
  readonly tolerance?: string | undefined;
  readonly maxDivergences?: number | undefined;
  readonly maxMinutesError?: string | undefined;
  readonly maxDuplicateEffects?: number | undefined;
  readonly format: 'text' | 'json';
  readonly effectsPort?: number | undefined;
  readonly effectsWait?: string | undefined;
  readonly secret?: string | undefined;
  readonly journal?: string | undefined;
}

function scoreBuilder(y: Argv): Argv<ScoreArgs> {
  return y
    .option('truth', {
      type: 'string',
      demandOption: true,
      describe: 'the ground truth of the run (generate --truth FILE)',
    })
    .option('actual', {
      type: 'string',
      demandOption: true,
      describe:
        "the consumer's view: a JSON or CSV file, or an http(s) URL ovsim GETs (docs/truth-and-score.md)",
    })
    .option('journal', {
      type: 'string',
      describe:
        "the delivery journal of the run (run/load --journal FILE): each divergence gets the journal's entries " +
        'about its entity and the command that reproduces the delivery',
    })
    .option('actual-format', {
      choices: ['json', 'csv'] as const,
      describe: 'default: .csv files and text/csv answers are CSV, everything else JSON',
    })
    .option('actual-header', {
      type: 'string',
      array: true,
      describe: "a header sent with --actual's GET, 'Name: value' (repeatable)",
    })
    .option('timeout', {
      type: 'string',
      describe: "time for --actual's URL to answer in full (default 10s)",
    })
    .option('tolerance', {
      type: 'string',
      describe:
        'difference ignored per participant (default 1s: CDR durations are truncated to whole seconds)',
    })
    .option('max-divergences', {
      type: 'number',
      describe:
        'exit 1 when more divergences than this (default 0; minutes ones go to --max-minutes-error if given)',
    })
    .option('max-minutes-error', {
      type: 'string',
      describe:
        'judge minutes overcounted + lost as a share of the true participant time instead (0.01 or 1%)',
    })
    .option('max-duplicate-effects', {
      type: 'number',
      describe: 'exit 1 when more side effects beyond the first of each (default 0; with --effects-port)',
    })
    .option('format', {
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      describe: 'of the report',
    })
    .option('effects-port', {
      type: 'number',
      describe:
        'count side effects first: listen on 127.0.0.1:PORT (0 = any) for POST /effects {"effect":"…"} until ' +
        'POST /done, Ctrl-C or --effects-wait, then score',
    })
    .option('effects-wait', { type: 'string', describe: 'count side effects at most this long (e.g. 2m)' })
    .option('secret', {
      type: 'string',
      describe: `Basic auth secret (user OPENVIDUAPP) of the effects endpoint (default: OPENVIDU_SECRET, else ${DEFAULT_SECRET})`,
    }) as unknown as Argv<ScoreArgs>;
}

interface Settings {
  readonly toleranceSeconds: number;
  readonly timeoutMs: number;
  readonly headers: Record<string, string>;
  readonly maxDivergences: number;
  readonly maxMinutesError: number | undefined;
  readonly maxDuplicateEffects: number;
  readonly effectsWaitMs: number | undefined;
}

/** Every option checked before anything is read or started. @throws OvsimError BAD_INPUT */
function settingsOf(o: ScoreArgs): Settings {
  const headers: Record<string, string> = {};
  for (const h of o.actualHeader ?? []) {
    const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/.exec(String(h));
    if (!m) throw new OvsimError('BAD_INPUT', `--actual-header "${String(h)}" must be 'Name: value'`);
    headers[m[1] as string] = (m[2] as string).trim();
  }
  if (
    o.effectsPort !== undefined &&
    !(Number.isInteger(o.effectsPort) && o.effectsPort >= 0 && o.effectsPort <= 65535)
  )
    throw new OvsimError(
      'BAD_INPUT',
      `--effects-port ${String(o.effectsPort)} must be an integer from 0 to 65535`,
    );
  if (o.effectsWait !== undefined && o.effectsPort === undefined)
    throw new OvsimError('BAD_INPUT', '--effects-wait needs --effects-port');
  return {
    toleranceSeconds: parseDurationOption(o.tolerance, '--tolerance', 1000) / 1000,
    timeoutMs: parseDurationOption(o.timeout, '--timeout', 10_000),
    headers,
    maxDivergences: wholeNumber(o.maxDivergences, '--max-divergences'),
    maxMinutesError: fraction(o.maxMinutesError, '--max-minutes-error'),
    maxDuplicateEffects: wholeNumber(o.maxDuplicateEffects, '--max-duplicate-effects'),
    effectsWaitMs:
      o.effectsWait === undefined ? undefined : parseDurationOption(o.effectsWait, '--effects-wait', 0),
  };
}

/**
 * Runs `ovsim score`: exit 0 when every threshold holds, 1 when one is breached (or the view's URL does not answer),
 * 2 on bad input. `stop` (tests) ends an effects count as POST /done does.
 */
export async function runScore(
  o: ScoreArgs,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
  stop?: Promise<void>,
): Promise<number> {
  const s = settingsOf(o);
  // Side effects are counted first, while the run plays: its truth and journal are read once it is over.
  const effects =
    o.effectsPort === undefined
      ? undefined
      : await countEffects(o.effectsPort, effectsSecret(o, env), s, io, stop);
  const truth = await readTruth(o.truth);
  const journal = o.journal === undefined ? undefined : await readJournalEvidence(o.journal, truth);
  const { actual, format } = await readActual(o.actual, {
    format: o.actualFormat,
    headers: s.headers,
    timeoutMs: s.timeoutMs,
  });
  const compared = compareWithTruth(truth, actual, {
    toleranceSeconds: s.toleranceSeconds,
    expectsEmptySessions: format === 'json',
    effects,
    explain: journal?.explain,
  });
  const result = journal ? { ...compared, notes: [...compared.notes, ...journal.notes] } : compared;
  const thresholds = {
    maxDivergences: s.maxDivergences,
    maxMinutesError: s.maxMinutesError,
    maxDuplicateEffects: s.maxDuplicateEffects,
  };
  const verdict = judge(result, thresholds);
  const report = {
    truth: o.truth,
    actual: o.actual,
    journal: o.journal,
    reproduce: journal?.run.reproduce,
    actualFormat: format,
    toleranceSeconds: s.toleranceSeconds,
    result,
    thresholds,
    verdict,
  };
  io.stdout(o.format === 'json' ? formatScoreJson(report) : formatScoreText(report));
  return verdict.passed ? EXIT.OK : EXIT.FAILURE;
}

/** Counts side effects until POST /done, a signal, --effects-wait or `stop`; returns the counts. */
async function countEffects(
  port: number,
  secret: string,
  s: Settings,
  io: CliIo,
  stop: Promise<void> | undefined,
): Promise<Map<string, number>> {
  const counter = new EffectsCounter({ port, secret });
  const url = await counter.start();
  io.stderr(
    `ovsim: counting side effects: POST {"effect":"…"} to ${url} (user OPENVIDUAPP` +
      `${secret === DEFAULT_SECRET ? `, secret ${DEFAULT_SECRET}` : ''}); POST ${url.replace(/effects$/, 'done')}` +
      ` or Ctrl-C when the delivery is over, and the view is scored\n`,
  );
  let wake = () => undefined as void;
  const signalled = new Promise<void>((resolve) => (wake = resolve));
  const release = onSignals(wake, () => process.exit(EXIT.INTERRUPTED));
  let timer: NodeJS.Timeout | undefined;
  const waited =
    s.effectsWaitMs === undefined
      ? []
      : [new Promise<void>((resolve) => (timer = setTimeout(resolve, s.effectsWaitMs)))];
  try {
    await Promise.race([counter.done, signalled, ...waited, ...(stop ? [stop] : [])]);
  } finally {
    release();
    if (timer) clearTimeout(timer);
    await counter.stop();
  }
  if (counter.refused > 0)
    io.stderr(`ovsim: ${counter.refused} effects request(s) refused (bad body or secret)\n`);
  return counter.counts;
}

function effectsSecret(o: ScoreArgs, env: NodeJS.ProcessEnv): string {
  if (o.secret !== undefined) return checkOpenviduSecret(o.secret, '--secret');
  const fromEnv = env['OPENVIDU_SECRET'];
  return fromEnv === undefined ? DEFAULT_SECRET : checkOpenviduSecret(fromEnv, 'OPENVIDU_SECRET');
}

function wholeNumber(v: number | undefined, option: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0)
    throw new OvsimError('BAD_INPUT', `${option} must be a whole number ≥ 0`);
  return v;
}

/** `0.01` or `1%`, between 0 and 1. */
function fraction(text: string | undefined, option: string): number | undefined {
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

export const scoreCommand = defineCommand<ScoreArgs>({
  command: 'score',
  describe:
    "compare a WebHook consumer's view (file, CSV or URL) with the ground truth of the run: a verdict",
  builder: scoreBuilder,
  run: (a, io) => runScore(a, io),
});
