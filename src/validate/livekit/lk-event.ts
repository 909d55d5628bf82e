/**
 * One LiveKit webhook event as the rule families see it, and typed reads of a protojson body (absent = the zero
 * value, as protojson leaves zero values out; 64-bit integers arrive as strings).
 */
import type { LivekitEventName } from '../../model/livekit/index.js';
import type { Flag } from '../body-validator.js';
import type { Where } from '../rules.js';

export type Obj = Readonly<Record<string, unknown>>;

export interface LkEvent {
  readonly name: LivekitEventName;
  readonly body: Obj;
  readonly where: Where;
  /** `createdAt`, seconds, when readable. */
  readonly createdAt: number | undefined;
  /** Reports at this event's line. */
  readonly flag: Flag;
}

/** A nested message, or undefined. */
export function obj(o: Obj | undefined, key: string): Obj | undefined {
  const v = o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** A string field; absent reads "" (protojson's omitted zero value) only through {@link text}. */
export function str(o: Obj | undefined, key: string): string | undefined {
  const v = o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A string field, "" when absent. */
export function text(o: Obj | undefined, key: string): string {
  return str(o, key) ?? '';
}

/** An integer field, 32-bit (a number) or 64-bit (a decimal string), as a number; undefined when absent or bad. */
export function int(o: Obj | undefined, key: string): number | undefined {
  const v = o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** A list field, [] when absent. */
export function list(o: Obj | undefined, key: string): readonly unknown[] {
  const v = o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** `AJ_` + 12 base57 characters (`guid.AgentJobPrefix`), not among the ids ovsim makes. */
export const AGENT_JOB_ID = /^AJ_[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{12}$/;

/** Egress statuses in their order; the last four end an egress. */
export const EGRESS_RANK: Readonly<Record<string, number>> = {
  EGRESS_STARTING: 0,
  EGRESS_ACTIVE: 1,
  EGRESS_ENDING: 2,
  EGRESS_COMPLETE: 3,
  EGRESS_FAILED: 3,
  EGRESS_ABORTED: 3,
  EGRESS_LIMIT_REACHED: 3,
};

/** An egress's status: absent is `EGRESS_STARTING`, the 0 value protojson leaves out. */
export function egressStatus(info: Obj | undefined): string {
  return str(info, 'status') ?? 'EGRESS_STARTING';
}
