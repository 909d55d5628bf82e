/**
 * Sessions (spec §2.1, §2.2, §3, §4): ids and uniqueSessionId, one live session per sessionId, created once and
 * destroyed once with nothing left in it and the reason its close implies; events of a session only while it
 * lives. Keeps the live sessions and a bounded memory of destroyed ones, so memory stays flat on any input.
 */
import { at, excerpt, int, SESSION_ID, str, type EventInput } from '../event-input.js';
import type { RuleContext } from './context.js';
import type { DestroyedSession, Recording, Session } from './state.js';

/** What the session rules need from the other families. */
export interface SessionHooks {
  /** An event of a destroyed session that its family accepts (a late recording `ready`): true to accept it. */
  readonly late: (ev: EventInput, gone: DestroyedSession) => boolean;
  /** The session ended: its families drop what still waits in it. */
  readonly ended: (ev: EventInput, session: Session) => void;
}

/** The session ids an event carries, checked. */
interface SessionIds {
  readonly sessionId: string;
  readonly usid: string | undefined;
  /** The creation time the uniqueSessionId ends with. */
  readonly usidTime: number | undefined;
}

/** OpenVidu drops never-joined sessions without a sessionDestroyed since 2.13 (OPENVIDU_SESSIONS_GARBAGE_*). */
const GARBAGE_COLLECTOR_SINCE = 13;

export class SessionRules {
  /** sessionCreated events accepted. */
  created = 0;
  destroyedCount = 0;
  /** Sessions whose first event in the input was not sessionCreated. */
  begunBeforeInput = 0;

  private readonly sessions = new Map<string, Session>();
  /** Live session key by sessionId: OpenVidu never has two live sessions with one sessionId. */
  private readonly liveBySessionId = new Map<string, string>();
  /** Destroyed sessions, oldest first (a Map keeps insertion order, which makes it an LRU). */
  private readonly destroyed = new Map<string, DestroyedSession>();

  constructor(
    private readonly ctx: RuleContext,
    /** How many destroyed sessions are remembered (and open ones kept when sessionDestroyed is filtered out). */
    private readonly memory: number,
    private readonly hooks: SessionHooks,
  ) {}

  /** The sessions still open. */
  live(): IterableIterator<Session> {
    return this.sessions.values();
  }

  get openCount(): number {
    return this.sessions.size;
  }

  /**
   * The live session of a session event, opened when the input began after its creation; `undefined` when the
   * event has no sessionId, is a sessionCreated (handled here) or comes after its session's end.
   */
  sessionOf(ev: EventInput, minor: number): { session: Session; usidTime: number | undefined } | undefined {
    const ids = this.checkIds(ev, minor);
    if (ids === undefined) return undefined;
    const { sessionId, usid, usidTime } = ids;
    const key = usid ?? this.liveBySessionId.get(sessionId) ?? sessionId;
    if (ev.name === 'sessionCreated') {
      this.onSessionCreated(ev, key, ids, minor);
      return undefined;
    }
    let session = this.sessions.get(key);
    if (session === undefined) {
      const gone = this.destroyed.get(key);
      if (gone !== undefined) {
        if (!this.hooks.late(ev, gone)) {
          this.ctx.flag(
            ev,
            'after-destroyed',
            `${ev.name} for session ${sessionId} after its sessionDestroyed (${at(gone.where)})`,
          );
        }
        return undefined;
      }
      session = this.openBegunSession(ev, key, sessionId, usidTime);
    }
    const ts = int(ev.body, 'timestamp');
    if (
      ts !== undefined &&
      session.createdAt !== undefined &&
      ts < session.createdAt &&
      ev.name !== 'sessionDestroyed'
    ) {
      this.ctx.flag(
        ev,
        'timestamp-order',
        `timestamp ${ts} is before the creation of session ${sessionId} (${session.createdAt})`,
        'warning',
      );
    }
    return { session, usidTime };
  }

  /** sessionId's alphabet, and uniqueSessionId = sessionId + `_` + creation time (since 2.17). */
  private checkIds(ev: EventInput, minor: number): SessionIds | undefined {
    const sessionId = str(ev.body, 'sessionId');
    if (sessionId === undefined) return undefined;
    if (!SESSION_ID.test(sessionId)) {
      this.ctx.flag(
        ev,
        'id-format',
        `sessionId "${excerpt(sessionId, 40)}" is not a valid session id ([a-zA-Z0-9_-]+)`,
      );
    }
    const usid = minor >= 17 ? str(ev.body, 'uniqueSessionId') : undefined;
    let usidTime: number | undefined;
    if (usid !== undefined) {
      const suffix = usid.startsWith(`${sessionId}_`) ? usid.slice(sessionId.length + 1) : '';
      if (/^\d{1,16}$/.test(suffix)) usidTime = Number(suffix);
      else {
        this.ctx.flag(
          ev,
          'unique-session-id',
          `uniqueSessionId "${excerpt(usid, 50)}" is not "${sessionId}_<creation timestamp>"`,
        );
      }
    }
    return { sessionId, usid, usidTime };
  }

