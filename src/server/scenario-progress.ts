/**
 * Which steps of the loaded scenario have run, so the page can say what the next one will do. Steps run in the
 * engine's (time, scheduling order) order, which is (at, index) for scenario steps: a cursor over the steps sorted
 * that way, moved past every step reported as run (refused ones included).
 */
import type { ScenarioStep } from '../scenario/scenario.js';
import type { NextStepView } from './view-types.js';

export class ScenarioProgress {
  private readonly order: readonly ScenarioStep[];
  private readonly done = new Set<number>();
  private cursor = 0;

  /** @param start the virtual instant step offsets count from, ms since the epoch */
  constructor(
    steps: readonly ScenarioStep[],
    private readonly start: number,
  ) {
    this.order = [...steps].sort((a, b) => a.at - b.at || a.index - b.index);
  }

  /** Records that the step with this index ran (or was refused). */
  ran(index: number): void {
    this.done.add(index);
    while (this.cursor < this.order.length && this.done.has(this.order[this.cursor]!.index)) this.cursor++;
  }

  /** The next step not run yet, or null when all ran. */
  next(): NextStepView | null {
    const step = this.order[this.cursor];
    if (!step) return null;
    return { index: step.index, at: this.start + step.at, type: step.action.type, args: step.action.args };
  }

  /** Steps not run yet. */
  get left(): number {
    return this.order.length - this.done.size;
  }
}
