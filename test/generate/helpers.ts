import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { scenarioBatches, type ScenarioBatchOptions } from '../../src/generate/scenario-batches.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { LifecycleValidator } from '../../src/validate/index.js';

/** The CDR text of a scenario run (in memory; for small runs). */
export function render(scenario: Scenario, o: ScenarioBatchOptions & { seed?: string } = {}): string {
  const settings = resolveSettings(scenario, { seed: o.seed });
  let out = '';
  for (const b of scenarioBatches(scenario, settings, o)) {
    for (const e of b.events) {
      const line = settings.profile.serializeCdr(e);
      if (line !== undefined) out += line + '\n';
    }
  }
  return out;
}

export function scenarioOf(generate: unknown, extra = ''): Scenario {
  return parseScenarioText(`name: t\n${extra}generate: ${JSON.stringify(generate)}\n`, 't.yaml');
}

export const bundled = (name: string): Promise<Scenario> => readScenario(name);

/** Error diagnostics of the lifecycle validator over the text. */
export function validationErrors(text: string): string[] {
  const v = new LifecycleValidator({ version: '2.32' });
  const errors: string[] = [];
  const keep = (ds: ReadonlyArray<{ severity: string; rule: string; message: string }>) => {
    for (const d of ds) if (d.severity === 'error') errors.push(`${d.rule}: ${d.message}`);
  };
  text
    .split('\n')
    .filter((l) => l !== '')
    .forEach((l, i) => keep(v.push(l, i + 1, 'out')));
  keep(v.finish());
  return errors;
}
