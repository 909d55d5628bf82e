/**
 * The OpenVidu 3 (LiveKit) renderer: the engine's facts as the `WebhookEvent`s livekit-server and its Egress and
 * Ingress services send (livekit/livekit `pkg/telemetry/events.go`, `pkg/rtc/room.go`, `pkg/service/roommanager.go`):
 * - a session is a room: `room_started` at its creation, `room_finished` when it closes, both with the full Room;
 * - a participant is `participant_joined` when its media connects (ACTIVE), `participant_left` when it goes — or, if
 *   it never connected, `participant_connection_aborted` (from v1.9.1), nothing (v1.3.3 to v1.9.0) or a lone
 *   `participant_left` (earlier) — with the full Room and ParticipantInfo;
 * - a published stream is one `track_published` per track (`track_unpublished` when it goes), with `{sid, name}` of
 *   the room, `{sid, identity}` of the participant and the full TrackInfo; subscriptions send nothing;
 * - a recording is an egress (`egress_started`, `egress_updated` ACTIVE and ENDING, `egress_ended`) whose recorder
 *   joins and leaves as a hidden EGRESS participant; a broadcast a stream egress; an IP camera an ingress
 *   (`ingress_started`, `ingress_ended`) publishing as an INGRESS participant;
 * - signals, filters and media node events have no LiveKit webhook.
 * Each event gets `id` (`EV_…`) and `createdAt` (the enqueue second) as `NotifyEvent` assigns them. The renderer
 * keeps what LiveKit keeps (each room's cached proto, each participant's version): render every fact of a run once,
 * in order.
 */
import type { BroadcastFacts, ConnectionFacts, RecordingFacts, SessionFacts } from '../entities.js';
import type { Fact, FactOf } from '../facts.js';
import type { LivekitEventName, WebhookEvent } from '../livekit/webhook-event.js';
import type { EgressInfo } from '../livekit/egress.js';
import type { IngressInfo } from '../livekit/ingress.js';
import type { ParticipantInfo, Room, TrackInfo } from '../livekit/models.js';
import {
  broadcastRequest,
  egressInfo,
  ingressInfo,
  recordingFilename,
  recordingRequest,
  type EgressProgress,
  type EgressUpdate,
} from './egress-info.js';
import type { LivekitProfile } from './livekit-profile.js';
import {
  disconnectReasonOf,
  participantInfo,
  recorderInfo,
  type ParticipantState,
} from './participant-info.js';
import { RoomState, type RoomMember } from './room-state.js';
import { tracksOf } from './track-info.js';

interface EventBody {
  readonly room?: Room;
  readonly participant?: ParticipantInfo;
  readonly egressInfo?: EgressInfo;
  readonly ingressInfo?: IngressInfo;
  readonly track?: TrackInfo;
}

/** An egress as the renderer follows it, with its recorder participant while it is in the room. */
interface EgressState extends EgressProgress {
  readonly request: EgressUpdate['request'];
  readonly filename: string | undefined;
  readonly streamUrl: string | undefined;
  recorder: { readonly member: RoomMember; readonly joinedAt: number } | undefined;
}

/** OpenVidu 2's reasons for a departure that is the room closing (`Room.Close`), not the participant going. */
const ROOM_CLOSING: ReadonlySet<string> = new Set([
  'sessionClosedByServer',
  'lastParticipantLeft',
  'openviduServerStopped',
  'mediaServerDisconnect',
  'nodeCrashed',
]);

/** `MsgStoppedBeforeStarted` and the other egress messages of livekit/protocol `livekit/livekit_egress.go`. */
const ABORTED = { message: 'Stop called before pipeline could start', code: 412 };
const LIMIT_REACHED = { message: 'Session limit reached', code: 413 };
const FAILED = { message: 'upload failed' };

export class LivekitRenderer {
  private readonly rooms = new WeakMap<SessionFacts, RoomState>();
  private readonly participants = new WeakMap<ConnectionFacts, ParticipantState>();
  private readonly egresses = new WeakMap<RecordingFacts | BroadcastFacts, EgressState>();
  private out: (event: WebhookEvent) => void = () => undefined;

  constructor(readonly profile: LivekitProfile) {}

  /** Calls `emit` with each webhook the fact makes, in the order LiveKit enqueues them. */
  render(f: Fact, emit: (event: WebhookEvent) => void): void {
    this.out = emit;
    switch (f.type) {
      case 'sessionCreated': {
        const room = new RoomState(f.session, this.profile);
        this.rooms.set(f.session, room);
        return this.send(room, f.at, 'room_started', { room: room.toProto(f.at) });
      }
      case 'sessionClosed': {
        const room = this.room(f.session);
        this.send(room, f.at, 'room_finished', { room: room.toProto(f.at) });
        room.closed = true;
        return;
      }
      case 'connectionJoined':
        return this.joined(f);
      case 'connectionActive':
        return this.active(f);
      case 'connectionLeft':
        return this.left(f);
      case 'streamPublished':
        return this.published(f);
      case 'streamUnpublished':
        return this.unpublished(f);
      case 'recordingStatus':
        return this.recording(f);
      case 'broadcastStarted':
        return this.broadcastStarted(f);
      case 'broadcastStopped':
        return this.broadcastStopped(f);
      default:
        return;
    }
  }

