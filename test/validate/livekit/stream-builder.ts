/**
 * LiveKit webhook streams for the validator's tests, built from the real `@livekit/protocol` messages and written as
 * livekit-server's protojson writes them (protobuf-es's JSON in declaration order, oracle.ts): rooms, participants,
 * tracks, egresses and ingresses filled the way livekit-server and Egress fill them (spec §1.2), one body per line.
 */
import type { IngressState_Status } from '@livekit/protocol';
import {
  DisconnectReason,
  EgressInfo,
  EgressStatus,
  FileInfo,
  IngressInfo,
  IngressInput,
  IngressState,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantPermission,
  Room,
  RoomCompositeEgressRequest,
  TrackInfo,
  TrackSource,
  TrackType,
  WebhookEvent,
} from '@livekit/protocol';
import { LivekitIds, type LivekitIdKind } from '../../../src/model/livekit/ids.js';
import { declarationOrderJson } from '../../model/livekit/oracle.js';

export interface RoomRef {
  readonly sid: string;
  readonly name: string;
  readonly creationTime: number;
  /** Participants in the room, for `numParticipants`. */
  count: number;
}
export interface PartRef {
  readonly sid: string;
  readonly identity: string;
  readonly joinedAt: number;
  readonly kind: ParticipantInfo_Kind;
}
export interface TrackRef {
  readonly sid: string;
  readonly video: boolean;
}
export interface EgressRef {
  readonly egressId: string;
  readonly room: RoomRef;
  readonly startedAt: number;
}

/** What `new WebhookEvent(…)` takes: nested messages as instances or plain objects. */
export type EventInit = NonNullable<ConstructorParameters<typeof WebhookEvent>[0]>;

const CODECS = ['audio/opus', 'audio/red', 'video/VP8', 'video/H264', 'video/VP9', 'video/AV1'];

export class LkStream {
  readonly lines: string[] = [];
  /** Seconds since the epoch: the next event's `createdAt`. */
  now: number;
  private readonly ids: LivekitIds;
  private readonly spaceAfterComma: boolean;

