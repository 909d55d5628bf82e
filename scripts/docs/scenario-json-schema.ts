/**
 * The JSON Schema of scenario files, built from the zod schemas the parser validates with (`src/model/commands.ts`, `src/scenario/header-schema.ts`,
 * `src/generate/generate-schema.ts`), so editors and the reference document cannot drift from the parser.
 * Only what zod cannot know is added here: the descriptions (from `scenario-descriptions.ts`) and the defaults of
 * `generate:` fields whose defaults are stored parsed (milliseconds, events per millisecond).
 */
import { z } from 'zod';
import {
  DurationDist,
  CountDist,
  GenerateSchema,
  Rate,
  parseRate,
} from '../../src/generate/generate-schema.js';
import { ACTION_NAMES, actionSchemas, Handle, type ActionName } from '../../src/model/commands.js';
import { Duration } from '../../src/model/duration.js';
import { ScenarioHeader, StartInstant } from '../../src/scenario/header-schema.js';
import { ACTION_DOCS, DEFINITION_DOCS, FIELD_DOCS, STEP_FIELDS } from './scenario-descriptions.js';

/** A JSON Schema node, as far as the generator and the renderer read it. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  [key: string]: unknown;
}

/** Names of the shared definitions, each used in several places of the file. */
export const DEFINITIONS = {
  handle: Handle,
  duration: Duration,
  rate: Rate,
  startInstant: StartInstant,
  durationDistribution: DurationDist,
  countDistribution: CountDist,
} as const;

/** Actions that take no required field also accept an empty value (`stopServer:` alone on its line). */
function acceptsEmpty(name: ActionName): boolean {
  return actionSchemas[name].safeParse({}).success;
}

/** One step: `at:` or `after:` and exactly one action (each branch requires its action and allows nothing else). */
function stepSchema(registry: Registry) {
  const branches = ACTION_NAMES.map((name) => {
    const action = acceptsEmpty(name) ? z.union([actionSchemas[name], z.null()]) : actionSchemas[name];
    const branch = z.strictObject({ at: Duration.optional(), after: Duration.optional(), [name]: action });
    registry.add(branch, { title: name });
    return branch;
  });
  return z.union(branches as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** The whole file, as the parser reads it: the header, with the `generate:` block and the steps spelled out. */
export function scenarioFileSchema(registry: Registry = z.registry()) {
  return ScenarioHeader.extend({
    generate: GenerateSchema.optional(),
    steps: z.array(stepSchema(registry)).optional(),
  });
}

type Registry = z.core.$ZodRegistry<{ id?: string; title?: string }>;

/** The JSON Schema (draft-07, which every YAML/JSON editor plugin reads) of scenario files, without descriptions. */
export function rawScenarioJsonSchema(): JsonSchema {
  const registry: Registry = z.registry<{ id?: string; title?: string }>();
  for (const [id, schema] of Object.entries(DEFINITIONS)) registry.add(schema, { id });
  return z.toJSONSchema(scenarioFileSchema(registry), {
    target: 'draft-07',
    io: 'input',
    metadata: registry,
    unrepresentable: 'any',
  }) as JsonSchema;
}

/** Where editors find the schema, relative to a bundled scenario (`scenarios/x.yaml`) and in the package. */
export const SCHEMA_FILE = 'schema/scenario.schema.json';

/**
 * Text forms of durations and rates, as `parseDuration` and `parseRate` accept them (a test holds them to it), so an
 * editor flags `5 minutes` before the parser does.
 */
export const DURATION_PATTERN = '^\\s*(?:\\d+(?:\\.\\d+)?|(?:\\d+(?:\\.\\d+)?\\s*(?:ms|s|min|m|h|d)\\s*)+)$';
export const RATE_PATTERN = '^\\s*\\d+(?:\\.\\d+)?\\s*(?:/\\s*(?:ms|s|sec|min|m|h|hour|d|day))?\\s*$';

/** A problem found while documenting the schema: a field without words, or words without a field. */
export class UndocumentedError extends Error {}

type Docs = Map<string, string>;

function usedKeys(): { fields: Set<string>; all: Docs } {
  const all: Docs = new Map(Object.entries(FIELD_DOCS));
  for (const [name, d] of Object.entries(ACTION_DOCS)) {
    all.set(`steps.${name}`, d.summary);
    for (const [f, text] of Object.entries(d.fields)) all.set(`steps.${name}.${f}`, text);
  }
  for (const [f, text] of Object.entries(STEP_FIELDS)) all.set(`steps.${f}`, text);
  return { fields: new Set(), all };
}

/** The docs key of a field path: the four session kinds of `generate:` share their words. */
export function docKey(path: readonly string[]): string {
  const p = [...path];
  if (p[0] === 'generate' && p.length > 1 && ['call', 'meeting', 'webinar', 'ipcam'].includes(p[1] ?? '')) {
    p[1] = '<kind>';
  }
  return p.join('.');
}

/** A parsed default (milliseconds, events per millisecond) written back the way a user writes it. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  if (ms === 0) return '0s';
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export function formatRate(perMs: number): string {
  if (perMs === 0) return '0';
  for (const [unit, size] of [
    ['s', 1000],
    ['min', 60_000],
    ['h', 3_600_000],
    ['d', 86_400_000],
  ] as const) {
    const n = perMs * size;
    const rounded = Math.round(n * 1000) / 1000;
    if (rounded >= 1 && Math.abs(n - rounded) < 1e-9 && parseRate(`${rounded}/${unit}`) === perMs) {
      return `${rounded}/${unit}`;
    }
  }
  throw new UndocumentedError(`no short form for the rate ${perMs}/ms`);
}

function refName(node: JsonSchema): string | undefined {
  const ref = node.$ref ?? node.allOf?.[0]?.$ref;
  return typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

/** Adds the missing defaults of `generate:` (zod keeps them parsed, so its JSON Schema leaves them out). */
function addParsedDefault(node: JsonSchema, path: readonly string[]): void {
  if (path[0] !== 'generate' || node.default !== undefined) return;
  const parsed = valueAt(GenerateSchema.parse({}), path.slice(1));
  const ref = refName(node);
  if (typeof parsed !== 'number') return;
  if (ref === 'duration') node.default = formatDuration(parsed);
  else if (ref === 'rate') node.default = parsed === 0 ? 0 : formatRate(parsed);
}

function annotateObject(node: JsonSchema, path: readonly string[], docs: ReturnType<typeof usedKeys>): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = [...path, key];
    annotate(child, childPath, docs);
  }
}

