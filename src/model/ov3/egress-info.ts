/**
 * `EgressInfo` and `IngressInfo` as the LiveKit Egress and Ingress services report them (livekit/egress
 * `pkg/config/pipeline.go`, `output.go`, `pkg/pipeline/controller.go`; livekit/protocol `livekit/livekit_egress.go`):
 * - an egress is created `EGRESS_STARTING` with `startedAt` = `updatedAt` = the request instant, its file already
 *   named in `fileResults` and in the deprecated `result.file` (the same `FileInfo`);
 * - `EGRESS_ACTIVE` when its pipeline starts (the file's `startedAt`), `EGRESS_ENDING` with `details: "End reason:
 *   …"` when it is stopped or its room goes, then `EGRESS_COMPLETE` with `endedAt`, the file's size, duration and
 *   location — or `EGRESS_FAILED`, `EGRESS_ABORTED` (stopped before its pipeline started: 412) or
 *   `EGRESS_LIMIT_REACHED` (413);
 * - every time is in nanoseconds.
 * An OpenVidu 2 recording is a room-composite egress (OpenVidu 3 records rooms; INDIVIDUAL has no egress of its
 * own), a broadcast a room-composite stream egress to RTMP, an IP camera an URL ingress.
 */
import type { BroadcastFacts, ConnectionFacts, LivekitEgressFacts, RecordingFacts } from '../entities.js';
import type { EgressInfo, FileInfo } from '../livekit/egress.js';
import type { EgressStatusName } from '../livekit/enums.js';
import type { RoomCompositeEgressRequest } from '../livekit/egress-requests.js';
import type { IngressInfo } from '../livekit/ingress.js';
import type { TrackInfo } from '../livekit/models.js';

/** The bucket OpenVidu 3 stores recordings in. */
const BUCKET_URL = 'http://minio:9000/openvidu-appdata';

/** Virtual ms with the egress's sub-millisecond part, in ns. */
export function nanos(ms: number, lk: LivekitEgressFacts): bigint {
  return BigInt(ms) * 1_000_000n + BigInt(lk.nanos);
}

/** What the renderer knows of an egress as it goes. */
export interface EgressProgress {
  readonly lk: LivekitEgressFacts;
  readonly roomSid: string;
  readonly roomName: string;
  /** The request instant, ms. */
  readonly requestedAt: number;
  /** When its pipeline started (ACTIVE), ms. */
  activeAt: number | undefined;
  /** `details` once it is ending. */
  details: string | undefined;
}

/** The file a recording's egress writes, as OpenVidu Meet names it: `recordings/<room>/<room>--<uid>.mp4`. */
export function recordingFilename(room: string, lk: LivekitEgressFacts): string {
  return `recordings/${room}/${room}--${lk.uid}.mp4`;
}

/** The room-composite request of an OpenVidu 2 recording's properties. */
export function recordingRequest(r: RecordingFacts, room: string): RoomCompositeEgressRequest {
  const p = r.props;
  const layout =
    p.recordingLayout === 'BEST_FIT'
      ? 'grid'
      : p.recordingLayout === 'CUSTOM'
        ? (p.customLayout ?? 'grid')
        : 'speaker';
  const [width, height] = p.resolution.split('x').map(Number) as [number, number];
  const filepath = recordingFilename(room, r.livekit!);
  const request: RoomCompositeEgressRequest = {
    roomName: room,
    layout,
    audioOnly: !p.hasVideo,
    videoOnly: !p.hasAudio,
    fileOutputs: [{ fileType: p.hasVideo ? 'MP4' : 'OGG', filepath }],
  };
  if (!p.hasVideo) return request;
  const preset =
    p.frameRate <= 30 && width === 1280 && height === 720
      ? 'H264_720P_30'
      : p.frameRate <= 30 && width === 1920 && height === 1080
        ? 'H264_1080P_30'
        : undefined;
  return {
    ...request,
    options:
      preset !== undefined
        ? { case: 'preset', value: preset }
        : { case: 'advanced', value: { width, height, framerate: p.frameRate } },
  };
}

/** The room-composite stream request of a broadcast. */
export function broadcastRequest(b: BroadcastFacts, room: string): RoomCompositeEgressRequest {
  return {
    roomName: room,
    layout: 'grid',
    streamOutputs: [{ protocol: 'RTMP', urls: [b.url] }],
    options: { case: 'preset', value: 'H264_720P_30' },
  };
}

