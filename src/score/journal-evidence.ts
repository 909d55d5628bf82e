/**
 * The evidence of `ovsim score --journal FILE`: for each divergence, the delivery journal's entries about the entity it
 * concerns — the faults injected on its events (a duplicate `participantJoined`, a `participantLeft` released out of
 * order, a dropped `sessionDestroyed`), the answers that lost a delivery (a 500 OpenVidu never retried, an answer
 * ignored) and the deliveries never sent — and the command line that plays the same delivery again.
 *
 * Reads the journal line by line (a load test's is large) and keeps only those entries; a request delivered on its
 * first try is not evidence of anything.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { OvsimError } from '../errors.js';
import { parseInstant } from '../scenario/simulate-scenario.js';
import { JournalRecord, type JournalRun } from '../sinks/journal-schema.js';
import type { Truth } from '../truth/truth-schema.js';
import type { Divergence, Evidence, EvidenceEntry } from './divergence.js';

/** Entries attached to one divergence at most; the evidence says how many more there were. */
const MAX_ENTRIES = 20;

export interface JournalEvidence {
  readonly run: JournalRun;
  /** What the reader noticed: a journal without its end, of another run than the truth. */
  readonly notes: readonly string[];
  explain(d: Divergence): Evidence;
}

const SESSION_EVENTS = new Set(['sessionCreated', 'sessionDestroyed']);
const PARTICIPANT_EVENTS = new Set(['participantJoined', 'participantLeft']);

/** Reads a journal. @throws OvsimError BAD_INPUT naming the file and line of a record that is not one */
export async function readJournalEvidence(path: string, truth?: Truth): Promise<JournalEvidence> {
  const bySession = new Map<string, EvidenceEntry[]>();
  const byRecording = new Map<string, EvidenceEntry[]>();
  let run: JournalRun | undefined;
  let ended = false;
  let line = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) =>
    stream.once('error', (e) =>
      reject(new OvsimError('IO', `--journal ${path}: ${(e as Error).message}`, { cause: e })),
    ),
  );
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const reading = (async () => {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      const record = parseRecord(text, path, line);
      if (record.kind === 'run') {
        if (line !== 1) throw new OvsimError('BAD_INPUT', `${path}:${line}: a second run record`);
        run = record;
      } else if (record.kind === 'end') ended = true;
      else if (isEvidence(record)) {
        const ref = record.event;
        add(bySession, ref.uniqueSessionId ?? ref.sessionId, record);
        if (ref.recordingId !== null) add(byRecording, ref.recordingId, record);
      }
    }
  })();
  await Promise.race([reading, failed]);
  if (!run) throw new OvsimError('BAD_INPUT', `${path}: not a delivery journal (no run record on line 1)`);
  const notes: string[] = [];
  if (!ended) notes.push(`the journal ${path} has no end record: the run did not finish writing it`);
  const other = truth === undefined ? undefined : otherRun(run, truth);
  if (other) notes.push(`the journal ${path} is of another run than the truth (${other})`);
  const r = run;
  return { run: r, notes, explain: (d) => explain(d, r, bySession, byRecording) };
}

function parseRecord(text: string, path: string, line: number): JournalRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OvsimError('BAD_INPUT', `${path}:${line}: not JSON`);
  }
  const parsed = JournalRecord.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.filter((k) => typeof k !== 'symbol').join('.') ?? '';
  throw new OvsimError(
    'BAD_INPUT',
    `${path}:${line}: not a journal record${field ? ` (${field})` : ''}: ${issue?.message ?? ''}`,
  );
}

/** Faults, and requests or copies that ended badly: a request delivered at once is not evidence. */
function isEvidence(r: JournalRecord): r is EvidenceEntry {
  if (r.kind === 'fault' || r.kind === 'unsent') return true;
  return r.kind === 'attempt' && r.result !== 'delivered';
}

