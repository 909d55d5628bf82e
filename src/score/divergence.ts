import type { JournalAttempt, JournalFault, JournalUnsent } from '../sinks/journal-schema.js';

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

/** A journal entry that can explain a divergence: a fault, a request that did not deliver, a copy never sent. */
export type EvidenceEntry = JournalFault | JournalAttempt | JournalUnsent;

/**
 * Why a divergence happened and how to see it again: the delivery journal's entries about its entity
 * (`ovsim score --journal`, through `ScoreOptions.explain`; journal-evidence.ts).
 */
export interface Evidence {
  /** The delivery journal's entries (duplicates, drops, reorders, lost answers of this entity's events), in run order. */
  readonly journal: readonly EvidenceEntry[];
  /** Entries beyond those listed. */
  readonly more?: number | undefined;
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
  /** The journal entries that caused it and the command that reproduces it (with `--journal`). */
  readonly evidence?: Evidence | undefined;
}
