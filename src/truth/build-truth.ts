/**
 * The ground truth as a fold over the engine's facts (facts.ts), taken before any delivery: what a consumer receives
 * — duplicated, reordered, dropped — never enters it. Feed every fact in the engine's order with `add`, then `finish`
 * with the run's description; entities still open then are counted until the end of the run and flagged `open`.
 *
 * Pure: no clock, no I/O. Connected time is summed in whole milliseconds and divided once, so sums are exact.
 */
import { OvsimError } from '../errors.js';
import type { ParticipantKind, RecordingStatus, TruthFact } from './facts.js';
import { perMinute, peakOf, type Interval } from './billing.js';
import {
  TRUTH_FORMAT,
  type Truth,
  type TruthMediaNodeRecord,
  type TruthParticipantRecord,
  type TruthRecordingRecord,
  type TruthSessionRecord,
} from './truth-schema.js';

/**
 * The `reason` of a session OpenVidu's garbage collector of non-active sessions dropped: no sessionDestroyed is logged
 * for it, so no OpenVidu reason exists; the truth names why it ended.
 */
export const GARBAGE_COLLECTED = 'garbageCollected';

/** What the truth says of the run itself. */
export interface TruthRun {
  readonly scenario: string;
  readonly seed: string;
  /** Virtual start, ms since the epoch. */
  readonly start: number;
  /**
   * Virtual end, ms: open entities are counted until it. Default (and never earlier than) the last instant the
   * engine reported.
   */
  readonly end?: number | undefined;
  readonly openviduVersion: string;
  readonly edition: 'ce' | 'pro' | 'enterprise';
  /** `i/n` for a shard of a dataset. */
  readonly shard?: string | undefined;
  /** OpenVidu 3 (LiveKit): the server and its LiveKit build; absent for OpenVidu 2. */
  readonly server?: 'openvidu3' | undefined;
  readonly livekitVersion?: string | undefined;
}

interface ParticipantAcc {
  readonly participantId: string;
  readonly kind: ParticipantKind;
  readonly joinedAt: number;
  leftAt: number | undefined;
  reason: string | undefined;
}

interface SessionAcc {
  readonly sessionId: string;
  readonly uniqueSessionId: string;
  readonly createdAt: number;
  destroyedAt: number | undefined;
  reason: string | undefined;
  readonly participants: ParticipantAcc[];
  /** Connected participants by id. */
  readonly live: Map<string, ParticipantAcc>;
  readonly recordingIds: string[];
}

interface RecordingAcc {
  readonly id: string;
  readonly sessionId: string;
  readonly uniqueSessionId: string;
  readonly outputMode: string;
  readonly startedAt: number;
  readonly statuses: RecordingStatus[];
  stoppedAt: number | undefined;
  durationSeconds: number;
  size: number;
  reason: string | undefined;
}

interface NodeAcc {
  readonly id: string;
  readonly statuses: { at: number; status: string }[];
  crashes: number;
  recoveries: number;
  crashed: boolean;
}

/**
 * Folds the engine's facts of a run, batch by batch, into its ground truth (`finish`): what the run's events imply,
 * computed before any delivery, so chaos on the way to a consumer cannot change it (docs/truth-and-score.md).
 */
export class TruthBuilder {
  private readonly sessions: SessionAcc[] = [];
  /** The latest session of each uniqueSessionId. */
  private readonly byUniqueId = new Map<string, SessionAcc>();
  private readonly recordings: RecordingAcc[] = [];
  private readonly byRecordingId = new Map<string, RecordingAcc>();
  private readonly nodes: NodeAcc[] = [];
  private readonly byNodeId = new Map<string, NodeAcc>();
  private lastAt = Number.NEGATIVE_INFINITY;

