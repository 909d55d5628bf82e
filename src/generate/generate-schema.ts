/**
 * The `generate:` block of a scenario: what a random day of traffic looks like. One zod schema is the source of
 * truth; the TypeScript types are inferred from it and every field has a default, so `generate: {}` is a valid
 * (busy) block. Durations take the scenario syntax (`90s`, `20m`, `1h30m`); rates are `N/unit` (`5/min`, `300/h`).
 */
import { z } from 'zod';
import { Duration } from '../model/duration.js';

const RATE_UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  min: 60_000,
  m: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** Parses `5/min`, `0.5/s`, `300/h`, `2/d` (or a bare number, per second) to events per millisecond. */
export function parseRate(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v / 1000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/.exec(v);
  if (!m) return undefined;
  const per = m[2] === undefined ? 1000 : RATE_UNIT_MS[m[2]];
  return per === undefined ? undefined : Number(m[1]) / per;
}

/** A rate: `5/min`, `300/h`, `2/d`, `0.5/s`, or a number per second. Parsed to events per millisecond. */
export const Rate = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx): number => {
  const r = parseRate(v);
  if (r === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(v)}" is not a rate (use 5/min, 300/h, 2/d or a number per second)`,
    });
    return z.NEVER;
  }
  return r;
});

const Probability = z
  .number()
  .min(0, 'a probability is between 0 and 1')
  .max(1, 'a probability is between 0 and 1');
const Weight = z.number().nonnegative('a weight is 0 or more');

/**
 * A random quantity: a constant (`20m`, `5`) or a distribution, `{ dist: lognormal, median, sigma }`,
 * `{ dist: uniform, min, max }`, `{ dist: exponential, mean }`, `{ dist: normal, mean, sd }`; `min`/`max` clamp any
 * of them.
 */
function distribution<T extends z.ZodType<number, unknown>>(value: T) {
  const clamp = { min: value.optional(), max: value.optional() };
  // A bare value is a constant: dispatching on the input's type (rather than a union) keeps each message precise.
  return z.preprocess(
    (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { dist: 'constant', value: v }),
    z.discriminatedUnion(
      'dist',
      [
        z.strictObject({ dist: z.literal('constant'), value }),
        z.strictObject({
          dist: z.literal('lognormal'),
          median: value,
          // e^10 ≈ 22 000 times the median at one sigma: wider is no distribution of durations or people.
          sigma: z.number().nonnegative().max(10, 'sigma is at most 10').default(0.8),
          ...clamp,
        }),
        z.strictObject({ dist: z.literal('uniform'), min: value, max: value }),
        z.strictObject({ dist: z.literal('exponential'), mean: value, ...clamp }),
        z.strictObject({ dist: z.literal('normal'), mean: value, sd: value, ...clamp }),
      ],
      { error: 'dist must be constant, lognormal, uniform, exponential or normal' },
    ),
  );
}

const Count = z.number().int('a count is a whole number').nonnegative('a count is 0 or more');
/**
 * People in one session at most: a large webinar. Everyone in a meeting subscribes to every publisher, so a meeting's
 * events grow with the square of its people: 10 000 is already 10^8 connections.
 */
export const MAX_PEOPLE = 10_000;
const People = Count.max(MAX_PEOPLE, `a session has at most ${MAX_PEOPLE} people`);
/** A random duration (ms). */
export const DurationDist = distribution(Duration as unknown as z.ZodType<number, unknown>);
/** A random count of people (drawn values are cut at MAX_PEOPLE too). */
export const CountDist = distribution(People);
export type Dist = z.output<typeof DurationDist>;

/** Hourly multipliers of the arrival rate (UTC hours 0–23): quiet nights, busy office hours. */
export const DEFAULT_DAILY_CURVE = [
  0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.8, 1, 1, 0.95, 0.7, 0.85, 1, 1, 0.9, 0.75, 0.5, 0.35, 0.25,
  0.18, 0.12, 0.08,
];

