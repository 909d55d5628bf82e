/**
 * The validator's view of the wire table (model/catalogue.ts): per event, the keys it may and must carry, in wire
 * order, with their JSON types, conditions, versions and legal values. The layout is OpenVidu's serializer's, so it
 * comes from the one table the simulator writes with; what the validator adds is how strictly it holds a line to it:
 * exactly (key order enforced, faults are errors) for the events whose serializer is in OpenVidu's open code (the CE
 * ones), loosely (warnings, order not enforced) for Pro-closed ones, and open-ended (unknown keys tolerated,
 * guessed keys never required) for events whose field set is our guess. The lifecycle rules stay the validator's own.
 */
import {
  CATALOGUE,
  EVENT_NAMES,
  existsIn,
  type EventName,
  type EventSpec,
  type FieldCondition,
  type FieldSpec,
} from '../model/catalogue.js';
import { OLDEST_MINOR } from '../model/version.js';
import { get, str, STREAM_ID } from './event-input.js';

/** JSON type of a field as OpenVidu writes it; `|null` means the key is present but may be `null`. */
export type JsonType =
  'string' | 'string|null' | 'int' | 'int|null' | 'bool' | 'double' | 'string[]' | 'object';

/** One key of an event, in wire order. */
export interface LayoutField {
  readonly key: string;
  readonly type: JsonType;
  /** First 2.x minor version that writes the key. */
  readonly since: number | undefined;
  /** First 2.x minor version that no longer writes it. */
  readonly until: number | undefined;
  /** Written only when this condition holds. */
  readonly when: FieldCondition | undefined;
  /** The key may be absent even when its condition holds. */
  readonly optional: boolean;
  /** Legal values of an enum-like string field. */
  readonly values: readonly string[] | undefined;
}

/** One event name with its wire layout. */
export interface EventLayout {
  readonly name: EventName;
  readonly since: number | undefined;
  readonly until: number | undefined;
  /** `session` events carry sessionId (and uniqueSessionId since 2.17); `node` events (Pro) carry neither. */
  readonly scope: 'session' | 'node';
  /**
   * The layout was read in OpenVidu's open code; otherwise (Pro-closed events) it is only known from docs, so
   * layout problems are warnings and key order is not enforced.
   */
  readonly exact: boolean;
  /** Undocumented extra keys are tolerated (events whose field set is our guess). */
  readonly openEnded: boolean;
  readonly fields: readonly LayoutField[];
  /**
   * The required fields that appeared or disappeared in some version: whether a line has them tells which
   * versions could have written it (`uniqueSessionId` since 2.17, `frameRate` in composed recordings since 2.18…).
   */
  readonly markers: readonly LayoutField[];
}

function jsonType(f: FieldSpec): JsonType {
  switch (f.type) {
    case 'string':
      return f.nullable === true ? 'string|null' : 'string';
    case 'long':
    case 'int':
      return f.nullable === true ? 'int|null' : 'int';
    case 'boolean':
      return 'bool';
    case 'double':
      return 'double';
    case 'stringArray':
      return 'string[]';
    case 'json':
      return 'object';
  }
}

function layoutOf(name: EventName): EventLayout {
  const spec: EventSpec = CATALOGUE[name];
  const fields = spec.fields.map((f): LayoutField => ({
    key: f.key,
    type: jsonType(f),
    since: f.since,
    until: f.until,
    when: f.when,
    optional: f.optional === true || f.invented === true,
    values: f.values,
  }));
  return {
    name,
    since: spec.since,
    until: spec.until,
    scope: fields.some((f) => f.key === 'sessionId') ? 'session' : 'node',
    exact: spec.edition === 'ce',
    openEnded: spec.provenance === 'invented',
    fields,
    markers: fields.filter(
      (f) => !f.optional && ((f.since !== undefined && f.since > OLDEST_MINOR) || f.until !== undefined),
    ),
  };
}

/** Every event name of OpenVidu 2.12 … 2.32 with its layout, in the catalogue's order. */
export const EVENT_LAYOUTS: readonly EventLayout[] = EVENT_NAMES.map(layoutOf);

const BY_NAME: ReadonlyMap<string, EventLayout> = new Map(EVENT_LAYOUTS.map((e) => [e.name, e]));

/** The layout of an event name, whatever the version; `undefined` for names OpenVidu 2.x never used. */
export function eventLayout(name: string): EventLayout | undefined {
  return BY_NAME.get(name);
}

/** The keys of an event after the base (`sessionId`, `uniqueSessionId`, `timestamp`), in wire order. */
export function bodyKeys(name: EventName): readonly string[] {
  return (BY_NAME.get(name)?.fields ?? [])
    .map((f) => f.key)
    .filter((k) => k !== 'sessionId' && k !== 'uniqueSessionId' && k !== 'timestamp');
}

/** Whether an event or field exists in a minor version. */
export const inVersion = existsIn;

/** The last minor version that has an event or field (one before its `until`), or `fallback` without one. */
export function lastMinor(item: { readonly until?: number | undefined }, fallback: number): number {
  return item.until === undefined ? fallback : item.until - 1;
}

/** Whether a condition of the table holds for an event's own values (see `FieldCondition`). */
export function conditionHolds(cond: FieldCondition, body: Readonly<Record<string, unknown>>): boolean {
  switch (cond) {
    case 'inbound':
      return get(body, 'connection') === 'INBOUND';
    case 'outboundIpcam': {
      const owner = str(body, 'connectionId') ?? str(body, 'participantId') ?? '';
      return (
        get(body, 'connection') === 'OUTBOUND' &&
        (owner.startsWith('ipc_') || get(body, 'videoSource') === 'IPCAM')
      );
    }
    case 'streamVideo': {
      // The stream id's media prefix says whether the publisher's MediaOptions had video (spec §3).
      const m = STREAM_ID.exec(str(body, 'streamId') ?? '');
      return m === null ? Object.hasOwn(body, 'videoSource') : m[1] !== 'MIC';
    }
    case 'composedVideo':
      return (
        (get(body, 'outputMode') === 'COMPOSED' || get(body, 'outputMode') === 'COMPOSED_QUICK_START') &&
        get(body, 'hasVideo') === true
      );
    case 'customLayout':
      return conditionHolds('composedVideo', body) && get(body, 'recordingLayout') === 'CUSTOM';
  }
}
