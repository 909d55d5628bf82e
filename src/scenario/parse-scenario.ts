/**
 * Parses scenario text (YAML or JSON) into a validated `Scenario`.
 *
 * Validation is done with the zod schemas of `schema.ts` on plain values; every problem is then mapped back onto
 * the YAML node it came from, so a user sees `file:line:col path: message` for each problem, all at once. Reading
 * files is `read-scenario.ts`'s; locating, `scenario-source.ts`'s; wording zod's issues, `explain-issues.ts`'s.
 */
import path from 'node:path';
import type { z } from 'zod';
import { ScenarioError, type SourceLocation } from '../errors.js';
import { suggest } from '../suggest.js';
import { explainChoice, listFields, reportIssues } from './explain-issues.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import {
  describe,
  isMapping,
  keepVersionAsWritten,
  locate,
  parsePath,
  parseSource,
  Problems,
  toPlainValue,
  type Mapping,
  type Segment,
  type Source,
} from './scenario-source.js';
import { ACTION_NAMES, actionSchemas, type Action, type ActionName } from '../model/commands.js';
import { Duration } from '../model/duration.js';
import { ScenarioHeader } from './header-schema.js';

const TIME_KEYS = ['at', 'after'] as const;

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

/** The problems of `error` with a location found for each one that had none (by its path in the scenario). */
export function locateProblems(error: ScenarioError, scenario: Scenario): ScenarioError {
  if (error.problems.every((p) => p.location !== undefined)) return error;
  return new ScenarioError(
    error.problems.map((p) =>
      p.location !== undefined ? p : { ...p, location: locateField(scenario, p.path) },
    ),
  );
}

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
