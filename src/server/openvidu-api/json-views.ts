/**
 * The JSON objects of OpenVidu 2.x's REST API (Session, Connection, Recording, Media Node, Token), built from the
 * engine's live state and the REST layer's own records, with the keys, nulls and order of OpenVidu 2.32.1's
 * `toJson()` methods (each function names its source). Numbers Java holds as doubles are `JavaDouble`s; the
 * router writes these objects with `javaJson`.
 */
import type {
  ConnectionDetail,
  EngineSnapshot,
  RecordingDetail,
  SessionDetail,
} from '../../engine/engine.js';
import type { Edition } from '../../model/profile.js';
import { JavaDouble } from './java-json.js';
import { recordingUrl } from './recording-files.js';
import type { StoredRecording } from '../recording-storage.js';
import type { RestConnection, RestSessionProps, RestWorld } from './rest-world.js';
import { endpointStats } from './webrtc-stats.js';

/** OpenVidu's default `shmSize` of composed recordings, bytes (512 MB). */
export const DEFAULT_SHM_SIZE = 536_870_912;

export interface ViewContext {
  readonly world: RestWorld;
  readonly edition: Edition;
  /** The REST API's clock (the simulation's virtual time). */
  readonly now: number;
  /** `OpenviduConfig.getFinalUrl()`: the base of recording URLs, with its final `/`. */
  readonly finalUrl: string;
  /** The private IP of a media node by id (Pro), for ICE candidates. */
  readonly nodeIp: (nodeId: string) => string | undefined;
}

function isComposedVideo(outputMode: string, hasVideo: boolean): boolean {
  return outputMode !== 'INDIVIDUAL' && hasVideo;
}

/** `RecordingProperties.toJson()` (openvidu-java-client) of a session's default recording properties. */
function defaultRecordingJson(
  s: SessionDetail,
  props: RestSessionProps | undefined,
): Record<string, unknown> {
  const d = s.defaultRecording;
  const json: Record<string, unknown> = {
    name: d.name ?? '',
    hasAudio: d.hasAudio,
    hasVideo: d.hasVideo,
    outputMode: d.outputMode,
  };
  if (isComposedVideo(d.outputMode, d.hasVideo)) {
    json['recordingLayout'] = d.recordingLayout;
    json['resolution'] = d.resolution;
    json['frameRate'] = d.frameRate;
    json['shmSize'] = props?.shmSize ?? DEFAULT_SHM_SIZE;
    if (d.recordingLayout === 'CUSTOM') json['customLayout'] = d.customLayout ?? '';
  }
  if (d.outputMode === 'INDIVIDUAL') json['ignoreFailedStreams'] = props?.ignoreFailedStreams ?? false;
  return json;
}

/**
 * `Session.toJson(withPendingConnections, withWebrtcStats)` with `SessionProperties.toJson()`'s keys inlined, and
 * `KurentoSession.toJson`'s `mediaNodeId` (Pro only: CE's `addMediaNodeInfoToSessionEntity()` is false).
 */
export function sessionJson(
  ctx: ViewContext,
  s: SessionDetail,
  pending: boolean,
  stats = false,
): Record<string, unknown> {
  const props = ctx.world.sessionProps.get(s.sessionId);
  const connections = connectionsOf(ctx, s, pending, stats);
  const json: Record<string, unknown> = {
    id: s.sessionId,
    object: 'session',
    sessionId: s.sessionId,
    createdAt: s.createdAt,
    // RecordingManager.sessionIsBeingRecorded: starting or started.
    recording: s.recording !== undefined,
    broadcasting: s.broadcasting,
    mediaMode: props?.mediaMode ?? 'ROUTED',
    recordingMode: s.recordingMode,
    defaultRecordingProperties: defaultRecordingJson(s, props),
    // "" unless one was asked for (SessionProperties' default); a scenario's own session ids count as asked for.
    customSessionId: props?.customSessionId ?? (s.sessionId.startsWith('ses_') ? '' : s.sessionId),
  };
  if (props?.mediaNode !== undefined) json['mediaNode'] = { id: props.mediaNode };
  json['forcedVideoCodec'] = props?.forcedVideoCodec ?? 'MEDIA_SERVER_PREFERRED';
  json['allowTranscoding'] = props?.allowTranscoding ?? false;
  json['connections'] = { numberOfElements: connections.length, content: connections };
  if (ctx.edition !== 'ce' && s.mediaNodeId !== undefined) json['mediaNodeId'] = s.mediaNodeId;
  return json;
}

