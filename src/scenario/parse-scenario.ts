/**
 * Reads scenario files (YAML or JSON) into validated `Scenario` objects.
 *
 * Validation is done with the zod schemas (`header-schema.ts`, steps by `model/commands.ts`) on plain values; every
 * problem is then mapped back onto the YAML node it came from, so a user sees `file:line:col path: message` for each
 * problem, all at once.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ScenarioError, type ScenarioProblem, type SourceLocation } from '../errors.js';
import { findExcessiveNesting, findJsonSyntaxError } from './json-syntax.js';
import { suggest } from '../suggest.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import { ACTION_NAMES, actionSchemas, type Action, type ActionName } from '../model/commands.js';
import { Duration } from '../model/duration.js';
import { ScenarioHeader } from './header-schema.js';

/** One step of a path into the scenario: a mapping key or a list index. */
type Segment = string | number;
type Issue = z.core.$ZodIssue;
type Mapping = Record<string, unknown>;

/** The parsed text of one scenario file, kept to locate problems. */
interface Source {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** The `scenarios/` folder at the package root. */
export const BUNDLED_SCENARIOS_DIR = path.join(PACKAGE_ROOT, 'scenarios');

const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;
const TIME_KEYS = ['at', 'after'] as const;
const HEADER_KEYS = Object.keys(ScenarioHeader.shape);

/* ------------------------------------------------------------------------------------------------------------ */
/* Entry points                                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Parses and validates the text of a scenario file.
 *
 * @param text the file's content, YAML or JSON
 * @param file its path: chooses the syntax (`.json` is strict JSON, anything else YAML), names the scenario by
 *   default and prefixes every message
 * @throws ScenarioError listing every problem found, each located at `file:line:col` when possible
 */
export function parseScenarioText(text: string, file: string): Scenario {
  const problems = new Problems();
  const src = parseSource(text.replace(/^\uFEFF/, ''), file, problems);
  // After a syntax error the tree is a guess, and checking its shape would mostly report follow-on noise.
  if (src === undefined || problems.found) throw problems.toError();
  const root = toPlainValue(src, problems);
  if (!isMapping(root)) throw problems.toError();
  keepVersionAsWritten(src, root);
  const header = checkHeader(src, root, problems);
  const steps = checkSteps(src, root['steps'], problems);
  if (header === undefined || problems.found) throw problems.toError();
  const scenario: Scenario = {
    file,
    name: header.name ?? path.basename(file, path.extname(file)),
    description: header.description ?? '',
    seed: header.seed,
    start: header.start,
    openvidu: header.openvidu ?? {},
    steps,
    ...(Object.hasOwn(root, 'generate') ? { generate: root['generate'] } : {}),
  };
  SOURCES.set(scenario, src);
  return scenario;
}

/** The parsed text of each scenario this module returned, to locate problems found later (see locateField). */
const SOURCES = new WeakMap<Scenario, Source>();

/**
 * Where a field of a parsed scenario is written, for problems found after parsing (a start past year 9999, a
 * `generate:` block's field): `path` is a problem's path (`generate.faults.nodeRecoverAfter`, `steps[3].at`). A field
 * the file does not have is located at its deepest written parent; undefined only for a scenario this module did not
 * parse from text (built in code, or a copy).
 */
export function locateField(
  scenario: Scenario,
  path: string | readonly Segment[],
): SourceLocation | undefined {
  const src = SOURCES.get(scenario);
  return src && locate(src, typeof path === 'string' ? parsePath(path) : path);
}

/** `steps[3].at` → ['steps', 3, 'at']; the inverse of formatPath for the paths ovsim writes. */
function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) segments.push(Number(m[1]));
    else if (m[2] !== undefined) segments.push(JSON.parse(`"${m[2]}"`) as string);
    else if (m[3] !== undefined) segments.push(m[3]);
  }
  return segments;
}

/** The problems of `error` with a location found for each one that had none (by its path in the scenario). */
export function locateProblems(error: ScenarioError, scenario: Scenario): ScenarioError {
  if (error.problems.every((p) => p.location !== undefined)) return error;
  return new ScenarioError(
    error.problems.map((p) =>
      p.location !== undefined ? p : { ...p, location: locateField(scenario, p.path) },
    ),
  );
}

