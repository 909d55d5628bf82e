/**
 * The JSON Schema (draft-07) of OpenVidu 2.x's events, derived from the wire table (catalogue.ts): a CDR line
 * `{"<event>":{…}}` or a WebHook body `{…,"event":"<event>"}` of any version the table describes. Each event has one
 * definition per version range over which its field set is constant (`participantJoined@2.20-2.32`), titled with its
 * versions and edition; conditional keys (`receivingFrom` of INBOUND connections, …) are `if`/`then`/`else` on the
 * event's own values, as OpenVidu's serializer decides them. What a schema cannot say — key order, Java's number
 * forms, the lifecycle — `ovsim validate` checks.
 */
import {
  CATALOGUE,
  EVENT_NAMES,
  existsIn,
  mayBeAbsent,
  type EventName,
  type EventSpec,
  type FieldCondition,
  type FieldSpec,
} from './catalogue.js';
import { NEWEST_MINOR, OLDEST_MINOR, versionText } from './version.js';

/** A JSON Schema, as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Where the repository keeps the generated schema. */
export const EVENTS_SCHEMA_FILE = 'schema/events.schema.json';

const CONDITIONS: Readonly<Record<FieldCondition, { readonly text: string; readonly schema: JsonSchema }>> = {
  inbound: {
    text: 'INBOUND connections',
    schema: { properties: { connection: { const: 'INBOUND' } }, required: ['connection'] },
  },
  outboundIpcam: {
    text: 'OUTBOUND connections of IP cameras',
    schema: {
      properties: { connection: { const: 'OUTBOUND' } },
      required: ['connection'],
      anyOf: [
        { properties: { participantId: { type: 'string', pattern: '^ipc_' } }, required: ['participantId'] },
        { properties: { videoSource: { const: 'IPCAM' } }, required: ['videoSource'] },
      ],
    },
  },
  streamVideo: {
    text: 'streams with video',
    schema: { properties: { videoEnabled: { const: true } }, required: ['videoEnabled'] },
  },
  composedVideo: {
    text: 'COMPOSED and COMPOSED_QUICK_START recordings with video',
    schema: {
      properties: { outputMode: { enum: ['COMPOSED', 'COMPOSED_QUICK_START'] }, hasVideo: { const: true } },
      required: ['outputMode', 'hasVideo'],
    },
  },
  customLayout: {
    text: 'composed recordings with video and recordingLayout CUSTOM',
    schema: {
      properties: {
        outputMode: { enum: ['COMPOSED', 'COMPOSED_QUICK_START'] },
        hasVideo: { const: true },
        recordingLayout: { const: 'CUSTOM' },
      },
      required: ['outputMode', 'hasVideo', 'recordingLayout'],
    },
  },
};

const EDITION_TEXT = { ce: 'CE', pro: 'Pro', enterprise: 'Enterprise' } as const;

const PROVENANCE_TEXT = {
  code: "Field set and key order from OpenVidu's open code.",
  docs: "Pro-closed: field set from OpenVidu's documentation; the key order is the documented one.",
  invented: 'Undocumented by OpenVidu: the fields marked "(guess)" are ovsim\'s.',
} as const;

