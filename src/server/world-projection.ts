/**
 * The world as the server shows it: every session, participant, WebRTC connection, recording, media node and master
 * node the run has seen, with its history (when it began and ended, why, the statuses it went through, the events
 * about it), kept after the entity is gone from the engine. Built once, here, from each cascade's events (the wire
 * vocabulary of `model/`) and, for the names the controls use, from `Engine.snapshot()`; the feed and
 * `GET /api/world` send it, so the page renders it instead of re-deriving it, and the fake OpenVidu REST API reads
 * what the engine no longer holds from it (recordings in storage, media node times, who joined and left).
 *
 * Every event is filed under exactly one record (its `events`), which is what the timeline draws as marks. Memory
 * is bounded: closed sessions past MAX_CLOSED_SESSIONS are forgotten with everything in them, and long histories
 * inside one record keep their newest entries.
 */
import type { Batch } from '../engine/engine.js';
import type { CdrEvent, EventData, EventName } from '../model/catalogue.js';
import {
  causeHandle,
  connectionKey,
  incidentOf,
  num,
  sessionKey,
  str,
  type AnyData,
} from './event-fields.js';
import type { LogEntry } from './event-log.js';
import { RecordingStorage, type StoredRecording } from './recording-storage.js';
import type {
  MasterRecord,
  MediaServerIncident,
  NodeRecord,
  ParticipantRecord,
  PageSnapshot,
  RecordingRecord,
  SessionRecord,
  StreamRecord,
  WorldPatch,
} from './view-types.js';

/** Closed sessions remembered (with their participants, streams and recordings). */
export const MAX_CLOSED_SESSIONS = 200;
/** Per record: newest event seqs kept, statuses kept; per session: participants that left; per node list: gone ones. */
const MAX_LIST = 1_000;
const MAX_LEFT_PER_SESSION = 200;
const MAX_GONE_NODES = 100;
const MAX_INCIDENTS = 20;

type Writable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? Writable<U>[] : T[K] };
type Session = Writable<SessionRecord>;
type Participant = Writable<ParticipantRecord>;
type Stream = Writable<StreamRecord>;
type Recording = Writable<RecordingRecord>;
type MediaNode = Writable<NodeRecord>;
type Master = Writable<MasterRecord>;

/** A media node's times as OpenVidu's REST API shows them, ms since the epoch. */
export interface NodeTimes {
  readonly environmentId: string | null;
  readonly uri: string | null;
  readonly launchingTime: number | undefined;
  readonly connectionTime: number | undefined;
  /** While it is crashed (not recovered). */
  readonly disconnectionTime: number | undefined;
}

/** The handles the controls use, read from the engine's snapshot after a cascade (at most once per cascade). */
export type SnapshotSource = () => PageSnapshot;

export class WorldProjection {
  private readonly sessions = new Map<string, Session>();
  private readonly participants = new Map<string, Participant>();
  private readonly streams = new Map<string, Stream>();
  private readonly recordings = new Map<string, Recording>();
  private readonly nodes = new Map<string, MediaNode>();
  private readonly masters = new Map<string, Master>();
  private readonly storage = new RecordingStorage();
  private clusterEvents: number[] = [];
  private incidents: MediaServerIncident[] = [];
  /** Closed sessions in closing order, oldest first. */
  private closed: string[] = [];
  private edition: 'ce' | 'pro' | 'enterprise' = 'ce';
  private mediaServerId = '';

  // Per cascade: what it touched, and the snapshot if it was needed.
  private touched = new Set<object>();
  private removed: string[] = [];
  private snapshot: PageSnapshot | undefined;
  private source: SnapshotSource = () => {
    throw new Error('no snapshot outside a cascade');
  };

  /** Forgets everything: a new world (load or reset) of this edition. */
  clear(edition: 'ce' | 'pro' | 'enterprise', mediaServerId: string): void {
    for (const m of [
      this.sessions,
      this.participants,
      this.streams,
      this.recordings,
      this.nodes,
      this.masters,
    ])
      m.clear();
    this.storage.clear();
    this.clusterEvents = [];
    this.incidents = [];
    this.closed = [];
    this.edition = edition;
    this.mediaServerId = mediaServerId;
  }

