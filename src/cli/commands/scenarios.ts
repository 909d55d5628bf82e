import { listBundledScenarios } from '../../scenario/parse-scenario.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';

/** `ovsim scenarios`: the bundled scenarios with their one-line descriptions. */
export async function runScenarios(io: CliIo): Promise<number> {
  const list = await listBundledScenarios();
  const width = Math.max(0, ...list.map((s) => s.name.length));
  for (const s of list) io.stdout(`${s.name.padEnd(width)}  ${firstLine(s.description)}\n`);
  return EXIT.OK;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

export const scenariosCommand = defineCommand<unknown>({
  command: 'scenarios',
  describe: 'list the bundled scenarios with their descriptions',
  builder: (y) => y,
  run: (_args, io) => runScenarios(io),
});
