import type { MediaNodeState } from './cluster.js';

/**
 * The entities the engine keeps alive: sessions, participants (connections), streams with their WebRTC connections,
 * recordings. Plain mutable records owned by the engine; outside code reads them through `Engine.snapshot()`.
 */

export type RecordingStatus = 'starting' | 'started' | 'stopped' | 'ready' | 'failed';
export type OutputMode = 'COMPOSED' | 'COMPOSED_QUICK_START' | 'INDIVIDUAL';

export interface Timer {
  readonly label: string;
  readonly fire: () => void;
  cancelled: boolean;
  /** Background work (load sampling) does not keep a finite run going. */
  readonly background: boolean;
}

export interface RecordingProps {
  readonly name: string | undefined;
  readonly outputMode: OutputMode;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
  readonly resolution: string;
  readonly frameRate: number;
  readonly recordingLayout: string;
  readonly customLayout: string | undefined;
  readonly outcome: 'ready' | 'failed';
}

export interface RecordingState {
  readonly handle: string;
  readonly id: string;
  readonly session: SessionState;
  readonly props: RecordingProps;
  /** `Recording.createdAt`: the `startTime` and the `started` timestamp of every event of this recording. */
  readonly createdAt: number;
  /** Media node id written as `media_node_id` (ALWAYS-mode COMPOSED recordings in CE). */
  readonly mediaNodeId: string | undefined;
  status: RecordingStatus;
  /** When `started` was actually emitted (COMPOSED containers take a while). */
  startedAt: number | undefined;
  stoppedAt: number | undefined;
  reason: string | undefined;
  /** Integral of recorded streams over time (ms × streams), for INDIVIDUAL sizes. */
  streamMs: number;
  /** Streams being recorded right now and since when the integral was last updated. */
  activeStreams: number;
  lastTouch: number;
  firstStreamAt: number | undefined;
  lastStreamEnd: number | undefined;
  /** Pending `started` or `ready` timer. */
  timer: Timer | undefined;
}

export interface StreamState {
  readonly streamId: string;
  readonly owner: ParticipantState;
  readonly createdAt: number;
  /** `undefined` for audio-only streams (no video fields written). */
  readonly videoSource: string | null | undefined;
  readonly frameRate: number | null;
  readonly dimensions: string | null;
  readonly audio: boolean;
  readonly video: boolean;
  /**
   * INBOUND connections receiving this stream, in subscription order (one per subscriber). A list, not a map: it is
   * short, and a run creates and drops hundreds of thousands of them.
   */
  readonly subscribers: InboundState[];
}

export interface InboundState {
  readonly subscriber: ParticipantState;
  readonly stream: StreamState;
  readonly createdAt: number;
}

export interface IpcamProps {
  readonly rtspUri: string;
  readonly adaptativeBitrate: boolean;
  readonly networkCache: number;
  readonly onlyPlayWithSubscribers: boolean;
}

export interface ParticipantState {
  readonly handle: string;
  readonly session: SessionState;
  readonly connectionId: string;
  readonly joinedAt: number;
  readonly location: string;
  readonly ip: string | null;
  readonly platform: string;
  readonly clientData: string;
  readonly serverData: string | null;
  readonly role: 'PUBLISHER' | 'SUBSCRIBER' | 'MODERATOR';
  readonly ipcam: IpcamProps | undefined;
  stream: StreamState | undefined;
  /** INBOUND connections this participant owns, in subscription order (one per publisher). */
  readonly subscriptions: InboundState[];
}

export interface SessionState {
  readonly handle: string;
  readonly sessionId: string;
  readonly uniqueSessionId: string;
  readonly createdAt: number;
  readonly recordingMode: 'MANUAL' | 'ALWAYS';
  readonly defaultRecording: Partial<RecordingProps>;
  readonly autoSubscribe: boolean;
  /** Connected participants in join order, keyed by connection id. */
  readonly participants: Map<string, ParticipantState>;
  /** Someone has joined: OpenVidu's "active" session (closing a never-joined one at shutdown logs nothing). */
  active: boolean;
  closed: boolean;
  /** The recording in progress (starting or started). */
  recording: RecordingState | undefined;
  /** Recordings stopped and waiting for their `ready`/`failed`, in the order they stopped. */
  readonly processing: RecordingState[];
  /** The auto-stop countdown of OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT. */
  autostop: Timer | undefined;
  /** Pro: the media node asked for at creation (`createSession.mediaNode`). */
  readonly pinnedNode: string | undefined;
  /** Pro: the media node hosting the session, chosen at its first join. */
  node: MediaNodeState | undefined;
  /** Pro: the broadcast in progress. */
  broadcast: { readonly url: string; readonly startedAt: number } | undefined;
}

export function publisherCount(s: SessionState): number {
  let n = 0;
  for (const p of s.participants.values()) if (p.stream) n++;
  return n;
}
