/**
 * The fixed ledger: the same tables, made safe for at-least-once, unordered delivery.
 * - Idempotent: each event has an identity (its kind and the entity it is about; a status for recordings), kept in
 *   `events_seen`; an event seen before changes nothing and performs no side effect.
 * - Order-tolerant: a participant is one row keyed by (session, participant), written by whichever of its events
 *   comes first; participantLeft carries `startTime`, the join instant, so it stands alone. A recording's status only
 *   moves forward (started → stopped → ready/failed).
 * - Closes what the sender never closed: sessionDestroyed ends every participant still open at its timestamp (a
 *   later participantLeft, with the exact instant, wins).
 * Seconds are computed from the timestamps (ms) rather than the truncated `duration`.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Ledger, Usage, WebhookEvent } from './ledger.js';

const STATUS_RANK: Record<string, number> = { started: 1, stopped: 2, ready: 3, failed: 3 };

/** The session an event is about: uniqueSessionId from OpenVidu 2.17, else the sessionId. */
const sessionKey = (e: WebhookEvent): string => e.uniqueSessionId ?? e.sessionId ?? '';

/** What makes an event the same event when it arrives again. */
function identity(e: WebhookEvent): string {
  switch (e.event) {
    case 'sessionCreated':
    case 'sessionDestroyed':
      return `${e.event}|${sessionKey(e)}`;
    case 'participantJoined':
    case 'participantLeft':
      return `${e.event}|${sessionKey(e)}|${e.participantId}`;
    case 'recordingStatusChanged':
      return `${e.event}|${e.id}|${e.status}`;
    default:
      return `${e.event}|${createHash('sha256').update(JSON.stringify(e)).digest('hex')}`;
  }
}

export function fixedLedger(db: Database): Ledger {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events_seen (identity TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS sessions (
      session_key TEXT PRIMARY KEY, session_id TEXT NOT NULL, unique_id INTEGER NOT NULL,
      created_at INTEGER, destroyed_at INTEGER);
    CREATE TABLE IF NOT EXISTS participants (
      session_key TEXT NOT NULL, participant_id TEXT NOT NULL, joined_at INTEGER, left_at INTEGER,
      PRIMARY KEY (session_key, participant_id));
    CREATE TABLE IF NOT EXISTS recordings (
      recording_id TEXT PRIMARY KEY, status TEXT NOT NULL, rank INTEGER NOT NULL, processed INTEGER NOT NULL);
  `);
  const q = {
    seen: db.prepare('INSERT OR IGNORE INTO events_seen (identity) VALUES (?)'),
    session: db.prepare(
      `INSERT INTO sessions (session_key, session_id, unique_id, created_at, destroyed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_key) DO UPDATE SET created_at = coalesce(excluded.created_at, created_at),
         destroyed_at = coalesce(excluded.destroyed_at, destroyed_at)`,
    ),
    closeOpen: db.prepare('UPDATE participants SET left_at = ? WHERE session_key = ? AND left_at IS NULL'),
    join: db.prepare(
      `INSERT INTO participants (session_key, participant_id, joined_at, left_at)
       VALUES (@session, @participant, @at, (SELECT destroyed_at FROM sessions WHERE session_key = @session))
       ON CONFLICT DO UPDATE SET joined_at = excluded.joined_at`,
    ),
    leave: db.prepare(
      `INSERT INTO participants (session_key, participant_id, joined_at, left_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET joined_at = excluded.joined_at, left_at = excluded.left_at`,
    ),
    recording: db.prepare(
      `INSERT INTO recordings (recording_id, status, rank, processed) VALUES (?, ?, ?, ?)
       ON CONFLICT (recording_id) DO UPDATE SET
         status = CASE WHEN excluded.rank > rank THEN excluded.status ELSE status END,
         rank = max(rank, excluded.rank), processed = processed + excluded.processed`,
    ),
    sessions: db.prepare(
      'SELECT session_key, session_id, unique_id, destroyed_at IS NULL AS open FROM sessions',
    ),
    participants: db.prepare(
      `SELECT participant_id, joined_at, left_at FROM participants WHERE session_key = ? ORDER BY joined_at`,
    ),
    recordings: db.prepare('SELECT recording_id, status, processed FROM recordings'),
  };
  const upsertSession = (e: WebhookEvent, created: number | null, destroyed: number | null) =>
    q.session.run(sessionKey(e), e.sessionId, e.uniqueSessionId === undefined ? 0 : 1, created, destroyed);

  function apply(e: WebhookEvent): string[] {
    if (q.seen.run(identity(e)).changes === 0) return [];
    switch (e.event) {
      case 'sessionCreated':
        upsertSession(e, e.timestamp, null);
        return [];
      case 'sessionDestroyed':
        upsertSession(e, e.startTime ?? null, e.timestamp);
        q.closeOpen.run(e.timestamp, sessionKey(e));
        return [`charge:${sessionKey(e)}`];
      case 'participantJoined':
        q.join.run({ session: sessionKey(e), participant: e.participantId, at: e.timestamp });
        return [];
      case 'participantLeft':
        q.leave.run(sessionKey(e), e.participantId, e.startTime, e.timestamp);
        return [];
      case 'recordingStatusChanged': {
        const ready = e.status === 'ready' ? 1 : 0;
        q.recording.run(e.id, e.status, STATUS_RANK[e.status ?? ''] ?? 0, ready);
        return ready ? [`publish:${e.id}`] : [];
      }
      default:
        return [];
    }
  }

  function usage(): Usage {
    type SessionRow = { session_key: string; session_id: string; unique_id: number; open: number };
    type ParticipantRow = { participant_id: string; joined_at: number | null; left_at: number | null };
    return {
      sessions: (q.sessions.all() as SessionRow[]).map((s) => ({
        sessionId: s.session_id,
        ...(s.unique_id === 1 ? { uniqueSessionId: s.session_key } : {}),
        open: s.open === 1,
        participants: (q.participants.all(s.session_key) as ParticipantRow[]).map((p) => ({
          participantId: p.participant_id,
          seconds: p.left_at === null || p.joined_at === null ? 0 : (p.left_at - p.joined_at) / 1000,
          online: p.left_at === null,
        })),
      })),
      recordings: (q.recordings.all() as { recording_id: string; status: string; processed: number }[]).map(
        (r) => ({
          id: r.recording_id,
          status: r.status,
          processed: r.processed,
        }),
      ),
    };
  }

  return { apply, usage };
}