  constructor(opts: { start?: number; spaceAfterComma?: boolean; seed?: number } = {}) {
    this.now = opts.start ?? 1767225600;
    this.spaceAfterComma = opts.spaceAfterComma ?? false;
    let state = opts.seed ?? 7;
    this.ids = new LivekitIds(() => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    });
  }

  id(kind: LivekitIdKind): string {
    return this.ids.next(kind);
  }

  tick(seconds = 1): this {
    this.now += seconds;
    return this;
  }

  newRoom(name: string): RoomRef {
    return { sid: this.id('room'), name, creationTime: this.now, count: 0 };
  }

  newParticipant(identity: string, kind: ParticipantInfo_Kind = ParticipantInfo_Kind.STANDARD): PartRef {
    return { sid: this.id('participant'), identity, joinedAt: this.now, kind };
  }

  newTrack(video: boolean): TrackRef {
    return { sid: this.id('track'), video };
  }

  newEgress(room: RoomRef): EgressRef {
    return { egressId: this.id('egress'), room, startedAt: this.now };
  }

  fullRoom(r: RoomRef, extra: Partial<Room> = {}): Room {
    return new Room({
      sid: r.sid,
      name: r.name,
      emptyTimeout: 300,
      departureTimeout: 20,
      creationTime: BigInt(r.creationTime),
      creationTimeMs: BigInt(r.creationTime) * 1000n + 123n,
      turnPassword: 'pXq7Zr2LmNv8KwTy4HsBd6Fc',
      enabledCodecs: CODECS.map((mime) => ({ mime })),
      numParticipants: r.count,
      ...extra,
    });
  }

  participant(
    p: PartRef,
    state: ParticipantInfo_State,
    extra: Partial<ParticipantInfo> = {},
  ): ParticipantInfo {
    const recorder = p.kind === ParticipantInfo_Kind.EGRESS;
    return new ParticipantInfo({
      sid: p.sid,
      identity: p.identity,
      state,
      joinedAt: BigInt(p.joinedAt),
      joinedAtMs: BigInt(p.joinedAt) * 1000n + 417n,
      name: recorder ? '' : p.identity[0]!.toUpperCase() + p.identity.slice(1),
      version: 2,
      permission: new ParticipantPermission(
        recorder
          ? { canSubscribe: true, hidden: true, recorder: true }
          : { canSubscribe: true, canPublish: true, canPublishData: true },
      ),
      kind: p.kind,
      ...extra,
    });
  }

  /** Appends one event (`id` and `createdAt` set as NotifyEvent does); returns its line. */
  push(init: EventInit): string {
    const line = declarationOrderJson(
      new WebhookEvent({
        ...init,
        id: init.id ?? this.id('event'),
        createdAt: init.createdAt ?? BigInt(this.now),
      }),
      this.spaceAfterComma,
    );
    this.lines.push(line);
    return line;
  }

  roomStarted(r: RoomRef): string {
    return this.push({ event: 'room_started', room: this.fullRoom(r) });
  }

  roomFinished(r: RoomRef, extra: Partial<Room> = {}): string {
    return this.push({ event: 'room_finished', room: this.fullRoom(r, extra) });
  }

  joined(r: RoomRef, p: PartRef): string {
    r.count++;
    return this.push({
      event: 'participant_joined',
      room: this.fullRoom(r),
      participant: this.participant(p, ParticipantInfo_State.ACTIVE),
    });
  }

  left(
    r: RoomRef,
    p: PartRef,
    reason = DisconnectReason.CLIENT_INITIATED,
    extra: Partial<ParticipantInfo> = {},
  ): string {
    r.count = Math.max(0, r.count - 1);
    return this.push({
      event: 'participant_left',
      room: this.fullRoom(r),
      participant: this.participant(p, ParticipantInfo_State.DISCONNECTED, {
        disconnectReason: reason,
        ...extra,
      }),
    });
  }

  aborted(r: RoomRef, p: PartRef): string {
    return this.push({
      event: 'participant_connection_aborted',
      room: this.fullRoom(r),
      participant: this.participant(p, ParticipantInfo_State.DISCONNECTED, {
        disconnectReason: DisconnectReason.JOIN_FAILURE,
      }),
    });
  }

  track(t: TrackRef): TrackInfo {
    return new TrackInfo(
      t.video
        ? {
            sid: t.sid,
            type: TrackType.VIDEO,
            width: 1280,
            height: 720,
            source: TrackSource.CAMERA,
            mimeType: 'video/VP8',
            mid: '2',
            stream: 'camera',
          }
        : { sid: t.sid, source: TrackSource.MICROPHONE, mimeType: 'audio/red', mid: '1', stream: 'camera' },
    );
  }

  published(r: RoomRef, p: PartRef, t: TrackRef, event = 'track_published'): string {
    return this.push({
      event,
      room: new Room({ sid: r.sid, name: r.name }),
      participant: new ParticipantInfo({ sid: p.sid, identity: p.identity }),
      track: this.track(t),
    });
  }

  unpublished(r: RoomRef, p: PartRef, t: TrackRef): string {
    return this.published(r, p, t, 'track_unpublished');
  }

  egressInfo(e: EgressRef, status: EgressStatus, extra: Partial<EgressInfo> = {}): EgressInfo {
    const ns = (s: number) => BigInt(s) * 1_000_000_000n + 862113475n;
    const active = status !== EgressStatus.EGRESS_STARTING;
    return new EgressInfo({
      egressId: e.egressId,
      roomId: e.room.sid,
      roomName: e.room.name,
      status,
      ...(active ? { startedAt: ns(e.startedAt) } : {}),
      updatedAt: ns(this.now),
      request: {
        case: 'roomComposite',
        value: new RoomCompositeEgressRequest({
          roomName: e.room.name,
          layout: 'grid',
          options: { case: 'preset', value: 0 },
        }),
      },
      ...extra,
    });
  }

  egress(
    e: EgressRef,
    event: 'egress_started' | 'egress_updated' | 'egress_ended',
    status: EgressStatus,
    extra: Partial<EgressInfo> = {},
  ): string {
    return this.push({
      event,
      room: new Room({ sid: e.room.sid, name: e.room.name }),
      egressInfo: this.egressInfo(e, status, extra),
    });
  }

  /** A completed file: in `fileResults` and the deprecated `result.file`, or (`legacyOnly`) only there (node-sdks#625). */
  egressCompleted(e: EgressRef, legacyOnly = false): string {
    const ns = (s: number) => BigInt(s) * 1_000_000_000n + 862113475n;
    const file = new FileInfo({
      filename: `${e.room.name}/${e.egressId}.mp4`,
      startedAt: ns(e.startedAt),
      endedAt: ns(this.now),
      duration: BigInt(this.now - e.startedAt) * 1_000_000_000n,
      size: 31457280n,
      location: `https://openvidu.s3.amazonaws.com/${e.room.name}/${e.egressId}.mp4`,
    });
    return this.egress(e, 'egress_ended', EgressStatus.EGRESS_COMPLETE, {
      endedAt: ns(this.now),
      fileResults: legacyOnly ? [] : [file],
      result: { case: 'file', value: file },
      details: 'End reason: Source closed',
    });
  }

  ingress(
    roomName: string,
    ingressId: string,
    event: 'ingress_started' | 'ingress_ended',
    status: IngressState_Status,
  ): string {
    return this.push({
      event,
      room: new Room({ name: roomName }),
      ingressInfo: new IngressInfo({
        ingressId,
        name: 'lobby-camera',
        url: 'rtsp://cam.example.org/stream1',
        inputType: IngressInput.URL_INPUT,
        roomName,
        participantIdentity: 'lobby-camera',
        state: new IngressState({ status, startedAt: BigInt(this.now) * 1_000_000_000n }),
        enabled: true,
      }),
    });
  }
}