const Sessions = z.strictObject({
  /** Mean arrival rate of new sessions at multiplier 1. Default `10/min`. */
  rate: Rate.default(10 / 60_000),
  /** `poisson` (random gaps, default) or `uniform` (evenly spaced). */
  arrival: z.enum(['poisson', 'uniform']).default('poisson'),
  /** How the rate changes over the run: `flat` (default), `ramp` (linear from `ramp.from` to `ramp.to`), `daily`. */
  shape: z.enum(['flat', 'ramp', 'daily']).default('flat'),
  ramp: z
    .strictObject({ from: z.number().nonnegative().default(0), to: z.number().nonnegative().default(1) })
    .default({ from: 0, to: 1 }),
  /** 24 multipliers, one per UTC hour, for `shape: daily`. */
  daily: z
    .array(z.number().nonnegative())
    .length(24, 'daily needs 24 multipliers, one per hour (UTC)')
    .default(DEFAULT_DAILY_CURVE),
  /** At most this many sessions (unlimited by default). */
  limit: Count.optional(),
});

/** Weights of the session kinds. */
const Mix = z.strictObject({
  /** 1:1 video calls. */
  call: Weight.default(50),
  /** N:N meetings. */
  meeting: Weight.default(30),
  /** 1:M webinars: one presenter, many viewers. */
  webinar: Weight.default(12),
  /** An IP camera watched by a few viewers. */
  ipcam: Weight.default(8),
});

interface KindDefaults {
  participants: number | { dist: 'lognormal'; median: number; sigma: number; min: number; max: number };
  duration: string | { dist: 'lognormal'; median: string; sigma: number; min: string; max: string };
  stay: { dist: 'lognormal'; median: string; sigma: number; min: string };
  joinSpread: string;
  publish: number;
  audioOnly: number;
  screenShare: number;
  signalsPerMinute: number;
  filterEventsPerMinute: number;
}

/** One session kind's shape; defaults differ per kind. */
function kind(d: KindDefaults) {
  return z
    .strictObject({
      /** People besides the host: guests of a meeting, viewers of a webinar or camera. A call always has 2. */
      participants: CountDist.prefault(d.participants as never),
      /** How long the host stays: the session's length. */
      duration: DurationDist.prefault(d.duration as never),
      /** How long each other participant stays (cut at the session's end). */
      stay: DurationDist.prefault(d.stay as never),
      /** Others join within this time after the host. */
      joinSpread: DurationDist.prefault(d.joinSpread as never),
      /** Probability that a non-host participant publishes (the host of a call, meeting or webinar always does). */
      publish: Probability.default(d.publish),
      /** Probability that a published stream is audio only. */
      audioOnly: Probability.default(d.audioOnly),
      /** Probability that the session has a screen share (a second connection of the host). */
      screenShare: Probability.default(d.screenShare),
      /** Chat signals per minute in the session (Poisson). */
      signalsPerMinute: z.number().nonnegative().default(d.signalsPerMinute),
      /** Kurento filter events per minute in the session (Poisson). */
      filterEventsPerMinute: z.number().nonnegative().default(d.filterEventsPerMinute),
    })
    .prefault({});
}

const Recording = z.strictObject({
  /** Probability that a session is recorded. */
  probability: Probability.default(0.15),
  /** Of recorded sessions, the fraction created with `recordingMode: ALWAYS` (the rest start it by REST). */
  always: Probability.default(0.3),
  /** Weights of output modes. */
  outputMode: z
    .strictObject({
      COMPOSED: Weight.default(6),
      INDIVIDUAL: Weight.default(3),
      COMPOSED_QUICK_START: Weight.default(1),
    })
    .prefault({}),
  /** Probability that a recording's processing fails. */
  failed: Probability.default(0.01),
});

