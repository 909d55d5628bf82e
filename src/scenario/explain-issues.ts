/**
 * Zod's issues as a user reads them: each at the field it is about, the value as written, and the choices with a
 * "did you mean" where a close one exists.
 */
import { z } from 'zod';
import { suggest } from '../suggest.js';
import { describe, isMapping, type Problems, type Segment, type Source } from './scenario-source.js';

type Issue = z.core.$ZodIssue;

/* Zod issues as user messages                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

/** What was validated: the schema, the value given to it and where that value stands in the file. */
export interface Checked {
  readonly base: readonly Segment[];
  readonly schema: z.ZodType;
  readonly value: unknown;
}

export function reportIssues(
  src: Source,
  problems: Problems,
  checked: Checked,
  issues: readonly Issue[],
): void {
  for (const issue of issues) reportIssue(src, problems, checked, issue);
}

function reportIssue(src: Source, problems: Problems, checked: Checked, issue: Issue): void {
  const rel = issue.path.map(toSegment);
  const path = [...checked.base, ...rel];
  const value = pickValue(checked.value, rel);
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) problems.addAt(src, [...path, key], explainUnknownKey(checked, rel, key));
  } else if (issue.code === 'invalid_type' && value === undefined) {
    // A missing field: name it on its parent, whose key is where the user has to add it.
    problems.addAt(src, path.slice(0, -1), `missing required field "${String(path.at(-1))}"`);
  } else if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    reportUnion(src, problems, { base: path, schema: findSchema(checked.schema, rel), value }, issue.errors);
  } else {
    problems.addAt(src, path, explainIssue(issue, value));
  }
}

/** A union failed: report the branch that got furthest, or else the kinds of value it accepts. */
function reportUnion(src: Source, problems: Problems, checked: Checked, branches: readonly Issue[][]): void {
  const deeper = branches.findIndex((b) => b.some((i) => i.path.length > 0 || i.code !== 'invalid_type'));
  const branch = branches[deeper];
  if (branch) {
    const options = checked.schema instanceof z.ZodUnion ? (checked.schema.options as z.ZodType[]) : [];
    reportIssues(src, problems, { ...checked, schema: options[deeper] ?? z.unknown() }, branch);
    return;
  }
  const expected = branches
    .flat()
    .map((i) => (i.code === 'invalid_type' ? describeExpected(i.expected) : i.message));
  problems.addAt(
    src,
    checked.base,
    `expected ${joinOr([...new Set(expected)])}, got ${describe(checked.value)}`,
  );
}

function explainIssue(issue: Issue, value: unknown): string {
  const shown = describe(value);
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${describeExpected(issue.expected)}, got ${shown}`;
    case 'invalid_value':
      return explainInvalidValue(issue.values, value);
    case 'invalid_format':
      return isDefaultMessage(issue.message)
        ? `${shown} is not a valid ${issue.format}`
        : `${shown} is invalid: ${issue.message}`;
    case 'too_small':
      return `${shown} is too small: the minimum is ${String(issue.minimum)}`;
    case 'too_big':
      return `${shown} is too large: the maximum is ${String(issue.maximum)}`;
    case 'invalid_union':
      return `${shown} is invalid: ${issue.message}`;
    default:
      return issue.message;
  }
}

/** Zod's own messages start like this; messages written in `schema.ts` explain the rule and are shown as they are. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big))\b/.test(message);
}

function explainInvalidValue(values: readonly unknown[], value: unknown): string {
  const allowed = values.map(String);
  const guess = typeof value === 'string' ? suggest(value, allowed) : undefined;
  return explainChoice(`${describe(value)} is not allowed`, guess, 'allowed values', allowed);
}

function explainUnknownKey(checked: Checked, rel: readonly Segment[], key: string): string {
  const known = listFields(checked.schema, rel);
  const owner = [...checked.base, ...rel].filter((s) => typeof s === 'string').at(-1);
  if (known === undefined) return `unknown field "${key}"`;
  if (owner === undefined)
    return explainChoice(`unknown top-level key "${key}"`, suggest(key, known), 'allowed keys', known);
  if (known.length === 0) return `unknown field "${key}"; ${owner} takes no fields`;
  return explainChoice(`unknown field "${key}"`, suggest(key, known), `fields of ${owner}`, known);
}

/** `<problem>; did you mean "x"? Allowed values: a, b` — the guess first, since it is usually the fix. */
export function explainChoice(
  problem: string,
  guess: string | undefined,
  label: string,
  choices: readonly string[],
): string {
  const list = `${label}: ${choices.join(', ')}`;
  return guess
    ? `${problem}; did you mean "${guess}"? ${list[0]?.toUpperCase() ?? ''}${list.slice(1)}`
    : `${problem}; ${list}`;
}

/** The keys of the object schema found at `path` inside `schema`; `undefined` when that is not an object. */
export function listFields(schema: z.ZodType, path: readonly Segment[]): string[] | undefined {
  const found = findSchema(schema, path);
  return found instanceof z.ZodObject ? Object.keys(found.shape) : undefined;
}

/** The schema that validates the value at `path`, with optional/nullable/transform wrappers removed. */
function findSchema(schema: z.ZodType, path: readonly Segment[]): z.ZodType {
  let current = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject)
      current = unwrap((current.shape as Record<string, z.ZodType>)[segment]);
    else if (current instanceof z.ZodArray) current = unwrap(current.element as z.ZodType);
    else return z.unknown();
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType {
  let s = schema ?? z.unknown();
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodPipe ? unwrap(s.in as z.ZodType) : s;
}

function toSegment(key: PropertyKey): Segment {
  return typeof key === 'number' ? key : String(key);
}

function pickValue(value: unknown, path: readonly Segment[]): unknown {
  let v = value;
  for (const segment of path) {
    if (Array.isArray(v) && typeof segment === 'number') v = v[segment];
    else if (isMapping(v) && Object.hasOwn(v, segment)) v = v[segment];
    else return undefined;
  }
  return v;
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
    null: 'null',
  };
  return names[expected] ?? `a value of type ${expected}`;
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}
