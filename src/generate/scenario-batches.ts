/**
 * The batches of a whole scenario: its scripted `steps:` alone (the scenario engine), or run beside the traffic of its
 * `generate:` block as one simulation (the steps in a partition of their own). Validation happens here, eagerly, so a
 * bad block fails before any output is opened.
 */
import { ActionRefused, type Batch } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { simulateScenario, stepError, type SimulationSettings } from '../scenario/simulate-scenario.js';
import type { PartitionedRun } from '../engine/partitioned-run.js';
import type { Fact } from '../model/facts.js';
import { generatedRun, stepBatches, type Shard, type SourcedBatch } from './generate-batches.js';
import type { GenerationStats } from './generate-batches.js';
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
  return readGenerateBlock(applySetOverrides(scenario.generate, set), scenario.file);
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
  if (config === undefined) return shard.index === 0 ? simulateScenario(scenario, settings) : [];
  const scripted = scenario.steps.map((step) => ({
    at: settings.start + step.at,
    action: step.action,
    origin: step,
  }));
  return new GeneratedScenario(generatedRun({ config, engine: settings.engine, shard, scripted }, o.stats));
}

/**
 * A scenario with a `generate:` block, as one run: its batches in order — or, for writers of bytes, its facts step by
 * step (`next`, `facts`, `segments`: no batch or event object made). A refused scripted step ends it with a
 * ScenarioError naming the step.
 */
export class GeneratedScenario implements Iterable<SourcedBatch> {
  constructor(private readonly run: PartitionedRun) {}

  /** Runs on to the next step with facts; false at the end. */
  next(): boolean {
    try {
      return this.run.next();
    } catch (e) {
      if (e instanceof ActionRefused) throw stepError(e.origin as ScenarioStep, e.message);
      throw e;
    }
  }

  /** The last step's facts, and its segments (see PartitionedRun.segments). */
  get facts(): readonly Fact[] {
    return this.run.facts;
  }

  get segments(): readonly number[] {
    return this.run.segments;
  }

  /** How many numbers of `segments` are the last step's. */
  get segmentsLength(): number {
    return this.run.segmentsLength;
  }

  *[Symbol.iterator](): Generator<SourcedBatch> {
    while (this.next()) yield* stepBatches(this.run);
  }
}
