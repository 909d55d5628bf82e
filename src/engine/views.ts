/**
 * Read-only projections of a world for the edges: a plain-data snapshot (the server's state, the page) and the
 * detailed views the fake OpenVidu REST API answers from. Copies, never the records themselves.
 */
import type { Edition } from '../model/profile.js';
import type {
  ConnectionFacts,
  OutputMode,
  RecordingMode,
  RecordingProps,
  RecordingStatus,
} from '../model/entities.js';
import { loadOfNode } from './machines/cluster.js';
import { DEFAULT_RECORDING } from './machines/recording.js';
import type { ConnectionRecord, Partition, RecordingRecord, SessionRecord } from './records.js';
import type { World } from './world.js';

/** What is alive in an {@link Engine} at one instant: sessions, participants, streams, recordings (and Pro nodes). */
export interface EngineSnapshot {
  readonly now: number;
  readonly stopped: boolean;
  readonly edition: Edition;
  readonly clusterId: string | null;
  readonly mediaNodes: ReadonlyArray<{
    readonly handle: string;
    readonly id: string;
    readonly ip: string;
    readonly status: string;
    readonly crashed: boolean;
    /** Percent. */
    readonly load: number;
    readonly sessions: readonly string[];
  }>;
  readonly masterNodes: ReadonlyArray<{
    readonly handle: string;
    readonly nodeId: string;
    readonly ip: string;
  }>;
  readonly sessions: ReadonlyArray<{
    readonly handle: string;
    readonly sessionId: string;
    readonly uniqueSessionId: string;
    readonly createdAt: number;
    readonly recordingMode: string;
    readonly active: boolean;
    readonly autostopArmed: boolean;
    readonly mediaNode: string | null;
    readonly broadcasting: boolean;
    readonly participants: ReadonlyArray<{
      readonly handle: string;
      readonly connectionId: string;
      readonly joinedAt: number;
      readonly type: 'WEBRTC' | 'IPCAM';
      readonly role: string;
      readonly clientData: string;
      readonly platform: string;
      readonly stream: {
        readonly streamId: string;
        readonly createdAt: number;
        readonly videoSource: string | null;
        readonly audio: boolean;
        readonly video: boolean;
      } | null;
      readonly subscribedTo: readonly string[];
    }>;
    readonly recordings: ReadonlyArray<{
      readonly handle: string;
      readonly id: string;
      readonly status: string;
      readonly outputMode: OutputMode;
      readonly createdAt: number;
    }>;
  }>;
}

/** A live session as the OpenVidu REST API shows it. */
export interface SessionDetail {
  readonly handle: string;
  readonly sessionId: string;
  readonly createdAt: number;
  readonly recordingMode: RecordingMode;
  /** The session's default recording properties, OpenVidu's defaults filled in. */
  readonly defaultRecording: RecordingProps;
  /** The recording in progress (starting or started). */
  readonly recording: RecordingDetail | undefined;
  readonly broadcasting: boolean;
  /** Pro: the media node hosting the session (chosen at its first join). */
  readonly mediaNodeId: string | undefined;
  /** Connected participants in join order. */
  readonly connections: readonly ConnectionDetail[];
}

/** A connected participant (an `active` connection): the participant's own fields, as the engine keeps them. */
export interface ConnectionDetail extends Pick<
  ConnectionFacts,
  'handle' | 'connectionId' | 'location' | 'ip' | 'platform' | 'clientData' | 'serverData' | 'role' | 'ipcam'
> {
  readonly type: 'WEBRTC' | 'IPCAM';
  /** `activeAt`, ms since the epoch. */
  readonly joinedAt: number;
  readonly stream:
    | {
        readonly streamId: string;
        readonly createdAt: number;
        readonly videoSource: string | null;
        readonly audio: boolean;
        readonly video: boolean;
        readonly frameRate: number | null;
        /** `{"width":…,"height":…}` as openvidu-browser sends it, or null. */
        readonly dimensions: string | null;
      }
    | undefined;
  /** Streams this participant receives. */
  readonly subscriptions: ReadonlyArray<{ readonly streamId: string; readonly createdAt: number }>;
}

