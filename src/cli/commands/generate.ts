import type { Argv } from 'yargs';
import { defineCommand } from '../command.js';
import { GenerationStats, parseShard, type Shard } from '../../generate/generate-batches.js';
import type { GenerateConfig } from '../../generate/generate-schema.js';
import { resolveGenerateConfig, scenarioBatches } from '../../generate/scenario-batches.js';
import { OvsimError } from '../../errors.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { generateScenario, type OutputFormat } from '../../runtime/generate.js';
import { keepHeapsSmall } from '../../runtime/heap-policy.js';
import { generateInParallel } from '../../runtime/parallel-generate.js';
import { startProgress } from '../../runtime/progress.js';
import type { RunSummary } from '../../runtime/summary.js';
import { readScenario } from '../../scenario/read-scenario.js';
import {
  resolveSettings,
  type SettingsOverrides,
  type SimulationSettings,
} from '../../scenario/simulate-scenario.js';
import { openAtomicFile, OutputClosed, stdoutSink, type TextSink } from '../../sinks/atomic-file.js';
import { TERMINAL_LINES, terminalSink } from '../../sinks/terminal-sink.js';
import { TruthBuilder } from '../../truth/build-truth.js';
import { refuseTruthFor, truthRunOf } from '../chaos-options.js';
import { foldingBatches } from '../../truth/engine-facts.js';
import { truthFactsFor } from '../../truth/livekit-facts.js';
import { formatTruth } from '../../truth/format-truth.js';
import { EXIT, type CliIo } from '../io.js';
import { onSignals } from '../signals.js';
import {
  parseEditionOption,
  parseStartOption,
  parseVersionOption,
  serverOverrides,
  withScenarioOptions,
  withServerOptions,
  type ServerFlags,
} from '../options.js';
import { writesCdr } from '../../model/servers.js';

export interface GenerateOptions extends ServerFlags {
  readonly scenario: string;
  readonly seed?: string | undefined;
  readonly start?: string | undefined;
  /** Default: cdr for OpenVidu 2, webhook for the OpenVidu 3 servers (which write no CDR). */
  readonly format?: OutputFormat | undefined;
  readonly out?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly edition?: string | undefined;
  /** `--set generate.<path>=<value>`, repeatable. */
  readonly set?: readonly string[] | undefined;
  /** `--shard i/n`. */
  readonly shard?: string | undefined;
  /** `--workers N`: generator threads; default one per core (up to 4) for a `generate:` block, 1 on 2 cores or fewer. */
  readonly workers?: number | undefined;
  /** `--truth FILE`: the ground truth of the run, written atomically. */
  readonly truth?: string | undefined;
}

export function generateBuilder(y: Argv): Argv<GenerateOptions> {
  return withServerOptions(withScenarioOptions(y))
    .option('format', {
      choices: ['cdr', 'webhook', 'elastic'] as const,
      describe:
        'cdr: {"<event>":{…}} lines (OpenVidu 2 only, the default there); webhook: one body per line, the exact ' +
        'bytes the server POSTs (the default and only format of the OpenVidu 3 servers); elastic (OpenVidu 2 Pro): ' +
        'the documents OpenVidu Pro stores in Elasticsearch, {"elastic_type":"cdr",…,"cluster_id":…,"master_node_id":…}',
    })
    .option('out', {
      type: 'string',
      describe:
        'output file (written atomically; a device or FIFO is written through); default stdout, where a terminal ' +
        `gets at most ${TERMINAL_LINES} lines (--out=- prints any length)`,
    })
    .option('set', {
      type: 'string',
      array: true,
      describe:
        'override a field of the generate: block, e.g. --set generate.sessions.rate=5/min (repeatable)',
    })
    .option('shard', {
      type: 'string',
      describe: 'write only part i of n of the dataset (0-based, e.g. 0/4): sessions whose index % n = i',
    })
    .option('workers', {
      type: 'number',
      describe:
        'threads generating a generate: block in parallel, merged into the same bytes as one thread ' +
        '(default: one per core, at most 4, and 1 on machines of 2 cores or fewer; 1 = no worker threads)',
    })
    .option('truth', {
      type: 'string',
      describe:
        'also write the ground truth of the run (sessions, participants and their connected seconds, recordings, ' +
        'billing; JSON, see docs/truth-and-score.md) to this file, atomically; generation then runs on one thread',
    }) as unknown as Argv<GenerateOptions>;
}

