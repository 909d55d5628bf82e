/**
 * The JSON objects of OpenVidu 2.x's REST API (Session, Connection, Recording, Media Node, Token), built from the
 * engine's live state and the REST layer's own records. Field names and presence follow OpenVidu 2.32's REST
 * documentation; `sessionId`/`connectionId` are written next to `id` because openvidu-node-client reads them.
 */
import type { ConnectionDetail, EngineSnapshot, RecordingDetail, SessionDetail } from '../../engine/engine.js';
import type { Edition } from '../../model/profile.js';
import type { RestConnection, RestSessionProps, RestWorld, StoredRecording } from './rest-world.js';

/** OpenVidu's default `shmSize` of composed recordings, bytes (512 MB). */
export const DEFAULT_SHM_SIZE = 536_870_912;

export interface ViewContext {
  readonly world: RestWorld;
  readonly edition: Edition;
}

function isComposedVideo(outputMode: string, hasVideo: boolean): boolean {
  return outputMode !== 'INDIVIDUAL' && hasVideo;
}

/** The Session object; `pending` adds pending connections (`?pendingConnections=true`). */
export function sessionJson(ctx: ViewContext, s: SessionDetail, pending: boolean): Record<string, unknown> {
  const props: RestSessionProps | undefined = ctx.world.sessionProps.get(s.sessionId);
  const connections = connectionsOf(ctx, s, pending);
  const d = s.defaultRecording;
  const defaultRecordingProperties: Record<string, unknown> = {
    name: d.name ?? '',
    hasAudio: d.hasAudio,
    hasVideo: d.hasVideo,
    outputMode: d.outputMode,
  };
  if (isComposedVideo(d.outputMode, d.hasVideo)) {
    defaultRecordingProperties['recordingLayout'] = d.recordingLayout;
    if (d.recordingLayout === 'CUSTOM') defaultRecordingProperties['customLayout'] = d.customLayout ?? '';
    defaultRecordingProperties['resolution'] = d.resolution;
    defaultRecordingProperties['frameRate'] = d.frameRate;
    defaultRecordingProperties['shmSize'] = props?.shmSize ?? DEFAULT_SHM_SIZE;
  }
  const json: Record<string, unknown> = {
    id: s.sessionId,
    object: 'session',
    sessionId: s.sessionId,
    createdAt: s.createdAt,
    mediaMode: props?.mediaMode ?? 'ROUTED',
    recordingMode: s.recordingMode,
    defaultRecordingProperties,
  };
  if (props?.customSessionId !== undefined) json['customSessionId'] = props.customSessionId;
  json['connections'] = { numberOfElements: connections.length, content: connections };
  json['recording'] = s.recording !== undefined && s.recording.status === 'started';
  json['broadcasting'] = s.broadcasting;
  json['forcedVideoCodec'] = props?.forcedVideoCodec ?? 'MEDIA_SERVER_PREFERRED';
  json['allowTranscoding'] = props?.allowTranscoding ?? false;
  if (ctx.edition !== 'ce' && s.mediaNodeId !== undefined) json['mediaNodeId'] = s.mediaNodeId;
  return json;
}

/** Active connections in join order, then (if asked) pending ones in creation order. */
export function connectionsOf(ctx: ViewContext, s: SessionDetail, pending: boolean): Record<string, unknown>[] {
  const out = s.connections.map((c) => activeConnectionJson(s, c, ctx.world.connections.get(c.connectionId)));
  if (pending) {
    for (const c of ctx.world.connections.values()) {
      if (c.sessionHandle === s.handle && c.status === 'pending') out.push(pendingConnectionJson(c));
    }
  }
  return out;
}

/** A connection taken by a client (or an IP camera), as OpenVidu shows it while active. */
export function activeConnectionJson(
  s: SessionDetail,
  c: ConnectionDetail,
  rest: RestConnection | undefined,
): Record<string, unknown> {
  const ipcam = c.ipcam;
  const stream = c.stream;
  return {
    id: c.connectionId,
    object: 'connection',
    type: c.type,
    status: 'active',
    sessionId: s.sessionId,
    createdAt: rest?.createdAt ?? c.joinedAt,
    activeAt: c.joinedAt,
    location: c.location,
    ip: c.ip,
    platform: c.platform,
    token: rest?.token ?? null,
    serverData: c.serverData,
    clientData: ipcam ? null : c.clientData,
    record: rest?.record ?? true,
    role: ipcam ? null : (rest?.role ?? c.role),
    kurentoOptions: ipcam ? null : (rest?.kurentoOptions ?? null),
    rtspUri: ipcam?.rtspUri ?? null,
    adaptativeBitrate: ipcam?.adaptativeBitrate ?? null,
    onlyPlayWithSubscribers: ipcam?.onlyPlayWithSubscribers ?? null,
    networkCache: ipcam?.networkCache ?? null,
    publishers: stream
      ? [
          {
            createdAt: stream.createdAt,
            streamId: stream.streamId,
            mediaOptions: {
              hasAudio: stream.audio,
              audioActive: stream.audio,
              hasVideo: stream.video,
              videoActive: stream.video,
              typeOfVideo: stream.videoSource,
              frameRate: stream.frameRate,
              videoDimensions: stream.dimensions,
              filter: {},
            },
          },
        ]
      : [],
    subscribers: c.subscriptions.map((x) => ({ streamId: x.streamId, createdAt: x.createdAt })),
    customIceServers: ipcam ? [] : [...(rest?.customIceServers ?? [])],
    connectionId: c.connectionId,
  };
}

