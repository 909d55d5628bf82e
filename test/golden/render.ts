import { memorySink } from '../memory-sink.js';
import { generateScenario, type OutputFormat } from '../../src/runtime/generate.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';

/**
 * Renders a bundled scenario with its own seed and start as OpenVidu 2, as `ovsim generate <name> --format <format>
 * --server openvidu2` does: the golden files pin the OpenVidu 2 output of every scripted scenario, also of those whose
 * header names an OpenVidu 3 server (their LiveKit cases are asserted in test/ov3).
 */
export async function render(name: string, format: OutputFormat): Promise<string> {
  const scenario = await readScenario(name);
  const sink = memorySink();
  await generateScenario(scenario, resolveSettings(scenario, { server: 'openvidu2' }), format, sink);
  return sink.text();
}
