/**
 * What `ovsim score` finds: each divergence between a consumer's view and the ground truth, with its size.
 * Kinds and their meaning: docs/truth-and-score.md.
 */

export type DivergenceKind =
  | 'missing-session'
  | 'extra-session'
  | 'duplicate-session'
  | 'session-still-open'
  | 'session-not-open'
  | 'missing-participant'
  | 'extra-participant'
  | 'duplicate-participant'
  | 'participant-still-online'
  | 'minutes-overcounted'
  | 'minutes-lost'
  | 'missing-recording'
  | 'extra-recording'
  | 'duplicate-recording'
  | 'recording-status'
  | 'recording-processed-twice'
  | 'duplicate-effect';

/** The kinds judged by `--max-minutes-error` (when given) instead of `--max-divergences`. */
export const MINUTES_KINDS: ReadonlySet<DivergenceKind> = new Set(['minutes-overcounted', 'minutes-lost']);

/**
 * Why a divergence happened and how to see it again. Nothing fills it yet: the delivery journal of sender-side chaos
 * (`--journal`) will, through `ScoreOptions.explain`.
 */
export interface Evidence {
  /** The delivery journal's entries (duplicates, drops, reorders of this entity's events) that caused it. */
  readonly journal: readonly unknown[];
  /** A command line that reproduces the delivery (same scenario, seed and chaos). */
  readonly reproduce?: string | undefined;
}

/** One way a consumer's view differs from the truth (a missing session, minutes overcounted, …), with its size. */
export interface Divergence {
  readonly kind: DivergenceKind;
  /** The session as the actual view is matched: its uniqueSessionId or sessionId. */
  readonly session?: string | undefined;
  readonly participantId?: string | undefined;
  readonly recordingId?: string | undefined;
  readonly effect?: string | undefined;
  /** What the truth says (seconds, a status, a count), when there is one. */
  readonly expected?: number | string | boolean | null | undefined;
  /** What the consumer says. */
  readonly actual?: number | string | boolean | null | undefined;
  /** Connected seconds counted too many or lost (always ≥ 0; the kind tells which), when time is at stake. */
  readonly seconds?: number | undefined;
  /** How many too many (listings, processings, side effects), when a count is at stake. */
  readonly count?: number | undefined;
  readonly message: string;
  /** The journal entries that caused it and the command that reproduces it; absent until chaos delivery exists. */
  readonly evidence?: Evidence | undefined;
}