/** A connection no client has taken yet. */
export function pendingConnectionJson(c: RestConnection): Record<string, unknown> {
  return {
    id: c.connectionId,
    object: 'connection',
    type: c.type,
    status: 'pending',
    sessionId: c.sessionId,
    createdAt: c.createdAt,
    activeAt: null,
    location: null,
    ip: null,
    platform: null,
    token: c.token,
    serverData: c.serverData,
    clientData: null,
    record: c.record,
    role: c.role,
    kurentoOptions: c.kurentoOptions,
    rtspUri: null,
    adaptativeBitrate: null,
    onlyPlayWithSubscribers: null,
    networkCache: null,
    publishers: [],
    subscribers: [],
    customIceServers: [...c.customIceServers],
    connectionId: c.connectionId,
  };
}

/** The legacy Token object of `POST /tokens`. */
export function tokenJson(c: RestConnection): Record<string, unknown> {
  return {
    id: c.token,
    token: c.token,
    connectionId: c.connectionId,
    createdAt: c.createdAt,
    session: c.sessionId,
    role: c.role,
    data: c.serverData,
    record: c.record,
    kurentoOptions: c.kurentoOptions,
  };
}

/** The Recording object from the engine's live record and the last event seen. */
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
  const json: Record<string, unknown> = {
    id,
    object: 'recording',
    name: p ? (p.name ?? id) : (stored?.name ?? id),
    outputMode,
    hasAudio,
    hasVideo,
  };
  if (isComposedVideo(outputMode, hasVideo)) {
    const layout = p?.recordingLayout ?? stored?.recordingLayout ?? 'BEST_FIT';
    json['resolution'] = p?.resolution ?? stored?.resolution ?? '1280x720';
    json['frameRate'] = p?.frameRate ?? stored?.frameRate ?? 25;
    json['recordingLayout'] = layout;
    if (layout === 'CUSTOM') json['customLayout'] = p?.customLayout ?? stored?.customLayout ?? '';
  }
  json['sessionId'] = live?.sessionId ?? stored?.sessionId;
  const node = live?.mediaNodeId ?? stored?.mediaNodeId;
  if (ctx.edition !== 'ce' && node !== undefined) json['mediaNode'] = node;
  json['createdAt'] = live?.createdAt ?? stored?.createdAt;
  // While the engine still tracks it, its status is the engine's (`starting` has no event); size and duration are
  // the last event's (0 until `ready`).
  const status = live?.status ?? stored?.status ?? 'starting';
  const final = status === 'ready' || status === 'failed';
  json['size'] = final ? (stored?.size ?? 0) : 0;
  json['duration'] = final ? (stored?.duration ?? 0) : 0;
  json['url'] = null;
  json['status'] = status;
  return json;
}

type SnapshotNode = EngineSnapshot['mediaNodes'][number];

/** The Media Node object; `withSessions`/`withRecordings` add what the query params ask for. */
export function mediaNodeJson(
  ctx: ViewContext,
  n: SnapshotNode,
  sessions: readonly SessionDetail[],
  opts: { withSessions: boolean; withRecordings: boolean },
): Record<string, unknown> {
  const times = ctx.world.nodes.get(n.id);
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
  if (n.crashed && times?.disconnectionTime !== undefined) json['disconnectionTime'] = times.disconnectionTime;
  json['load'] = Math.round(n.load * 100) / 100;
  json['status'] = n.status;
  const hosted = sessions.filter((s) => n.sessions.includes(s.handle));
  if (opts.withSessions) json['sessions'] = hosted.map((s) => sessionJson(ctx, s, false));
  if (opts.withRecordings) {
    json['recordingIds'] = hosted.flatMap((s) => (s.recording ? [s.recording.id] : []));
    json['broadcasts'] = hosted.filter((s) => s.broadcasting).map((s) => s.sessionId);
  }
  return json;
}