/**
 * Reads a scenario from a file path or, when no such file exists, from the bundled scenario of that name
 * (`<scenariosDir>/<name>.yaml`, `.yml` or `.json`).
 *
 * @param nameOrPath a file path, or a bundled scenario's name such as `basic-call`
 * @param opts.scenariosDir where bundled scenarios are; defaults to the package's `scenarios/` folder
 * @throws ScenarioError when the file cannot be found or read, or is not a valid scenario
 */
export async function readScenario(
  nameOrPath: string,
  opts: { scenariosDir?: string } = {},
): Promise<Scenario> {
  const dir = opts.scenariosDir ?? BUNDLED_SCENARIOS_DIR;
  const file = await findScenarioFile(nameOrPath, dir);
  return parseScenarioText(await readScenarioText(file), file);
}

/** A bundled scenario as `ovsim scenarios` lists it. */
export interface BundledScenario {
  /** The name `ovsim generate <name>` accepts: the file's base name. */
  readonly name: string;
  readonly description: string;
  readonly file: string;
}

/**
 * Lists the bundled scenarios with their descriptions, sorted by name. A missing folder lists nothing; a file
 * that cannot be parsed is still listed (with an empty description) so that `readScenario` can report why.
 */
export async function listBundledScenarios(scenariosDir = BUNDLED_SCENARIOS_DIR): Promise<BundledScenario[]> {
  const files = await listBundledFiles(scenariosDir);
  const list = await Promise.all(
    files.map(async (file) => ({
      name: stripExtension(file),
      description: await readDescription(file),
      file,
    })),
  );
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Problems and their locations                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

/** Collects problems so that one run reports all of them. */
class Problems {
  private readonly list: ScenarioProblem[] = [];

  get found(): boolean {
    return this.list.length > 0;
  }

  add(location: SourceLocation | undefined, path: readonly Segment[], message: string): void {
    this.list.push({ location, path: formatPath(path), message });
  }

  /** Adds a problem about `path`, located at the node of `at` (the field's key when possible). */
  addAt(src: Source, path: readonly Segment[], message: string, at: readonly Segment[] = path): void {
    this.add(locate(src, at), path, message);
  }

  /** Sorted by position so the report reads top to bottom, whatever order the checks ran in. */
  toError(): ScenarioError {
    const sorted = [...this.list].sort((a, b) => comparePositions(a.location, b.location));
    return new ScenarioError(sorted);
  }
}

function comparePositions(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return a.line - b.line || a.col - b.col;
}

/** `steps[7].publish.participant`, quoting keys that would not read as names. */
function formatPath(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (!/^[A-Za-z_$][\w$-]*$/.test(s)) return `[${JSON.stringify(s)}]`;
      return i === 0 ? s : `.${s}`;
    })
    .join('');
}

/**
 * Finds where `path` stands in the file: the key of the deepest mapping entry on the path (so a missing field
 * points at its parent's key), or the list item when the path ends in an index.
 */
function locate(src: Source, path: readonly Segment[]): SourceLocation | undefined {
  let node: unknown = src.doc.contents;
  let anchor: unknown = node;
  for (const segment of path) {
    const child = findChild(src, node, segment);
    if (child === undefined) break;
    anchor = child.anchor;
    node = child.value;
  }
  return locateNode(src, anchor);
}

