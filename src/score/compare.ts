/**
 * The comparison of a consumer's view with the ground truth: pure, no I/O. Sessions are matched by uniqueSessionId
 * when every actual session has one, else by sessionId (truth sessions sharing a sessionId are then taken together);
 * participants by participantId within their session; recordings by id. Definitions: docs/truth-and-score.md.
 */
import type { Actual, ActualSessionRecord } from './actual-schema.js';
import type { Divergence, Evidence } from './divergence.js';
import type { Truth, TruthRecordingRecord } from '../truth/truth-schema.js';

/** Options of `compareWithTruth`: tolerances, duplicate side effects counted, and the evidence of each divergence. */
export interface ScoreOptions {
  /** Seconds of difference ignored per participant (per session: times its participants); default 1. */
  readonly toleranceSeconds?: number | undefined;
  /** Whether the view can list a session nobody joined (a JSON view can, a CSV export cannot); default true. */
  readonly expectsEmptySessions?: boolean | undefined;
  /** Side effects the consumer reported (effect → times); absent: not scored. */
  readonly effects?: ReadonlyMap<string, number> | undefined;
  /**
   * Attaches evidence to each divergence: the delivery journal's entries that caused it and the command that
   * reproduces it (`ovsim score --journal`: journal-evidence.ts).
   */
  readonly explain?: ((d: Divergence) => Evidence | undefined) | undefined;
}

export interface ScoreTotals {
  /** Participant seconds in the truth (open participants counted until the end of the run). */
  readonly truthSeconds: number;
  /** Participant seconds in the consumer's view. */
  readonly actualSeconds: number;
  /** Seconds counted too many beyond the tolerance: overcounted, extra and duplicate entries. */
  readonly overcountedSeconds: number;
  /** Seconds lost beyond the tolerance: undercounted and missing entries. */
  readonly lostSeconds: number;
  readonly sessions: { readonly truth: number; readonly actual: number };
  readonly participants: { readonly truth: number; readonly actual: number };
  readonly recordings?: { readonly truth: number; readonly actual: number } | undefined;
  readonly effects?:
    { readonly distinct: number; readonly total: number; readonly duplicates: number } | undefined;
}

/** What `compareWithTruth` found: every divergence between the consumer's view and the truth, with totals. */
export interface ScoreResult {
  readonly keyedBy: 'uniqueSessionId' | 'sessionId';
  readonly divergences: readonly Divergence[];
  readonly totals: ScoreTotals;
  /** What was not compared, and why. */
  readonly notes: readonly string[];
}

interface TruthPart {
  readonly seconds: number;
  readonly open: boolean;
  readonly leftAt: number | null;
  readonly reason: string | null;
}

interface TruthGroup {
  readonly key: string;
  open: boolean;
  seconds: number;
  readonly participants: Map<string, TruthPart>;
}

interface ActualPart {
  seconds: number;
  online: boolean | undefined;
  listed: number;
}

interface ActualGroup {
  readonly key: string;
  listed: number;
  open: boolean | undefined;
  /** The session's total: its participants' sum, or the seconds given for the session. */
  seconds: number;
  /** Undefined when the view gives the session's total only. */
  participants: Map<string, ActualPart> | undefined;
}

const secondsOf = (v: { seconds?: number | undefined; minutes?: number | undefined }): number =>
  v.seconds ?? (v.minutes ?? 0) * 60;

/** Compares `actual` with `truth`; divergences come sessions first, then recordings, then side effects. */
export function compareWithTruth(truth: Truth, actual: Actual, o: ScoreOptions = {}): ScoreResult {
  const tolerance = o.toleranceSeconds ?? 1;
  const keyedBy =
    actual.sessions.length > 0 && actual.sessions.every((s) => s.uniqueSessionId !== undefined)
      ? 'uniqueSessionId'
      : 'sessionId';
  const out: Divergence[] = [];
  const notes: string[] = [];
  const add = (d: Divergence) => {
    const evidence = o.explain?.(d);
    out.push(evidence ? { ...d, evidence } : d);
  };
  const truthGroups = groupTruth(truth, keyedBy);
  const actualGroups = groupActual(actual.sessions, keyedBy);
  let openSkipped = 0;
  for (const t of truthGroups.values()) {
    const a = actualGroups.get(t.key);
    if (!a) {
      if (t.participants.size > 0 || o.expectsEmptySessions !== false)
        add({
          kind: 'missing-session',
          session: t.key,
          expected: t.seconds,
          seconds: t.seconds,
          message: `session ${t.key} is missing (${fmtSeconds(t.seconds)} of participants lost)`,
        });
      continue;
    }
    openSkipped += compareSession(t, a, tolerance, add);
  }
  for (const a of actualGroups.values()) {
    if (truthGroups.has(a.key)) continue;
    add({
      kind: 'extra-session',
      session: a.key,
      actual: a.seconds,
      seconds: a.seconds,
      message: `session ${a.key} never existed (${fmtSeconds(a.seconds)} counted)`,
    });
  }
  if (openSkipped > 0)
    notes.push(
      `${openSkipped} participant(s) still connected at the end of the run: their seconds are not compared`,
    );
  if (actual.recordings) compareRecordings(truth.recordings, actual.recordings, add);
  else notes.push('the view has no recordings: recordings not scored');
  if (o.effects) compareEffects(o.effects, add);
  return {
    keyedBy,
    divergences: out,
    totals: totalsOf(truth, actual, truthGroups, actualGroups, out, o.effects),
    notes,
  };
}