/** Runs `ovsim generate`; throws OvsimError on bad input (the caller maps it to exit 2). */
export async function runGenerate(o: GenerateOptions, io: CliIo): Promise<number> {
  const overrides = {
    seed: o.seed,
    start: parseStartOption(o.start),
    version: parseVersionOption(o.openviduVersion),
    edition: parseEditionOption(o.edition),
    ...serverOverrides(o),
  };
  const scenario = await readScenario(o.scenario);
  const settings = resolveSettings(scenario, overrides);
  const format = formatFor(o.format, settings, scenario.name);
  refuseTruthFor(settings.server.kind, o.truth);
  const shard = parseShardOption(o.shard);
  const set = (o.set ?? []).map(String);
  const config = resolveGenerateConfig(scenario, set);
  const plan: GenerationPlan = {
    scenario,
    settings,
    overrides,
    shard,
    set,
    format,
    workers: workersFor(o, config, settings),
    truth: truthBuilderFor(o),
  };
  keepHeapsSmall();
  const progress = startProgress(
    io.stderrIsTTY && config !== undefined,
    settings.start,
    settings.start + (config?.duration ?? 0),
  );
  const sink = await openOutput(o.out, scenario.name);
  const truthSink = await openTruthFile(o.truth, sink);
  const toStdout = o.out === undefined || o.out === '-';
  const where = toStdout ? 'stdout' : o.out;
  const interrupt = new AbortController();
  const offSignals = abortOnSignals(interrupt, toStdout, o.out);
  try {
    const { summary, stats } = await produce(o, plan, sink, progress, interrupt.signal);
    progress.stop();
    if (plan.truth && truthSink) await writeTruth(plan.truth, truthSink, scenario.name, settings, shard);
    await sink.commit();
    await truthSink?.commit();
    io.stderr(
      `ovsim: ${scenario.name}: wrote ${describeOutput(format, settings)} lines to ${where}\novsim: ${summary.line()}\n` +
        (config === undefined ? '' : `ovsim: ${generationLine(stats, shard)}\n`) +
        (o.truth === undefined ? '' : `ovsim: wrote the ground truth of the run to ${o.truth}\n`),
    );
    return EXIT.OK;
  } catch (e) {
    progress.stop();
    await sink.abort();
    await truthSink?.abort();
    // The reader of stdout has gone (`… | head`): it has what it wanted; stop quietly.
    if (e instanceof OutputClosed && o.truth === undefined) return EXIT.OK;
    if (e instanceof OutputClosed)
      throw new OvsimError('IO', `standard output was closed before the end: nothing written to ${o.truth}`);
    throw e;
  } finally {
    offSignals();
  }
}

/**
 * `--format`, or the server's own: OpenVidu 3 writes no CDR, and Elasticsearch comes with OpenVidu 2 Pro.
 * @throws OvsimError BAD_INPUT for cdr or elastic with OpenVidu 3, elastic with CE
 */
