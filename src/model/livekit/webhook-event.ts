/**
 * `WebhookEvent` (`livekit_webhook.proto`) and the event names (`webhook/consts.go`). Not modelled: the later
 * `roomEndReason` (not in the protocol commit livekit-server pins).
 */
import { JobDesc, type Job } from './agent.js';
import { defineMessage, type Int64 } from './descriptor.js';
import { EgressInfoDesc, type EgressInfo } from './egress.js';
import { IngressInfoDesc, type IngressInfo } from './ingress.js';
import {
  ParticipantInfoDesc,
  RoomDesc,
  TrackInfoDesc,
  type ParticipantInfo,
  type Room,
  type TrackInfo,
} from './models.js';

/** The 14 event names of `webhook/consts.go`; the last two (agent jobs) have no emitter in livekit-server yet. */
export const LIVEKIT_EVENT_NAMES = [
  'room_started',
  'room_finished',
  'participant_joined',
  'participant_left',
  'participant_connection_aborted',
  'track_published',
  'track_unpublished',
  'egress_started',
  'egress_updated',
  'egress_ended',
  'ingress_started',
  'ingress_ended',
  'agent_job_started',
  'agent_job_ended',
] as const;

export type LivekitEventName = (typeof LIVEKIT_EVENT_NAMES)[number];

export interface WebhookEvent {
  event?: string;
  room?: Room;
  participant?: ParticipantInfo;
  egressInfo?: EgressInfo;
  ingressInfo?: IngressInfo;
  track?: TrackInfo;
  job?: Job;
  /** `EV_` + 12 base57 characters, assigned at enqueue time. */
  id?: string;
  /** Seconds since the epoch, at enqueue time. */
  createdAt?: Int64;
  /** Deprecated; only the legacy `URLNotifier` sets it. */
  numDropped?: number;
}

export const WebhookEventDesc = defineMessage<WebhookEvent>()('livekit.WebhookEvent', [
  { name: 'event', no: 1, kind: 'string' },
  { name: 'room', no: 2, kind: 'message', message: () => RoomDesc },
  { name: 'participant', no: 3, kind: 'message', message: () => ParticipantInfoDesc },
  { name: 'egressInfo', no: 9, kind: 'message', message: () => EgressInfoDesc },
  { name: 'ingressInfo', no: 10, kind: 'message', message: () => IngressInfoDesc },
  { name: 'track', no: 8, kind: 'message', message: () => TrackInfoDesc },
  { name: 'job', no: 12, kind: 'message', message: () => JobDesc },
  { name: 'id', no: 6, kind: 'string' },
  { name: 'createdAt', no: 7, kind: 'int64' },
  { name: 'numDropped', no: 11, kind: 'int32' },
]);
