/**
 * Renders docs/scenario-format.md from the annotated JSON Schema (`scenario-json-schema.ts`) and the prose of
 * `scenario-format.template.md`: every table of fields, types, defaults and meanings comes from the schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ACTION_DOCS } from './scenario-descriptions.js';
import { UndocumentedError, type JsonSchema } from './scenario-json-schema.js';

const TEMPLATE = fileURLToPath(new URL('./scenario-format.template.md', import.meta.url));
const SESSION_KINDS = ['call', 'meeting', 'webinar', 'ipcam'] as const;
/** zod's bounds of safe integers say nothing a reader needs. */
const SAFE = Number.MAX_SAFE_INTEGER;

const DEFINITION_NAMES: Record<string, string> = {
  handle: 'handle',
  duration: 'duration',
  rate: 'rate',
  startInstant: 'instant',
  durationDistribution: 'random duration',
  countDistribution: 'random count',
};

function refOf(node: JsonSchema): string | undefined {
  const ref = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0]?.$ref : undefined);
  return typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
}

function code(v: unknown): string {
  return `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

function range(node: JsonSchema): string {
  const hi = node.maximum !== undefined && node.maximum !== SAFE ? node.maximum : undefined;
  const min = node.minimum !== undefined && node.minimum !== -SAFE ? node.minimum : undefined;
  if (node.exclusiveMinimum !== undefined) return ` > ${node.exclusiveMinimum}`;
  if (min !== undefined && hi !== undefined) return ` ${min}–${hi}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (hi !== undefined) return ` ≤ ${hi}`;
  return '';
}

/** Alternatives, each named once (`text or number`). */
function union(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length > 1 && unique.every((n) => n === 'object') ? 'object' : unique.join(' or ');
}

/** A short human name of a JSON Schema type (`handle`, `` `A` \| `B` ``, `integer 1–120`, `list of handle`). */
export function typeName(node: JsonSchema): string {
  const ref = refOf(node);
  if (ref !== undefined) return DEFINITION_NAMES[ref] ?? ref;
  if (node.enum) return node.enum.map(code).join(' | ');
  if (node.const !== undefined) return code(node.const);
  const branches = node.anyOf ?? node.oneOf;
  if (branches) return union(branches.map(typeName));
  if (Array.isArray(node.type)) return union(node.type.map((t) => typeName({ type: t })));
  switch (node.type) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'null':
      return '`null`';
    case 'integer':
      return `integer${range(node)}`;
    case 'number':
      return `number${range(node)}`;
    case 'array': {
      if (!node.items || Object.keys(node.items).length === 0) return 'list';
      const item = typeName(node.items);
      if (node.minItems !== undefined && node.minItems === node.maxItems) return `${node.minItems} × ${item}`;
      return `list of ${item}`;
    }
    case 'object':
      return 'object';
    default:
      return 'any value';
  }
}

/** The type shown for a field; handles are in italics, as the text says. */
function fieldType(node: JsonSchema): string {
  const t = typeName(node);
  return t === 'handle' ? '*handle*' : t.replace(/\bhandle\b/g, '*handle*');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function formatDefault(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'dist' in v) {
    const { dist, ...rest } = v as Record<string, unknown>;
    return `${String(dist)}: ${Object.entries(rest)
      .map(([k, x]) => `${k} ${String(x)}`)
      .join(', ')}`;
  }
  if (Array.isArray(v)) return v.length > 6 ? `${v.length} values (see the schema)` : code(v);
  if (typeof v === 'object' && v !== null && Object.keys(v).length === 0) return '';
  return code(v);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new UndocumentedError(`the schema has no ${what}`);
  return v;
}

/** The object behind a field: itself, or the object branch of `object or null`. */
function objectOf(node: JsonSchema): JsonSchema | undefined {
  if (node.properties) return node;
  return node.anyOf?.find((b) => b.properties !== undefined);
}

/** Rows `field | type | meaning` for an object's fields, nested objects flattened as `parent.child`. */
function fieldRows(node: JsonSchema, prefix = '', withDefault = false): string[][] {
  const rows: string[][] = [];
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const name = `\`${prefix}${key}\`${required.has(key) ? ' *(required)*' : ''}`;
    const nested = objectOf(child);
    const row = [name, nested ? 'object' : fieldType(child)];
    if (withDefault) row.push(formatDefault(child.default));
    row.push(child.description ?? '');
    rows.push(row);
    if (nested && refOf(child) === undefined)
      rows.push(...fieldRows(nested, `${prefix}${key}.`, withDefault));
  }
  return rows;
}

function props(node: JsonSchema, key: string): JsonSchema {
  return need(node.properties?.[key], `field ${key}`);
}

