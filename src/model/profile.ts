/**
 * Version profiles and the serializer derived from the catalogue. A profile is (OpenVidu version, edition); for each
 * event it compiles the list of fields that version writes, in wire order, once.
 */
import { OvsimError } from '../errors.js';
import {
  CATALOGUE,
  EVENT_NAMES,
  existsIn,
  mayBeAbsent,
  type CdrEvent,
  type EventName,
  type EventSpec,
  type FieldSpec,
} from './catalogue.js';
import { compileByteWriter, type ByteBuffer, type ByteWriter } from './byte-writer.js';
import type { Fact } from './facts.js';
import { gsonQuote, JavaDouble, javaDoubleToString } from './java.js';
import { eventNameOf, fillEventData, type EventFields } from './ov2-events.js';
import { DEFAULT_VERSION, parseVersion } from './version.js';

/** OpenVidu edition: `ce`, `pro` or `enterprise`. */
export type Edition = 'ce' | 'pro' | 'enterprise';

/**
 * The patch release a bare `2.x` stands for where it is not `.0`: the last one of that minor (OpenVidu's tags), and
 * for 2.32 the release whose REST controllers the fake REST API reproduces.
 */
const RELEASE_PATCH: Readonly<Record<number, number>> = { 25: 1, 26: 2, 32: 1 };

interface CompiledField {
  readonly key: string;
  readonly quotedKey: string;
  readonly spec: FieldSpec;
}

/** A CDR-only line written next to another event's; `leads` when this version logs it first. */
interface Companion {
  readonly name: EventName;
  readonly field: string;
  readonly value: string;
  readonly leads: boolean;
}

type Writer = (data: Readonly<Record<string, unknown>>, trailer: string) => string;

/**
 * Compiles the serializer of one event's field list into straight-line code: monomorphic property reads and no
 * per-field dispatch, which made serialization several times cheaper than a generic loop. The source is built only
 * from catalogue keys (identifiers), never from data.
 */
function compileWriter(name: string, fields: readonly CompiledField[]): Writer {
  const lines: string[] = ["let o = '{', f = true, v;"];
  for (const { key, quotedKey, spec } of fields) {
    const prefix = JSON.stringify(quotedKey);
    const value =
      spec.type === 'string'
        ? 'q(v)'
        : spec.type === 'long' || spec.type === 'int'
          ? "'' + Math.trunc(v)"
          : spec.type === 'double'
            ? 'dbl(v)'
            : spec.type === 'boolean'
              ? "(v ? 'true' : 'false')"
              : spec.type === 'stringArray'
                ? 'arr(v)'
                : 'json(v)';
    const missing = mayBeAbsent(spec) ? '' : ` else miss(${JSON.stringify(`${name}.${key}`)});`;
    lines.push(
      `v = d[${JSON.stringify(key)}];`,
      `if (v !== undefined) { o += (f ? '' : ',') + ${prefix} + (v === null ? 'null' : ${value}); f = false; }${missing}`,
    );
  }
  lines.push("return o + t + '}';");
  const factory = new Function(
    'q',
    'dbl',
    'arr',
    'json',
    'miss',
    `return function (d, t) {\n${lines.join('\n')}\n};`,
  ) as (...helpers: unknown[]) => Writer;
  return factory(gsonQuote, javaDoubleToString, writeStringArray, writeJson, missing);
}

function missing(what: string): never {
  throw new OvsimError('INTERNAL', `${what} is missing`);
}

function writeStringArray(v: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + gsonQuote(v[i] as string);
  return out + ']';
}

/** How one OpenVidu version and edition writes events. */
export class Profile {
  readonly version: string;
  /** The full release, e.g. `2.32.1` (what `GET /openvidu/api/config` calls `VERSION`): as given, or the minor's. */
  readonly release: string;
  readonly minor: number;
  readonly edition: Edition;
  private readonly compiled = new Map<EventName, readonly CompiledField[]>();
  private readonly writers = new Map<EventName, Writer>();
  /** Byte writers, compiled on first use, per form and event (see `byteWriter`). */
  private readonly byteWriters = {
    cdr: new Map<EventName, ByteWriter>(),
    hook: new Map<EventName, ByteWriter>(),
    'hook-line': new Map<EventName, ByteWriter>(),
  };
  /** One object per event type, refilled for each fact the bulk paths write (see writeFactCdr). */
  private readonly scratch = new Map<EventName, EventFields>();
  /** CDR-only companions per source event name (pre-2.21 recordingStarted/recordingStopped). */
  private readonly companions = new Map<string, Companion[]>();

