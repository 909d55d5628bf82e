import type { Argv } from 'yargs';
import { defineCommand } from '../command.js';
import { generateScenario, type OutputFormat } from '../../runtime/generate.js';
import { readScenario } from '../../scenario/parse-scenario.js';
import { resolveSettings } from '../../scenario/simulate-scenario.js';
import { openAtomicFile, stdoutSink } from '../../sinks/atomic-file.js';
import { EXIT, type CliIo } from '../io.js';
import { parseEditionOption, parseStartOption, parseVersionOption } from '../options.js';

export interface GenerateOptions {
  readonly scenario: string;
  readonly seed?: string | undefined;
  readonly start?: string | undefined;
  readonly format: OutputFormat;
  readonly out?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly edition?: string | undefined;
}

export function generateBuilder(y: Argv): Argv<GenerateOptions> {
  return y
    .positional('scenario', {
      type: 'string',
      demandOption: true,
      describe: 'scenario file or bundled scenario name',
    })
    .option('seed', { type: 'string', describe: "random seed (default: the scenario's seed, else 1)" })
    .option('start', {
      type: 'string',
      describe:
        "virtual start instant, ISO 8601 or 'now' (default: the scenario's, else 2024-01-01T00:00:00.000Z)",
    })
    .option('format', {
      choices: ['cdr', 'webhook'] as const,
      default: 'cdr' as const,
      describe: 'cdr: {"<event>":{…}} lines; webhook: WebHook bodies {…,"event":"<event>"}',
    })
    .option('out', { type: 'string', describe: 'output file (written atomically); default stdout' })
    .option('openvidu-version', {
      type: 'string',
      describe: "field set of this OpenVidu version (default: the scenario's, else 2.32)",
    })
    .option('edition', {
      type: 'string',
      describe: "ce | pro | enterprise (default: the scenario's, else ce)",
    }) as unknown as Argv<GenerateOptions>;
}

/** Runs `ovsim generate`; throws OvsimError on bad input (the caller maps it to exit 2). */
export async function runGenerate(o: GenerateOptions, io: CliIo): Promise<number> {
  const start = parseStartOption(o.start);
  const version = parseVersionOption(o.openviduVersion);
  const edition = parseEditionOption(o.edition);
  const scenario = await readScenario(o.scenario);
  const settings = resolveSettings(scenario, { seed: o.seed, start, version, edition });
  const sink = o.out === undefined ? stdoutSink() : await openAtomicFile(o.out);
  try {
    const summary = await generateScenario(scenario, settings, o.format, sink);
    await sink.commit();
    const where = o.out === undefined ? 'stdout' : o.out;
    io.stderr(
      `ovsim: ${scenario.name}: wrote ${o.format.toUpperCase()} lines to ${where}\novsim: ${summary.line()}\n`,
    );
    return EXIT.OK;
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

export const generateCommand = defineCommand<GenerateOptions>({
  command: 'generate <scenario>',
  describe: 'run a scenario on virtual time and write its CDR or WebHook JSON Lines',
  builder: generateBuilder,
  run: runGenerate,
});
