/**
 * `ovsim generate`: a scenario run on virtual time as fast as possible, written as JSON Lines.
 */
import type { Batch } from '../engine/engine.js';
import type { Profile } from '../model/profile.js';
import type { Scenario } from '../scenario/scenario.js';
import { simulateScenario, type SimulationSettings } from '../scenario/simulate-scenario.js';
import type { TextSink } from '../sinks/atomic-file.js';
import { RunSummary } from './summary.js';

export type OutputFormat = 'cdr' | 'webhook';

/** Optional parts of a generation run. */
export interface GenerateHooks {
  /** Where the batches come from; default the scenario's steps (`simulateScenario`). */
  readonly batches?: Iterable<Batch>;
  /** Called after each write to the sink (about every 64 KiB), e.g. to draw progress. */
  readonly onWrite?: (summary: RunSummary) => void;
}

/** Serializes one event as a line of the chosen format; `undefined` when the profile does not write the event. */
export function lineOf(profile: Profile, format: OutputFormat) {
  return format === 'cdr' ? profile.serializeCdr.bind(profile) : profile.serializeWebhook.bind(profile);
}

/**
 * Writes every event of the scenario to `sink` (not committed here: the caller commits on success, aborts on error).
 * Lines are batched per cascade to keep writes few; back-pressure is respected.
 */
export async function generateScenario(
  scenario: Scenario,
  settings: SimulationSettings,
  format: OutputFormat,
  sink: TextSink,
  hooks: GenerateHooks = {},
): Promise<RunSummary> {
  const summary = new RunSummary();
  const serialize = lineOf(settings.profile, format);
  let buffer = '';
  for (const batch of hooks.batches ?? simulateScenario(scenario, settings)) {
    for (const event of batch.events) {
      const line = serialize(event);
      if (line === undefined) continue;
      summary.add(event);
      buffer += line + '\n';
    }
    if (buffer.length >= 64 * 1024) {
      const pending = sink.write(buffer);
      buffer = '';
      if (pending) await pending;
      hooks.onWrite?.(summary);
    }
  }
  if (buffer) await sink.write(buffer);
  return summary;
}