function groupTruth(truth: Truth, keyedBy: 'uniqueSessionId' | 'sessionId'): Map<string, TruthGroup> {
  const groups = new Map<string, TruthGroup>();
  for (const s of truth.sessions) {
    const key = s[keyedBy];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, open: false, seconds: 0, participants: new Map() }));
    g.open ||= s.open;
    g.seconds += s.billing.participantSeconds;
    for (const p of s.participants)
      g.participants.set(p.participantId, {
        seconds: p.connectedSeconds,
        open: p.open,
        leftAt: p.leftAt,
        reason: p.reason,
      });
  }
  return groups;
}

function groupActual(
  sessions: readonly ActualSessionRecord[],
  keyedBy: 'uniqueSessionId' | 'sessionId',
): Map<string, ActualGroup> {
  const groups = new Map<string, ActualGroup>();
  for (const s of sessions) {
    const key = (keyedBy === 'uniqueSessionId' ? s.uniqueSessionId : undefined) ?? s.sessionId;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, listed: 0, open: undefined, seconds: 0, participants: undefined }));
    g.listed++;
    if (s.open !== undefined) g.open = (g.open ?? false) || s.open;
    if (s.participants === undefined) {
      g.seconds += secondsOf(s);
      continue;
    }
    g.participants ??= new Map();
    for (const p of s.participants) {
      const seconds = secondsOf(p);
      g.seconds += seconds;
      const known = g.participants.get(p.participantId);
      if (known) {
        known.seconds += seconds;
        known.listed++;
        if (p.online !== undefined) known.online = (known.online ?? false) || p.online;
      } else g.participants.set(p.participantId, { seconds, online: p.online, listed: 1 });
    }
  }
  return groups;
}

/** Compares one session; returns how many open participants were left uncompared. */
function compareSession(
  t: TruthGroup,
  a: ActualGroup,
  tolerance: number,
  add: (d: Divergence) => void,
): number {
  const session = t.key;
  if (a.listed > 1)
    add({
      kind: 'duplicate-session',
      session,
      count: a.listed - 1,
      message: `session ${session} is listed ${a.listed} times`,
    });
  if (a.open === true && !t.open)
    add({
      kind: 'session-still-open',
      session,
      expected: false,
      actual: true,
      message: `session ${session} is still open for the consumer; it was destroyed`,
    });
  if (a.open === false && t.open)
    add({
      kind: 'session-not-open',
      session,
      expected: true,
      actual: false,
      message: `session ${session} is closed for the consumer; it was still open at the end of the run`,
    });
  if (!a.participants) {
    if ([...t.participants.values()].some((p) => p.open)) return t.participants.size;
    compareSeconds(t.seconds, a.seconds, tolerance * Math.max(1, t.participants.size), { session }, add);
    return 0;
  }
  let openSkipped = 0;
  for (const [participantId, p] of t.participants) {
    const ap = a.participants.get(participantId);
    if (!ap) {
      add({
        kind: 'missing-participant',
        session,
        participantId,
        expected: p.seconds,
        seconds: p.seconds,
        message: `participant ${participantId} of ${session} is missing (${fmtSeconds(p.seconds)} lost)`,
      });
      continue;
    }
    openSkipped += compareParticipant(session, participantId, p, ap, tolerance, add);
  }
  for (const [participantId, ap] of a.participants) {
    if (t.participants.has(participantId)) continue;
    add({
      kind: 'extra-participant',
      session,
      participantId,
      actual: ap.seconds,
      seconds: ap.seconds,
      message: `participant ${participantId} never joined ${session} (${fmtSeconds(ap.seconds)} counted)`,
    });
  }
  return openSkipped;
}

function compareParticipant(
  session: string,
  participantId: string,
  p: TruthPart,
  ap: ActualPart,
  tolerance: number,
  add: (d: Divergence) => void,
): number {
  if (ap.listed > 1)
    add({
      kind: 'duplicate-participant',
      session,
      participantId,
      count: ap.listed - 1,
      message: `participant ${participantId} of ${session} is listed ${ap.listed} times`,
    });
  if (ap.online === true && !p.open)
    add({
      kind: 'participant-still-online',
      session,
      participantId,
      expected: false,
      actual: true,
      message: `participant ${participantId} of ${session} is still online for the consumer; it left (${p.reason ?? 'no reason'})`,
    });
  if (p.open) return 1;
  compareSeconds(p.seconds, ap.seconds, tolerance, { session, participantId }, add);
  return 0;
}