/** A recording the engine still tracks. */
export interface RecordingDetail {
  readonly handle: string;
  readonly id: string;
  readonly sessionId: string;
  readonly props: RecordingProps;
  readonly createdAt: number;
  readonly status: RecordingStatus;
  readonly mediaNodeId: string | undefined;
}

export function sessionDetail(s: SessionRecord): SessionDetail {
  return {
    handle: s.handle,
    sessionId: s.sessionId,
    createdAt: s.createdAt,
    recordingMode: s.recordingMode,
    defaultRecording: { ...DEFAULT_RECORDING, ...s.defaultRecording },
    recording: s.recording ? recordingDetail(s.recording) : undefined,
    broadcasting: s.broadcast !== undefined,
    mediaNodeId: s.node?.id,
    connections: s.connections.map(connectionDetail),
  };
}

function connectionDetail(c: ConnectionRecord): ConnectionDetail {
  return {
    handle: c.handle,
    connectionId: c.connectionId,
    type: c.ipcam ? 'IPCAM' : 'WEBRTC',
    joinedAt: c.joinedAt,
    location: c.location,
    ip: c.ip,
    platform: c.platform,
    clientData: c.clientData,
    serverData: c.serverData,
    role: c.role,
    ipcam: c.ipcam,
    stream: c.stream
      ? {
          streamId: c.stream.streamId,
          createdAt: c.stream.createdAt,
          videoSource: c.stream.videoSource ?? null,
          audio: c.stream.audio,
          video: c.stream.video,
          frameRate: c.stream.frameRate,
          dimensions: c.stream.dimensions,
        }
      : undefined,
    subscriptions: c.subscriptions.map((i) => ({ streamId: i.stream.streamId, createdAt: i.createdAt })),
  };
}

export function recordingDetail(r: RecordingRecord): RecordingDetail {
  return {
    handle: r.handle,
    id: r.id,
    sessionId: r.session.sessionId,
    props: r.props,
    createdAt: r.createdAt,
    status: r.status,
    mediaNodeId: r.mediaNodeId,
  };
}

/** A plain-data view of the world as seen from partition `p` (a scripted or live run's only one). */
export function snapshotOf(world: World, p: Partition): EngineSnapshot {
  const cluster = world.cluster;
  return {
    now: p.clock,
    stopped: p.stopped,
    edition: world.settings.edition,
    clusterId: cluster?.clusterId ?? null,
    mediaNodes: [...(cluster?.nodes.values() ?? [])].map((n) => ({
      handle: n.handle,
      id: n.id,
      ip: n.ip,
      status: n.status,
      crashed: n.crashed,
      load: loadOfNode(n),
      sessions: [...n.sessions].map((x) => x.handle),
    })),
    masterNodes: [...(world.masterNodes?.values() ?? [])].map((m) => ({
      handle: m.handle,
      nodeId: m.nodeId,
      ip: m.ip,
    })),
    sessions: [...p.sessions.values()].map((s) => ({
      handle: s.handle,
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      createdAt: s.createdAt,
      recordingMode: s.recordingMode,
      active: s.status === 'active',
      autostopArmed: s.autostop !== undefined,
      participants: s.connections.map((c) => ({
        handle: c.handle,
        connectionId: c.connectionId,
        joinedAt: c.joinedAt,
        type: c.ipcam ? ('IPCAM' as const) : ('WEBRTC' as const),
        role: c.role,
        clientData: c.clientData,
        platform: c.platform,
        stream: c.stream
          ? {
              streamId: c.stream.streamId,
              createdAt: c.stream.createdAt,
              videoSource: c.stream.videoSource ?? null,
              audio: c.stream.audio,
              video: c.stream.video,
            }
          : null,
        subscribedTo: c.subscriptions.map((i) => i.stream.owner.handle),
      })),
      mediaNode: s.node?.handle ?? null,
      broadcasting: s.broadcast !== undefined,
      recordings: [...(s.recording ? [s.recording] : []), ...s.processing].map((r) => ({
        handle: r.handle,
        id: r.id,
        status: r.status,
        outputMode: r.props.outputMode,
        createdAt: r.createdAt,
      })),
    })),
  };
}
