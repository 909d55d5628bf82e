/**
 * What every validator says of its input as a whole, whatever the server: a line too long to read (skipped,
 * unchecked) and a file that held no line. One wording for OpenVidu 2, LiveKit and Meet streams.
 */
import type { Diagnostic, RuleId, Severity, Where } from './rules.js';

/** A validator's own way of recording a diagnostic (it applies its event filter and counts). */
export type Report = (
  out: Diagnostic[],
  where: Where,
  rule: RuleId,
  message: string,
  severity?: Severity,
) => void;

/** A line `bytes` long, over `limit` (set by the option `flag`): reported and not checked. */
export function tooLongLine(
  report: Report,
  where: Where,
  bytes: number,
  limit: number,
  flag = '--max-line-size',
): Diagnostic[] {
  const out: Diagnostic[] = [];
  report(out, where, 'line-too-long', `${bytes} bytes, over the limit of ${limit} (${flag}): not checked`);
  return out;
}

/** A file (or standard input) without a single line: nothing was checked in it. */
export function emptyInput(report: Report, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  report(out, { file, line: 0 }, 'empty-input', 'no lines to check', 'warning');
  return out;
}