  private onSessionCreated(ev: EventInput, key: string, ids: SessionIds, minor: number): void {
    const { sessionId, usid, usidTime } = ids;
    const ts = int(ev.body, 'timestamp');
    if (usidTime !== undefined && ts !== undefined && usidTime !== ts) {
      this.ctx.flag(
        ev,
        'unique-session-id',
        `uniqueSessionId "${usid ?? ''}" does not end with the timestamp ${ts}`,
      );
    }
    const existing = this.sessions.get(key);
    if (existing !== undefined && usid === undefined && collectable(existing, minor)) {
      // Before 2.17 a session is keyed by its sessionId: a reused custom id after a garbage collection.
      this.sessions.delete(key);
    } else if (existing !== undefined) {
      this.ctx.flag(
        ev,
        'pairing',
        existing.complete
          ? `session ${sessionId} created twice (first sessionCreated at ${at(existing.createdWhere ?? existing.where)})`
          : `sessionCreated of ${sessionId} after other events of the session (first at ${at(existing.where)})`,
        'error',
        ['sessionDestroyed'],
      );
      // Without sessionDestroyed in the stream, a reused custom id is a new session: follow it.
      if (this.ctx.mayHold('sessionDestroyed')) return;
      this.sessions.delete(key);
    }
    this.forgetEarlier(ev, key, ids, minor);
    this.created++;
    this.addSession(newSession(key, sessionId, true, ev, ts));
  }

  /**
   * A new session with a key or sessionId used before: the destroyed one it replaces, or an open one. An open one
   * nobody ever joined may have been dropped, silently, by the garbage collector of non-active sessions (2.13+).
   */
  private forgetEarlier(ev: EventInput, key: string, ids: SessionIds, minor: number): void {
    const { sessionId, usid } = ids;
    const gone = this.destroyed.get(key);
    if (gone !== undefined) {
      this.destroyed.delete(key);
      if (usid !== undefined) {
        this.ctx.flag(
          ev,
          'unique-session-id',
          `uniqueSessionId ${usid} was already used by a session destroyed at ${at(gone.where)}`,
        );
      }
    }
    const previous = this.liveBySessionId.get(sessionId);
    const stale = previous === undefined ? undefined : this.sessions.get(previous);
    if (previous !== undefined && stale !== undefined) {
      if (collectable(stale, minor)) {
        this.sessions.delete(previous);
        return;
      }
      // Only a server that died without logging the ends (kill -9, power loss) leaves a session open like this.
      this.ctx.flag(
        ev,
        'pairing',
        `session ${sessionId} created again while the previous one (${at(stale.createdWhere ?? stale.where)}) was never destroyed (server restart?)`,
        'warning',
        ['sessionDestroyed'],
      );
      this.sessions.delete(previous);
    }
  }

  /** A session first seen through an event other than sessionCreated: the input starts mid-session. */
  private openBegunSession(
    ev: EventInput,
    key: string,
    sessionId: string,
    usidTime: number | undefined,
  ): Session {
    const session = newSession(key, sessionId, false, ev, usidTime);
    if (usidTime !== undefined && this.ctx.beganInInput(usidTime)) {
      this.ctx.flag(
        ev,
        'pairing',
        `no sessionCreated for session ${sessionId}, created at ${usidTime} within the input`,
        'error',
        ['sessionCreated'],
      );
      session.missingCreateReported = true;
    } else {
      this.begunBeforeInput++;
    }
    const stale = this.liveBySessionId.get(sessionId);
    if (stale !== undefined && stale !== key) {
      const other = this.sessions.get(stale);
      this.ctx.flag(
        ev,
        'unique-session-id',
        `another session with sessionId ${sessionId} (${at(other?.createdWhere ?? other?.where ?? ev.where)}) is still open`,
        'error',
        ['sessionDestroyed'],
      );
      this.sessions.delete(stale);
    }
    this.addSession(session);
    return session;
  }

  private addSession(session: Session): void {
    this.sessions.set(session.key, session);
    this.liveBySessionId.set(session.sessionId, session.key);
    if (this.sessions.size > this.memory && !this.ctx.mayHold('sessionDestroyed')) {
      // A stream without sessionDestroyed (filtered out) never closes a session: forget the oldest, so that
      // memory stays bounded; its later events are then read as those of a session begun before the input.
      const oldest = this.sessions.values().next();
      if (oldest.done !== true) {
        this.sessions.delete(oldest.value.key);
        if (this.liveBySessionId.get(oldest.value.sessionId) === oldest.value.key) {
          this.liveBySessionId.delete(oldest.value.sessionId);
        }
      }
    }
  }

