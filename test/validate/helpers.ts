import { parseEventList } from '../../src/validate/event-filter.js';
import { LifecycleValidator, type ValidatorOptions } from '../../src/validate/validate-lines.js';

/** Every event type: a stream known to be unfiltered, where no check is skipped. */
export const ALL_EVENTS: readonly string[] = parseEventList('all');
import { formatDiagnostic } from '../../src/validate/validate-files.js';

/** Validates lines as file `f.log`; returns `FILE:LINE: RULE: message` lines, warnings prefixed `warning `. */
export function check(lines: readonly string[], opts: ValidatorOptions = {}): string[] {
  const v = new LifecycleValidator(opts);
  const out: string[] = [];
  lines.forEach((line, i) => {
    for (const d of v.push(line, i + 1, 'f.log')) {
      out.push(`${d.severity === 'warning' ? 'warning ' : ''}${formatDiagnostic(d)}`);
    }
  });
  for (const d of v.finish()) out.push(formatDiagnostic(d));
  return out;
}

/** A copy of `lines` where line `index` (0-based) has `from` replaced by `to`; `from` must occur in it. */
export function edit(lines: readonly string[], index: number, from: string, to: string): string[] {
  const line = lines[index];
  if (line === undefined || !line.includes(from)) throw new Error(`line ${index} does not contain ${from}`);
  const copy = [...lines];
  copy[index] = line.replace(from, to);
  return copy;
}

/** A copy of `lines` without the lines at the given 0-based indexes. */
export function without(lines: readonly string[], ...indexes: number[]): string[] {
  return lines.filter((_, i) => !indexes.includes(i));
}

/** A copy of `lines` with `extra` inserted before 0-based `index`. */
export function insert(lines: readonly string[], index: number, ...extra: string[]): string[] {
  return [...lines.slice(0, index), ...extra, ...lines.slice(index)];
}
