/**
 * The batches of a whole scenario: its scripted `steps:` (the scenario engine) merged by time with the traffic of
 * its `generate:` block. Validation happens here, eagerly, so a bad block fails before any output is opened.
 */
import type { Batch } from '../engine/engine.js';
import { OvsimError, ScenarioError } from '../errors.js';
import { locateField, locateProblems } from '../scenario/parse-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { simulateScenario, type SimulationSettings } from '../scenario/simulate-scenario.js';
import { explainWhen } from '../scenario/time-bounds.js';
import { generateBatches, GenerationStats, type Shard, type SourcedBatch } from './generate-batches.js';
import type { GenerateConfig } from './generate-schema.js';
import { applySetOverrides, readGenerateBlock } from './read-generate-block.js';

export interface ScenarioBatchOptions {
  /** `--set` overrides of the `generate:` block (`sessions.rate=5/min`). */
  readonly set?: readonly string[];
  /** Only this part of the dataset; the scripted steps belong to shard 0. */
  readonly shard?: Shard | undefined;
  /** Filled as the run goes (progress, summary). */
  readonly stats?: GenerationStats;
}

/** The validated `generate:` block of a scenario with overrides applied; `undefined` when it has none. */
export function resolveGenerateConfig(
  scenario: Scenario,
  set: readonly string[] = [],
): GenerateConfig | undefined {
  if (scenario.generate === undefined) {
    if (set.length > 0) {
      throw new OvsimError(
        'BAD_INPUT',
        `--set applies to a generate: block, and scenario "${scenario.name}" has none`,
      );
    }
    return undefined;
  }
  return readGenerateBlock(applySetOverrides(scenario.generate, set), (path) => locateField(scenario, path));
}

/**
 * Every batch of the scenario in time order. Throws (before yielding anything) when the `generate:` block or an
 * override is invalid.
 */
export function scenarioBatches(
  scenario: Scenario,
  settings: SimulationSettings,
  o: ScenarioBatchOptions = {},
): Iterable<Batch> {
  const config = resolveGenerateConfig(scenario, o.set);
  const shard = o.shard ?? { index: 0, count: 1 };
  const scripted: Iterable<Batch> = shard.index === 0 ? simulateScenario(scenario, settings) : [];
  if (config === undefined) return scripted;
  checkWindow(scenario, settings, config);
  const generated = checkedGenerated(
    scenario,
    generateBatches({ config, engine: settings.engine, shard }, o.stats ?? new GenerationStats()),
  );
  if (scenario.steps.length === 0) return generated;
  return mergeByTime(scripted, generated);
}

/** Sessions arrive until start + duration: that instant must be one ovsim can write (time-bounds.ts). */
function checkWindow(scenario: Scenario, settings: SimulationSettings, config: GenerateConfig): void {
  const problem = explainWhen(settings.start + config.duration);
  if (problem === undefined) return;
  const path = 'generate.duration';
  const message = `sessions would arrive until ${problem}; use a shorter duration or an earlier start`;
  throw new ScenarioError([{ location: locateField(scenario, path), path, message }]);
}

/**
 * The generated batches, with the generator's own refusals located in the scenario, and a refusal for a session that
 * runs past the range ovsim writes (its durations are drawn at random: only the run can tell).
 */
function* checkedGenerated<T extends Batch>(scenario: Scenario, batches: Iterator<T>): Generator<T> {
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = batches.next();
    } catch (e) {
      throw e instanceof ScenarioError ? locateProblems(e, scenario) : e;
    }
    if (next.done === true) return;
    const batch = next.value;
    const problem = batch.events.length > 0 ? explainWhen(batch.at) : undefined;
    if (problem !== undefined) {
      const message =
        `a generated session would still run at ${problem}; bound its durations (max: in their distributions), ` +
        'shorten generate.duration or start earlier';
      throw new ScenarioError([{ location: locateField(scenario, 'generate'), path: 'generate', message }]);
    }
    yield batch;
  }
}

/**
 * Merges the scripted batches with the generated ones by time — a generated batch's time being when its session
 * was due (`order`), the key the generated stream is sorted by — ties: the scripted one first. Reads one batch
 * ahead of each.
 */
function* mergeByTime(a: Iterable<Batch>, b: Iterable<SourcedBatch>): Generator<Batch> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let na = ia.next();
  let nb = ib.next();
  while (na.done !== true || nb.done !== true) {
    if (nb.done === true || (na.done !== true && na.value.at <= nb.value.order)) {
      yield na.value as Batch;
      na = ia.next();
    } else {
      yield nb.value;
      nb = ib.next();
    }
  }
}