  onSessionDestroyed(ev: EventInput, session: Session, usidTime: number | undefined): void {
    this.checkDestroyedStart(ev, session, usidTime);
    this.checkLeftBehind(ev, session);
    this.checkDestroyedReason(ev, session);
    this.hooks.ended(ev, session);
    this.destroyedCount++;
    this.sessions.delete(session.key);
    if (this.liveBySessionId.get(session.sessionId) === session.key)
      this.liveBySessionId.delete(session.sessionId);
    let pending: Map<string, Recording> | undefined;
    for (const [id, r] of session.recordings) {
      if (r.status === 'stopped') (pending ??= new Map()).set(id, r);
    }
    this.destroyed.delete(session.key);
    this.destroyed.set(session.key, { where: ev.where, pending });
    if (this.destroyed.size > this.memory) {
      const oldest = this.destroyed.keys().next();
      if (oldest.done !== true) this.destroyed.delete(oldest.value);
    }
  }

  /** startTime is the creation time; an end whose creation is not in the input. */
  private checkDestroyedStart(ev: EventInput, session: Session, usidTime: number | undefined): void {
    const startTime = int(ev.body, 'startTime');
    if (startTime === undefined) return;
    if (session.complete && session.createdAt !== undefined && startTime !== session.createdAt) {
      this.ctx.flag(
        ev,
        'start-time',
        `startTime ${startTime} differs from the sessionCreated timestamp ${session.createdAt} (${at(session.createdWhere ?? session.where)})`,
      );
    } else if (!session.complete && usidTime !== undefined && startTime !== usidTime) {
      this.ctx.flag(
        ev,
        'start-time',
        `startTime ${startTime} differs from the creation time ${usidTime} in uniqueSessionId`,
      );
    }
    if (session.complete || session.missingCreateReported) return;
    if (this.ctx.beganInInput(startTime)) {
      this.ctx.flag(
        ev,
        'pairing',
        `sessionDestroyed of ${session.sessionId} without sessionCreated (created at ${startTime}, within the input)`,
        'error',
        ['sessionCreated'],
      );
    } else {
      this.ctx.flag(
        ev,
        'pairing',
        `sessionDestroyed of ${session.sessionId} without sessionCreated (created before the input starts?)`,
        'warning',
        ['sessionCreated'],
      );
    }
  }

  /** OpenVidu ends a session after its participants have left and its recordings stopped (spec §4). */
  private checkLeftBehind(ev: EventInput, session: Session): void {
    if (session.participants.size > 0) {
      const list = [...session.participants.entries()];
      const shown = list
        .slice(0, 3)
        .map(([id, p]) => `${id} (${p.implicit ? 'seen' : 'joined'} at ${at(p.where)})`)
        .join(', ');
      this.ctx.flag(
        ev,
        'destroyed-while-active',
        `session ${session.sessionId} destroyed while ${list.length} participant${list.length === 1 ? ' is' : 's are'} still in it: ${shown}${list.length > 3 ? ', …' : ''}`,
        'error',
        ['participantLeft'],
      );
    }
    for (const [id, r] of session.recordings) {
      if (r.status === 'started') {
        this.ctx.flag(
          ev,
          'destroyed-while-active',
          `session ${session.sessionId} destroyed while recording ${id} (started at ${at(r.where)}) is not stopped`,
        );
      }
    }
  }

  /** The reason the close implies: the cascade's, or lastParticipantLeft only after someone joined (spec §2.2). */
  private checkDestroyedReason(ev: EventInput, session: Session): void {
    const reason = str(ev.body, 'reason');
    if (reason === undefined) {
      this.ctx.flag(ev, 'reason', 'sessionDestroyed without a reason', 'warning');
    } else if (!this.ctx.accurateReasons) {
      // The v2-compatibility module sends lastParticipantLeft for every close it did not ask for itself.
    } else if (session.closing !== undefined && reason !== session.closing.reason) {
      this.ctx.flag(
        ev,
        'cascade',
        `sessionDestroyed reason "${reason}" but the session was being closed with "${session.closing.reason}" (${at(session.closing.where)})`,
      );
    } else if (reason === 'lastParticipantLeft' && session.complete && !session.everJoined) {
      this.ctx.flag(
        ev,
        'cascade',
        `sessionDestroyed reason "lastParticipantLeft" but no participant ever joined session ${session.sessionId}`,
        'error',
        ['participantJoined'],
      );
    }
  }
}

/** A session OpenVidu's garbage collector may have dropped without a word: created in the input, never joined. */
function collectable(s: Session, minor: number): boolean {
  return minor >= GARBAGE_COLLECTOR_SINCE && s.complete && !s.everJoined;
}

function newSession(
  key: string,
  sessionId: string,
  complete: boolean,
  ev: EventInput,
  createdAt: number | undefined,
): Session {
  return {
    key,
    sessionId,
    complete,
    where: ev.where,
    createdAt,
    createdWhere: complete ? ev.where : undefined,
    missingCreateReported: false,
    participants: new Map(),
    outbound: new Map(),
    inbound: new Map(),
    recordings: new Map(),
    closing: undefined,
    everJoined: false,
  };
}