/** `Session.getSnapshotOfConnectionsAsJsonArray`: active connections (join order here), then pending ones. */
export function connectionsOf(
  ctx: ViewContext,
  s: SessionDetail,
  pending: boolean,
  stats = false,
): Record<string, unknown>[] {
  const out = s.connections.map((c) =>
    activeConnectionJson(ctx, s, c, ctx.world.connections.get(c.connectionId), stats),
  );
  if (pending) {
    for (const c of ctx.world.connections.values()) {
      if (c.sessionHandle === s.handle && c.status === 'pending') out.push(pendingConnectionJson(c));
    }
  }
  return out;
}

/** `KurentoOptions.toJson()`: only the options set, `allowedFilters` only when not empty. */
function kurentoOptionsJson(raw: Readonly<Record<string, unknown>> | null): Record<string, unknown> | null {
  if (raw === null) return null;
  const json: Record<string, unknown> = {};
  for (const key of [
    'videoMaxRecvBandwidth',
    'videoMinRecvBandwidth',
    'videoMaxSendBandwidth',
    'videoMinSendBandwidth',
  ]) {
    if (typeof raw[key] === 'number') json[key] = Math.trunc(raw[key]);
  }
  const filters = raw['allowedFilters'];
  if (Array.isArray(filters) && filters.length > 0) json['allowedFilters'] = filters.map(String);
  return json;
}

/** `IceServerProperties.toJson()`: url, then username and credential when not empty. */
function iceServersJson(list: readonly unknown[]): Record<string, unknown>[] {
  return list.map((x) => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    const json: Record<string, unknown> = { url: o['url'] ?? null };
    if (typeof o['username'] === 'string' && o['username'] !== '') json['username'] = o['username'];
    if (typeof o['credential'] === 'string' && o['credential'] !== '') json['credential'] = o['credential'];
    return json;
  });
}

/**
 * `Token.getConnectionPropertiesWithFinalJsonFormat()`: `ConnectionProperties.toJson` without `session`, its
 * `data` moved to the end as `serverData`.
 */
function connectionPropertiesJson(
  type: 'WEBRTC' | 'IPCAM',
  rest: RestConnection | undefined,
  c: ConnectionDetail | undefined,
): Record<string, unknown> {
  const cam = c?.ipcam;
  const webrtc = type === 'WEBRTC';
  return {
    type,
    record: rest?.record ?? true,
    role: webrtc ? (rest?.role ?? c?.role ?? 'PUBLISHER') : null,
    kurentoOptions: webrtc ? kurentoOptionsJson(rest?.kurentoOptions ?? null) : null,
    customIceServers: webrtc ? iceServersJson(rest?.customIceServers ?? []) : [],
    rtspUri: cam?.rtspUri ?? null,
    adaptativeBitrate: cam?.adaptativeBitrate ?? null,
    onlyPlayWithSubscribers: cam?.onlyPlayWithSubscribers ?? null,
    networkCache: cam?.networkCache ?? null,
    serverData: rest?.serverData ?? c?.serverData ?? null,
  };
}

type StreamDetail = NonNullable<ConnectionDetail['stream']>;

/** `MediaOptions.toJson()` + `KurentoMediaOptions.toJson()` (the IP camera options only when set). */
function mediaOptionsJson(stream: StreamDetail, cam: ConnectionDetail['ipcam']): Record<string, unknown> {
  const json: Record<string, unknown> = { hasAudio: stream.audio };
  if (stream.audio) json['audioActive'] = true;
  json['hasVideo'] = stream.video;
  if (stream.video) {
    json['videoActive'] = true;
    json['typeOfVideo'] = stream.videoSource;
    json['frameRate'] = stream.frameRate;
    json['videoDimensions'] = stream.dimensions;
  }
  json['filter'] = {};
  if (cam) {
    json['adaptativeBitrate'] = cam.adaptativeBitrate;
    json['onlyPlayWithSubscribers'] = cam.onlyPlayWithSubscribers;
    json['networkCache'] = cam.networkCache;
  }
  return json;
}

/** The server side of ICE: the session's media node in Pro, the REST world's server otherwise. */
function serverAddress(ctx: ViewContext, s: SessionDetail) {
  const nodeIp = s.mediaNodeId === undefined ? undefined : ctx.nodeIp(s.mediaNodeId);
  return { privateIp: nodeIp ?? ctx.world.server.privateIp, publicIp: ctx.world.server.publicIp };
}