  /** Folds one fact in; facts must come in the engine's order. @throws OvsimError INTERNAL on an impossible order */
  add(fact: TruthFact): void {
    if (fact.at > this.lastAt) this.lastAt = fact.at;
    switch (fact.kind) {
      case 'sessionCreated':
        this.openSession(fact.sessionId, fact.uniqueSessionId, fact.at);
        return;
      case 'sessionDestroyed': {
        const s = this.sessionOf(fact.uniqueSessionId, fact);
        s.destroyedAt = fact.at;
        s.reason = fact.reason;
        return;
      }
      case 'sessionCollected': {
        const s = this.sessionOf(fact.uniqueSessionId, fact);
        s.destroyedAt = fact.at;
        s.reason = GARBAGE_COLLECTED;
        return;
      }
      case 'participantJoined': {
        const s =
          this.byUniqueId.get(fact.uniqueSessionId) ??
          this.openSession(fact.sessionId, fact.uniqueSessionId, fact.at);
        const p: ParticipantAcc = {
          participantId: fact.participantId,
          kind: fact.participantKind,
          joinedAt: fact.at,
          leftAt: undefined,
          reason: undefined,
        };
        s.participants.push(p);
        s.live.set(p.participantId, p);
        return;
      }
      case 'participantLeft': {
        const s = this.sessionOf(fact.uniqueSessionId, fact);
        const p = s.live.get(fact.participantId);
        if (!p) throw impossible(fact, `participant ${fact.participantId} is not connected`);
        p.leftAt = fact.at;
        p.reason = fact.reason;
        s.live.delete(fact.participantId);
        return;
      }
      case 'recordingStatus':
        this.recordingStatus(fact);
        return;
      case 'mediaNodeStatus':
        this.nodeOf(fact.nodeId).statuses.push({ at: fact.at, status: fact.status });
        return;
      case 'mediaNodeCrashed': {
        const n = this.nodeOf(fact.nodeId);
        n.crashes++;
        n.crashed = true;
        return;
      }
      case 'mediaNodeRecovered': {
        const n = this.nodeOf(fact.nodeId);
        n.recoveries++;
        n.crashed = false;
        return;
      }
    }
  }

  /** The truth document; the builder may go on folding afterwards (a later `finish` sees more). */
  finish(run: TruthRun): Truth {
    const end = Math.max(run.end ?? Number.NEGATIVE_INFINITY, this.lastAt, run.start);
    const intervals: Interval[] = [];
    const sessions = this.sessions.map((s) => sessionRecord(s, end, intervals));
    const recordings = this.recordings.map(recordingRecord);
    let totalMs = 0;
    for (const i of intervals) totalMs += i.to - i.from;
    return {
      format: TRUTH_FORMAT,
      run: {
        scenario: run.scenario,
        seed: run.seed,
        start: run.start,
        end,
        openviduVersion: run.openviduVersion,
        edition: run.edition,
        shard: run.shard ?? null,
        ...(run.server === undefined ? {} : { server: run.server, livekitVersion: run.livekitVersion ?? '' }),
      },
      sessions,
      recordings,
      mediaNodes: this.nodes.map(nodeRecord),
      billing: {
        sessions: sessions.length,
        participants: intervals.length,
        participantSeconds: totalMs / 1000,
        participantMinutes: totalMs / 60_000,
        peakParticipants: peakOf(intervals),
        recordings: {
          count: recordings.length,
          ready: recordings.filter((r) => r.status === 'ready').length,
          failed: recordings.filter((r) => r.status === 'failed').length,
          durationSeconds:
            recordings.reduce((sum, r) => sum + Math.round(r.durationSeconds * 1000), 0) / 1000,
          size: recordings.reduce((sum, r) => sum + r.size, 0),
        },
        perMinute: perMinute(intervals),
      },
    };
  }

  private openSession(sessionId: string, uniqueSessionId: string, at: number): SessionAcc {
    const s: SessionAcc = {
      sessionId,
      uniqueSessionId,
      createdAt: at,
      destroyedAt: undefined,
      reason: undefined,
      participants: [],
      live: new Map(),
      recordingIds: [],
    };
    this.sessions.push(s);
    this.byUniqueId.set(uniqueSessionId, s);
    return s;
  }

  private sessionOf(uniqueSessionId: string, fact: TruthFact): SessionAcc {
    const s = this.byUniqueId.get(uniqueSessionId);
    if (!s) throw impossible(fact, `session ${uniqueSessionId} was never created`);
    return s;
  }