function formatFor(
  given: OutputFormat | undefined,
  settings: SimulationSettings,
  name: string,
): OutputFormat {
  const kind = settings.server.kind;
  if (given === 'elastic' && kind !== 'openvidu2')
    throw new OvsimError(
      'BAD_INPUT',
      `--format elastic: ${kind} has no OpenVidu Pro Elasticsearch documents`,
    );
  if (given === 'elastic' && settings.profile.edition === 'ce')
    throw new OvsimError(
      'BAD_INPUT',
      `--format elastic: Elasticsearch comes with OpenVidu Pro and Enterprise, and ${name} is CE: add --edition pro`,
    );
  if (given === 'cdr' && !writesCdr(kind))
    throw new OvsimError(
      'BAD_INPUT',
      `--format cdr: ${kind} writes no CDR file (OpenVidu 3 has none: its record is analytics in MongoDB); ` +
        'use --format webhook (the default there), or --server openvidu2 for CDR lines',
    );
  return given ?? (writesCdr(kind) ? 'cdr' : 'webhook');
}

/** What the lines are, for the summary: `CDR`, `WEBHOOK`, `LiveKit webhook`… */
function describeOutput(format: OutputFormat, settings: SimulationSettings): string {
  switch (settings.server.kind) {
    case 'openvidu2':
      return format.toUpperCase();
    case 'openvidu3':
      return 'LiveKit webhook';
    case 'openvidu3-v2compat':
      return 'v2-compatibility WebHook';
    case 'meet':
      return 'OpenVidu Meet webhook';
  }
}

/** What `generate` runs, its options resolved. */
interface GenerationPlan {
  readonly scenario: Awaited<ReturnType<typeof readScenario>>;
  readonly settings: SimulationSettings;
  readonly overrides: SettingsOverrides;
  readonly shard: Shard | undefined;
  readonly set: string[];
  readonly format: OutputFormat;
  readonly workers: number;
  readonly truth: TruthBuilder | undefined;
}

/**
 * SIGINT/SIGTERM: generation stops at its next write and nothing is left behind (the temporary file is removed); a
 * second signal exits at once. Returns what stops listening.
 */
function abortOnSignals(interrupt: AbortController, toStdout: boolean, out: string | undefined): () => void {
  return onSignals(
    () =>
      interrupt.abort(
        new OvsimError(
          'INTERRUPTED',
          toStdout
            ? 'interrupted: the output on stdout is incomplete'
            : `interrupted: nothing written to ${out}`,
        ),
      ),
    () => process.exit(EXIT.INTERRUPTED),
  );
}

/** Generates into `sink` on one thread or several; the summary and the dataset's stats. */
async function produce(
  o: GenerateOptions,
  plan: GenerationPlan,
  sink: TextSink,
  progress: ReturnType<typeof startProgress>,
  signal: AbortSignal,
): Promise<{ summary: RunSummary; stats: GenerationStats }> {
  if (plan.workers > 1) {
    return generateInParallel(
      {
        scenarioRef: o.scenario,
        overrides: plan.overrides,
        set: plan.set,
        shard: plan.shard,
        format: plan.format,
        workers: plan.workers,
        onWrite: (sum, now) => progress.update(sum, now),
        signal,
      },
      sink,
    );
  }
  const stats = new GenerationStats();
  const { scenario, settings, set, shard, truth } = plan;
  const batches = scenarioBatches(scenario, settings, { set, shard, stats });
  const summary = await generateScenario(scenario, settings, plan.format, sink, {
    batches: truth ? foldingBatches(batches, truth, truthFactsFor(settings.server)) : batches,
    onWrite: (sum) => progress.update(sum, stats.now),
    signal,
  });
  return { summary, stats };
}

/**
 * Where the lines go: `--out FILE`; `--out=-` standard output; by default standard output too, but a terminal is not
 * flooded (see terminal-sink.ts).
 */
async function openOutput(out: string | undefined, name: string): Promise<TextSink> {
  if (out === '-') return stdoutSink();
  if (out !== undefined) return openAtomicFile(out);
  return process.stdout.isTTY === true ? terminalSink(stdoutSink(), name) : stdoutSink();
}

/**
 * Generator threads: `--workers` for a `generate:` block, else one. A Pro node crash lists the sessions of its node
 * and autoscaling weighs the load of all, wherever they were generated: one generator sees them all. The truth folds
 * the batches as the engine yields them, on the thread that generates: one thread too.
 */
