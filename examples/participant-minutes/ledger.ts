/**
 * What both versions of the consumer share: the WebHook body they read, and the ledger interface each implements
 * over SQLite. The view (`usage()`) has the shape `ovsim score --actual` reads (schema/actual.schema.json).
 */

/** The fields of an OpenVidu 2 WebHook body this consumer reads (others are ignored). */
export interface WebhookEvent {
  readonly event: string;
  readonly sessionId?: string;
  /** From OpenVidu 2.17: `<sessionId>_<createdAt>`, unique even when a custom sessionId is reused. */
  readonly uniqueSessionId?: string;
  readonly timestamp: number;
  readonly participantId?: string;
  /** participantLeft, sessionDestroyed, recordingStatusChanged: when the entity began (ms). */
  readonly startTime?: number;
  /** participantLeft, sessionDestroyed: whole seconds, truncated. */
  readonly duration?: number;
  /** recordingStatusChanged: the recording id and its new status. */
  readonly id?: string;
  readonly status?: string;
}

export interface Usage {
  sessions: {
    sessionId: string;
    uniqueSessionId?: string;
    open: boolean;
    participants: { participantId: string; seconds: number; online: boolean }[];
  }[];
  recordings: { id: string; status: string; processed: number }[];
}

export interface Ledger {
  /** Records one WebHook; returns the side effects it performed (`charge:<session>`, `publish:<recording>`). */
  apply(event: WebhookEvent): string[];
  /** The consumer's view of every session, participant and recording. */
  usage(): Usage;
}
