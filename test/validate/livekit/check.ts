/** Runs a stream through a validator and sorts what it says by severity. */
import type { Diagnostic } from '../../../src/validate/rules.js';
import {
  createStreamValidator,
  type StreamSummary,
  type StreamValidatorOptions,
} from '../../../src/validate/stream-validator.js';

export interface Checked {
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  readonly summary: StreamSummary;
  /** `RULE: message` of every diagnostic, for readable failures. */
  readonly text: string[];
}

export function check(
  lines: readonly string[],
  opts: StreamValidatorOptions = { server: 'openvidu3' },
): Checked {
  const v = createStreamValidator(opts);
  const all: Diagnostic[] = [];
  lines.forEach((line, i) => all.push(...v.push(line, i + 1, 'in')));
  all.push(...v.finish());
  return {
    errors: all.filter((d) => d.severity === 'error'),
    warnings: all.filter((d) => d.severity === 'warning'),
    summary: v.summary(),
    text: all.map((d) => `${d.severity} ${d.line}: ${d.rule}: ${d.message}`),
  };
}

/** The rule ids of a list of diagnostics. */
export function rules(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.rule);
}
