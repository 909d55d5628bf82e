import type { Argv } from 'yargs';
import { listBundledScenarios } from '../../scenario/read-scenario.js';
import { defineCommand } from '../command.js';
import { EXIT, paint, type CliIo } from '../io.js';

export interface ScenariosOptions {
  readonly json?: boolean | undefined;
}

/** `ovsim scenarios`: the bundled scenarios with their one-line descriptions, or all about them as JSON. */
export async function runScenarios(o: ScenariosOptions, io: CliIo): Promise<number> {
  const list = await listBundledScenarios();
  if (o.json) {
    const entries = list.map((s) => ({ name: s.name, description: s.description.trim(), file: s.file }));
    io.stdout(JSON.stringify(entries, null, 2) + '\n');
    return EXIT.OK;
  }
  const width = Math.max(0, ...list.map((s) => s.name.length));
  for (const s of list) {
    io.stdout(`${paint(io, 'stdout', 'cyan', s.name.padEnd(width))}  ${firstLine(s.description)}\n`);
  }
  return EXIT.OK;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

export const scenariosCommand = defineCommand<ScenariosOptions>({
  command: 'scenarios',
  describe: 'list the bundled scenarios with their descriptions',
  builder: (y: Argv) =>
    y.option('json', {
      type: 'boolean',
      default: false,
      describe: 'print a JSON array of {name, description, file} (the whole description)',
    }),
  run: runScenarios,
});