const Faults = z.strictObject({
  /** Probability that a participant loses the network instead of leaving. */
  networkDrop: Probability.default(0.02),
  /** Probability that a participant is evicted (forceDisconnect, by the server or a moderator). */
  forceDisconnect: Probability.default(0.005),
  /** Media server restarts (every stream and recording dropped); a rate such as `1/d`. */
  mediaServerReconnect: Rate.default(0),
  /** OpenVidu Server stops (every session closed) then restarts after `restartAfter`; a rate such as `1/d`. */
  serverStop: Rate.default(0),
  /** Downtime after a server stop: sessions arriving meanwhile are lost. */
  restartAfter: Duration.default(60_000),
  /**
   * Pro/Enterprise: a running media node crashes (`nodeCrashed`, its sessions closed with `nodeCrashed`); a rate such
   * as `1/d`. Sessions arriving meanwhile go to the other nodes. With a reconnection timeout of 3 s or less (autoscaling's
   * default) the node is given up at once (`terminating`, `terminated`) instead of recovering.
   */
  nodeCrash: Rate.default(0),
  /** Pro/Enterprise: a crashed node answers again (`nodeRecovered`) after this and takes new sessions again. */
  nodeRecoverAfter: Duration.default(60_000),
});

/** The whole `generate:` block. */
export const GenerateSchema = z.strictObject({
  /** The window in which sessions arrive (they still finish after it). Default `1h`. */
  duration: Duration.default(3_600_000),
  sessions: Sessions.prefault({}),
  mix: Mix.prefault({}),
  call: kind({
    participants: 1,
    duration: { dist: 'lognormal', median: '6m', sigma: 0.9, min: '20s', max: '2h' },
    stay: { dist: 'lognormal', median: '6m', sigma: 0.9, min: '10s' },
    joinSpread: '20s',
    publish: 0.97,
    audioOnly: 0.1,
    screenShare: 0.05,
    signalsPerMinute: 0.1,
    filterEventsPerMinute: 0,
  }),
  meeting: kind({
    participants: { dist: 'lognormal', median: 4, sigma: 0.5, min: 2, max: 16 },
    duration: { dist: 'lognormal', median: '30m', sigma: 0.6, min: '2m', max: '4h' },
    stay: { dist: 'lognormal', median: '25m', sigma: 0.7, min: '30s' },
    joinSpread: '4m',
    publish: 0.85,
    audioOnly: 0.1,
    screenShare: 0.3,
    signalsPerMinute: 0.3,
    filterEventsPerMinute: 0,
  }),
  webinar: kind({
    participants: { dist: 'lognormal', median: 10, sigma: 0.6, min: 3, max: 60 },
    duration: { dist: 'lognormal', median: '45m', sigma: 0.4, min: '10m', max: '3h' },
    stay: { dist: 'lognormal', median: '35m', sigma: 0.6, min: '1m' },
    joinSpread: '8m',
    publish: 0,
    audioOnly: 0,
    screenShare: 0.6,
    signalsPerMinute: 0.4,
    filterEventsPerMinute: 0,
  }),
  ipcam: kind({
    participants: { dist: 'lognormal', median: 2, sigma: 0.6, min: 1, max: 8 },
    duration: { dist: 'lognormal', median: '1h', sigma: 0.7, min: '5m', max: '12h' },
    stay: { dist: 'lognormal', median: '5m', sigma: 0.8, min: '20s' },
    joinSpread: '30m',
    publish: 0,
    audioOnly: 0,
    screenShare: 0,
    signalsPerMinute: 0,
    filterEventsPerMinute: 0.2,
  }),
  recording: Recording.prefault({}),
  faults: Faults.prefault({}),
});

/** The validated block, with every default filled in (durations in ms, rates per ms). */
export type GenerateConfig = z.output<typeof GenerateSchema>;
export type SessionKind = keyof z.output<typeof Mix>;
export type KindConfig = GenerateConfig[SessionKind];
export const SESSION_KINDS: readonly SessionKind[] = ['call', 'meeting', 'webinar', 'ipcam'];