  constructor(version: string = DEFAULT_VERSION, edition: Edition = 'ce') {
    this.minor = parseVersion(version);
    this.version = `2.${this.minor}`;
    const patch = /^v?2\.\d{1,2}\.(\d+)$/.exec(version.trim())?.[1];
    this.release = `${this.version}.${patch ?? RELEASE_PATCH[this.minor] ?? 0}`;
    this.edition = edition;
    for (const name of EVENT_NAMES) {
      const spec: EventSpec = CATALOGUE[name];
      if (!existsIn(spec, this.minor) || !editionHas(edition, spec.edition)) continue;
      const fields: readonly FieldSpec[] = spec.fields;
      if (spec.companionOf) {
        const list = this.companions.get(spec.companionOf.event) ?? [];
        const { field, value, leadsUntil } = spec.companionOf;
        list.push({ name, field, value, leads: leadsUntil !== undefined && this.minor < leadsUntil });
        this.companions.set(spec.companionOf.event, list);
      }
      const compiled = fields
        .filter((f) => existsIn(f, this.minor))
        .map((f) => ({ key: f.key, quotedKey: `${gsonQuote(f.key)}:`, spec: f }));
      this.compiled.set(name, compiled);
      this.writers.set(name, compileWriter(name, compiled));
    }
  }

  /** Whether this version and edition ever writes the event. */
  has(name: EventName): boolean {
    return this.compiled.has(name);
  }

  /** The fields written for `name`, in wire order (empty when the profile does not have the event). */
  fieldsOf(name: EventName): readonly FieldSpec[] {
    return (this.compiled.get(name) ?? []).map((c) => c.spec);
  }

  /** The event's own JSON object `{…}`; `undefined` when this profile does not write the event. */
  serializeObject(event: CdrEvent, trailer = ''): string | undefined {
    const writer = this.writers.get(event.name);
    return writer === undefined
      ? undefined
      : writer(event.data as Readonly<Record<string, unknown>>, trailer);
  }

  /**
   * The CDR file text of an event, `{"<name>":{…}}` without the final newline; `undefined` when the profile does not
   * write it. Before 2.21 a recording's `started`/`stopped` also writes its CDR-only companion line
   * (`recordingStarted`/`recordingStopped`), joined here with a newline, before or after it as that version logs it.
   */
  serializeCdr(event: CdrEvent): string | undefined {
    const obj = this.serializeObject(event);
    if (obj === undefined) return undefined;
    const line = `{"${event.name}":${obj}}`;
    const companions = this.companions.get(event.name);
    if (!companions) return line;
    const lines = [line];
    const data = event.data as Readonly<Record<string, unknown>>;
    for (const c of companions) {
      if (data[c.field] !== c.value) continue;
      const companion = `{"${c.name}":${this.serializeObject({ name: c.name, data: event.data } as CdrEvent) ?? '{}'}}`;
      if (c.leads) lines.unshift(companion);
      else lines.push(companion);
    }
    return lines.join('\n');
  }

  /**
   * Appends to `out` the UTF-8 of `serializeCdr(event)` and a newline (one per line, companions included); false,
   * writing nothing, when the profile does not write the event.
   */
  writeCdrLine(event: CdrEvent, out: ByteBuffer): boolean {
    return this.writeCdr(event.name, event.data as Readonly<Record<string, unknown>>, out);
  }

