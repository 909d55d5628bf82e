/**
 * `Job` (`livekit_agent.proto`), carried by `agent_job_started`/`agent_job_ended` (protocol commit b5754770). No
 * livekit-server release emits those yet; the model exists so that the 14 event names of `webhook/consts.go` can be
 * written. `JobState.*At` are nanoseconds (`pkg/agent/worker.go` writes `now.UnixNano()`).
 */
import { defineMessage, type Int64 } from './descriptor.js';
import { JobStatus, JobType, type JobStatusName, type JobTypeName } from './enums.js';
import { ParticipantInfoDesc, RoomDesc, type ParticipantInfo, type Room } from './models.js';

export interface JobState {
  status?: JobStatusName;
  error?: string;
  startedAt?: Int64;
  endedAt?: Int64;
  updatedAt?: Int64;
  participantIdentity?: string;
  workerId?: string;
  agentId?: string;
}

export interface Job {
  id?: string;
  dispatchId?: string;
  type?: JobTypeName;
  room?: Room;
  /** proto3 `optional` message: written when set. */
  participant?: ParticipantInfo;
  namespace?: string;
  metadata?: string;
  agentName?: string;
  state?: JobState;
  enableRecording?: boolean;
  deployment?: string;
  attributes?: Readonly<Record<string, string>>;
  enableRedaction?: boolean;
}

export const JobStateDesc = defineMessage<JobState>()('livekit.JobState', [
  { name: 'status', no: 1, kind: 'enum', enum: JobStatus },
  { name: 'error', no: 2, kind: 'string' },
  { name: 'startedAt', no: 3, kind: 'int64' },
  { name: 'endedAt', no: 4, kind: 'int64' },
  { name: 'updatedAt', no: 5, kind: 'int64' },
  { name: 'participantIdentity', no: 6, kind: 'string' },
  { name: 'workerId', no: 7, kind: 'string' },
  { name: 'agentId', no: 8, kind: 'string' },
]);

export const JobDesc = defineMessage<Job>()('livekit.Job', [
  { name: 'id', no: 1, kind: 'string' },
  { name: 'dispatchId', no: 9, kind: 'string' },
  { name: 'type', no: 2, kind: 'enum', enum: JobType },
  { name: 'room', no: 3, kind: 'message', message: () => RoomDesc },
  { name: 'participant', no: 4, kind: 'message', optional: true, message: () => ParticipantInfoDesc },
  { name: 'namespace', no: 5, kind: 'string' },
  { name: 'metadata', no: 6, kind: 'string' },
  { name: 'agentName', no: 7, kind: 'string' },
  { name: 'state', no: 8, kind: 'message', message: () => JobStateDesc },
  { name: 'enableRecording', no: 10, kind: 'bool' },
  { name: 'deployment', no: 11, kind: 'string' },
  { name: 'attributes', no: 12, kind: 'string', map: true },
  { name: 'enableRedaction', no: 13, kind: 'bool' },
]);
