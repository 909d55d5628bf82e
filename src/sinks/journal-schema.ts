/**
 * The delivery journal (`--journal FILE`): JSON Lines, one record per line — a `run` record first, then every
 * injected fault and every request as they happen, every delivery that never went out, and an `end` record. The zod
 * schemas here are the reference: `schema/journal.schema.json` is derived from them (`npm run docs:generate`) and
 * `ovsim score --journal` reads a journal through them. docs/chaos.md explains each field.
 */
import { z } from 'zod';

export const JOURNAL_FORMAT = 'ovsim-journal/1';

/** The event a record is about: its type and identity, and its place in the run. */
export const JournalEventRef = z.strictObject({
  seq: z
    .number()
    .int()
    .min(0)
    .describe('position among the events offered to the sender, 0-based, in run order'),
  type: z.string().describe('the event name, e.g. participantLeft'),
  sessionId: z.string().nullable(),
  uniqueSessionId: z.string().nullable(),
  participantId: z.string().nullable().describe('participant events and WebRTC connections: the con_… id'),
  recordingId: z.string().nullable().describe('recordingStatusChanged: the recording id'),
  timestamp: z.number().int().describe('the event timestamp, virtual ms since the epoch'),
  digest: z.string().describe('the first 16 hex digits of the SHA-256 of the body sent'),
});
export type JournalEventRef = z.infer<typeof JournalEventRef>;

export const JournalRun = z.strictObject({
  kind: z.literal('run'),
  format: z.literal(JOURNAL_FORMAT),
  command: z.enum(['run', 'load']),
  scenario: z.string(),
  seed: z.string(),
  start: z.string().describe('virtual start, ISO 8601'),
  openviduVersion: z.string(),
  edition: z.enum(['ce', 'pro', 'enterprise']),
  endpoint: z.string(),
  speed: z.string(),
  chaos: z.string().describe('the spec in canonical form (parseChaosSpec reads it back)'),
  reproduce: z.string().describe('a command line that plays the same events with the same plan of faults'),
  startedAt: z.string().describe('wall clock, ISO 8601'),
});
export type JournalRun = z.infer<typeof JournalRun>;

export const FAULTS = [
  'drop',
  'duplicate',
  'delay',
  'reorder',
  'stall',
  'stalled',
  'noack',
  'retry',
] as const;
export type FaultKind = (typeof FAULTS)[number];

export const JournalFault = z.strictObject({
  kind: z.literal('fault'),
  fault: z.enum(FAULTS),
  event: JournalEventRef,
  copy: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('which delivery of the event: 0 the original, 1… its duplicates'),
  delayMs: z.number().min(0).optional().describe('how much later than planned without this fault'),
  due: z.number().optional().describe('virtual instant the delivery was planned for, ms since the epoch'),
  window: z.number().int().min(0).optional().describe('reorder: the window, 0-based'),
  from: z.number().int().min(0).optional().describe('reorder: the event position in its window'),
  to: z.number().int().min(0).optional().describe('reorder: the position it was released at'),
  attempt: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('noack: the request ignored; retry: the request planned'),
  after: z
    .string()
    .optional()
    .describe('retry: the class of the answer that caused it (status 500, timeout)'),
});
export type JournalFault = z.infer<typeof JournalFault>;

export const JournalAttempt = z.strictObject({
  kind: z.literal('attempt'),
  event: JournalEventRef,
  copy: z.number().int().min(0),
  attempt: z.number().int().min(1).describe('1-based, over every request of this copy'),
  intendedAt: z.string().describe('wall clock the request was meant to start, ISO 8601'),
  sentAt: z.string().describe('wall clock it started, ISO 8601'),
  ms: z.number().min(0),
  response: z.union([
    z.strictObject({ status: z.number().int() }),
    z.strictObject({ error: z.string().describe('timeout, refused, reset, aborted or other') }),
  ]),
  result: z
    .enum(['delivered', 'ignored', 'retry', 'failed'])
    .describe(
      'delivered: a success; ignored: a success the sender ignored (noack); retry: another request follows; ' +
        'failed: the copy is given up',
    ),
});
export type JournalAttempt = z.infer<typeof JournalAttempt>;

export const JournalUnsent = z.strictObject({
  kind: z.literal('unsent'),
  event: JournalEventRef,
  copy: z.number().int().min(0),
  attempts: z.number().int().min(0).describe('requests made before'),
  reason: z.string(),
});
export type JournalUnsent = z.infer<typeof JournalUnsent>;

export const JournalEnd = z.strictObject({
  kind: z.literal('end'),
  end: z.enum(['completed', 'shutdown', 'aborted', 'failed']),
  events: z.number().int().min(0).describe('events offered to the sender (after OPENVIDU_WEBHOOK_EVENTS)'),
  filtered: z.number().int().min(0),
  dropped: z.number().int().min(0),
  deliveries: z.number().int().min(0).describe('copies planned: one per event not dropped, plus duplicates'),
  requests: z.number().int().min(0).describe('attempt records: every request made'),
  delivered: z.number().int().min(0).describe('events (not dropped) the receiver accepted at least once'),
  undelivered: z.number().int().min(0).describe('events (not dropped) never accepted'),
  unsent: z.number().int().min(0).describe('unsent records'),
  faults: z.record(z.string(), z.number().int().min(0)),
  endedAt: z.string(),
});
export type JournalEnd = z.infer<typeof JournalEnd>;

export const JournalRecord = z.discriminatedUnion('kind', [
  JournalRun,
  JournalFault,
  JournalAttempt,
  JournalUnsent,
  JournalEnd,
]);
export type JournalRecord = z.infer<typeof JournalRecord>;
