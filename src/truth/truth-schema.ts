/**
 * The ground truth's document: its zod schema is the one source of the TypeScript types, of the check `ovsim score`
 * makes of a truth file, and of the published JSON Schema (`schema/truth.schema.json`, `npm run docs:generate`).
 * Definitions (participant minutes, open entities, the relation to CDR `duration`): docs/truth-and-score.md.
 */
import { z } from 'zod';

/** The document's format tag; a reader refuses any other. */
export const TRUTH_FORMAT = 'ovsim-truth/1';

const Instant = z
  .number()
  .int()
  .meta({ description: 'virtual time, ms since the epoch (as CDR timestamps)' });
const Count = z.number().int().nonnegative();
const Seconds = z.number().nonnegative();

const ParticipantBilling = z
  .object({
    participants: Count.meta({ description: 'connections that joined the session (IP cameras included)' }),
    participantSeconds: Seconds.meta({
      description: 'sum of the connectedSeconds of its participants (computed in whole ms, then divided)',
    }),
    participantMinutes: Seconds.meta({ description: 'participantSeconds / 60, not rounded' }),
    peakParticipants: Count.meta({ description: 'most participants connected at one instant' }),
  })
  .meta({ description: 'billing aggregates' });

export const TruthParticipant = z
  .object({
    participantId: z.string().meta({
      description:
        "the connection id (con_…, ipc_… for IP cameras): the CDR's participantId and connectionId; OpenVidu 3: the LiveKit participant sid (PA_…)",
    }),
    kind: z.enum(['WEBRTC', 'IPCAM']),
    joinedAt: Instant.meta({ description: 'participantJoined timestamp' }),
    leftAt: Instant.nullable().meta({ description: 'participantLeft timestamp; null while open' }),
    reason: z.string().nullable().meta({ description: "participantLeft's reason; null while open" }),
    open: z.boolean().meta({ description: 'still connected at the end of the run (counted until then)' }),
    connectedSeconds: Seconds.meta({
      description:
        '(leftAt − joinedAt) / 1000, ms precision; for an open participant (run end − joinedAt) / 1000. ' +
        "The CDR's participantLeft duration is this number truncated to whole seconds.",
    }),
  })
  .meta({ title: 'participant' });

export const TruthSession = z
  .object({
    sessionId: z.string(),
    uniqueSessionId: z
      .string()
      .meta({ description: 'sessionId_createdAt: unique even when a sessionId is reused' }),
    createdAt: Instant.meta({ description: 'sessionCreated timestamp' }),
    destroyedAt: Instant.nullable().meta({
      description: 'sessionDestroyed timestamp (or the garbage collection); null while open',
    }),
    reason: z.string().nullable().meta({
      description:
        "sessionDestroyed's final reason; garbageCollected for a never-joined session OpenVidu's garbage collector dropped (no sessionDestroyed is logged); null while open",
    }),
    open: z.boolean().meta({ description: 'not destroyed at the end of the run' }),
    durationSeconds: Seconds.meta({ description: '(destroyedAt, or the run end, − createdAt) / 1000' }),
    participants: z
      .array(TruthParticipant)
      .meta({ description: 'every connection of the session, in join order' }),
    recordingIds: z.array(z.string()).meta({ description: 'its recordings (see recordings[])' }),
    billing: ParticipantBilling,
  })
  .meta({ title: 'session' });

export const TruthRecording = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    uniqueSessionId: z.string(),
    outputMode: z.string(),
    status: z.enum(['started', 'stopped', 'ready', 'failed']).meta({ description: 'final status' }),
    statuses: z
      .array(z.enum(['started', 'stopped', 'ready', 'failed']))
      .meta({ description: 'every status reported, in order (a status reported twice appears twice)' }),
    startedAt: Instant.meta({ description: "the recording's creation instant (startTime)" }),
    stoppedAt: Instant.nullable().meta({ description: 'timestamp of its stopped status; null before' }),
    durationSeconds: Seconds.meta({ description: 'seconds of media as last reported (0 while started)' }),
    size: Count.meta({ description: 'bytes as last reported (0 while started)' }),
    reason: z.string().nullable().meta({ description: 'why it stopped; null while started' }),
    open: z.boolean().meta({ description: 'still recording (status started) at the end of the run' }),
  })
  .meta({ title: 'recording' });

export const TruthMediaNode = z
  .object({
    id: z.string(),
    status: z.string().meta({ description: 'final status (launching, running, terminated, …)' }),
    statuses: z
      .array(z.object({ at: Instant, status: z.string() }))
      .meta({ description: 'every status change, in order' }),
    crashes: Count,
    recoveries: Count,
    crashed: z.boolean().meta({ description: 'crashed and not recovered at the end of the run' }),
  })
  .meta({ title: 'media node (OpenVidu Pro)' });

export const TruthMinute = z
  .object({
    start: Instant.meta({ description: 'the UTC minute, its first ms' }),
    participantSeconds: Seconds.meta({
      description: 'connected seconds falling in this minute, all sessions',
    }),
    participants: Count.meta({ description: 'participants connected at some point of the minute' }),
    sessions: Count.meta({
      description: 'sessions with a participant connected at some point of the minute',
    }),
  })
  .meta({ title: 'minute' });

/** The zod schema of a truth file (`generate --truth`), published as `schema/truth.schema.json`. */
export const TruthDocument = z
  .object({
    format: z.literal(TRUTH_FORMAT),
    run: z.object({
      scenario: z.string(),
      seed: z.string(),
      start: Instant.meta({ description: 'the virtual start instant' }),
      end: Instant.meta({
        description:
          'the end of the run: the last instant the engine reported (open entities are counted until it)',
      }),
      openviduVersion: z.string(),
      edition: z.enum(['ce', 'pro', 'enterprise']),
      shard: z.string().nullable().meta({ description: 'i/n when only a shard was generated' }),
      server: z.literal('openvidu3').optional().meta({
        description:
          'OpenVidu 3 (LiveKit): sessions are rooms (sessionId its name, uniqueSessionId its RM_ sid), participants PA_ sids counted from joinedAtMs to participant_left, recordings file egresses (EG_); absent for OpenVidu 2',
      }),
      livekitVersion: z.string().optional().meta({ description: 'OpenVidu 3: the LiveKit build imitated' }),
    }),
    sessions: z.array(TruthSession).meta({ description: 'every session, in creation order' }),
    recordings: z.array(TruthRecording).meta({ description: 'every recording, in start order' }),
    mediaNodes: z.array(TruthMediaNode).meta({ description: 'OpenVidu Pro media nodes; empty in CE' }),
    billing: ParticipantBilling.extend({
      sessions: Count,
      recordings: z.object({
        count: Count,
        ready: Count,
        failed: Count,
        durationSeconds: Seconds,
        size: Count,
      }),
      perMinute: z
        .array(TruthMinute)
        .meta({ description: 'UTC minutes with a participant connected, in order' }),
    }),
  })
  .meta({
    title: 'ovsim ground truth',
    description:
      "The final state a run's events imply, computed from the engine's own output before delivery " +
      '(docs/truth-and-score.md).',
  });

/** A parsed truth file: sessions with their participants' connected seconds, recordings, billing, media nodes. */
export type Truth = z.infer<typeof TruthDocument>;
export type TruthSessionRecord = z.infer<typeof TruthSession>;
export type TruthParticipantRecord = z.infer<typeof TruthParticipant>;
export type TruthRecordingRecord = z.infer<typeof TruthRecording>;
export type TruthMediaNodeRecord = z.infer<typeof TruthMediaNode>;
export type TruthMinuteRecord = z.infer<typeof TruthMinute>;
