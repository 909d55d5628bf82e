/**
 * The shape in which the validator sees one event, typed reads of its parsed body, and the id patterns of
 * spec §3 shared by the checks.
 */
import type { Diagnostic, Where } from './rules.js';

/** An event ready to check: its name, parsed body, keys in wire order and, from text input, raw value texts. */
export interface EventInput {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly keys: readonly string[];
  /** Raw JSON text of the value of the i-th key; absent for pre-parsed bodies. */
  readonly rawAt: ((i: number) => string | undefined) | undefined;
  readonly where: Where;
  /** `cdr` for a `{"<event>":{…}}` line, `webhook` for a flat body (text or already parsed). */
  readonly form: 'cdr' | 'webhook';
  /** Where this event's diagnostics go. */
  readonly out: Diagnostic[];
}

/** A body's own property (a body is a JSON.parse result: inherited names such as `constructor` are not keys). */
export function get(body: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(body, key) ? body[key] : undefined;
}
/** A string property, or undefined when absent or of another type. */
export function str(body: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = get(body, key);
  return typeof v === 'string' ? v : undefined;
}
/** An integer property, or undefined when absent or of another type. */
export function int(body: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = get(body, key);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}
/** A JSON object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** `FILE:LINE` of a place, for messages that point at an earlier line. */
export function at(w: Where): string {
  return `${w.file}:${w.line}`;
}
/** A value cut to `max` characters for a message (a garbage line may be megabytes long). */
export function excerpt(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
/** A value as JSON text for a message; `nothing` for an absent one. */
export function json(v: unknown): string {
  return v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
}

/** Generated `ses_…` ids are a subset of the custom id alphabet (spec §3). */
export const SESSION_ID = /^[a-zA-Z0-9_-]+$/;
/** Generated `con_` + 10 characters, or the dev feature's custom `con_` + word characters (spec §3). */
export const CONNECTION_ID = /^con_[A-Za-z0-9_]+$/;
/** `ipc_IPCAM_<scheme>_<XXXX>_<rest of the URI, separators folded>` (spec §3). */
export const IPCAM_CONNECTION_ID = /^ipc_IPCAM_[A-Za-z][A-Za-z0-9+]*_[0-9A-Z]{4}_.+$/;
/** `str_<media prefix>_<Xxxx>_<publisher connection id>`; groups: prefix, connection id (spec §3). */
export const STREAM_ID = /^str_(CAM|SCR|CUS|IPC|MIC)_[A-Z][0-9A-Za-z]{3}_(.+)$/;
/** `media_…` (2.17+) or `kms_…` (earlier) media node ids, Pro AWS ones included (spec §3). */
export const MEDIA_NODE_ID = /^(?:media|kms)_[A-Za-z0-9-]+$/;

/** A connection id: `con_…` (generated or custom) or an IP camera's `ipc_IPCAM_…` (spec §3). */
export function isConnectionId(id: string): boolean {
  return CONNECTION_ID.test(id) || IPCAM_CONNECTION_ID.test(id);
}
