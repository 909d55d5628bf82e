/**
 * The naive ledger, as consumers are commonly written: a row per participantJoined, updated by participantLeft
 * with its `duration`, summed per participant. It trusts the sender to deliver each event exactly once and in order,
 * which OpenVidu's retries, network flaps and LiveKit's delivery do not promise: a duplicated participantJoined
 * doubles the minutes, a participantLeft overtaking its participantJoined leaves someone online forever, a `ready`
 * delivered twice publishes the recording twice, a `stopped` arriving after `ready` rolls its status back.
 */
import type { Database } from 'better-sqlite3';
import type { Ledger, Usage, WebhookEvent } from './ledger.js';

export function naiveLedger(db: Database): Ledger {
  db.exec(`
    CREATE TABLE IF NOT EXISTS sessions (session_id TEXT NOT NULL, created_at INTEGER, destroyed_at INTEGER);
    CREATE TABLE IF NOT EXISTS participants (
      id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, participant_id TEXT NOT NULL,
      joined_at INTEGER, left_at INTEGER, seconds INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS recordings (
      recording_id TEXT PRIMARY KEY, status TEXT NOT NULL, processed INTEGER NOT NULL DEFAULT 0);
  `);
  const q = {
    createSession: db.prepare('INSERT INTO sessions (session_id, created_at) VALUES (?, ?)'),
    destroySession: db.prepare('UPDATE sessions SET destroyed_at = ? WHERE session_id = ?'),
    join: db.prepare('INSERT INTO participants (session_id, participant_id, joined_at) VALUES (?, ?, ?)'),
    leave: db.prepare('UPDATE participants SET left_at = ?, seconds = ? WHERE participant_id = ?'),
    recording: db.prepare(
      `INSERT INTO recordings (recording_id, status, processed) VALUES (?, ?, ?)
       ON CONFLICT (recording_id) DO UPDATE SET status = excluded.status, processed = processed + excluded.processed`,
    ),
    sessions: db.prepare(
      'SELECT session_id, MAX(destroyed_at IS NULL) AS open FROM sessions GROUP BY session_id',
    ),
    participants: db.prepare(
      `SELECT participant_id, SUM(seconds) AS seconds, MAX(left_at IS NULL) AS online
       FROM participants WHERE session_id = ? GROUP BY participant_id`,
    ),
    recordings: db.prepare('SELECT recording_id, status, processed FROM recordings'),
  };
  return {
    apply(e: WebhookEvent): string[] {
      switch (e.event) {
        case 'sessionCreated':
          q.createSession.run(e.sessionId, e.timestamp);
          return [];
        case 'sessionDestroyed':
          q.destroySession.run(e.timestamp, e.sessionId);
          return [`charge:${e.sessionId}`];
        case 'participantJoined':
          q.join.run(e.sessionId, e.participantId, e.timestamp);
          return [];
        case 'participantLeft':
          q.leave.run(e.timestamp, e.duration, e.participantId);
          return [];
        case 'recordingStatusChanged': {
          const ready = e.status === 'ready' ? 1 : 0;
          q.recording.run(e.id, e.status, ready);
          return ready ? [`publish:${e.id}`] : [];
        }
        default:
          return [];
      }
    },
    usage(): Usage {
      const sessions = q.sessions.all() as { session_id: string; open: number }[];
      return {
        sessions: sessions.map((s) => ({
          sessionId: s.session_id,
          open: s.open === 1,
          participants: (
            q.participants.all(s.session_id) as { participant_id: string; seconds: number; online: number }[]
          ).map((p) => ({ participantId: p.participant_id, seconds: p.seconds, online: p.online === 1 })),
        })),
        recordings: (q.recordings.all() as { recording_id: string; status: string; processed: number }[]).map(
          (r) => ({ id: r.recording_id, status: r.status, processed: r.processed }),
        ),
      };
    },
  };
}
