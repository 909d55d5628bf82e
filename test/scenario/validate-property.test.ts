/**
 * Property: a scenario ovsim accepts gives output the lifecycle validator (`ovsim validate`) accepts, whatever its
 * start, offsets, timeouts and drawn durations — from sensible to absurd — and every instant is one ovsim writes.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { scenarioBatches } from '../../src/generate/scenario-batches.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { isWritableInstant } from '../../src/model/time-bounds.js';
import { LifecycleValidator, formatDiagnostic } from '../../src/validate/index.js';
import { FUZZ_SEED, plausibleScenario } from './fuzz-arbitraries.js';

const RUNS = Math.max(50, Math.round(Number(process.env.OVSIM_FUZZ_RUNS ?? 150) || 150));

/** Every CDR line of the scenario, or the ScenarioError that refused it. */
function linesOf(text: string): string[] | ScenarioError {
  try {
    const scenario = parseScenarioText(text, 'p.yaml');
    const settings = resolveSettings(scenario, { now: Date.parse('2024-06-01T12:00:00Z') });
    const lines: string[] = [];
    for (const batch of scenarioBatches(scenario, settings)) {
      for (const event of batch.events) {
        const line = settings.profile.serializeCdr(event);
        if (line !== undefined) lines.push(line);
      }
    }
    return lines;
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
}

function validatorErrors(lines: readonly string[]): string[] {
  const v = new LifecycleValidator({ version: '2.32' });
  const ds = lines.flatMap((l, i) => v.push(l, i + 1, 'p.cdr'));
  ds.push(...v.finish());
  return ds.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

describe('no accepted scenario produces output that ovsim validate rejects', () => {
  it(`${RUNS} scenarios with times anywhere from 1970 to past 9999`, { timeout: 60_000 + RUNS * 200 }, () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(plausibleScenario, (value) => {
        const text = stringify(value);
        const out = linesOf(text);
        if (out instanceof ScenarioError) {
          refused++;
          for (const p of out.problems) expect(p.location, out.message).toBeDefined();
          return;
        }
        accepted++;
        for (const line of out) {
          const body = Object.values(JSON.parse(line) as Record<string, { timestamp: number }>)[0]!;
          expect(isWritableInstant(body.timestamp), line).toBe(true);
        }
        expect(validatorErrors(out), text).toEqual([]);
      }),
      { numRuns: RUNS, seed: FUZZ_SEED + 2 },
    );
    // Both sides are exercised.
    expect(accepted).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 20);
  });
});