export interface EgressUpdate {
  readonly status: EgressStatusName;
  /** ms of this update. */
  readonly at: number;
  readonly request: RoomCompositeEgressRequest;
  /** A recording's file (absent for a broadcast). */
  readonly file?: { readonly filename: string; readonly size: number; readonly durationS: number };
  /** A broadcast's stream (absent for a recording). */
  readonly streamUrl?: string;
  readonly error?: { readonly message: string; readonly code?: number };
  /** Egresses that fill only the deprecated `result.file` (livekit/node-sdks#625). */
  readonly legacyOnly?: boolean;
}

/** The `EgressInfo` of one update. */
export function egressInfo(e: EgressProgress, u: EgressUpdate): EgressInfo {
  const lk = e.lk;
  const ended =
    u.status === 'EGRESS_COMPLETE' ||
    u.status === 'EGRESS_FAILED' ||
    u.status === 'EGRESS_ABORTED' ||
    u.status === 'EGRESS_LIMIT_REACHED';
  const info: EgressInfo = {
    egressId: lk.egressId,
    roomId: e.roomSid,
    roomName: e.roomName,
    status: u.status,
    startedAt: nanos(e.requestedAt, lk),
    ...(ended ? { endedAt: nanos(u.at, lk) } : {}),
    updatedAt: nanos(u.at, lk),
    request: { case: 'roomComposite', value: u.request },
    ...(u.error
      ? { error: u.error.message, ...(u.error.code !== undefined ? { errorCode: u.error.code } : {}) }
      : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
  if (u.file !== undefined) {
    const file = fileInfo(e, u, ended);
    return {
      ...info,
      ...(u.legacyOnly && ended ? {} : { fileResults: [file] }),
      result: { case: 'file', value: file },
    };
  }
  if (u.streamUrl !== undefined) {
    const activeAt = e.activeAt === undefined ? undefined : nanos(e.activeAt, lk);
    const stream = {
      url: u.streamUrl,
      ...(activeAt !== undefined ? { startedAt: activeAt } : {}),
      ...(ended && activeAt !== undefined
        ? { endedAt: nanos(u.at, lk), duration: nanos(u.at, lk) - activeAt }
        : {}),
      ...(ended ? { status: 'FINISHED' as const } : {}),
    };
    return { ...info, streamResults: [stream], result: { case: 'stream', value: { info: [stream] } } };
  }
  return info;
}

function fileInfo(e: EgressProgress, u: EgressUpdate, ended: boolean): FileInfo {
  const file = u.file!;
  const started = e.activeAt ?? (ended ? u.at : undefined);
  const out: FileInfo = { filename: file.filename };
  if (started === undefined) return out;
  const startedAt = nanos(started, e.lk);
  if (!ended) return { ...out, startedAt };
  const endedAt = nanos(u.at, e.lk);
  const complete = u.status === 'EGRESS_COMPLETE';
  return {
    ...out,
    startedAt,
    endedAt,
    duration: complete ? BigInt(Math.round(file.durationS * 1e9)) : endedAt - startedAt,
    ...(complete ? { size: file.size, location: `${BUCKET_URL}/${file.filename}` } : {}),
  };
}

/** The `IngressInfo` of an IP camera: an URL input publishing into the room as participant `c`. */
export function ingressInfo(
  c: ConnectionFacts,
  roomSid: string,
  roomName: string,
  tracks: readonly TrackInfo[],
  at: number,
  ended: boolean,
): IngressInfo {
  const ingressId = c.livekit!.ingressId!;
  const video = tracks.find((t) => t.type === 'VIDEO');
  const startedAt = BigInt(c.joinedAt) * 1_000_000n;
  return {
    ingressId,
    name: c.livekit!.identity,
    url: c.ipcam!.rtspUri,
    inputType: 'URL_INPUT',
    enableTranscoding: true,
    audio: { source: 'MICROPHONE' },
    video: { source: 'CAMERA' },
    roomName,
    participantIdentity: c.livekit!.identity,
    participantName: c.serverData ?? c.livekit!.identity,
    state: {
      status: ended ? 'ENDPOINT_COMPLETE' : 'ENDPOINT_PUBLISHING',
      video: {
        mimeType: 'video/H264',
        width: video?.width ?? 1280,
        height: video?.height ?? 720,
        framerate: 30,
      },
      audio: { mimeType: 'audio/opus', channels: 2, sampleRate: 48000 },
      roomId: roomSid,
      startedAt,
      ...(ended ? { endedAt: BigInt(at) * 1_000_000n } : {}),
      updatedAt: BigInt(at) * 1_000_000n,
      ...(ended ? {} : { tracks }),
    },
  };
}