/** `withStatsToJson()`'s first keys of one endpoint (`MediaEndpoint.withStatsToJson`). */
function statsOf(
  ctx: ViewContext,
  s: SessionDetail,
  kind: 'publisher' | 'subscriber',
  name: string,
  createdAt: number,
  stream: StreamDetail | undefined,
  clientIp: string | null,
  player: boolean,
): Record<string, unknown> {
  const codec = ctx.world.sessionProps.get(s.sessionId)?.forcedVideoCodec ?? 'MEDIA_SERVER_PREFERRED';
  return endpointStats({
    kind,
    name,
    createdAt,
    now: ctx.now,
    audio: stream?.audio ?? true,
    video: stream?.video ?? true,
    codec,
    clientIp,
    server: serverAddress(ctx, s),
    player,
    uniqueSessionId: `${s.sessionId}_${s.createdAt}`,
  });
}

/** `PublisherEndpoint.toJson()` (or `withStatsToJson()`, whose keys come first and keep `createdAt`'s slot). */
function publisherJson(
  ctx: ViewContext,
  s: SessionDetail,
  c: ConnectionDetail,
  stats: boolean,
): Record<string, unknown> {
  const stream = c.stream as StreamDetail;
  const own: Record<string, unknown> = { createdAt: stream.createdAt, streamId: stream.streamId };
  if (c.ipcam) own['rtspUri'] = c.ipcam.rtspUri;
  own['mediaOptions'] = mediaOptionsJson(stream, c.ipcam);
  if (!stats) return own;
  return {
    ...statsOf(ctx, s, 'publisher', stream.streamId, stream.createdAt, stream, c.ip, c.ipcam !== undefined),
    ...own,
  };
}

/** `SubscriberEndpoint.toJson()`: createdAt, streamId (with stats, `withStatsToJson()` first). */
function subscriberJson(
  ctx: ViewContext,
  s: SessionDetail,
  c: ConnectionDetail,
  x: ConnectionDetail['subscriptions'][number],
  stats: boolean,
): Record<string, unknown> {
  const own = { createdAt: x.createdAt, streamId: x.streamId };
  if (!stats) return own;
  const stream = s.connections.find((p) => p.stream?.streamId === x.streamId)?.stream;
  return {
    ...statsOf(ctx, s, 'subscriber', `${c.connectionId}_${x.streamId}`, x.createdAt, stream, c.ip, false),
    ...own,
  };
}

/** `Participant.toJson()` + `KurentoParticipant.sharedJson`: a connection taken by a client or an IP camera. */
export function activeConnectionJson(
  ctx: ViewContext,
  s: SessionDetail,
  c: ConnectionDetail,
  rest: RestConnection | undefined,
  stats = false,
): Record<string, unknown> {
  return {
    id: c.connectionId,
    object: 'connection',
    status: 'active',
    connectionId: c.connectionId,
    sessionId: s.sessionId,
    createdAt: rest?.createdAt ?? c.joinedAt,
    activeAt: c.joinedAt,
    location: c.location,
    ip: c.ip,
    platform: c.platform,
    token: rest?.token ?? null,
    ...connectionPropertiesJson(c.type, rest, c),
    clientData: c.clientData,
    publishers: c.stream ? [publisherJson(ctx, s, c, stats)] : [],
    subscribers: c.subscriptions.map((x) => subscriberJson(ctx, s, c, x, stats)),
  };
}

/** `Token.toJsonAsParticipant()`: a connection no client has taken yet. */
export function pendingConnectionJson(c: RestConnection): Record<string, unknown> {
  return {
    id: c.connectionId,
    object: 'connection',
    status: 'pending',
    connectionId: c.connectionId,
    sessionId: c.sessionId,
    createdAt: c.createdAt,
    ...connectionPropertiesJson(c.type, c, undefined),
    token: c.token,
    activeAt: null,
    location: null,
    ip: null,
    platform: null,
    clientData: null,
    publishers: null,
    subscribers: null,
  };
}