  private recordingStatus(fact: Extract<TruthFact, { kind: 'recordingStatus' }>): void {
    let r = this.byRecordingId.get(fact.recordingId);
    // Recording ids are never reused (SESSION~n counts up, folders outlive sessions).
    if (!r) {
      r = {
        id: fact.recordingId,
        sessionId: fact.sessionId,
        uniqueSessionId: fact.uniqueSessionId,
        outputMode: fact.outputMode,
        startedAt: fact.startedAt,
        statuses: [],
        stoppedAt: undefined,
        durationSeconds: 0,
        size: 0,
        reason: undefined,
      };
      this.recordings.push(r);
      this.byRecordingId.set(r.id, r);
      this.byUniqueId.get(fact.uniqueSessionId)?.recordingIds.push(r.id);
    }
    r.statuses.push(fact.status);
    if (fact.status === 'stopped') r.stoppedAt = fact.at;
    r.durationSeconds = fact.durationSeconds;
    r.size = fact.size;
    if (fact.reason !== undefined) r.reason = fact.reason;
  }

  private nodeOf(id: string): NodeAcc {
    let n = this.byNodeId.get(id);
    if (!n) {
      n = { id, statuses: [], crashes: 0, recoveries: 0, crashed: false };
      this.nodes.push(n);
      this.byNodeId.set(id, n);
    }
    return n;
  }
}

function impossible(fact: TruthFact, why: string): OvsimError {
  return new OvsimError(
    'INTERNAL',
    `ground truth: ${fact.kind} at ${fact.at}: ${why} (the engine's events are out of order)`,
  );
}

/** A session's record; appends its participants' connected intervals to `intervals`. */
function sessionRecord(s: SessionAcc, end: number, intervals: Interval[]): TruthSessionRecord {
  const own: Interval[] = [];
  const participants = s.participants.map((p): TruthParticipantRecord => {
    const to = p.leftAt ?? end;
    own.push({ from: p.joinedAt, to, key: s.uniqueSessionId });
    return {
      participantId: p.participantId,
      kind: p.kind,
      joinedAt: p.joinedAt,
      leftAt: p.leftAt ?? null,
      reason: p.leftAt === undefined ? null : (p.reason ?? null),
      open: p.leftAt === undefined,
      connectedSeconds: (to - p.joinedAt) / 1000,
    };
  });
  let ms = 0;
  for (const i of own) {
    ms += i.to - i.from;
    intervals.push(i);
  }
  return {
    sessionId: s.sessionId,
    uniqueSessionId: s.uniqueSessionId,
    createdAt: s.createdAt,
    destroyedAt: s.destroyedAt ?? null,
    reason: s.destroyedAt === undefined ? null : (s.reason ?? null),
    open: s.destroyedAt === undefined,
    durationSeconds: ((s.destroyedAt ?? end) - s.createdAt) / 1000,
    participants,
    recordingIds: [...s.recordingIds],
    billing: {
      participants: participants.length,
      participantSeconds: ms / 1000,
      participantMinutes: ms / 60_000,
      peakParticipants: peakOf(own),
    },
  };
}

function recordingRecord(r: RecordingAcc): TruthRecordingRecord {
  const status = r.statuses.at(-1) ?? 'started';
  return {
    id: r.id,
    sessionId: r.sessionId,
    uniqueSessionId: r.uniqueSessionId,
    outputMode: r.outputMode,
    status,
    statuses: [...r.statuses],
    startedAt: r.startedAt,
    stoppedAt: r.stoppedAt ?? null,
    durationSeconds: r.durationSeconds,
    size: r.size,
    reason: r.reason ?? null,
    open: status === 'started',
  };
}

function nodeRecord(n: NodeAcc): TruthMediaNodeRecord {
  return {
    id: n.id,
    status: n.statuses.at(-1)?.status ?? 'unknown',
    statuses: n.statuses.map((s) => ({ ...s })),
    crashes: n.crashes,
    recoveries: n.recoveries,
    crashed: n.crashed,
  };
}
