/**
 * The entities of a simulated OpenVidu server as facts show them: what a wire renderer may read of a session, a
 * connection, a stream, a recording, a node. Only fields that never change once the entity exists — what changes
 * (a recording's status, a node's status) travels in the fact itself — so a renderer may read a fact after the
 * engine has moved on. The engine's records extend these with their mutable state.
 */

declare const brand: unique symbol;
/** A string that is one kind of id: a session id is not a connection id, though both are strings. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** OpenVidu's session id (`ses_…` or a custom id). */
export type SessionId = Brand<string, 'SessionId'>;
/** OpenVidu's connection id (`con_…`, `ipc_…`). */
export type ConnectionId = Brand<string, 'ConnectionId'>;
/** OpenVidu's stream id (`str_…`). */
export type StreamId = Brand<string, 'StreamId'>;
/** OpenVidu's recording id (the session id, then `…~1`, `…~2`). */
export type RecordingId = Brand<string, 'RecordingId'>;
/** A media node's id (`media_…`, `kms_…`). */
export type MediaNodeId = Brand<string, 'MediaNodeId'>;

import type { MEDIA_NODE_STATUSES, OutputMode } from './wire-values.js';

export type { OutputMode };

export type RecordingStatus = 'starting' | 'started' | 'stopped' | 'ready' | 'failed';
export type RecordingMode = 'MANUAL' | 'ALWAYS';
export type Role = 'PUBLISHER' | 'SUBSCRIBER' | 'MODERATOR';

export type NodeStatus = (typeof MEDIA_NODE_STATUSES)[number];

export interface RecordingProps {
  readonly name: string | undefined;
  readonly outputMode: OutputMode;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
  readonly resolution: string;
  readonly frameRate: number;
  readonly recordingLayout: string;
  readonly customLayout: string | undefined;
  /** How its processing ends: the file is `ready`, or the recording `failed`. */
  readonly outcome: 'ready' | 'failed' | 'limit-reached';
  /** Its recorder hung (OpenVidu#433): a REST stop fails with 500, and it ends `failed` when its session ends. */
  readonly stuck: boolean;
  /** How many times its `ready` is logged (OpenVidu#747); undefined: once, or 2–5 times in a Pro 2.22 world. */
  readonly readyCount: number | undefined;
}

/** The room behind a session on a LiveKit-based server (OpenVidu 3); drawn only there. */
export interface LivekitRoomFacts {
  /** `RM_` + 12 base57 characters. */
  readonly sid: string;
  /** `utils.RandomSecret()`: base62 of 32 random bytes, sent to webhooks in `Room.turnPassword`. */
  readonly turnPassword: string;
}

/** A participant on a LiveKit-based server. */
export interface LivekitParticipantFacts {
  /** `PA_` + 12 base57 characters: a new one at every (re)connection. */
  readonly sid: string;
  /** The identity of its token (the same across reconnections). */
  readonly identity: string;
  /** An IP camera is an ingress (`IN_…`) publishing as a participant of kind INGRESS. */
  readonly ingressId: string | undefined;
}

/** One published track on a LiveKit-based server. */
export interface LivekitTrackFacts {
  /** `TR_` + 12 base57 characters. */
  readonly sid: string;
  /** The client's track id (`cid`), a MediaStreamTrack UUID. */
  readonly cid: string;
  /** The SDP media id. */
  readonly mid: string;
  /** Sub-millisecond microseconds of the track's `version.unixMicro`, in [0, 1000). */
  readonly micros: number;
  /** The SSRC of each simulcast layer (video) or of the track (audio). */
  readonly ssrcs: readonly number[];
}

/** A stream's tracks on a LiveKit-based server: one per kind. */
export interface LivekitStreamFacts {
  readonly audio: LivekitTrackFacts | undefined;
  readonly video: LivekitTrackFacts | undefined;
}

