/**
 * Handles — the names scenarios give sessions, participants and recordings — and the partition's tables that find a
 * live record by handle. A handle names one entity for the life of the run: once closed it is remembered
 * (`rememberClosedHandles`), so that a later reference is explained ("session s1 was closed") rather than unknown.
 */
import type { ConnectionRecord, Partition, RecordingRecord, SessionRecord } from './records.js';
import type { Step } from './step.js';

/** Refuses a handle that names a live entity, or a closed one. */
export function claimHandle(ctx: Step, kind: string, handle: string): void {
  const p = ctx.partition;
  if (p.sessions.has(handle) || p.connections.has(handle) || p.recordings?.has(handle) === true) {
    ctx.refuse('handle-in-use', `handle "${handle}" is already in use; give the new ${kind} another name`);
  }
  const was = p.closedHandles?.get(handle);
  if (was !== undefined)
    ctx.refuse('handle-in-use', `handle "${handle}" was used by ${was}; give the new ${kind} another name`);
}

/** Whether `handle` may name a new entity (not live, and not remembered as closed). */
export function isHandleFree(p: Partition, handle: string): boolean {
  return (
    !p.sessions.has(handle) &&
    !p.connections.has(handle) &&
    p.recordings?.has(handle) !== true &&
    p.closedHandles?.has(handle) !== true
  );
}

/** Drops a closed entity from its table, remembering what it was. */
export function forget(p: Partition, handle: string, what: string, table: Map<string, unknown>): void {
  table.delete(handle);
  p.closedHandles?.set(handle, what);
}

function gone(ctx: Step, kind: string, handle: string): never {
  const was = ctx.partition.closedHandles?.get(handle);
  if (was) ctx.refuse('not-found', `${kind} "${handle}" is gone: ${was}`);
  ctx.refuse('not-found', `unknown ${kind} "${handle}"`);
}

export function liveSession(ctx: Step, handle: string): SessionRecord {
  return ctx.partition.sessions.get(handle) ?? gone(ctx, 'session', handle);
}

export function liveConnection(ctx: Step, handle: string): ConnectionRecord {
  return ctx.partition.connections.get(handle) ?? gone(ctx, 'participant', handle);
}

export function liveRecording(ctx: Step, handle: string): RecordingRecord {
  return ctx.partition.recordings?.get(handle) ?? gone(ctx, 'recording', handle);
}

/** The partition's recordings table, made at its first recording. */
export function recordingsOf(p: Partition): Map<string, RecordingRecord> {
  return (p.recordings ??= new Map());
}