function topLevel(schema: JsonSchema): string {
  const rows = Object.entries(schema.properties ?? {}).map(([key, child]) => [
    key in SECTION_TITLES ? `[\`${key}\`](#${anchorOf(key)})` : `\`${key}\``,
    key === 'steps' ? 'list of steps' : objectOf(child) ? 'object' : fieldType(child),
    child.description ?? '',
  ]);
  return table(['field', 'type', 'meaning'], rows);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

const SECTION_TITLES: Record<string, string> = {
  openvidu: '`openvidu:` — the simulated server',
  generate: '`generate:` — random traffic',
  steps: '`steps:` — the timeline',
};

function anchorOf(key: string): string {
  return slug(need(SECTION_TITLES[key], `section ${key}`));
}

function actionTitle(name: keyof typeof ACTION_DOCS): string {
  const doc = ACTION_DOCS[name];
  return `\`${name}\`${doc.edition ? ` (${EDITION_NOTE[doc.edition]})` : ''}`;
}

function openvidu(schema: JsonSchema): { main: string; cluster: string } {
  const o = need(objectOf(props(schema, 'openvidu')), 'openvidu object');
  const { cluster, ...rest } = o.properties ?? {};
  const main = table(['field', 'type', 'meaning'], fieldRows({ ...o, properties: rest }, 'openvidu.'));
  const c = need(cluster && objectOf(cluster), 'openvidu.cluster object');
  return { main, cluster: table(['field', 'type', 'meaning'], fieldRows(c, 'openvidu.cluster.')) };
}

interface StepBranch {
  readonly name: keyof typeof ACTION_DOCS;
  readonly branch: JsonSchema;
  readonly fields: JsonSchema;
}

function steps(schema: JsonSchema): StepBranch[] {
  const branches = need(props(schema, 'steps').items?.anyOf, 'steps items');
  return branches.map((branch) => {
    const name = branch.title as keyof typeof ACTION_DOCS;
    const action = props(branch, name);
    return { name, branch, fields: objectOf(action) ?? action };
  });
}

function stepTime(list: StepBranch[]): string {
  const first = need(list[0], 'step');
  const rows = ['at', 'after'].map((k) => {
    const node = props(first.branch, k);
    return [`\`${k}\``, fieldType(node), node.description ?? ''];
  });
  return table(['field', 'type', 'meaning'], rows);
}

const EDITION_NOTE = { pro: 'Pro, Enterprise', enterprise: 'Enterprise' } as const;

function actionIndex(list: StepBranch[]): string {
  const rows = list.map(({ name, fields }) => {
    const doc = ACTION_DOCS[name];
    const required = new Set(fields.required ?? []);
    const names = Object.keys(fields.properties ?? {}).map((f) => (required.has(f) ? `*${f}*` : f));
    return [
      `[\`${name}\`](#${slug(actionTitle(name))})`,
      names.join(', ') || '—',
      doc.openvidu,
      doc.edition ? EDITION_NOTE[doc.edition] : 'all',
    ];
  });
  return (
    table(['action', 'fields (*required*)', 'OpenVidu counterpart', 'editions'], rows) +
    '\n\nActions of an edition the scenario does not run (e.g. `launchMediaNode` in CE) are refused.'
  );
}

function actions(list: StepBranch[]): string {
  return list
    .map(({ name, fields }) => {
      const doc = ACTION_DOCS[name];
      const body = Object.keys(fields.properties ?? {}).length
        ? table(['field', 'type', 'meaning'], fieldRows(fields))
        : 'No fields: `' + name + ': {}` or `' + name + ':` alone.';
      return `### ${actionTitle(name)}\n\n${doc.summary} OpenVidu: ${doc.openvidu}.\n\n${body}`;
    })
    .join('\n\n');
}

function generateBlock(schema: JsonSchema): { head: string; kinds: string; rest: string } {
  const g = need(objectOf(props(schema, 'generate')), 'generate object');
  const section = (key: string, title: string) => {
    const node = need(objectOf(props(g, key)), `generate.${key}`);
    return `### \`generate.${key}\` — ${title}\n\n${props(g, key).description ?? ''}\n\n${table(
      ['field', 'type', 'default', 'meaning'],
      fieldRows(node, `${key}.`, true),
    )}`;
  };
  const duration = props(g, 'duration');
  const head = [
    table(
      ['field', 'type', 'default', 'meaning'],
      [['`duration`', fieldType(duration), formatDefault(duration.default), duration.description ?? '']],
    ),
    section('sessions', 'arrivals'),
    section('mix', 'kinds of session'),
  ].join('\n\n');
  const rest = [section('recording', 'recordings'), section('faults', 'faults')].join('\n\n');
  return { head, kinds: kindTable(g), rest };
}

function kindTable(g: JsonSchema): string {
  const first = need(objectOf(props(g, 'call')), 'generate.call');
  const rows = Object.entries(first.properties ?? {}).map(([field, node]) => [
    `\`${field}\``,
    fieldType(node),
    ...SESSION_KINDS.map((k) =>
      formatDefault(need(objectOf(props(g, k)), `generate.${k}`).properties?.[field]?.default),
    ),
    node.description ?? '',
  ]);
  return table(['field', 'type', ...SESSION_KINDS.map((k) => `${k} default`), 'meaning'], rows);
}

function definitions(schema: JsonSchema): string {
  const defs = schema.definitions ?? {};
  const rows = Object.entries(DEFINITION_NAMES).map(([id, name]) => [
    `*${name}*`,
    need(defs[id], `definition ${id}`).description ?? '',
  ]);
  return table(['type', 'written as'], rows);
}

/** The whole document. */
export function renderScenarioFormat(schema: JsonSchema): string {
  const list = steps(schema);
  const ov = openvidu(schema);
  const gen = generateBlock(schema);
  const parts: Record<string, string> = {
    'top-level': topLevel(schema),
    openvidu: ov.main,
    cluster: ov.cluster,
    'step-time': stepTime(list),
    'action-index': actionIndex(list),
    actions: actions(list),
    generate: gen.head,
    kinds: gen.kinds,
    'generate-rest': gen.rest,
    definitions: definitions(schema),
  };
  const text = readFileSync(TEMPLATE, 'utf8').replace(/\{\{([a-z-]+)\}\}/g, (_m, key: string) =>
    need(parts[key], `template part ${key}`),
  );
  return (
    '<!-- Generated by `npm run docs:generate`; edit scripts/docs/ (see the end of this file), not this file. -->\n\n' +
    text
  );
}