  /**
   * Files a cascade's events (with their log entries, same order) and returns what changed.
   * @param batchId the cascade's id in the log
   */
  apply(batchId: number, batch: Batch, entries: readonly LogEntry[], source: SnapshotSource): WorldPatch {
    this.touched = new Set();
    this.removed = [];
    this.snapshot = undefined;
    this.source = source;
    batch.events.forEach((event, i) => this.file(event, entries[i]?.seq ?? 0, batch));
    this.noteIncident(batchId, batch);
    for (const key of this.closed.splice(0, Math.max(0, this.closed.length - MAX_CLOSED_SESSIONS)))
      this.evict(key);
    const patch = this.patch(false, this.touched);
    this.source = () => {
      throw new Error('no snapshot outside a cascade');
    };
    return patch;
  }

  /** Everything, as a patch that replaces what a client had. */
  full(): WorldPatch {
    const all = new Set<object>([
      ...this.sessions.values(),
      ...this.participants.values(),
      ...this.streams.values(),
      ...this.recordings.values(),
      ...this.nodes.values(),
      ...this.masters.values(),
    ]);
    return this.patch(true, all, []);
  }

  /** A session record by key (uniqueSessionId), while remembered. */
  sessionRecord(key: string): SessionRecord | undefined {
    return this.sessions.get(key);
  }

  /** A recording as storage keeps it (until `forgetRecording`). */
  storedRecording(id: string): StoredRecording | undefined {
    return this.storage.get(id);
  }

  storedRecordingIds(): IterableIterator<string> {
    return this.storage.ids();
  }

  /** A recording deleted from storage (`DELETE /recordings/<id>`). */
  forgetRecording(id: string): void {
    this.storage.forget(id);
  }

