import { memorySink } from '../memory-sink.js';
import { generateScenario, type OutputFormat } from '../../src/runtime/generate.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';

/** Renders a bundled scenario with its own seed and start, as `ovsim generate <name> --format <format>` does. */
export async function render(name: string, format: OutputFormat): Promise<string> {
  const scenario = await readScenario(name);
  const sink = memorySink();
  await generateScenario(scenario, resolveSettings(scenario), format, sink);
  return sink.text();
}
