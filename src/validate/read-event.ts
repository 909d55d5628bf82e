/**
 * From one line of text to one event: the checks of the line itself (encoding, JSON, nesting, CDR or WebHook
 * form, Gson serialization, spec §1.1-§1.4) before the event's own rules.
 */
import { excerpt, isPlainObject, json, type EventInput } from './event-input.js';
import { RawScanner, TooDeepError, type RawMember } from './raw-json.js';
import type { Diagnostic, RuleId, Severity, Where } from './rules.js';

/** Reports a finding about the line being read. */
export type LineReport = (rule: RuleId, message: string, severity?: Severity) => void;

/**
 * Reads a line into an event, or reports why it is none and returns undefined. A leading byte order mark is
 * reported and the rest of the line read as if it were not there.
 */
export function readEventLine(
  text: string,
  where: Where,
  out: Diagnostic[],
  report: LineReport,
): EventInput | undefined {
  let line = text;
  if (line.charCodeAt(0) === 0xfeff) {
    report('encoding', 'the line starts with a byte order mark (U+FEFF); OpenVidu writes UTF-8 without one');
    line = line.slice(1);
  }
  if (line.trim() === '') {
    report('blank-line', 'empty line', 'warning');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    report('unparsable-line', `not valid JSON: ${excerpt(line)}`);
    return undefined;
  }
  if (!isPlainObject(parsed)) {
    report('line-form', 'not a JSON object');
    return undefined;
  }
  const scanner = new RawScanner(line);
  let root: ReturnType<RawScanner['object']>;
  try {
    root = scanner.object(0);
  } catch (e) {
    if (!(e instanceof TooDeepError)) throw e;
    report('unparsable-line', `not checked: ${e.message}`);
    return undefined;
  }
  if (scanner.skipSpace(root.end) !== line.length) scanner.problem ??= 'text after the JSON object';
  const input = readForm(line, root.members, parsed, where, out, report);
  if (scanner.problem !== undefined) report('serialization', scanner.problem);
  return input;
}

/** Tells the CDR form from the WebHook form (spec §1.4) and extracts the event. */
function readForm(
  line: string,
  rootMembers: readonly RawMember[],
  parsed: Record<string, unknown>,
  where: Where,
  out: Diagnostic[],
  report: LineReport,
): EventInput | undefined {
  const first = rootMembers[0];
  if (rootMembers.length === 1 && first !== undefined && first.key !== 'event' && line[first.start] === '{') {
    const body = parsed[first.key];
    if (!isPlainObject(body)) return undefined; // unreachable: the raw value is an object
    return { name: first.key, body, ...rawKeys(line, first.inner ?? []), where, form: 'cdr', out };
  }
  const eventMembers = rootMembers.filter((m) => m.key === 'event');
  if (eventMembers.length === 0) {
    report(
      'line-form',
      rootMembers.length === 1
        ? `the value of the root key "${first?.key ?? ''}" is not an object`
        : 'neither a CDR line {"<event>":{…}} (one root key) nor a WebHook body (an "event" key)',
    );
    return undefined;
  }
  const name = parsed.event;
  if (typeof name !== 'string') {
    report('event-key', `"event" must be a string, found ${json(name)}`);
    return undefined;
  }
  if (rootMembers[rootMembers.length - 1]?.key !== 'event') {
    report('event-key', '"event" must be the last key of a WebHook body');
  }
  const bodyMembers = rootMembers.filter((m) => m.key !== 'event');
  if (eventMembers.length > 1) report('unexpected-field', 'duplicate key "event"');
  const { event: _event, ...body } = parsed;
  return { name, body, ...rawKeys(line, bodyMembers), where, form: 'webhook', out };
}

/** Keys in wire order and the raw text of each (first occurrence). */
function rawKeys(
  line: string,
  members: readonly RawMember[],
): { keys: string[]; rawAt: (i: number) => string | undefined } {
  const rawAt = (i: number): string | undefined => {
    const m = members[i];
    return m === undefined ? undefined : line.slice(m.start, m.end);
  };
  return { keys: members.map((m) => m.key), rawAt };
}
