/**
 * The ground truth of an OpenVidu 3 (LiveKit) run, in LiveKit's own terms: the same fold (build-truth.ts) fed with
 * what LiveKit says of each room and participant, read from the events the run renders — the bytes it sends — before
 * any delivery, so LiveKit's drops, retries and overtaking cannot change it.
 *
 * - A session is a room: `sessionId` is its name, `uniqueSessionId` its sid (`RM_…`, new when a name is reused),
 *   created at `room.creationTimeMs`, destroyed at `room_finished`.
 * - A participant is a `ParticipantInfo` sid (`PA_…`), counted from `participant.joinedAtMs` (the time LiveKit says it
 *   joined, in the `participant_joined` body) to its `participant_left`; `reason` is its `disconnectReason`.
 *   A client whose media never connected (`participant_connection_aborted`, or the lone `participant_left` of
 *   LiveKit < 1.3.3) never joined and is not counted; the recorder of a room-composite egress (kind `EGRESS`) is not
 *   a participant either; an ingress participant (an IP camera) is, as `IPCAM`. A duplicate `participant_left` is
 *   one leave.
 * - A recording is a file egress (`EG_…`; a stream egress — a broadcast — is not one): `started` at its
 *   `egress_started` (`startedAt`), `stopped` at `EGRESS_ENDING`, then `ready` (`EGRESS_COMPLETE`,
 *   `EGRESS_LIMIT_REACHED`) or `failed` (`EGRESS_FAILED`, `EGRESS_ABORTED`) at `egress_ended`, with the file's
 *   duration and size; `COMPOSED` for a room-composite or web egress, else `INDIVIDUAL`; `reason` its `details`.
 */
import type { Batch } from '../engine/engine.js';
import type { Int64 } from '../model/livekit/descriptor.js';
import type { EgressInfo } from '../model/livekit/egress.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import { livekitEvents, type ServerSettings } from '../model/ov3/server-wire.js';
import { factsOfBatch } from './engine-facts.js';
import type { TruthFact } from './facts.js';

/**
 * The adapter from a run's batches to its truth facts for the server imitated: LiveKit's rooms and participants for
 * OpenVidu 3, OpenVidu 2's sessions and connections otherwise (the v2-compatibility module keeps OpenVidu 2's ids).
 */
export function truthFactsFor(server: ServerSettings): (batch: Batch) => Iterable<TruthFact> {
  return server.kind === 'openvidu3' ? livekitTruthFacts(server) : factsOfBatch;
}

/** A fresh adapter from a run's batches to its truth facts: it renders them itself, so give it every batch, in order. */
export function livekitTruthFacts(server: ServerSettings): (batch: Batch) => TruthFact[] {
  const render = livekitEvents(server);
  const joined = new Set<string>();
  return (batch) => {
    const out: TruthFact[] = [];
    for (const fact of batch.facts ?? [])
      render(fact, (e) => {
        const f = truthFactOf(e, fact.at, joined);
        if (f) out.push(f);
      });
    return out;
  };
}

const ms = (v: Int64 | undefined, fallback: number) => (v === undefined ? fallback : Number(v));

function truthFactOf(e: WebhookEvent, at: number, joined: Set<string>): TruthFact | undefined {
  const room = e.room;
  const ids = { sessionId: room?.name ?? '', uniqueSessionId: room?.sid ?? room?.name ?? '' };
  const p = e.participant;
  switch (e.event) {
    case 'room_started':
      return { kind: 'sessionCreated', at: ms(room?.creationTimeMs, at), ...ids };
    case 'room_finished':
      return { kind: 'sessionDestroyed', at, ...ids, reason: undefined };
    case 'participant_joined': {
      if (p?.sid === undefined || p.kind === 'EGRESS' || joined.has(p.sid)) return undefined;
      joined.add(p.sid);
      const participantKind = p.kind === 'INGRESS' ? 'IPCAM' : 'WEBRTC';
      return {
        kind: 'participantJoined',
        at: ms(p.joinedAtMs, at),
        ...ids,
        participantId: p.sid,
        participantKind,
      };
    }
    case 'participant_left': {
      if (p?.sid === undefined || !joined.delete(p.sid)) return undefined;
      return { kind: 'participantLeft', at, ...ids, participantId: p.sid, reason: p.disconnectReason };
    }
    case 'egress_started':
    case 'egress_updated':
    case 'egress_ended':
      return egressFact(e.event, e.egressInfo, at);
    default:
      return undefined;
  }
}

const READY = new Set(['EGRESS_COMPLETE', 'EGRESS_LIMIT_REACHED']);
const FAILED = new Set(['EGRESS_FAILED', 'EGRESS_ABORTED']);

/** A file egress's step as a recording status; undefined for a stream egress and for steps with no such status. */
function egressFact(event: string, g: EgressInfo | undefined, at: number): TruthFact | undefined {
  const file = g?.fileResults?.[0] ?? (g?.result?.case === 'file' ? g.result.value : undefined);
  if (g?.egressId === undefined || (g.fileResults === undefined && file === undefined)) return undefined;
  const status =
    event === 'egress_started'
      ? 'started'
      : event === 'egress_updated'
        ? g.status === 'EGRESS_ENDING'
          ? 'stopped'
          : undefined
        : READY.has(g.status ?? '')
          ? 'ready'
          : FAILED.has(g.status ?? '')
            ? 'failed'
            : undefined;
  if (status === undefined) return undefined;
  const composed = g.request?.case === 'roomComposite' || g.request?.case === 'web';
  return {
    kind: 'recordingStatus',
    at,
    sessionId: g.roomName ?? '',
    uniqueSessionId: g.roomId ?? g.roomName ?? '',
    recordingId: g.egressId,
    status,
    outputMode: composed ? 'COMPOSED' : 'INDIVIDUAL',
    startedAt: g.startedAt === undefined ? at : Math.floor(Number(g.startedAt) / 1e6),
    durationSeconds: file?.duration === undefined ? 0 : Number(file.duration) / 1e9,
    size: file?.size === undefined ? 0 : Number(file.size),
    reason: g.details ?? g.error,
  };
}
