/** Runs a scenario under an OpenVidu 3 server, in memory: its bodies, one per line, as `generate` writes them. */
import { readdirSync } from 'node:fs';
import { resolveSettings, type SettingsOverrides } from '../../src/scenario/simulate-scenario.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { readScenario, BUNDLED_SCENARIOS_DIR } from '../../src/scenario/read-scenario.js';
import { scenarioBatches } from '../../src/generate/scenario-batches.js';
import { generateScenario } from '../../src/runtime/generate.js';
import type { TextSink } from '../../src/sinks/atomic-file.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/** Every bundled scenario, by name. */
export function bundledScenarios(): string[] {
  return readdirSync(BUNDLED_SCENARIOS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** A few sessions of a generated scenario (its full day would take minutes). */
export const SMALL: readonly string[] = ['sessions.limit=12'];

export async function bodiesOf(
  scenario: Scenario,
  overrides: SettingsOverrides,
  set: readonly string[] = [],
): Promise<string[]> {
  const settings = resolveSettings(scenario, overrides);
  const chunks: Buffer[] = [];
  const sink = {
    write(bytes: Uint8Array | string) {
      chunks.push(Buffer.from(bytes));
      return undefined;
    },
  } as unknown as TextSink;
  const batches = scenarioBatches(scenario, settings, { set: scenario.generate === undefined ? [] : set });
  await generateScenario(scenario, settings, 'webhook', sink, { batches });
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');
}

export async function bundledBodies(name: string, overrides: SettingsOverrides): Promise<string[]> {
  return bodiesOf(await readScenario(name), overrides, SMALL);
}

export function scenario(text: string): Scenario {
  return parseScenarioText(text, 'test.yaml');
}

/** The parsed LiveKit events of bodies. */
export interface LkEvent {
  readonly event: string;
  readonly room?: { sid?: string; name?: string; numParticipants?: number };
  readonly participant?: {
    sid?: string;
    identity?: string;
    state?: string;
    kind?: string;
    disconnectReason?: string;
  };
  readonly egressInfo?: {
    egressId?: string;
    status?: string;
    fileResults?: unknown[];
    result?: unknown;
    file?: unknown;
    details?: string;
    errorCode?: number;
  };
  readonly ingressInfo?: { ingressId?: string };
  readonly track?: { sid?: string; type?: string; source?: string };
  readonly id: string;
  readonly createdAt: string;
}

export function events(lines: readonly string[]): LkEvent[] {
  return lines.map((l) => JSON.parse(l) as LkEvent);
}