  private writeCdr(name: EventName, data: Readonly<Record<string, unknown>>, out: ByteBuffer): boolean {
    const writer = this.byteWriter('cdr', name);
    if (writer === undefined) return false;
    const companions = this.companions.get(name);
    if (companions === undefined) {
      writer(data, out);
      return true;
    }
    for (const c of companions)
      if (c.leads && data[c.field] === c.value) this.byteWriter('cdr', c.name)!(data, out);
    writer(data, out);
    for (const c of companions)
      if (!c.leads && data[c.field] === c.value) this.byteWriter('cdr', c.name)!(data, out);
    return true;
  }

  /**
   * Appends to `out` the CDR line(s) of a fact, as `writeCdrLine` does for its event, and returns the event's name;
   * undefined, writing nothing, when OpenVidu 2 logs nothing for the fact or this profile does not write its event.
   * The event data is filled into an object reused for every fact of its type: no object per event.
   */
  writeFactCdr(fact: Fact, out: ByteBuffer): EventName | undefined {
    const name = eventNameOf(fact);
    if (name === undefined) return undefined;
    return this.writeCdr(name, this.fill(name, fact), out) ? name : undefined;
  }

  /** Appends to `out` the WebHook body of a fact, as `writeWebhook` does for its event; the event's name, if written. */
  writeFactWebhook(fact: Fact, out: ByteBuffer, newline: boolean): EventName | undefined {
    const name = eventNameOf(fact);
    if (name === undefined) return undefined;
    return this.writeHook(name, this.fill(name, fact), out, newline) ? name : undefined;
  }

  private fill(name: EventName, fact: Fact): EventFields {
    let data = this.scratch.get(name);
    if (data === undefined) this.scratch.set(name, (data = {}));
    fillEventData(fact, data);
    return data;
  }

  /**
   * Appends to `out` the UTF-8 of `serializeWebhook(event)`, with a newline when `newline` (a JSON Lines file) and
   * without (an HTTP body); false, writing nothing, when the profile does not send the event.
   */
  writeWebhook(event: CdrEvent, out: ByteBuffer, newline: boolean): boolean {
    return this.writeHook(event.name, event.data as Readonly<Record<string, unknown>>, out, newline);
  }

  private writeHook(
    name: EventName,
    data: Readonly<Record<string, unknown>>,
    out: ByteBuffer,
    newline: boolean,
  ): boolean {
    if ((CATALOGUE[name] as EventSpec).companionOf) return false;
    const writer = this.byteWriter(newline ? 'hook-line' : 'hook', name);
    if (writer === undefined) return false;
    writer(data, out);
    return true;
  }

  private byteWriter(form: 'cdr' | 'hook' | 'hook-line', name: EventName): ByteWriter | undefined {
    const writers = this.byteWriters[form];
    let writer = writers.get(name);
    if (writer === undefined) {
      const fields = this.compiled.get(name);
      if (fields === undefined) return undefined;
      writer =
        form === 'cdr'
          ? compileByteWriter(name, fields, `{"${name}":`, '', '}\n', writeJson, missing)
          : compileByteWriter(
              name,
              fields,
              '',
              `,"event":"${name}"`,
              form === 'hook' ? '' : '\n',
              writeJson,
              missing,
            );
      writers.set(name, writer);
    }
    return writer;
  }

  /** A WebHook body `{…,"event":"<name>"}`; `undefined` when the profile does not send it (CDR-only events). */
  serializeWebhook(event: CdrEvent): string | undefined {
    if ((CATALOGUE[event.name] as EventSpec).companionOf) return undefined;
    return this.serializeObject(event, `,"event":"${event.name}"`);
  }
}

function editionHas(edition: Edition, needed: Edition): boolean {
  if (needed === 'ce') return true;
  if (needed === 'pro') return edition !== 'ce';
  return edition === 'enterprise';
}

/** Nested objects (Pro `autoscaling`): insertion order, Gson strings; numbers that must be doubles use `JavaDouble`. */
function writeJson(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  switch (typeof v) {
    case 'string':
      return gsonQuote(v);
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
      return `{${Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${gsonQuote(k)}:${writeJson(x)}`)
        .join(',')}}`;
    default:
      throw new OvsimError('INTERNAL', `cannot serialize ${typeof v}`);
  }
}