  private room(s: SessionFacts): RoomState {
    const room = this.rooms.get(s);
    if (room === undefined) throw new Error(`internal: no LiveKit room for session ${s.sessionId}`);
    return room;
  }

  private send(room: RoomState, at: number, event: LivekitEventName, body: EventBody): void {
    this.out({ event, ...body, id: room.eventIds.next('event'), createdAt: BigInt(Math.floor(at / 1000)) });
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Participants

  private joined(f: FactOf<'connectionJoined'>): void {
    const c = f.connection;
    const room = this.room(c.session);
    const member: RoomMember = {
      identity: c.livekit!.identity,
      dependent: false,
      isPublisher: false,
      replaced: false,
    };
    for (const other of room.members.get(member.identity) ?? []) other.replaced = true;
    this.participants.set(c, { member, state: 'JOINED', version: 1, tracks: [], connected: false });
    room.add(f.at, member);
  }

  private active(f: FactOf<'connectionActive'>): void {
    const c = f.connection;
    const p = this.participant(c);
    p.state = 'ACTIVE';
    p.version++;
    p.connected = true;
    const room = this.room(c.session);
    this.send(room, f.at, 'participant_joined', {
      room: room.toProto(f.at),
      participant: participantInfo(c, p, this.profile),
    });
  }

  private left(f: FactOf<'connectionLeft'>): void {
    const c = f.connection;
    const p = this.participant(c);
    const room = this.room(c.session);
    p.state = 'DISCONNECTED';
    p.version++;
    const reason = p.member.replaced ? 'DUPLICATE_IDENTITY' : disconnectReasonOf(f.reason);
    const event = p.connected ? 'participant_left' : this.abortedEvent();
    if (event !== undefined) {
      const body = { room: room.toProto(f.at), participant: participantInfo(c, p, this.profile, reason) };
      this.send(room, f.at, event, body);
      if (event === 'participant_left' && this.profile.duplicateParticipantLeft)
        this.send(room, f.at, event, body);
    }
    room.remove(f.at, p.member, ROOM_CLOSING.has(f.reason));
    if (c.ipcam) {
      const info = ingressInfo(c, room.room.sid, room.name, [], f.at, true);
      this.send(room, f.at, 'ingress_ended', { room: { name: room.name }, ingressInfo: info });
    }
  }

  private abortedEvent(): LivekitEventName | undefined {
    const a = this.profile.aborted;
    return a === 'nothing' ? undefined : a;
  }

  private participant(c: ConnectionFacts): ParticipantState {
    const p = this.participants.get(c);
    if (p === undefined) throw new Error(`internal: no LiveKit participant for connection ${c.connectionId}`);
    return p;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Tracks and ingresses

  private published(f: FactOf<'streamPublished'>): void {
    const c = f.stream.owner;
    const p = this.participant(c);
    const room = this.room(c.session);
    const self = { sid: c.livekit!.sid, identity: c.livekit!.identity };
    const tracks = tracksOf(f.stream);
    for (const track of tracks) {
      p.tracks = [...p.tracks, track];
      p.version++;
      this.send(room, f.at, 'track_published', { room: room.minimal(f.at), participant: self, track });
    }
    if (!p.member.isPublisher) {
      p.member.isPublisher = true;
      room.changed(f.at);
    }
    if (c.ipcam) {
      const info = ingressInfo(c, room.room.sid, room.name, tracks, f.at, false);
      this.send(room, f.at, 'ingress_started', { room: { name: room.name }, ingressInfo: info });
    }
  }

  private unpublished(f: FactOf<'streamUnpublished'>): void {
    const c = f.stream.owner;
    const p = this.participant(c);
    const room = this.room(c.session);
    const self = { sid: c.livekit!.sid, identity: c.livekit!.identity };
    for (const track of tracksOf(f.stream)) {
      p.tracks = p.tracks.filter((t) => t.sid !== track.sid);
      p.version++;
      this.send(room, f.at, 'track_unpublished', { room: room.minimal(f.at), participant: self, track });
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Egresses

  private recording(f: FactOf<'recordingStatus'>): void {
    const r = f.recording;
    const room = this.room(r.session);
    if (f.status === 'starting') {
      const filename = recordingFilename(room.name, r.livekit!);
      const request = recordingRequest(r, room.name);
      this.egresses.set(r, this.newEgress(room, r.livekit!, r.createdAt, request, filename, undefined));
    }
    const e = this.egresses.get(r)!;
    const file = { filename: e.filename!, size: f.size, durationS: f.duration };
    const legacyOnly = this.profile.legacyFileResultOnly;
    switch (f.status) {
      case 'starting':
        return this.egressUpdate(room, e, 'egress_started', {
          status: 'EGRESS_STARTING',
          at: f.at,
          request: e.request,
          file,
        });
      case 'started':
        return this.egressActive(room, e, f.at, { file });
      case 'stopped':
        return this.egressEnding(room, e, f.at, f.reason ?? '', { file });
      case 'ready':
        return this.egressUpdate(room, e, 'egress_ended', {
          status: 'EGRESS_COMPLETE',
          at: f.at,
          request: e.request,
          file,
          legacyOnly,
        });
      case 'failed': {
        const [status, error] =
          e.activeAt === undefined
            ? (['EGRESS_ABORTED', ABORTED] as const)
            : r.props.outcome === 'limit-reached'
              ? (['EGRESS_LIMIT_REACHED', LIMIT_REACHED] as const)
              : (['EGRESS_FAILED', FAILED] as const);
        if (status === 'EGRESS_LIMIT_REACHED') e.details = 'End reason: Session limit reached';
        else if (status === 'EGRESS_FAILED' && e.details === undefined) e.details = 'End reason: Failure';
        return this.egressUpdate(room, e, 'egress_ended', {
          status,
          at: f.at,
          request: e.request,
          file,
          error,
          legacyOnly,
        });
      }
    }
  }

  private broadcastStarted(f: FactOf<'broadcastStarted'>): void {
    const b = f.broadcast;
    const room = this.room(b.session);
    const e = this.newEgress(room, b.livekit!, f.at, broadcastRequest(b, room.name), undefined, b.url);
    this.egresses.set(b, e);
    this.egressUpdate(room, e, 'egress_started', {
      status: 'EGRESS_STARTING',
      at: f.at,
      request: e.request,
      streamUrl: b.url,
    });
    this.egressActive(room, e, f.at, { streamUrl: b.url });
  }

  private broadcastStopped(f: FactOf<'broadcastStopped'>): void {
    const b = f.broadcast;
    const room = this.room(b.session);
    const e = this.egresses.get(b)!;
    this.egressEnding(room, e, f.at, f.reason, { streamUrl: b.url });
    this.egressUpdate(room, e, 'egress_ended', {
      status: 'EGRESS_COMPLETE',
      at: f.at,
      request: e.request,
      streamUrl: b.url,
    });
  }

  private newEgress(
    room: RoomState,
    lk: EgressState['lk'],
    requestedAt: number,
    request: EgressUpdate['request'],
    filename: string | undefined,
    streamUrl: string | undefined,
  ): EgressState {
    return {
      lk,
      roomSid: room.room.sid,
      roomName: room.name,
      requestedAt,
      activeAt: undefined,
      details: undefined,
      request,
      filename,
      streamUrl,
      recorder: undefined,
    };
  }

  /** Its recorder joins the room, then its pipeline starts: ACTIVE. */
  private egressActive(
    room: RoomState,
    e: EgressState,
    at: number,
    what: Pick<EgressUpdate, 'file' | 'streamUrl'>,
  ): void {
    const member: RoomMember = {
      identity: e.lk.egressId,
      dependent: true,
      isPublisher: false,
      replaced: false,
    };
    room.add(at, member);
    e.recorder = { member, joinedAt: at };
    this.send(room, at, 'participant_joined', {
      room: room.toProto(at),
      participant: recorderInfo(e.lk, at, 'ACTIVE', 2, this.profile),
    });
    e.activeAt = at;
    this.egressUpdate(room, e, 'egress_updated', {
      status: 'EGRESS_ACTIVE',
      at,
      request: e.request,
      ...what,
    });
  }

  /** Stopped (by the API, or its room closing): ENDING, and its recorder leaves. Stopped before it started: nothing yet. */
  private egressEnding(
    room: RoomState,
    e: EgressState,
    at: number,
    reason: string,
    what: Pick<EgressUpdate, 'file' | 'streamUrl'>,
  ): void {
    if (e.activeAt === undefined) return;
    e.details = `End reason: ${reason === 'recordingStoppedByServer' || reason === 'broadcastStoppedByServer' ? 'StopEgress API' : 'Source closed'}`;
    this.egressUpdate(room, e, 'egress_updated', {
      status: 'EGRESS_ENDING',
      at,
      request: e.request,
      ...what,
    });
    const recorder = e.recorder;
    if (recorder === undefined) return;
    e.recorder = undefined;
    const left =
      reason === 'recordingStoppedByServer' || reason === 'broadcastStoppedByServer'
        ? 'CLIENT_INITIATED'
        : disconnectReasonOf(reason);
    this.send(room, at, 'participant_left', {
      room: room.toProto(at),
      participant: recorderInfo(e.lk, recorder.joinedAt, 'DISCONNECTED', 3, this.profile, left),
    });
    room.remove(at, recorder.member, ROOM_CLOSING.has(reason));
  }

  private egressUpdate(room: RoomState, e: EgressState, event: LivekitEventName, u: EgressUpdate): void {
    this.send(room, u.at, event, {
      room: { sid: e.roomSid, name: e.roomName },
      egressInfo: egressInfo(e, u),
    });
  }
}