/** `Token.toJson()`: the legacy answer of `POST /tokens` (no `record`; `kurentoOptions` only when set). */
export function tokenJson(c: RestConnection): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: c.token,
    token: c.token,
    createdAt: c.createdAt,
    connectionId: c.connectionId,
    session: c.sessionId,
    data: c.serverData,
    role: c.role,
  };
  if (c.kurentoOptions !== null) json['kurentoOptions'] = kurentoOptionsJson(c.kurentoOptions);
  return json;
}

/** `Recording.toJson(false)` (openvidu-server) from the engine's live record and the last event seen. */
export function recordingJson(
  ctx: ViewContext,
  live: RecordingDetail | undefined,
  stored: StoredRecording | undefined,
): Record<string, unknown> {
  const id = live?.id ?? stored?.id ?? '';
  const p = live?.props;
  const outputMode = p?.outputMode ?? stored?.outputMode ?? 'COMPOSED';
  const hasAudio = p?.hasAudio ?? stored?.hasAudio ?? true;
  const hasVideo = p?.hasVideo ?? stored?.hasVideo ?? true;
  const name = p ? (p.name ?? id) : (stored?.name ?? id);
  const json: Record<string, unknown> = { id, object: 'recording', name, outputMode };
  if (isComposedVideo(outputMode, hasVideo)) {
    const layout = p?.recordingLayout ?? stored?.recordingLayout ?? 'BEST_FIT';
    json['resolution'] = p?.resolution ?? stored?.resolution ?? '1280x720';
    json['frameRate'] = p?.frameRate ?? stored?.frameRate ?? 25;
    json['recordingLayout'] = layout;
    if (layout === 'CUSTOM') json['customLayout'] = p?.customLayout ?? stored?.customLayout ?? '';
  }
  const sessionId = live?.sessionId ?? stored?.sessionId ?? '';
  json['sessionId'] = sessionId;
  const node = live?.mediaNodeId ?? stored?.mediaNodeId;
  if (ctx.edition !== 'ce' && node !== undefined) json['mediaNode'] = node;
  const createdAt = live?.createdAt ?? stored?.createdAt ?? 0;
  json['createdAt'] = createdAt;
  // While the engine still tracks it, its status is the engine's (`starting` has no event); size and duration are
  // the last event's (0 until `ready`).
  const status = live?.status ?? stored?.status ?? 'starting';
  const final = status === 'ready' || status === 'failed';
  const duration = final ? (stored?.duration ?? 0) : 0;
  json['size'] = final ? (stored?.size ?? 0) : 0;
  json['duration'] = new JavaDouble(duration);
  json['url'] = recordingUrl(ctx.finalUrl, {
    id,
    name,
    sessionId,
    outputMode,
    hasVideo,
    createdAt,
    duration,
    status,
  });
  json['hasAudio'] = hasAudio;
  json['hasVideo'] = hasVideo;
  json['status'] = status;
  return json;
}

type SnapshotNode = EngineSnapshot['mediaNodes'][number];

/** The Media Node object (Pro; its Java is not open source: fields and order from OpenVidu's REST documentation). */
export function mediaNodeJson(
  ctx: ViewContext,
  n: SnapshotNode,
  sessions: readonly SessionDetail[],
  opts: { withSessions: boolean; withRecordings: boolean },
): Record<string, unknown> {
  const times = ctx.world.nodeTimes(n.id);
  const json: Record<string, unknown> = {
    id: n.id,
    object: 'mediaNode',
    environmentId: times?.environmentId ?? n.id.replace(/^(media|kms)_/, ''),
    ip: n.ip,
    uri: times?.uri ?? `ws://${n.ip}:8888/kurento`,
    launchingTime: times?.launchingTime ?? null,
    connected: !n.crashed && n.status !== 'launching' && n.status !== 'canceled' && n.status !== 'failed',
    connectionTime: times?.connectionTime ?? null,
  };
  if (n.crashed && times?.disconnectionTime !== undefined)
    json['disconnectionTime'] = times.disconnectionTime;
  json['load'] = new JavaDouble(Math.round(n.load * 100) / 100);
  json['status'] = n.status;
  const hosted = sessions.filter((s) => n.sessions.includes(s.handle));
  if (opts.withSessions) json['sessions'] = hosted.map((s) => sessionJson(ctx, s, false));
  if (opts.withRecordings) {
    json['recordingIds'] = hosted.flatMap((s) => (s.recording ? [s.recording.id] : []));
    json['broadcasts'] = hosted.filter((s) => s.broadcasting).map((s) => s.sessionId);
  }
  return json;
}
