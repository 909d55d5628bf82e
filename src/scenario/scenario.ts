import type { SourceLocation } from '../errors.js';
import type { Action } from '../model/commands.js';
import type { OpenviduConfigInput } from './header-schema.js';

/** One step of a parsed scenario: an action at an offset from the scenario start. */
export interface ScenarioStep {
  /** 0-based position in `steps:`; messages call it `steps[index]`. */
  readonly index: number;
  /** Offset from the scenario start, in ms (`after:` already resolved against the previous step). */
  readonly at: number;
  readonly action: Action;
  /** Where the action's key stands in the file, for error messages. */
  readonly location: SourceLocation | undefined;
}

/** A parsed, validated scenario. Steps are in file order, which is also time order for equal `at`. */
export interface Scenario {
  /** The path it was read from (or a bundled name), used in messages. */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly seed: number | string | undefined;
  /** ISO 8601 instant or `now`, as written. */
  readonly start: string | undefined;
  readonly openvidu: OpenviduConfigInput;
  readonly steps: readonly ScenarioStep[];
  /** The top-level `generate:` block, untouched (present only when the file has one); the generator validates it. */
  readonly generate?: unknown;
}
