/**
 * Layout checks of one event against the catalogue (spec §1-§2, §11): which keys it must and may carry for
 * its version and its own values, in which order, with which JSON types and values.
 */
import type { FieldCondition } from '../model/catalogue.js';
import { LAST_PARTICIPANT_LEFT_REASONS } from './lifecycle/facts.js';
import {
  conditionHolds,
  inVersion,
  type EventLayout,
  type JsonType,
  type LayoutField,
} from './wire-layout.js';
import { NEWEST_MINOR, versionText } from '../model/version.js';
import { hasOutputMode, OUTPUT_MODE_SINCE, type OutputMode } from '../model/wire-values.js';
import { excerpt, get, isPlainObject, json, type EventInput } from './event-input.js';
import { javaDoubleToString } from '../model/java.js';
import { JAVA_DOUBLE_SHAPE, JAVA_INTEGER } from './raw-json.js';
import type { RuleId, Severity } from './rules.js';

/** Receives one finding about the event being checked. */
export type Flag = (rule: RuleId, message: string, severity?: Severity) => void;

const RESOLUTION = /^\d+x\d+$/;

const CONDITION_TEXT: Readonly<Record<FieldCondition, string>> = {
  inbound: 'INBOUND connections',
  outboundIpcam: 'OUTBOUND connections of IP cameras',
  streamVideo: 'streams with video',
  composedVideo: 'COMPOSED/COMPOSED_QUICK_START recordings with video',
  customLayout: 'recordingLayout CUSTOM',
};

/** The keys an event may carry (in wire order) and must carry, for one version and one set of conditions. */
interface Layout {
  readonly allowed: ReadonlyMap<string, { readonly index: number; readonly field: LayoutField }>;
  /** Keys of the event that this version or these conditions rule out. */
  readonly absent: ReadonlyMap<string, LayoutField>;
  readonly required: readonly LayoutField[];
}

/** Checks events' layouts; keeps a small cache of layouts per (event, version, conditions). */
export class LayoutChecker {
  private readonly cache = new Map<string, Layout>();

  /** Presence, order, JSON types and enum values of the keys (spec §1, §2, §11). */
  check(spec: EventLayout, ev: EventInput, minor: number, flag: Flag): void {
    const severity: Severity = spec.exact ? 'error' : 'warning';
    const layout = this.layoutFor(spec, minor, ev.body);
    const { allowed } = layout;
    const seen = new Set<string>();
    let maxKey: string | undefined;
    let maxIndex = -1;
    let misordered: string | undefined;
    for (let i = 0; i < ev.keys.length; i++) {
      const key = ev.keys[i] ?? '';
      if (seen.has(key)) {
        flag('unexpected-field', `duplicate key "${key}"`, severity);
        continue;
      }
      seen.add(key);
      const slot = allowed.get(key);
      if (slot === undefined) {
        const absent = layout.absent.get(key);
        if (absent !== undefined || !spec.openEnded) {
          flag('unexpected-field', absentMessage(absent, key, spec, minor), severity);
        }
        continue;
      }
      if (slot.index < maxIndex && misordered === undefined && maxKey !== undefined) {
        misordered = `"${key}" must come before "${maxKey}"`;
      } else if (slot.index > maxIndex) {
        maxIndex = slot.index;
        maxKey = key;
      }
      this.checkValue(slot.field, ev, ev.rawAt?.(i), minor, severity, flag);
    }
    for (const field of layout.required) {
      if (seen.has(field.key)) continue;
      const why = field.when === undefined ? '' : ` (written for ${CONDITION_TEXT[field.when]})`;
      flag('missing-field', `missing "${field.key}"${why}`, severity);
    }
    if (misordered !== undefined && spec.exact) {
      const present = [...allowed.keys()].filter((k) => seen.has(k)); // allowed is in wire order
      // Reported after the per-key findings so that one line's diagnostics read top-down.
      flag('key-order', `${misordered} (wire order: ${present.join(', ')})`);
    }
  }