  /** A media node's times, from its statuses and crashes; undefined when no event was about it. */
  nodeTimes(id: string): NodeTimes | undefined {
    const n = this.nodes.get(id);
    if (!n) return undefined;
    const first = (status: string) => n.statuses.find((s) => s.status === status)?.at;
    const crash = n.crashes.at(-1);
    return {
      environmentId: n.environmentId,
      uri: n.uri,
      launchingTime: first('launching'),
      connectionTime: first('running'),
      disconnectionTime: crash !== undefined && crash.recoveredAt === null ? crash.at : undefined,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------

  private file(event: CdrEvent, seq: number, batch: Batch): void {
    const d = event.data as AnyData;
    const at = d.timestamp;
    const name: EventName = event.name;
    switch (name) {
      case 'sessionCreated':
      case 'signalSent':
      case 'sessionDestroyed':
      case 'broadcastStarted':
      case 'broadcastStopped':
        return this.fileSessionEvent(name, d, seq, batch);
      case 'mediaNodeStatusChanged':
      case 'nodeCrashed':
      case 'nodeRecovered':
        return this.fileNodeEvent(name, d, seq, batch);
      case 'participantJoined':
      case 'filterEventDispatched':
        return this.note(this.participant(d, batch), seq);
      case 'participantLeft': {
        const p = this.participant(d, batch);
        p.leftAt = at;
        p.reason = str(d['reason']);
        this.trimLeft(p.session);
        return this.note(p, seq);
      }
      case 'webrtcConnectionCreated':
        return this.note(this.stream(d, batch), seq);
      case 'webrtcConnectionDestroyed': {
        const st = this.stream(d, batch);
        st.destroyedAt = at;
        st.reason = str(d['reason']);
        return this.note(st, seq);
      }
      case 'recordingStatusChanged':
        this.storage.keep(event.data as EventData<'recordingStatusChanged'>);
        return this.note(this.recording(d, batch, name, seq), seq);
      case 'recordingStarted':
      case 'recordingStopped':
        return this.note(this.recording(d, batch, name, seq), seq);
      case 'autoscaling':
        pushCapped(this.clusterEvents, seq);
        return;
      case 'HANodeRegistered':
      case 'HANodeDeregistered': {
        const m = this.master(d, batch);
        if (name === 'HANodeDeregistered') Object.assign(m, { deregisteredAt: at, reason: str(d['reason']) });
        return this.note(m, seq);
      }
    }
  }

  private fileSessionEvent(
    name: 'sessionCreated' | 'signalSent' | 'sessionDestroyed' | 'broadcastStarted' | 'broadcastStopped',
    d: AnyData,
    seq: number,
    batch: Batch,
  ): void {
    const at = d.timestamp;
    switch (name) {
      case 'sessionCreated':
      case 'signalSent':
        return this.note(this.session(d, batch), seq);
      case 'sessionDestroyed': {
        const s = this.session(d, batch);
        s.closedAt = at;
        s.reason = str(d['reason']);
        if (!this.closed.includes(s.key)) this.closed.push(s.key);
        return this.note(s, seq);
      }
      case 'broadcastStarted': {
        const s = this.session(d, batch);
        s.broadcasts.push({
          url: str(d['broadcastUrl']) ?? '',
          startedAt: at,
          stoppedAt: null,
          reason: null,
        });
        return this.note(s, seq);
      }
      case 'broadcastStopped': {
        const s = this.session(d, batch);
        const b = s.broadcasts.findLast((x) => x.stoppedAt === null);
        if (b) Object.assign(b, { stoppedAt: at, reason: str(d['reason']) });
        return this.note(s, seq);
      }
    }
  }

  private fileNodeEvent(
    name: 'mediaNodeStatusChanged' | 'nodeCrashed' | 'nodeRecovered',
    d: AnyData,
    seq: number,
    batch: Batch,
  ): void {
    const at = d.timestamp;
    switch (name) {
      case 'mediaNodeStatusChanged': {
        const n = this.node(str(d['id']) ?? '', batch);
        n.ip ??= str(d['ip']);
        n.environmentId ??= str(d['environmentId']);
        n.uri ??= str(d['uri']);
        pushCapped(n.statuses, { status: str(d['newStatus']) ?? '', at, seq, reason: null });
        return this.note(n, seq);
      }
      case 'nodeCrashed': {
        const n = this.node(str(d['id']) ?? '', batch);
        const sessions = Array.isArray(d['sessionIds']) ? d['sessionIds'].length : 0;
        pushCapped(n.crashes, { at, seq, recoveredAt: null, sessions });
        return this.note(n, seq);
      }
      case 'nodeRecovered': {
        const n = this.node(str(d['id']) ?? '', batch);
        const crash = n.crashes.findLast((c) => c.recoveredAt === null);
        if (crash) crash.recoveredAt = at;
        return this.note(n, seq);
      }
    }
  }

  private note(record: { events: number[] }, seq: number): void {
    pushCapped(record.events, seq);
    this.touched.add(record);
  }

  private snap(): PageSnapshot {
    return (this.snapshot ??= this.source());
  }

  private session(d: AnyData, batch: Batch): Session {
    const key = sessionKey(d);
    let s = this.sessions.get(key);
    if (!s) {
      const sessionId = str(d['sessionId']) ?? key;
      const live = this.snap().sessions.find((x) => x.uniqueSessionId === key || x.sessionId === key);
      s = {
        key,
        sessionId,
        handle: live?.handle ?? causeHandle(batch, 'createSession', 'session') ?? sessionId,
        createdAt: d.timestamp,
        closedAt: null,
        reason: null,
        mediaNode: live?.mediaNode ?? null,
        broadcasts: [],
        events: [],
      };
      this.sessions.set(key, s);
    }
    if (s.mediaNode === null && s.closedAt === null && this.edition !== 'ce') {
      s.mediaNode = this.snap().sessions.find((x) => x.uniqueSessionId === key)?.mediaNode ?? null;
    }
    this.touched.add(s);
    return s;
  }

  private participant(d: AnyData, batch: Batch): Participant {
    const key = connectionKey(d);
    let p = this.participants.get(key);
    if (!p) {
      const s = this.session(d, batch);
      const live = this.snap()
        .sessions.find((x) => x.uniqueSessionId === s.key)
        ?.participants.find((x) => x.connectionId === key);
      const platform = str(d['platform']) ?? '';
      p = {
        key,
        session: s.key,
        handle: live?.handle ?? causeHandle(batch, 'join', 'participant') ?? key,
        type: live?.type ?? (platform === 'IPCAM' ? 'IPCAM' : 'WEBRTC'),
        platform,
        clientData: str(d['clientData']) ?? '',
        joinedAt: num(d['startTime']) ?? d.timestamp,
        leftAt: null,
        reason: null,
        events: [],
      };
      this.participants.set(key, p);
    }
    return p;
  }

  private stream(d: AnyData, batch: Batch): Stream {
    const participant = connectionKey(d);
    const direction = d['connection'] === 'INBOUND' ? 'INBOUND' : 'OUTBOUND';
    const streamId = str(d['streamId']) ?? '';
    const key = `${participant}/${direction}/${streamId}`;
    let st = this.streams.get(key);
    if (!st) {
      const p = this.participant(d, batch);
      st = {
        key,
        session: p.session,
        participant,
        direction,
        streamId,
        from: str(d['receivingFrom']),
        videoSource: str(d['videoSource']),
        createdAt: num(d['startTime']) ?? d.timestamp,
        destroyedAt: null,
        reason: null,
        events: [],
      };
      this.streams.set(key, st);
    }
    return st;
  }

  private recording(d: AnyData, batch: Batch, name: EventName, seq: number): Recording {
    const s = this.session(d, batch);
    const id = str(d['id']) ?? '';
    const key = `${s.key}/${id}`;
    let r = this.recordings.get(key);
    if (!r) {
      const live = this.snap()
        .sessions.find((x) => x.uniqueSessionId === s.key)
        ?.recordings.find((x) => x.id === id);
      r = {
        key,
        id,
        session: s.key,
        handle: live?.handle ?? causeHandle(batch, 'startRecording', 'recording') ?? id,
        outputMode: str(d['outputMode']) ?? '',
        statuses: [],
        size: 0,
        events: [],
      };
      this.recordings.set(key, r);
    }
    if (name === 'recordingStatusChanged') {
      pushCapped(r.statuses, {
        status: str(d['status']) ?? '',
        at: d.timestamp,
        seq,
        reason: str(d['reason']),
      });
      r.size = num(d['size']) ?? r.size;
    }
    return r;
  }

  private node(id: string, batch: Batch): MediaNode {
    let n = this.nodes.get(id);
    if (!n) {
      const live = this.snap().mediaNodes.find((x) => x.id === id);
      n = {
        key: id,
        handle: live?.handle ?? causeHandle(batch, 'launchMediaNode', 'node') ?? id,
        ip: live?.ip ?? null,
        environmentId: null,
        uri: null,
        statuses: [],
        crashes: [],
        events: [],
      };
      this.nodes.set(id, n);
      this.trimGoneNodes();
    }
    return n;
  }

  private master(d: AnyData, batch: Batch): Master {
    const key = str(d['nodeId']) ?? '';
    let m = this.masters.get(key);
    if (!m) {
      const live = this.snap().masterNodes.find((x) => x.nodeId === key);
      m = {
        key,
        handle: live?.handle ?? causeHandle(batch, 'registerMasterNode', 'node') ?? key,
        ip: str(d['ip']) ?? '',
        registeredAt: d.timestamp,
        deregisteredAt: null,
        reason: null,
        events: [],
      };
      this.masters.set(key, m);
    }
    return m;
  }

  /** CE: a crash, restart or stop of the one media server, with what it took down. */
  private noteIncident(batchId: number, batch: Batch): void {
    const incident = this.edition === 'ce' ? incidentOf(batchId, batch) : undefined;
    if (!incident) return;
    this.incidents.push(incident);
    if (this.incidents.length > MAX_INCIDENTS) this.incidents.shift();
  }

  private trimLeft(sessionKey: string): void {
    const left = [...this.participants.values()].filter((p) => p.session === sessionKey && p.leftAt !== null);
    for (const p of left.slice(0, Math.max(0, left.length - MAX_LEFT_PER_SESSION))) {
      this.participants.delete(p.key);
      for (const [k, st] of this.streams) if (st.participant === p.key) this.streams.delete(k);
    }
  }

  private trimGoneNodes(): void {
    const gone = [...this.nodes.values()].filter((n) => {
      const last = n.statuses.at(-1)?.status;
      return last === 'terminated' || last === 'failed';
    });
    for (const n of gone.slice(0, Math.max(0, gone.length - MAX_GONE_NODES))) this.nodes.delete(n.key);
  }

  private evict(key: string): void {
    this.sessions.delete(key);
    for (const m of [this.participants, this.streams, this.recordings])
      for (const [k, r] of m) if (r.session === key) m.delete(k);
    this.removed.push(key);
  }

  private patch(reset: boolean, touched: ReadonlySet<object>, removed = this.removed): WorldPatch {
    const pick = <T extends object>(m: Map<string, T>): T[] =>
      [...m.values()].filter((r) => touched.has(r)).map(copy);
    return {
      reset,
      sessions: pick(this.sessions),
      participants: pick(this.participants),
      streams: pick(this.streams),
      recordings: pick(this.recordings),
      nodes: pick(this.nodes),
      masters: pick(this.masters),
      mediaServer: { id: this.mediaServerId, incidents: this.incidents.map((i) => ({ ...i })) },
      clusterEvents: [...this.clusterEvents],
      removedSessions: [...removed],
    };
  }
}

/** A record as it is now: arrays copied, so a patch does not change when the record does. */
function copy<T extends object>(r: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = Array.isArray(v) ? v.map((x: unknown) => clone(x)) : v;
  return out as T;
}

function clone(x: unknown): unknown {
  return typeof x === 'object' && x !== null ? { ...x } : x;
}

function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_LIST) list.splice(0, list.length - MAX_LIST);
}