/** A recording or a broadcast on a LiveKit-based server: an egress, whose recorder joins as a participant. */
export interface LivekitEgressFacts {
  /** `EG_` + 12 base57 characters (also the recorder participant's identity). */
  readonly egressId: string;
  /** The recorder participant's `PA_` sid (composite egresses). */
  readonly recorderSid: string;
  /** Random part of the file name (`<room>--<uid>.mp4`, as OpenVidu names recordings). */
  readonly uid: string;
  /** Sub-millisecond nanoseconds of its timestamps, in [0, 1e6). */
  readonly nanos: number;
}

export interface SessionFacts {
  /** The scenario's name for it. */
  readonly handle: string;
  readonly sessionId: SessionId;
  /** `<sessionId>_<createdAt>`: unique over time, as session ids are reused. */
  readonly uniqueSessionId: string;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly recordingMode: RecordingMode;
  /** Its room on a LiveKit-based server (undefined on OpenVidu 2). */
  readonly livekit: LivekitRoomFacts | undefined;
}

export interface IpcamProps {
  readonly rtspUri: string;
  readonly adaptativeBitrate: boolean;
  readonly networkCache: number;
  readonly onlyPlayWithSubscribers: boolean;
}

export interface ConnectionFacts {
  readonly handle: string;
  readonly session: SessionFacts;
  readonly connectionId: ConnectionId;
  /** When it became active (joined), ms since the epoch. */
  readonly joinedAt: number;
  readonly location: string;
  readonly ip: string | null;
  readonly platform: string;
  readonly clientData: string;
  readonly serverData: string | null;
  readonly role: Role;
  /** An IP camera's properties; undefined for a WebRTC participant. */
  readonly ipcam: IpcamProps | undefined;
  /** What a LiveKit-based server knows of it (undefined on OpenVidu 2). */
  readonly livekit: LivekitParticipantFacts | undefined;
}

export interface StreamFacts {
  readonly streamId: StreamId;
  readonly owner: ConnectionFacts;
  readonly createdAt: number;
  /** `undefined` for audio-only streams (no video fields written). */
  readonly videoSource: string | null | undefined;
  readonly frameRate: number | null;
  /** `{"width":…,"height":…}` as openvidu-browser sends it, or null. */
  readonly dimensions: string | null;
  readonly audio: boolean;
  readonly video: boolean;
  /** Its tracks on a LiveKit-based server (undefined on OpenVidu 2). */
  readonly livekit: LivekitStreamFacts | undefined;
}

/** A participant receiving a stream (OpenVidu's INBOUND WebRTC connection). */
export interface SubscriptionFacts {
  readonly subscriber: ConnectionFacts;
  readonly stream: StreamFacts;
  readonly createdAt: number;
}

export interface RecordingFacts {
  readonly handle: string;
  readonly id: RecordingId;
  readonly session: SessionFacts;
  readonly props: RecordingProps;
  /** `Recording.createdAt`: the `startTime` of every event of this recording. */
  readonly createdAt: number;
  /** The node that records it, where OpenVidu names one (composed recordings with video). */
  readonly mediaNodeId: string | undefined;
  /** Its egress on a LiveKit-based server (undefined on OpenVidu 2). */
  readonly livekit: LivekitEgressFacts | undefined;
}

export interface BroadcastFacts {
  readonly session: SessionFacts;
  readonly url: string;
  readonly startedAt: number;
  readonly mediaNodeId: string | undefined;
  /** Its stream egress on a LiveKit-based server (undefined on OpenVidu 2). */
  readonly livekit: LivekitEgressFacts | undefined;
}

export interface MediaNodeFacts {
  readonly handle: string;
  readonly id: MediaNodeId;
  readonly environmentId: string;
  readonly ip: string;
  readonly uri: string;
  readonly clusterId: string;
}

export interface MasterNodeFacts {
  readonly handle: string;
  readonly nodeId: string;
  readonly ip: string;
}
