/**
 * The one adapter between the engine's output and the ground truth: today's `Batch`/`CdrEvent` read as truth facts.
 * When the engine's types change, this file changes and the fold does not. Events the truth does not need (WebRTC
 * connections, signals, filters, autoscaling, broadcasts, HA nodes) map to nothing.
 */
import type { Batch } from '../engine/engine.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { RecordingStatus, TruthFact } from './facts.js';

/** The truth facts of one engine event; undefined when the truth does not need it. */
export function factOfEvent(event: CdrEvent): TruthFact | undefined {
  switch (event.name) {
    case 'sessionCreated': {
      const d = event.data;
      return { kind: 'sessionCreated', at: d.timestamp, ...sessionIds(d) };
    }
    case 'sessionDestroyed': {
      const d = event.data;
      return { kind: 'sessionDestroyed', at: d.timestamp, ...sessionIds(d), reason: d.reason };
    }
    case 'participantJoined': {
      const d = event.data;
      return {
        kind: 'participantJoined',
        at: d.timestamp,
        ...sessionIds(d),
        participantId: d.connectionId,
        participantKind: d.platform === 'IPCAM' ? 'IPCAM' : 'WEBRTC',
      };
    }
    case 'participantLeft': {
      const d = event.data;
      return {
        kind: 'participantLeft',
        at: d.timestamp,
        ...sessionIds(d),
        participantId: d.connectionId,
        reason: d.reason,
      };
    }
    case 'recordingStatusChanged': {
      const d = event.data;
      return {
        kind: 'recordingStatus',
        at: d.timestamp,
        ...sessionIds(d),
        recordingId: d.id,
        status: d.status as RecordingStatus,
        outputMode: d.outputMode,
        startedAt: d.startTime,
        durationSeconds: d.duration,
        size: d.size,
        reason: d.reason,
      };
    }
    case 'mediaNodeStatusChanged':
      return {
        kind: 'mediaNodeStatus',
        at: event.data.timestamp,
        nodeId: event.data.id,
        status: event.data.newStatus,
      };
    case 'nodeCrashed':
      return event.data.nodeRole === 'medianode'
        ? { kind: 'mediaNodeCrashed', at: event.data.timestamp, nodeId: event.data.id }
        : undefined;
    case 'nodeRecovered':
      return event.data.nodeRole === 'medianode'
        ? { kind: 'mediaNodeRecovered', at: event.data.timestamp, nodeId: event.data.id }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Every truth fact of a batch, in the engine's order: those of its events, and the ends no event tells of (a session
 * dropped by OpenVidu's garbage collector, which logs nothing).
 */
export function* factsOfBatch(batch: Batch): Generator<TruthFact> {
  for (const event of batch.events) {
    const fact = factOfEvent(event);
    if (fact) yield fact;
  }
  for (const f of batch.facts ?? []) {
    if (f.type === 'sessionGarbageCollected') {
      const { sessionId, uniqueSessionId } = f.session;
      yield { kind: 'sessionCollected', at: f.at, sessionId, uniqueSessionId };
    }
  }
}

/**
 * The session's ids. The engine always fills `uniqueSessionId` (the serializer drops it before 2.17); a session
 * without one is keyed by its `sessionId` alone.
 */
function sessionIds(d: {
  readonly sessionId?: string | undefined;
  readonly uniqueSessionId?: string | undefined;
}): {
  sessionId: string;
  uniqueSessionId: string;
} {
  const sessionId = d.sessionId ?? '';
  return { sessionId, uniqueSessionId: d.uniqueSessionId ?? sessionId };
}

/** Passes the batches through unchanged, folding each into `builder` first: the truth of exactly what is emitted. */
export function* foldingBatches(
  batches: Iterable<Batch>,
  builder: { add(fact: TruthFact): void },
  factsOf: (batch: Batch) => Iterable<TruthFact> = factsOfBatch,
): Generator<Batch> {
  for (const batch of batches) {
    for (const fact of factsOf(batch)) builder.add(fact);
    yield batch;
  }
}