function findChild(
  src: Source,
  parent: unknown,
  segment: Segment,
): { anchor: unknown; value: unknown } | undefined {
  const node = resolveAlias(src, parent);
  if (isMap(node)) {
    const pair = node.items.find((p) => keyToText(p.key) === String(segment));
    return pair && { anchor: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { anchor: item, value: item };
  }
  return undefined;
}

function resolveAlias(src: Source, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

function keyToText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function locateNode(src: Source, node: unknown): SourceLocation | undefined {
  if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
  return offsetToLocation(src.file, src.lines, node.range[0]);
}

/** Line and column of `offset` in `text`, counted directly (for a text not given to the parser). */
function locateOffset(file: string, text: string, offset: number): SourceLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { file, line, col: offset - before.lastIndexOf('\n') };
}

function offsetToLocation(file: string, lines: LineCounter, offset: number): SourceLocation {
  const { line, col } = lines.linePos(offset);
  return { file, line, col };
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Syntax                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/** Parses the text with the yaml library (JSON is YAML too, which gives JSON files the same node positions). */
function parseSource(text: string, file: string, problems: Problems): Source | undefined {
  const json = path.extname(file).toLowerCase() === '.json';
  const syntax = json ? 'JSON' : 'YAML';
  const deep = findExcessiveNesting(text);
  if (deep !== undefined) {
    problems.add(locateOffset(file, text, deep.offset), [], `${syntax} too deep: ${deep.message}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    ...(json ? { schema: 'json' } : {}),
  });
  for (const e of doc.errors) {
    problems.add(offsetToLocation(file, lines, e.pos[0]), [], `${syntax} syntax error: ${e.message}`);
  }
  // The yaml parser still accepts a little more than JSON (trailing commas); a .json file must stay readable by
  // every JSON tool, so it is held to JSON.parse too.
  if (json && doc.errors.length === 0) checkStrictJson(text, file, lines, problems);
  return { file, text, doc, lines };
}

function checkStrictJson(text: string, file: string, lines: LineCounter, problems: Problems): void {
  try {
    JSON.parse(text);
  } catch (e) {
    // V8 names the position of only some mistakes; the scanner locates every one (and its wording is the same
    // whatever Node's version). Should it ever disagree with JSON.parse, the file's first character still locates it.
    const found = findJsonSyntaxError(text);
    const reason = found?.message ?? (e instanceof Error ? e.message : String(e));
    problems.add(offsetToLocation(file, lines, found?.offset ?? 0), [], `JSON syntax error: ${reason}`);
  }
}

/** The document as plain values; the top level must be a mapping. */
function toPlainValue(src: Source, problems: Problems): unknown {
  let value: unknown;
  try {
    value = src.doc.toJS();
  } catch (e) {
    // Unresolved aliases and alias bombs are only detected while converting.
    problems.add(
      locateNode(src, src.doc.contents),
      [],
      `YAML error: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  }
  if (value === null || value === undefined) {
    problems.add(
      offsetToLocation(src.file, src.lines, 0),
      [],
      'the file is empty; a scenario needs steps: (a list of timed actions)',
    );
  } else if (!isMapping(value)) {
    const keys = HEADER_KEYS.join(', ');
    problems.add(
      locateNode(src, src.doc.contents),
      [],
      `a scenario is a mapping of ${keys}; got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * YAML reads `version: 2.30` as the number 2.3; the version is a label, so it is kept as written
 * (`"2.30"`) instead of being printed back from the number.
 */
function keepVersionAsWritten(src: Source, root: Mapping): void {
  const openvidu = root['openvidu'];
  if (!isMapping(openvidu) || typeof openvidu['version'] !== 'number') return;
  const node = findChild(src, findChild(src, src.doc.contents, 'openvidu')?.value, 'version')?.value;
  if (isScalar(node) && node.range) openvidu['version'] = src.text.slice(node.range[0], node.range[1]).trim();
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Header                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

type Header = z.output<typeof ScenarioHeader>;

function checkHeader(src: Source, root: Mapping, problems: Problems): Header | undefined {
  if (!Object.hasOwn(root, 'steps') && !Object.hasOwn(root, 'generate')) {
    problems.addAt(src, ['steps'], 'a scenario needs steps: (a list of timed actions) or generate:');
  }
  const result = ScenarioHeader.safeParse(root);
  if (result.success) return result.data;
  reportIssues(src, problems, { base: [], schema: ScenarioHeader, value: root }, result.error.issues);
  return undefined;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Steps                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

/** The time of the last step in order; `after:` counts from it and `at:` may not go before it. */
interface Clock {
  now: number;
}

function checkSteps(src: Source, value: unknown, problems: Problems): ScenarioStep[] {
  if (!Array.isArray(value)) return []; // absent or not a list: the header check reports it
  const clock: Clock = { now: 0 };
  const steps: ScenarioStep[] = [];
  value.forEach((raw: unknown, index) => {
    const step = checkStep(src, raw, index, clock, problems);
    if (step) steps.push(step);
  });
  return steps;
}

function checkStep(
  src: Source,
  raw: unknown,
  index: number,
  clock: Clock,
  problems: Problems,
): ScenarioStep | undefined {
  const base: Segment[] = ['steps', index];
  if (!isMapping(raw)) {
    const example = '{ at: 1s, join: { session: s1, participant: alice } }';
    problems.addAt(
      src,
      base,
      `a step is a mapping of a time and one action, e.g. ${example}; got ${describe(raw)}`,
    );
    return undefined;
  }
  const at = checkStepTime(src, raw, base, clock, problems);
  const action = checkStepAction(src, raw, base, problems);
  if (at === undefined || action === undefined) return undefined;
  return { index, at, action, location: locate(src, [...base, action.type]) };
}

/** Resolves `at:`/`after:` to an offset from the start; a step with neither runs at the previous step's time. */
function checkStepTime(
  src: Source,
  raw: Mapping,
  base: Segment[],
  clock: Clock,
  problems: Problems,
): number | undefined {
  const [hasAt, hasAfter] = TIME_KEYS.map((k) => Object.hasOwn(raw, k));
  if (hasAt && hasAfter) {
    problems.addAt(src, base, 'a step has either at: or after:, not both', [...base, 'after']);
    return undefined;
  }
  if (!hasAt && !hasAfter) return clock.now;
  const key = hasAt ? 'at' : 'after';
  const offset = checkDuration(src, raw[key], [...base, key], problems);
  if (offset === undefined) return undefined;
  const time = hasAt ? offset : clock.now + offset;
  if (time < clock.now) {
    const message = `steps must be in time order; step at ${formatMs(time)} comes after a step at ${formatMs(clock.now)}`;
    problems.addAt(src, [...base, key], message);
    return undefined;
  }
  clock.now = time;
  return time;
}

function checkDuration(src: Source, value: unknown, at: Segment[], problems: Problems): number | undefined {
  const result = Duration.safeParse(value);
  if (result.success) return result.data;
  const tooLong = result.error.issues.find((i) => i.code === 'custom' && i.message.includes('too long'));
  const hint = 'use seconds (1.5) or a number with a unit (250ms, 1.5s, 2m, 1h)';
  problems.addAt(src, at, tooLong?.message ?? `${describe(value)} is not a duration; ${hint}`);
  return undefined;
}

/** `1.5s`, `250ms`: how a user would write the instant. */
function formatMs(ms: number): string {
  return ms > 0 && ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

function checkStepAction(src: Source, raw: Mapping, base: Segment[], problems: Problems): Action | undefined {
  const keys = Object.keys(raw).filter((k) => !(TIME_KEYS as readonly string[]).includes(k));
  const actions = keys.filter(isActionName);
  for (const key of keys.filter((k) => !isActionName(k))) {
    problems.addAt(src, [...base, key], explainUnknownAction(key));
  }
  if (actions.length > 1) {
    const found = actions.map((a) => `"${a}"`).join(' and ');
    const message = `one action per step, found ${found}; give each its own step (without at: or after: a step runs at the same instant as the previous one)`;
    problems.addAt(src, base, message, [...base, actions[1] ?? '']);
    return undefined;
  }
  const name = actions[0];
  if (name === undefined) {
    if (keys.length === 0)
      problems.addAt(src, base, `a step needs an action, one of ${ACTION_NAMES.join(', ')}`);
    return undefined;
  }
  return checkActionFields(src, name, raw[name], [...base, name], problems);
}

function isActionName(key: string): key is ActionName {
  return Object.hasOwn(actionSchemas, key);
}

function explainUnknownAction(key: string): string {
  const guess = suggest(key, [...ACTION_NAMES, ...TIME_KEYS]);
  return explainChoice(`unknown action "${key}"`, guess, 'known actions', ACTION_NAMES);
}

function checkActionFields(
  src: Source,
  name: ActionName,
  value: unknown,
  at: Segment[],
  problems: Problems,
): Action | undefined {
  const schema = actionSchemas[name];
  // `stopServer:` with nothing after it is the natural way to write an action without fields.
  const fields = value === null ? {} : value;
  if (!isMapping(fields)) {
    problems.addAt(
      src,
      at,
      `expected a mapping of the fields of ${name} ${formatFieldList(schema)}, got ${describe(value)}`,
    );
    return undefined;
  }
  const result = schema.safeParse(fields);
  if (!result.success) {
    reportIssues(src, problems, { base: at, schema, value: fields }, result.error.issues);
    return undefined;
  }
  // The schema was picked by `name`, so its output is that action's arguments; TypeScript cannot follow the link.
  return { type: name, args: result.data } as Action;
}

function formatFieldList(schema: z.ZodType): string {
  const keys = listFields(schema, []) ?? [];
  return keys.length === 0 ? '(none: write {})' : `(${keys.join(', ')})`;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Zod issues as user messages                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

/** What was validated: the schema, the value given to it and where that value stands in the file. */
interface Checked {
  readonly base: readonly Segment[];
  readonly schema: z.ZodType;
  readonly value: unknown;
}

function reportIssues(src: Source, problems: Problems, checked: Checked, issues: readonly Issue[]): void {
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

/** Zod's own messages start like this; messages written in our schemas explain the rule and are shown as they are. */
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
function explainChoice(
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
function listFields(schema: z.ZodType, path: readonly Segment[]): string[] | undefined {
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

/** The value as the user wrote it, short: strings quoted, collections by kind. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Files                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

async function findScenarioFile(nameOrPath: string, dir: string): Promise<string> {
  try {
    await stat(nameOrPath);
    return nameOrPath; // a directory or makeReadError file is reported by the read, with the OS reason
  } catch (e) {
    if (!isMissing(e)) throw makeReadError(nameOrPath, e);
  }
  for (const candidate of listCandidates(nameOrPath, dir)) {
    if (await isFile(candidate)) return candidate;
  }
  const names = (await listBundledScenarios(dir)).map((s) => s.name);
  const known =
    names.length > 0 ? `bundled scenarios: ${names.join(', ')}` : 'there are no bundled scenarios';
  throw new ScenarioError([
    { location: undefined, path: '', message: `no such file or scenario "${nameOrPath}"; ${known}` },
  ]);
}

/** Only a bare name can be a bundled scenario; a path that does not exist is just missing. */
function listCandidates(name: string, dir: string): string[] {
  if (name === '' || name.includes('/') || name.includes('\\') || name.startsWith('.')) return [];
  const hasExtension = (SCENARIO_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
  return hasExtension ? [path.join(dir, name)] : SCENARIO_EXTENSIONS.map((ext) => path.join(dir, name + ext));
}

async function readScenarioText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw makeReadError(file, e);
  }
}

function makeReadError(file: string, error: unknown): ScenarioError {
  return new ScenarioError([
    { location: undefined, path: '', message: `cannot read "${file}": ${extractOsReason(error)}` },
  ]);
}

/** `EACCES: permission denied, open 'x'` → `permission denied`: the file is already named in the message. */
function extractOsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Scenario files of the folder, one per name: `.yaml` wins over `.yml` over `.json`, as lookups do. */
async function listBundledFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw makeReadError(dir, e);
  }
  const byName = new Map<string, string>();
  for (const ext of SCENARIO_EXTENSIONS) {
    for (const entry of entries.filter((e) => path.extname(e).toLowerCase() === ext)) {
      if (!byName.has(stripExtension(entry))) byName.set(stripExtension(entry), path.join(dir, entry));
    }
  }
  return [...byName.values()];
}

function stripExtension(file: string): string {
  return path.basename(file, path.extname(file));
}

async function readDescription(file: string): Promise<string> {
  try {
    const value: unknown = parseDocument(await readFile(file, 'utf8')).toJS();
    const description = isMapping(value) ? value['description'] : undefined;
    return typeof description === 'string' ? description : '';
  } catch {
    return '';
  }
}
