/**
 * What `serve --server openvidu3` sends the page besides the OpenVidu 2 views: the LiveKit events as a consumer
 * receives them and the rooms, participants, tracks, egresses and ingresses those events describe. Types only (the
 * page's checked modules import them in JSDoc).
 */

/** One LiveKit `WebhookEvent` as it goes on the wire. */
export interface LivekitEventEntry {
  /** 1-based among this run's LiveKit events. */
  readonly seq: number;
  /** The cascade it came from (the OpenVidu 2 log's batch id). */
  readonly batch: number;
  readonly event: string;
  /** `EV_…` */
  readonly id: string;
  /** Virtual instant of the fact, ms since the epoch. */
  readonly at: number;
  /** The body's `createdAt`: seconds since the epoch, as protojson writes an int64. */
  readonly createdAt: string;
  /** The exact body POSTed (Go protojson). */
  readonly body: string;
  readonly roomName: string | null;
  readonly roomSid: string | null;
  /** The participant's identity, the egress id or the ingress id the event is about. */
  readonly subject: string | null;
  /** What makes this one a case consumers trip on (keys of the page's LIVEKIT_NOTES). */
  readonly notes: readonly string[];
}

export interface LivekitRoomRecord {
  readonly sid: string;
  readonly name: string;
  readonly numParticipants: number;
  readonly numPublishers: number;
  readonly state: 'open' | 'finished';
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

export interface LivekitParticipantRecord {
  readonly sid: string;
  readonly identity: string;
  readonly roomSid: string;
  readonly roomName: string;
  /** JOINING, JOINED, ACTIVE or DISCONNECTED, as the last event carried it. */
  readonly state: string;
  /** STANDARD, INGRESS, EGRESS, SIP, AGENT. */
  readonly kind: string;
  readonly disconnectReason: string | null;
  /** The last event about it: participant_joined, participant_left or participant_connection_aborted. */
  readonly lastEvent: string;
  readonly at: number;
}

export interface LivekitTrackRecord {
  readonly sid: string;
  readonly participantSid: string;
  readonly participantIdentity: string;
  readonly roomSid: string;
  /** CAMERA, MICROPHONE, SCREEN_SHARE… */
  readonly source: string;
  /** AUDIO or VIDEO. */
  readonly type: string;
  readonly mimeType: string;
  readonly simulcast: boolean;
  /** Video layers as `QUALITY WxH`. */
  readonly layers: readonly string[];
  readonly published: boolean;
}

export interface LivekitEgressRecord {
  readonly egressId: string;
  readonly roomName: string;
  /** roomComposite, track, web… */
  readonly request: string;
  /** Every status its events carried, in order (`(none)` for an event without one). */
  readonly statuses: readonly string[];
  readonly error: string | null;
  readonly ended: boolean;
}

export interface LivekitIngressRecord {
  readonly ingressId: string;
  readonly name: string;
  readonly roomName: string;
  readonly statuses: readonly string[];
  readonly ended: boolean;
}

export interface LivekitWorld {
  readonly rooms: readonly LivekitRoomRecord[];
  readonly participants: readonly LivekitParticipantRecord[];
  readonly tracks: readonly LivekitTrackRecord[];
  readonly egresses: readonly LivekitEgressRecord[];
  readonly ingresses: readonly LivekitIngressRecord[];
}

/** The server kinds that show LiveKit on the page: OpenVidu 3, and OpenVidu Meet (the rooms underneath it). */
export type LivekitServerKind = 'openvidu3' | 'meet';

/** What the page holds of an OpenVidu 3 run: the server, its world, the last events. */
export interface LivekitPageView {
  readonly server: LivekitServerKind;
  readonly livekitVersion: string;
  readonly world: LivekitWorld;
  readonly events: readonly LivekitEventEntry[];
}

/** What one cascade adds: its LiveKit events and the records they changed (merge them by key). */
export interface LivekitBatchView {
  readonly events: readonly LivekitEventEntry[];
  readonly world: LivekitWorld;
}