  /**
   * The keys an event may and must carry, given its version and the conditions its own values set. Cached:
   * there are few combinations, and building them per line would dominate the cost of big files.
   */
  private layoutFor(spec: EventLayout, minor: number, body: Readonly<Record<string, unknown>>): Layout {
    let cacheKey = `${spec.name}|${minor}`;
    const holds = new Map<FieldCondition, boolean>();
    for (const field of spec.fields) {
      if (field.when !== undefined && !holds.has(field.when)) {
        const h = conditionHolds(field.when, body);
        holds.set(field.when, h);
        cacheKey += h ? '1' : '0';
      }
    }
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const allowed = new Map<string, { index: number; field: LayoutField }>();
    const absent = new Map<string, LayoutField>();
    spec.fields.forEach((field, index) => {
      if (!inVersion(field, minor) || (field.when !== undefined && holds.get(field.when) !== true)) {
        if (!allowed.has(field.key)) absent.set(field.key, field);
      } else {
        allowed.set(field.key, { index, field });
        absent.delete(field.key);
      }
    });
    const required = [...allowed.values()].filter((a) => !a.field.optional).map((a) => a.field);
    const layout: Layout = { allowed, absent, required };
    this.cache.set(cacheKey, layout);
    return layout;
  }

  private checkValue(
    field: LayoutField,
    ev: EventInput,
    raw: string | undefined,
    minor: number,
    severity: Severity,
    flag: Flag,
  ): void {
    const value = get(ev.body, field.key);
    const problem = typeProblem(field.type, value, raw, minor);
    if (problem !== undefined) {
      flag('field-type', `"${field.key}" ${problem}`, severity);
      return;
    }
    if (field.values !== undefined && typeof value === 'string' && !field.values.includes(value)) {
      // Reasons have their own rule: an illegal reason says something about the lifecycle, not the layout.
      if (field.key === 'reason') {
        const mapped = ev.name === 'sessionDestroyed' && LAST_PARTICIPANT_LEFT_REASONS.has(value);
        flag(
          'reason',
          mapped
            ? `sessionDestroyed never has reason "${value}" (finalReason maps it to "lastParticipantLeft")`
            : `"${excerpt(value, 40)}" is not a reason of ${ev.name}`,
          severity,
        );
      } else {
        flag(
          'field-value',
          `"${field.key}" is ${json(value)}, not one of ${field.values.join(', ')}`,
          severity,
        );
      }
    } else if (field.key === 'outputMode' && typeof value === 'string' && !hasOutputMode(value, minor)) {
      const since = OUTPUT_MODE_SINCE[value as OutputMode];
      const when = since === undefined ? '' : ` (it appears in ${versionText(since)})`;
      flag(
        'field-value',
        `"outputMode" is ${json(value)}, which OpenVidu ${versionText(minor)} does not have${when}`,
        severity,
      );
    } else if (field.key === 'resolution' && typeof value === 'string' && !RESOLUTION.test(value)) {
      flag('field-value', `"resolution" is ${json(value)}, not <width>x<height>`, severity);
    }
  }
}

/** Why a key cannot be in an event here. */
function absentMessage(
  field: LayoutField | undefined,
  key: string,
  spec: EventLayout,
  minor: number,
): string {
  if (field === undefined) return `"${excerpt(key, 40)}" is not a field of ${spec.name}`;
  if (!inVersion(field, minor)) {
    return field.since !== undefined && minor < field.since
      ? `"${key}" is not written by OpenVidu ${versionText(minor)} (it appears in ${versionText(field.since)})`
      : `"${key}" is not written by OpenVidu ${versionText(minor)}`;
  }
  return `"${key}" is only written for ${field.when === undefined ? '?' : CONDITION_TEXT[field.when]}`;
}

/** What is wrong with a value for a field type, as a phrase after the key, or undefined. */
function typeProblem(
  type: JsonType,
  value: unknown,
  raw: string | undefined,
  minor: number,
): string | undefined {
  const found = `found ${excerpt(raw ?? json(value), 40)}`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, ${found}`;
    case 'string|null':
      return typeof value === 'string' || value === null ? undefined : `must be a string or null, ${found}`;
    case 'int':
    case 'int|null':
      if (value === null && type === 'int|null') return undefined;
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        (raw !== undefined && !JAVA_INTEGER.test(raw))
      ) {
        return `must be an integer${type === 'int|null' ? ' or null' : ''}, ${found}`;
      }
      return undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${found}`;
    case 'double': {
      if (typeof value !== 'number') return `must be a number, ${found}`;
      if (raw === undefined) return undefined;
      // Java writes doubles with Double.toString (spec §1.3): JSON.stringify's `0` or `1e-4` are wrong.
      if (!JAVA_DOUBLE_SHAPE.test(raw))
        return `must be a Java double such as ${javaDoubleToString(value)}, ${found}`;
      const canonical = javaDoubleToString(value);
      if (minor >= NEWEST_MINOR && raw !== canonical) {
        return `must be written as Java's Double.toString writes it (${canonical}), ${found}`;
      }
      return undefined;
    }
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : `must be an array of strings, ${found}`;
    case 'object':
      return isPlainObject(value) ? undefined : `must be an object, ${found}`;
  }
}
