/**
 * What the ground truth needs to know of a run: a narrow, protocol-neutral view of the engine's output, in the
 * engine's own order. The truth is a fold over these facts and nothing else, so a change of the engine's types
 * touches one adapter (engine-facts.ts), never the fold. All instants are virtual time, ms since the epoch.
 */

/** A participant's kind: a WebRTC client or an IP camera (OpenVidu's `IPCAM` connections). */
export type ParticipantKind = 'WEBRTC' | 'IPCAM';

/** The statuses a recording reports (OpenVidu 2's `recordingStatusChanged`). */
export type RecordingStatus = 'started' | 'stopped' | 'ready' | 'failed';

/** One fact of the engine the truth folds: a session, participant, recording or media node changing state, with its instant. */
export type TruthFact =
  | {
      readonly kind: 'sessionCreated';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
    }
  | {
      readonly kind: 'sessionDestroyed';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
      readonly reason: string | undefined;
    }
  /** OpenVidu dropped a session nobody joined, logging nothing (its garbage collector of non-active sessions). */
  | {
      readonly kind: 'sessionCollected';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
    }
  | {
      readonly kind: 'participantJoined';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
      readonly participantId: string;
      readonly participantKind: ParticipantKind;
    }
  | {
      readonly kind: 'participantLeft';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
      readonly participantId: string;
      readonly reason: string | undefined;
    }
  | {
      readonly kind: 'recordingStatus';
      readonly at: number;
      readonly sessionId: string;
      readonly uniqueSessionId: string;
      readonly recordingId: string;
      readonly status: RecordingStatus;
      readonly outputMode: string;
      /** The recording's creation instant. */
      readonly startedAt: number;
      /** Seconds of media, as the engine reports it with this status (0 while `started`). */
      readonly durationSeconds: number;
      /** Bytes, as reported with this status (0 while `started`). */
      readonly size: number;
      readonly reason: string | undefined;
    }
  | {
      readonly kind: 'mediaNodeStatus';
      readonly at: number;
      readonly nodeId: string;
      readonly status: string;
    }
  | { readonly kind: 'mediaNodeCrashed'; readonly at: number; readonly nodeId: string }
  | { readonly kind: 'mediaNodeRecovered'; readonly at: number; readonly nodeId: string };
