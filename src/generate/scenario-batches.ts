/**
 * The batches of a whole scenario: its scripted `steps:` alone (the scenario engine), or run beside the traffic of its
 * `generate:` block as one simulation (the steps in a partition of their own). Validation happens here, eagerly, so a
 * bad block fails before any output is opened.
 */
import { ActionRefused, type Batch } from '../engine/engine.js';
import { OUTPUT_FIELDS, type PartitionedRun } from '../engine/partitioned-run.js';
import { SCRIPTED_PARTITION } from '../engine/world.js';
import { OvsimError, ScenarioError } from '../errors.js';
import type { Fact } from '../model/facts.js';
import { eventNameOf } from '../model/ov2-events.js';
import { locateField, locateProblems } from '../scenario/parse-scenario.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { simulateScenario, stepError, type SimulationSettings } from '../scenario/simulate-scenario.js';
import { explainWhen, rangeProblem } from '../model/time-bounds.js';
import {
  generatedRun,
  stepBatches,
  type GenerationStats,
  type Shard,
  type SourcedBatch,
} from './generate-batches.js';
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
  if (config === undefined) return shard.index === 0 ? simulateScenario(scenario, settings) : [];
  checkWindow(scenario, settings, config);
  const scripted = scenario.steps.map((step) => ({
    at: settings.start + step.at,
    action: step.action,
    origin: step,
  }));
  let run: PartitionedRun;
  try {
    run = generatedRun(
      { config, engine: settings.engine, minor: settings.profile.minor, shard, scripted },
      o.stats,
    );
  } catch (e) {
    throw e instanceof ScenarioError ? locateProblems(e, scenario) : e;
  }
  return new GeneratedScenario(run, scenario);
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
 * A scenario with a `generate:` block, as one run: its batches in order — or, for writers of bytes, its facts step by
 * step (`next`, `facts`, `segments`: no batch or event object made). A refused scripted step ends it with a
 * ScenarioError naming the step.
 */
export class GeneratedScenario implements Iterable<SourcedBatch> {
  constructor(
    private readonly run: PartitionedRun,
    private readonly scenario: Scenario,
  ) {}

  /**
   * Runs on to the next step with facts; false at the end. Refused for a session that runs past the range of
   * instants ovsim writes (its durations are drawn at random: only the run can tell).
   */
  next(): boolean {
    let more: boolean;
    try {
      more = this.run.next();
    } catch (e) {
      if (e instanceof ActionRefused) throw stepError(e.origin as ScenarioStep, e.message);
      throw e instanceof ScenarioError ? locateProblems(e, this.scenario) : e;
    }
    if (more) this.checkInstants();
    return more;
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

  /** Every segment with an event begins at an instant ovsim writes. */
  private checkInstants(): void {
    const { segments, facts, segmentsLength } = this.run;
    for (let i = 0; i < segmentsLength; i += OUTPUT_FIELDS) {
      const at = segments[i]!;
      if (rangeProblem(at) === undefined) continue;
      let events = false;
      for (let k = segments[i + 3]!; k < segments[i + 4]! && !events; k++)
        events = eventNameOf(facts[k]!) !== undefined;
      if (events) throw this.lateError(at, segments[i + 2] === SCRIPTED_PARTITION);
    }
  }

  private lateError(at: number, scripted: boolean): ScenarioError {
    const when = explainWhen(at) ?? '';
    const path = scripted ? 'steps' : 'generate';
    const message = scripted
      ? `a step would still have effects at ${when}; use an earlier start or shorter timeouts and delays`
      : `a generated session would still run at ${when}; bound its durations (max: in their distributions), ` +
        'shorten generate.duration or start earlier';
    return new ScenarioError([{ location: locateField(this.scenario, path), path, message }]);
  }
}