function compareSeconds(
  expected: number,
  actual: number,
  tolerance: number,
  who: { session: string; participantId?: string },
  add: (d: Divergence) => void,
): void {
  const delta = actual - expected;
  if (Math.abs(delta) <= tolerance + 1e-9) return;
  const what = who.participantId
    ? `participant ${who.participantId} of ${who.session}`
    : `session ${who.session}`;
  add({
    kind: delta > 0 ? 'minutes-overcounted' : 'minutes-lost',
    ...who,
    expected,
    actual,
    seconds: Math.abs(delta),
    message:
      `${what}: ${fmtSeconds(actual)} counted, ${fmtSeconds(expected)} connected ` +
      `(${delta > 0 ? '+' : '−'}${fmtSeconds(Math.abs(delta))})`,
  });
}

function compareRecordings(
  truth: readonly TruthRecordingRecord[],
  actual: NonNullable<Actual['recordings']>,
  add: (d: Divergence) => void,
): void {
  const seen = new Map<string, { status: string; processed: number; listed: number }>();
  for (const r of actual) {
    const known = seen.get(r.id);
    if (known) {
      known.listed++;
      known.processed += r.processed ?? 0;
      known.status = r.status;
    } else seen.set(r.id, { status: r.status, processed: r.processed ?? 0, listed: 1 });
  }
  const truthIds = new Set<string>();
  for (const r of truth) {
    truthIds.add(r.id);
    const a = seen.get(r.id);
    if (!a) {
      add({
        kind: 'missing-recording',
        recordingId: r.id,
        expected: r.status,
        message: `recording ${r.id} is missing`,
      });
      continue;
    }
    if (a.listed > 1)
      add({
        kind: 'duplicate-recording',
        recordingId: r.id,
        count: a.listed - 1,
        message: `recording ${r.id} is listed ${a.listed} times`,
      });
    if (a.status !== r.status)
      add({
        kind: 'recording-status',
        recordingId: r.id,
        expected: r.status,
        actual: a.status,
        message: `recording ${r.id} is ${a.status} for the consumer; its final status is ${r.status}`,
      });
    if (a.processed > 1)
      add({
        kind: 'recording-processed-twice',
        recordingId: r.id,
        expected: 1,
        actual: a.processed,
        count: a.processed - 1,
        message: `recording ${r.id} was processed ${a.processed} times`,
      });
  }
  for (const id of seen.keys())
    if (!truthIds.has(id))
      add({ kind: 'extra-recording', recordingId: id, message: `recording ${id} never existed` });
}

function compareEffects(effects: ReadonlyMap<string, number>, add: (d: Divergence) => void): void {
  for (const [effect, times] of effects) {
    if (times <= 1) continue;
    add({
      kind: 'duplicate-effect',
      effect,
      expected: 1,
      actual: times,
      count: times - 1,
      message: `side effect ${effect} happened ${times} times`,
    });
  }
}

function totalsOf(
  truth: Truth,
  actual: Actual,
  truthGroups: Map<string, TruthGroup>,
  actualGroups: Map<string, ActualGroup>,
  divergences: readonly Divergence[],
  effects: ReadonlyMap<string, number> | undefined,
): ScoreTotals {
  let over = 0;
  let lost = 0;
  for (const d of divergences) {
    if (d.seconds === undefined) continue;
    if (d.kind === 'minutes-overcounted' || d.kind === 'extra-participant' || d.kind === 'extra-session')
      over += d.seconds;
    else lost += d.seconds;
  }
  let actualSeconds = 0;
  let actualParticipants = 0;
  for (const a of actualGroups.values()) {
    actualSeconds += a.seconds;
    actualParticipants += a.participants?.size ?? 0;
  }
  let truthParticipants = 0;
  for (const t of truthGroups.values()) truthParticipants += t.participants.size;
  let effectTotal = 0;
  let duplicates = 0;
  for (const n of effects?.values() ?? []) {
    effectTotal += n;
    duplicates += Math.max(0, n - 1);
  }
  return {
    truthSeconds: truth.billing.participantSeconds,
    actualSeconds: round3(actualSeconds),
    overcountedSeconds: round3(over),
    lostSeconds: round3(lost),
    sessions: { truth: truthGroups.size, actual: actualGroups.size },
    participants: { truth: truthParticipants, actual: actualParticipants },
    recordings: actual.recordings
      ? { truth: truth.recordings.length, actual: actual.recordings.length }
      : undefined,
    effects: effects ? { distinct: effects.size, total: effectTotal, duplicates } : undefined,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** `62.7 s`, `1 h 2 min 3.5 s` past an hour. */
export function fmtSeconds(s: number): string {
  const r = round3(s);
  if (r < 60) return `${r} s`;
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  const sec = round3(r % 60);
  return `${h > 0 ? `${h} h ` : ''}${m} min${sec > 0 ? ` ${sec} s` : ''}`;
}