function workersFor(
  o: GenerateOptions,
  config: GenerateConfig | undefined,
  settings: SimulationSettings,
): number {
  // The OpenVidu 3 renderers keep each room's state as LiveKit does (its cached proto, its event ids): one thread.
  if (settings.server.kind !== 'openvidu2') return 1;
  const oneGenerator =
    config !== undefined &&
    settings.profile.edition !== 'ce' &&
    (config.faults.nodeCrash > 0 || settings.engine.cluster?.autoscaling?.enabled === true);
  // The Elasticsearch documents are written on the generator's thread (they are a small, Pro-only dataset).
  return config === undefined || oneGenerator || o.truth !== undefined || o.format === 'elastic'
    ? 1
    : parseWorkersOption(o.workers);
}

/** The fold of `--truth`, or nothing. @throws OvsimError BAD_INPUT when it would overwrite `--out` */
function truthBuilderFor(o: GenerateOptions): TruthBuilder | undefined {
  if (o.truth === undefined) return undefined;
  if (o.out !== undefined && resolve(o.truth) === resolve(o.out))
    throw new OvsimError('BAD_INPUT', `--truth ${o.truth} is also --out: give the truth a file of its own`);
  return new TruthBuilder();
}

/** The atomic file of `--truth`, opened before generating (a bad path fails first); on failure `out` is discarded. */
async function openTruthFile(path: string | undefined, out: TextSink): Promise<TextSink | undefined> {
  if (path === undefined) return undefined;
  try {
    return await openAtomicFile(path);
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/** Writes the ground truth the builder folded (not committed here). */
async function writeTruth(
  truth: TruthBuilder,
  sink: TextSink,
  scenario: string,
  settings: SimulationSettings,
  shard: Shard | undefined,
): Promise<void> {
  const doc = truth.finish({
    ...truthRunOf({ name: scenario }, settings),
    shard: shard && shard.count > 1 ? `${shard.index}/${shard.count}` : undefined,
  });
  for (const chunk of formatTruth(doc)) await sink.write(chunk);
}

/**
 * `--workers`: a whole number ≥ 1. Default one per core, at most 4 (beyond, the single writer is the limit) — but 1
 * on 2 cores or fewer: there two generator threads (the main one merging as well) and their collectors share two
 * cores, and measured on busy-day they bought 10–25 % of speed for 60 % more memory (≈ 225 MB against ≈ 140 MB).
 */
function parseWorkersOption(value: number | undefined): number {
  if (value === undefined) return defaultWorkers();
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new OvsimError('BAD_INPUT', `--workers must be a whole number from 1 to 64, got ${String(value)}`);
  return value;
}

/** The default of `--workers` on this machine (see parseWorkersOption). */
export function defaultWorkers(cores = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(4, cores);
}

function parseShardOption(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(value);
  if (!shard)
    throw new OvsimError('BAD_INPUT', `--shard "${value}" must be i/n with 0 <= i < n, e.g. --shard 0/4`);
  return shard;
}

/** e.g. `generated 812 of 3245 sessions (shard 0/4), peak 97 live, 3 planned actions skipped after faults` */
function generationLine(stats: GenerationStats, shard: Shard | undefined): string {
  const part = shard && shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : '';
  const lost =
    (stats.lostToServerStop > 0 ? `, ${stats.lostToServerStop} lost while the server was down` : '') +
    (stats.lostNoMediaNode > 0 ? `, ${stats.lostNoMediaNode} lost with no media node running` : '');
  return (
    `generated ${stats.planned} of ${stats.arrived} sessions${part}, peak ${stats.peakLive} live${lost}, ` +
    `${stats.skippedTotal} planned actions skipped after faults`
  );
}

export const generateCommand = defineCommand<GenerateOptions>({
  command: 'generate <scenario>',
  describe: 'run a scenario on virtual time and write its CDR or WebHook JSON Lines',
  builder: generateBuilder,
  run: runGenerate,
});
