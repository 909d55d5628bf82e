/**
 * Reading the fields the world projection needs from any event, whatever its type (each type has a subset), and
 * from the action that caused a cascade.
 */
import type { Batch } from '../engine/engine.js';
import type { CdrEvent, EventData, EventName } from '../model/catalogue.js';
import type { MediaServerIncident } from './view-types.js';

/** Fields the projection reads, whatever the event (each event type has a subset; absent ones are undefined). */
export type AnyData = Partial<Record<string, unknown>> & { readonly timestamp: number };

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

export function sessionKey(d: AnyData): string {
  return str(d['uniqueSessionId']) ?? str(d['sessionId']) ?? '';
}

export function connectionKey(d: AnyData): string {
  return str(d['connectionId']) ?? str(d['participantId']) ?? '';
}

export function statusOf(e: CdrEvent): unknown {
  return (e.data as Partial<EventData<'recordingStatusChanged'>>).status;
}

/** The handle an action named for the entity it created (when the entity is already gone from the snapshot). */
export function causeHandle(batch: Batch, type: string, field: string): string | undefined {
  const c = batch.cause;
  if (c.kind !== 'action' || c.action.type !== type) return undefined;
  const v = (c.action.args as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}

/** A CE media server incident a live action caused (crash, restart, stop), with what it ended; else undefined. */
export function incidentOf(batchId: number, batch: Batch): MediaServerIncident | undefined {
  const c = batch.cause;
  if (c.kind !== 'action') return undefined;
  const kind =
    c.action.type === 'mediaServerCrash'
      ? 'crash'
      : c.action.type === 'mediaServerReconnect'
        ? 'restart'
        : c.action.type === 'stopServer'
          ? 'stop'
          : undefined;
  if (!kind) return undefined;
  const count = (n: EventName, status?: string) =>
    batch.events.filter((e) => e.name === n && (status === undefined || statusOf(e) === status)).length;
  return {
    kind,
    at: batch.at,
    batch: batchId,
    sessionsClosed: count('sessionDestroyed'),
    connectionsDropped: count('webrtcConnectionDestroyed'),
    recordingsStopped: count('recordingStatusChanged', 'stopped'),
  };
}
