/**
 * What a rule family gets from the validator that runs it: a way to report, what the stream may hold, and where
 * the input began. The families keep their own state; the validator owns the counts and the output.
 */
import type { EventInput } from '../event-input.js';
import type { RuleId, Severity } from '../rules.js';

export interface RuleContext {
  /**
   * Reports a finding located at the event's line. `needs`: the event types without which the finding would be
   * wrong (a filtered stream lacks them); it is skipped, or waits for them, when they are not in the stream.
   */
  flag(ev: EventInput, rule: RuleId, message: string, severity?: Severity, needs?: readonly string[]): void;
  /** Whether the stream may hold events of `type`: in the given filter, or seen so far. */
  mayHold(type: string): boolean;
  /**
   * Whether something that began at `time` began inside the input (so its creation must be there): more than the
   * tolerance after the input's first timestamp, since lines are not time-sorted.
   */
  beganInInput(time: number): boolean;
  /**
   * False for OpenVidu 3's v2-compatibility module, whose reasons are "not accurate": the rules that compare the
   * reasons of one close cascade with each other then do not apply.
   */
  readonly accurateReasons: boolean;
}