function add(map: Map<string, EvidenceEntry[]>, key: string | null, e: EvidenceEntry): void {
  if (key === null) return;
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

function otherRun(run: JournalRun, truth: Truth): string | undefined {
  const differs: string[] = [];
  if (run.scenario !== truth.run.scenario && !run.scenario.endsWith(`${truth.run.scenario}.yaml`))
    differs.push(`scenario ${run.scenario}, not ${truth.run.scenario}`);
  if (run.seed !== truth.run.seed) differs.push(`seed ${run.seed}, not ${truth.run.seed}`);
  if (parseInstant(run.start) !== truth.run.start)
    differs.push(`start ${run.start}, not ${truth.run.start} ms`);
  return differs.length > 0 ? differs.join('; ') : undefined;
}

/**
 * What most likely caused each kind of divergence, first: a count too high comes from a body sent twice; a count too
 * low, someone still online or a wrong status, from a body lost, late or out of order.
 */
const REPEATS = ['duplicate', 'noack', 'retry'];
const LOSSES = ['drop', 'failed', 'unsent', 'reorder', 'stall', 'stalled', 'delay'];
const LIKELY: Readonly<Partial<Record<Divergence['kind'], readonly string[]>>> = {
  'minutes-overcounted': REPEATS,
  'duplicate-participant': REPEATS,
  'duplicate-session': REPEATS,
  'duplicate-recording': REPEATS,
  'recording-processed-twice': REPEATS,
  'duplicate-effect': REPEATS,
  'extra-participant': REPEATS,
  'extra-session': REPEATS,
};

/** The cause an entry stands for: its fault, `failed` for a request that lost the copy, `unsent`. */
function causeOf(e: EvidenceEntry): string {
  if (e.kind === 'fault') return e.fault;
  if (e.kind === 'unsent') return 'unsent';
  return e.result === 'ignored' ? 'noack' : e.result;
}

function rank(d: Divergence, entries: EvidenceEntry[]): EvidenceEntry[] {
  const likely = LIKELY[d.kind] ?? LOSSES;
  const score = (e: EvidenceEntry) => {
    const i = likely.indexOf(causeOf(e));
    return i < 0 ? likely.length : i;
  };
  return entries
    .map((e, i) => ({ e, i, s: score(e) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.e);
}

function explain(
  d: Divergence,
  run: JournalRun,
  bySession: ReadonlyMap<string, readonly EvidenceEntry[]>,
  byRecording: ReadonlyMap<string, readonly EvidenceEntry[]>,
): Evidence {
  const found = rank(d, entriesOf(d, bySession, byRecording));
  const journal = found.slice(0, MAX_ENTRIES);
  return {
    journal,
    ...(found.length > journal.length ? { more: found.length - journal.length } : {}),
    reproduce: run.reproduce,
  };
}

/** The entries about the entity of a divergence, in run order (`rank` puts the likely causes first). */
function entriesOf(
  d: Divergence,
  bySession: ReadonlyMap<string, readonly EvidenceEntry[]>,
  byRecording: ReadonlyMap<string, readonly EvidenceEntry[]>,
): EvidenceEntry[] {
  if (d.recordingId !== undefined) return [...(byRecording.get(d.recordingId) ?? [])];
  if (d.effect !== undefined) return entriesOfEffect(d.effect, bySession, byRecording);
  if (d.session === undefined) return [];
  const all = sessionEntries(d.session, bySession);
  const pid = d.participantId;
  // A participant's time is made by its own join and leave, and by the session's end that closes it.
  if (pid !== undefined)
    return all.filter(
      (e) =>
        (PARTICIPANT_EVENTS.has(e.event.type) && e.event.participantId === pid) ||
        e.event.type === 'sessionDestroyed',
    );
  return all.filter((e) => SESSION_EVENTS.has(e.event.type) || PARTICIPANT_EVENTS.has(e.event.type));
}

/** A session as the score matched it: by uniqueSessionId, or every session sharing a sessionId. */
function sessionEntries(
  key: string,
  bySession: ReadonlyMap<string, readonly EvidenceEntry[]>,
): EvidenceEntry[] {
  const own = bySession.get(key);
  if (own) return [...own];
  const out: EvidenceEntry[] = [];
  for (const list of bySession.values()) for (const e of list) if (e.event.sessionId === key) out.push(e);
  return out.sort((a, b) => a.event.seq - b.event.seq);
}

/**
 * A side effect names what it acted on (`charge:ses_x`, `publish:ses_x~1`): the session or recording it names. A
 * session's first recording has the session's id, so a name may be both: then both are evidence.
 */
function entriesOfEffect(
  effect: string,
  bySession: ReadonlyMap<string, readonly EvidenceEntry[]>,
  byRecording: ReadonlyMap<string, readonly EvidenceEntry[]>,
): EvidenceEntry[] {
  for (const token of effect.split(/[\s:/,|=]+/).filter((t) => t !== '')) {
    const session = sessionEntries(token, bySession).filter((e) => SESSION_EVENTS.has(e.event.type));
    const recording = byRecording.get(token) ?? [];
    if (session.length + recording.length > 0)
      return [...session, ...recording].sort((a, b) => a.event.seq - b.event.seq);
  }
  return [];
}

/** `duplicate participantJoined #12 (copy 1)` */
export function describeEntry(e: EvidenceEntry): string {
  const what = `${e.event.type} #${e.event.seq}${describeCopy(e)}`;
  switch (e.kind) {
    case 'fault':
      return `${e.fault} ${what}${faultDetail(e)}`;
    case 'attempt':
      return `request ${e.attempt} of ${what} ${'status' in e.response ? `answered ${e.response.status}` : e.response.error}: ${e.result}`;
    case 'unsent':
      return `${what} never sent (${e.reason})`;
  }
}

function describeCopy(e: { copy?: number | undefined }): string {
  return e.copy !== undefined && e.copy > 0 ? ` (copy ${e.copy})` : '';
}

function faultDetail(e: Extract<EvidenceEntry, { kind: 'fault' }>): string {
  if (e.fault === 'reorder') return `: position ${e.from} → ${e.to} in window ${e.window}`;
  if (e.fault === 'retry') return `: again after ${e.after ?? '?'} (+${e.delayMs ?? 0} ms)`;
  if (e.delayMs !== undefined && e.delayMs > 0) return `: +${e.delayMs} ms`;
  return '';
}