/** The minor versions `[from, to]` over which an event's field set is constant, oldest first. */
export function versionRanges(spec: EventSpec): Array<readonly [number, number]> {
  const first = Math.max(spec.since ?? OLDEST_MINOR, OLDEST_MINOR);
  const end = Math.min(spec.until ?? NEWEST_MINOR + 1, NEWEST_MINOR + 1);
  const cuts = new Set([first, end]);
  for (const f of spec.fields) {
    for (const v of [f.since, f.until]) if (v !== undefined && v > first && v < end) cuts.add(v);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((from, i) => [from, (sorted[i + 1] as number) - 1] as const);
}

function rangeText([from, to]: readonly [number, number]): string {
  return from === to ? versionText(from) : `${versionText(from)}–${versionText(to)}`;
}

/** Definition name of an event's body over a version range, e.g. `participantJoined@2.20-2.32`. */
export function definitionName(name: string, [from, to]: readonly [number, number]): string {
  return from === to ? `${name}@${versionText(from)}` : `${name}@${versionText(from)}-${versionText(to)}`;
}

function fieldSchema(f: FieldSpec): JsonSchema {
  const nullable = f.nullable === true;
  const base = (type: string): unknown => (nullable ? [type, 'null'] : type);
  let schema: Record<string, unknown>;
  switch (f.type) {
    case 'string':
      schema = { type: base('string') };
      if (f.values !== undefined) schema.enum = nullable ? [...f.values, null] : [...f.values];
      break;
    case 'long':
    case 'int':
      schema = { type: base('integer') };
      break;
    case 'double':
      schema = { type: base('number') };
      break;
    case 'boolean':
      schema = { type: base('boolean') };
      break;
    case 'stringArray':
      schema = { type: base('array'), items: { type: 'string' } };
      break;
    case 'json':
      schema = { type: base('object') };
      break;
  }
  const notes = [
    f.doc,
    f.when === undefined ? undefined : `written for ${CONDITIONS[f.when].text}`,
    f.invented === true ? '(guess)' : undefined,
  ].filter((n) => n !== undefined);
  return notes.length === 0 ? schema : { description: notes.join('; '), ...schema };
}

/** The body of one event over one version range: its keys, required ones, and the conditional ones' rules. */
function bodySchema(name: EventName, spec: EventSpec, range: readonly [number, number]): JsonSchema {
  const fields = spec.fields.filter((f) => existsIn(f, range[0]));
  const conditional = new Map<FieldCondition, FieldSpec[]>();
  for (const f of fields) {
    if (f.when !== undefined) conditional.set(f.when, [...(conditional.get(f.when) ?? []), f]);
  }
  const rules = [...conditional].map(([cond, list]) => {
    const required = list.filter((f) => f.optional !== true && f.invented !== true).map((f) => f.key);
    return {
      if: CONDITIONS[cond].schema,
      // (`properties` repeated so that strict validators see each required key defined beside its `required`.)
      ...(required.length > 0
        ? { then: { properties: Object.fromEntries(required.map((k) => [k, true])), required } }
        : {}),
      else: { properties: Object.fromEntries(list.map((f) => [f.key, false])) },
    };
  });
  const companion = spec.companionOf === undefined ? '' : ' Written to the CDR file only.';
  return {
    title: `${name}, OpenVidu ${rangeText(range)} (${EDITION_TEXT[spec.edition]})`,
    description: spec.doc,
    $comment: PROVENANCE_TEXT[spec.provenance] + companion,
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])),
    required: fields.filter((f) => !mayBeAbsent(f) && f.invented !== true).map((f) => f.key),
    ...(rules.length > 0 ? { allOf: rules } : {}),
  };
}

/** Keys allowed in one body (all of them for an open-ended, guessed field set). */
function keysRule(spec: EventSpec, range: readonly [number, number], extra: readonly string[]): JsonSchema {
  if (spec.provenance === 'invented') return {};
  const keys = spec.fields.filter((f) => existsIn(f, range[0])).map((f) => f.key);
  return { type: 'object', propertyNames: { enum: [...keys, ...extra] } };
}

/** The JSON Schema of every CDR line and WebHook body the table describes. */
export function eventsJsonSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const cdr: JsonSchema[] = [];
  const webhook: JsonSchema[] = [];
  for (const name of EVENT_NAMES) {
    const spec: EventSpec = CATALOGUE[name];
    const ranges = versionRanges(spec);
    for (const range of ranges) definitions[definitionName(name, range)] = bodySchema(name, spec, range);
    const ref = (range: readonly [number, number]): JsonSchema => ({
      $ref: `#/definitions/${definitionName(name, range)}`,
    });
    definitions[`cdr:${name}`] = {
      title: `${name} as a CDR line`,
      type: 'object',
      required: [name],
      additionalProperties: false,
      properties: { [name]: { anyOf: ranges.map((r) => ({ allOf: [ref(r)], ...keysRule(spec, r, []) })) } },
    };
    cdr.push({ $ref: `#/definitions/cdr:${name}` });
    if (spec.companionOf !== undefined) continue;
    definitions[`webhook:${name}`] = {
      title: `${name} as a WebHook body`,
      type: 'object',
      required: ['event'],
      properties: { event: { const: name } },
      anyOf: ranges.map((r) => ({ allOf: [ref(r)], ...keysRule(spec, r, ['event']) })),
    };
    webhook.push({ $ref: `#/definitions/webhook:${name}` });
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'OpenVidu 2.x CDR lines and WebHook bodies',
    description:
      `Every event OpenVidu ${versionText(OLDEST_MINOR)}–${versionText(NEWEST_MINOR)} writes, as a CDR line ` +
      '{"<event>":{…}} or a WebHook body {…,"event":"<event>"}, generated from ovsim\'s event catalogue. Key order, ' +
      "Java's number forms and the lifecycle are beyond a JSON Schema: `ovsim validate` checks them.",
    anyOf: [{ $ref: '#/definitions/cdrLine' }, { $ref: '#/definitions/webhookBody' }],
    definitions: {
      cdrLine: { title: 'A CDR line', anyOf: cdr },
      webhookBody: { title: 'A WebHook body', anyOf: webhook },
      ...definitions,
    },
  };
}