function describe(node: JsonSchema, key: string, docs: ReturnType<typeof usedKeys>): void {
  const text = docs.all.get(key);
  if (text === undefined)
    throw new UndocumentedError(`no description for ${key} (scripts/docs/scenario-descriptions.ts)`);
  docs.fields.add(key);
  // Put the description first, where a reader of the file looks for it.
  const rest = { ...node };
  for (const k of Object.keys(node)) delete node[k];
  Object.assign(node, { description: text }, rest);
}

function annotate(node: JsonSchema, path: readonly string[], docs: ReturnType<typeof usedKeys>): void {
  if (path.length > 0) {
    addParsedDefault(node, path);
    describe(node, docKey(path), docs);
  }
  if (path.length === 1 && path[0] === 'steps') {
    for (const branch of node.items?.anyOf ?? []) annotateStep(branch, docs);
    return;
  }
  annotateObject(node, path, docs);
}

function annotateStep(branch: JsonSchema, docs: ReturnType<typeof usedKeys>): void {
  const name = branch.title as ActionName;
  const doc = ACTION_DOCS[name];
  branch.description = doc.summary;
  for (const [key, prop] of Object.entries(branch.properties ?? {})) {
    if (key === 'at' || key === 'after') {
      describe(prop, `steps.${key}`, docs);
      continue;
    }
    describe(prop, `steps.${name}`, docs);
    const fields = prop.anyOf?.find((b) => b.type === 'object') ?? prop;
    walkActionFields(fields, ['steps', name], docs);
  }
}

function walkActionFields(
  node: JsonSchema,
  path: readonly string[],
  docs: ReturnType<typeof usedKeys>,
): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    describe(child, [...path, key].join('.'), docs);
    walkActionFields(child, [...path, key], docs);
  }
}

/** A scalar may stand for a constant distribution (`joinSpread: 20s`, `participants: 1`). */
function acceptConstants(defs: Record<string, JsonSchema>): void {
  const scalar: Record<string, JsonSchema> = {
    durationDistribution: { $ref: '#/definitions/duration' },
    countDistribution: { type: 'integer', minimum: 0 },
  };
  for (const [id, constant] of Object.entries(scalar)) {
    const def = defs[id];
    if (!def?.oneOf) throw new UndocumentedError(`definition ${id} is no longer a oneOf of distributions`);
    defs[id] = { anyOf: [constant, ...def.oneOf] };
  }
}

function patchTextForms(defs: Record<string, JsonSchema>): void {
  for (const [id, pattern] of [
    ['duration', DURATION_PATTERN],
    ['rate', RATE_PATTERN],
  ] as const) {
    const text = defs[id]?.anyOf?.find((b) => b.type === 'string');
    if (!text) throw new UndocumentedError(`definition ${id} has no text form any more`);
    text.pattern = pattern;
  }
}

/**
 * The JSON Schema shipped as `schema/scenario.schema.json`: zod's, plus the descriptions and the `generate:`
 * defaults. Throws UndocumentedError when a field and its description do not match one to one.
 */
export function scenarioJsonSchema(): JsonSchema {
  const raw = rawScenarioJsonSchema();
  const defs = raw.definitions ?? {};
  acceptConstants(defs);
  patchTextForms(defs);
  const docs = usedKeys();
  annotate(raw, [], docs);
  for (const [id, def] of Object.entries(defs)) {
    const text = DEFINITION_DOCS[id];
    if (text === undefined) throw new UndocumentedError(`no description for definition ${id}`);
    defs[id] = { description: text, ...def };
  }
  const unused = [...docs.all.keys()].filter((k) => !docs.fields.has(k));
  if (unused.length > 0)
    throw new UndocumentedError(`descriptions of fields the schema does not have: ${unused.join(', ')}`);
  const { $schema, ...rest } = raw;
  return {
    $schema: $schema ?? 'http://json-schema.org/draft-07/schema#',
    title: 'ovsim scenario',
    description:
      'A scenario of ovsim, the OpenVidu 2.x CDR and WebHook simulator: a timeline of steps and/or a generate: block. ' +
      'Reference: docs/scenario-format.md.',
    ...rest,
  };
}
