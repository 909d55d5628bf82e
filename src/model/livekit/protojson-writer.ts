/**
 * A byte-exact writer of Go protojson, as livekit-server marshals webhooks (`utils/protojson.Marshal`:
 * `MarshalOptions{AllowPartial: true}` over protobuf-go v1.36.11's defaults). What it reproduces, from
 * `encoding/protojson/encode.go` and `internal/encoding/json/encode.go`:
 * - fields in declaration order, JSON (lowerCamelCase) names;
 * - proto3 scalars and singular enums omitted at their zero value (`-0.0` is not zero: its bits are set); empty lists
 *   and maps omitted; messages, oneof members and `optional` scalars written whenever set, zero included;
 * - 64-bit integers as JSON strings, 32-bit ones as numbers, enums by name (list elements too, zero included),
 *   bytes as standard base64 with padding, floats per `formatGoFloat`;
 * - map keys sorted by code point (Go's byte order on UTF-8);
 * - strings escaped only for `"`, `\` and controls below U+0020 (`\b \f \n \r \t`, else `\u00XX` lowercase): no HTML
 *   escaping, no U+2028 escaping; a lone surrogate is refused, as Go refuses invalid UTF-8;
 * - optionally a space after every comma: protobuf-go's `detrand` adds it or not per binary (a hash of the
 *   executable), so one LiveKit build always writes `,"` and another always `, "`.
 */
import { OvsimError } from '../../errors.js';
import type { EnumDesc, FieldDesc, MessageDesc } from './descriptor.js';
import { formatGoFloat } from './go-float.js';
import type { WebhookEvent } from './webhook-event.js';
import { WebhookEventDesc } from './webhook-event.js';

export interface ProtojsonOptions {
  /**
   * The `detrand` variant: `true` writes `, ` after each comma, as a LiveKit binary whose hash is odd does.
   * Default `false`.
   */
  readonly spaceAfterComma?: boolean;
}

/** The protojson text of a `WebhookEvent`, the exact body livekit-server POSTs. */
export function marshalWebhookEvent(event: WebhookEvent, options: ProtojsonOptions = {}): string {
  return marshalMessage(WebhookEventDesc, event, options);
}

/** The protojson text of any modelled message. */
export function marshalMessage(desc: MessageDesc, message: object, options: ProtojsonOptions = {}): string {
  return writeMessage(
    desc,
    message as Readonly<Record<string, unknown>>,
    options.spaceAfterComma ? ', ' : ',',
    desc.name,
  );
}

function writeMessage(
  desc: MessageDesc,
  msg: Readonly<Record<string, unknown>>,
  sep: string,
  path: string,
): string {
  let out = '{';
  let first = true;
  for (const field of desc.fields) {
    const value = presentValue(field, msg);
    if (value === undefined) continue;
    const where = `${path}.${field.name}`;
    out += (first ? '' : sep) + quote(field.name, where) + ':' + writeField(field, value, sep, where);
    first = false;
  }
  return out + '}';
}

/** The value to write for `field`, or `undefined` when protojson leaves the field out. */
function presentValue(field: FieldDesc, msg: Readonly<Record<string, unknown>>): unknown {
  if (field.oneof !== undefined) {
    const chosen = msg[field.oneof] as { case?: unknown; value?: unknown } | undefined;
    return chosen !== undefined && chosen.case === field.name ? chosen.value : undefined;
  }
  const value = msg[field.name];
  if (value === undefined || value === null) return undefined;
  if (field.repeated) return (value as readonly unknown[]).length === 0 ? undefined : value;
  if (field.map) return Object.keys(value as object).length === 0 ? undefined : value;
  if (field.kind === 'message' || field.optional) return value;
  return isZero(field, value) ? undefined : value;
}

function isZero(field: FieldDesc, value: unknown): boolean {
  switch (field.kind) {
    case 'enum':
      return value === field.enum.values[0];
    case 'double':
    case 'float':
      return value === 0 && !Object.is(value, -0);
    case 'bytes':
      return (value as Uint8Array).length === 0;
    case 'int64':
    case 'uint64':
      return value === 0 || value === 0n;
    default:
      return value === 0 || value === false || value === '';
  }
}

function writeField(field: FieldDesc, value: unknown, sep: string, where: string): string {
  if (field.repeated) {
    const items = value as readonly unknown[];
    return '[' + items.map((v, i) => writeSingular(field, v, sep, `${where}[${i}]`)).join(sep) + ']';
  }
  if (field.map) {
    const entries = Object.entries(value as Readonly<Record<string, unknown>>).sort(([a], [b]) =>
      compareCodePoints(a, b),
    );
    return (
      '{' +
      entries
        .map(([k, v]) => `${quote(k, where)}:${writeSingular(field, v, sep, `${where}.${k}`)}`)
        .join(sep) +
      '}'
    );
  }
  return writeSingular(field, value, sep, where);
}

function writeSingular(field: FieldDesc, value: unknown, sep: string, where: string): string {
  switch (field.kind) {
    case 'message':
      return writeMessage(field.message(), value as Readonly<Record<string, unknown>>, sep, where);
    case 'enum':
      return quote(enumName(field.enum, value, where), where);
    case 'string':
      if (typeof value !== 'string') throw invalid(where, 'a string', value);
      return quote(value, where);
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(where, 'a boolean', value);
      return value ? 'true' : 'false';
    case 'int32':
      return String(integer(value, -(2 ** 31), 2 ** 31 - 1, where));
    case 'uint32':
      return String(integer(value, 0, 2 ** 32 - 1, where));
    case 'int64':
      return `"${bigInteger(value, -(2n ** 63n), 2n ** 63n - 1n, where)}"`;
    case 'uint64':
      return `"${bigInteger(value, 0n, 2n ** 64n - 1n, where)}"`;
    case 'double':
    case 'float':
      if (typeof value !== 'number') throw invalid(where, 'a number', value);
      return formatGoFloat(value, field.kind === 'float' ? 32 : 64);
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw invalid(where, 'a Uint8Array', value);
      return `"${base64(value)}"`;
  }
}

function enumName(desc: EnumDesc, value: unknown, where: string): string {
  if (typeof value !== 'string' || !Object.values(desc.values).includes(value)) {
    throw invalid(where, `a ${desc.name} name`, value);
  }
  return value;
}

function integer(value: unknown, min: number, max: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(where, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

function bigInteger(value: unknown, min: bigint, max: bigint, where: string): bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else throw invalid(where, 'a bigint or a safe integer', value);
  if (n < min || n > max) throw invalid(where, `an integer in [${min}, ${max}]`, value);
  return n;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

/** A JSON string as protobuf-go's `appendString` writes it. */
function quote(s: string, where: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair)
        throw new OvsimError('BAD_INPUT', `${where}: invalid UTF-8 (a lone surrogate): protojson refuses it`);
      i++;
      continue;
    }
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    start = i + 1;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out + s.slice(start) + '"';
}

/** Orders strings as Go compares them: byte order of their UTF-8, which is code-point order. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

function invalid(where: string, expected: string, value: unknown): OvsimError {
  const shown = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return new OvsimError('BAD_INPUT', `${where}: expected ${expected}, got ${shown}`);
}
