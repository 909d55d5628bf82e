/**
 * A consumer's own view of a run, as `ovsim score` reads it: sessions with their participants' connected time, and
 * optionally recordings with their status. Deliberately simpler than the truth, and open: other keys are ignored.
 * The zod schema is the source of the check and of `schema/actual.schema.json` (`npm run docs:generate`).
 */
import { z } from 'zod';

const Seconds = z.number().nonnegative();

/** A participant's or a session's time: `seconds` or `minutes` (seconds win when both are given). */
function withTime<T extends z.ZodRawShape>(shape: T, what: string) {
  return z
    .looseObject({
      ...shape,
      seconds: Seconds.optional().meta({ description: `connected seconds the consumer counts for ${what}` }),
      minutes: Seconds.optional().meta({
        description: 'the same in minutes (seconds / 60), when seconds is absent',
      }),
    })
    .superRefine((v, ctx) => {
      if (v.seconds === undefined && v.minutes === undefined)
        ctx.addIssue({ code: 'custom', message: 'needs seconds or minutes', path: ['seconds'] });
    });
}

export const ActualParticipant = withTime(
  {
    participantId: z.string().min(1).meta({ description: "the CDR's participantId / connectionId (con_…)" }),
    online: z
      .boolean()
      .optional()
      .meta({ description: 'whether the consumer believes it is still connected' }),
  },
  'this participant',
).meta({ title: 'participant', anyOf: [{ required: ['seconds'] }, { required: ['minutes'] }] });

const ActualSessionBase = z.looseObject({
  sessionId: z.string().min(1),
  uniqueSessionId: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'when every session has one, sessions are matched by it; else by sessionId' }),
  open: z
    .boolean()
    .optional()
    .meta({ description: 'whether the consumer believes the session is still open' }),
  participants: z
    .array(ActualParticipant)
    .optional()
    .meta({ description: 'per participant; without it, give the session total as seconds or minutes' }),
  seconds: Seconds.optional().meta({
    description: 'participant seconds of the whole session (without participants)',
  }),
  minutes: Seconds.optional().meta({
    description: 'participant minutes of the whole session (without participants)',
  }),
});

export const ActualSession = ActualSessionBase.superRefine((v, ctx) => {
  if (v.participants === undefined && v.seconds === undefined && v.minutes === undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'needs participants, or seconds or minutes',
      path: ['participants'],
    });
}).meta({
  title: 'session',
  anyOf: [{ required: ['participants'] }, { required: ['seconds'] }, { required: ['minutes'] }],
});

export const ActualRecording = z
  .looseObject({
    id: z.string().min(1).meta({ description: 'the recording id (ses_…~1)' }),
    status: z
      .enum(['started', 'stopped', 'ready', 'failed'])
      .meta({ description: 'the final status the consumer holds' }),
    processed: z.number().int().nonnegative().optional().meta({
      description: 'how many times the consumer acted on it being ready (downloaded, published, billed)',
    }),
  })
  .meta({ title: 'recording' });

/** The zod schema of a consumer's view (`score --actual`), published as `schema/actual.schema.json`. */
export const ActualDocument = z
  .looseObject({
    sessions: z.array(ActualSession),
    recordings: z
      .array(ActualRecording)
      .optional()
      .meta({ description: 'absent: recordings are not scored' }),
  })
  .meta({
    title: "a WebHook consumer's view (ovsim score --actual)",
    description: 'What a consumer computed from the events it received (docs/truth-and-score.md).',
  });

/** A consumer's view of a run, as `ovsim score` reads it. */
export type Actual = z.infer<typeof ActualDocument>;
export type ActualSessionRecord = z.infer<typeof ActualSession>;
export type ActualParticipantRecord = z.infer<typeof ActualParticipant>;
