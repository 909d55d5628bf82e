// @ts-check
// The timeline's geometry, without the DOM: which lanes there are (cluster, media nodes, master nodes, then each
// session with its participants and recordings), how tall, and where each event's mark goes — from the server's
// world records and the log entries. Every event the page holds is a mark on exactly one lane.
import { store, worldIndex } from './model.js';

/** @typedef {import('./model.js').LogEntry} LogEntry */
/** @typedef {import('./model.js').StreamRecord} StreamRecord */
/** @typedef {import('./model.js').NodeRecord} NodeRecord */
/** @typedef {import('./model.js').MasterRecord} MasterRecord */
/** @typedef {import('./model.js').MediaServerRecord} MediaServerRecord */
/** @typedef {import('./model.js').ParticipantRecord} ParticipantRecord */
/** @typedef {import('./model.js').RecordingRecord} RecordingRecord */
/**
 * @typedef {object} Segment a stretch of time drawn as a bar
 * @property {number} from
 * @property {number | null} to null: still going
 * @property {string} cls CSS class (and colour) of the bar
 * @property {number} row sub-row inside the lane (0: the lane's own bar)
 */
/**
 * @typedef {object} Lane
 * @property {string} id
 * @property {'cluster' | 'node' | 'master' | 'server' | 'session' | 'participant' | 'recording'} kind
 * @property {string} key the record's key (for its lifecycle)
 * @property {string} label
 * @property {number} height px at scale 1
 * @property {Segment[]} segments
 * @property {number[]} events seqs of the events filed under this lane
 * @property {Array<{at: number, text: string, cls: string}>} flags things that are not events (CE incidents)
 */

const STATUS_CLASS = (/** @type {string} */ s) => `st-${s.replace(/[^a-z-]/g, '')}`;

/**
 * The lanes to draw, top to bottom.
 * @returns {Lane[]}
 */
export function lanes() {
  const w = store.world;
  const edition = store.state?.openvidu.edition ?? 'ce';
  /** @type {Lane[]} */
  const out = [];
  if (edition !== 'ce') {
    if (w.clusterEvents.length > 0)
      out.push({
        id: 'cluster',
        kind: 'cluster',
        key: '',
        label: 'cluster (autoscaling)',
        height: 18,
        segments: [],
        events: [...w.clusterEvents],
        flags: [],
      });
    for (const n of w.nodes.values()) out.push(nodeLane(n));
    for (const m of w.masters.values()) out.push(masterLane(m));
  } else if (w.mediaServer.incidents.length > 0) {
    out.push(serverLane(w.mediaServer));
  }
  const index = worldIndex();
  for (const s of w.sessions.values()) {
    out.push({
      id: `s:${s.key}`,
      kind: 'session',
      key: s.key,
      label: `▣ ${s.handle}`,
      height: 20,
      segments: [{ from: s.createdAt, to: s.closedAt, cls: 'session', row: 0 }],
      events: [...s.events],
      flags: [],
    });
    for (const p of index.participantsBySession.get(s.key) ?? [])
      out.push(participantLane(p, index.streamsByParticipant.get(p.key) ?? []));
    for (const r of index.recordingsBySession.get(s.key) ?? []) out.push(recordingLane(r));
  }
  return out;
}

/**
 * A Pro media node: its statuses, and its crashes on a second row.
 * @param {NodeRecord} n
 * @returns {Lane}
 */
function nodeLane(n) {
  const segments = n.statuses.map((s, i) => ({
    from: s.at,
    to: n.statuses[i + 1]?.at ?? (s.status === 'terminated' || s.status === 'failed' ? s.at : null),
    cls: STATUS_CLASS(s.status),
    row: 0,
  }));
  // A crash lasts until the node answers again or is given up (terminated).
  for (const c of n.crashes) {
    const over = n.statuses.find((x) => x.at >= c.at && (x.status === 'terminated' || x.status === 'failed'));
    segments.push({ from: c.at, to: c.recoveredAt ?? over?.at ?? null, cls: 'crash', row: 1 });
  }
  return {
    id: `n:${n.key}`,
    kind: 'node',
    key: n.key,
    label: `⬢ ${n.handle}`,
    height: 24,
    segments,
    events: [...n.events],
    flags: [],
  };
}

/**
 * @param {MasterRecord} m
 * @returns {Lane}
 */
function masterLane(m) {
  return {
    id: `m:${m.key}`,
    kind: 'master',
    key: m.key,
    label: `◆ ${m.handle}`,
    height: 18,
    segments: [{ from: m.registeredAt, to: m.deregisteredAt, cls: 'master', row: 0 }],
    events: [...m.events],
    flags: [],
  };
}

/**
 * CE's media server: its incidents as flags (they are not events).
 * @param {MediaServerRecord} server
 * @returns {Lane}
 */
function serverLane(server) {
  return {
    id: 'server',
    kind: 'server',
    key: '',
    label: 'media server',
    height: 18,
    segments: [],
    events: [],
    flags: server.incidents.map((i) => ({
      at: i.at,
      text: i.kind === 'crash' ? '✸ crash' : i.kind === 'restart' ? '↻ restart' : '■ stop',
      cls: `flag-${i.kind}`,
    })),
  };
}

/**
 * A participant, its streams on sub-rows below its own bar.
 * @param {ParticipantRecord} p
 * @param {StreamRecord[]} streams
 * @returns {Lane}
 */
function participantLane(p, streams) {
  const rows = streamRows(streams);
  /** @type {Segment[]} */
  const segments = [{ from: p.joinedAt, to: p.leftAt, cls: 'participant', row: 0 }];
  for (const st of streams)
    segments.push({
      from: st.createdAt,
      to: st.destroyedAt,
      cls: st.direction === 'OUTBOUND' ? 'outbound' : 'inbound',
      row: rows.get(st.key) ?? 1,
    });
  const depth = Math.max(0, ...rows.values());
  return {
    id: `p:${p.key}`,
    kind: 'participant',
    key: p.key,
    label: p.handle,
    height: 16 + 6 * depth,
    segments,
    events: [...p.events, ...streams.flatMap((x) => x.events)],
    flags: [],
  };
}

/**
 * @param {RecordingRecord} r
 * @returns {Lane}
 */
function recordingLane(r) {
  const segments = r.statuses.map((st, i) => ({
    from: st.at,
    to: r.statuses[i + 1]?.at ?? (st.status === 'ready' || st.status === 'failed' ? st.at : null),
    cls: STATUS_CLASS(st.status),
    row: 0,
  }));
  return {
    id: `r:${r.key}`,
    kind: 'recording',
    key: r.key,
    label: `● ${r.handle}`,
    height: 16,
    segments,
    events: [...r.events],
    flags: [],
  };
}

/**
 * Sub-rows of a participant's WebRTC connections: OUTBOUND on row 1, each publisher it receives from on a row of its
 * own below (a connection that ends and comes back keeps its row).
 * @param {StreamRecord[]} streams
 */
function streamRows(streams) {
  /** @type {Map<string, number>} */
  const byPeer = new Map();
  /** @type {Map<string, number>} */
  const rows = new Map();
  for (const st of streams) {
    const peer = st.direction === 'OUTBOUND' ? '' : (st.from ?? '');
    if (!byPeer.has(peer))
      byPeer.set(peer, peer === '' ? 1 : 2 + [...byPeer.keys()].filter((k) => k !== '').length);
    rows.set(st.key, byPeer.get(peer) ?? 1);
  }
  return rows;
}

/**
 * The span of virtual time to draw: from the world's start to now (or the last event, if later).
 * @param {number} now
 */
export function span(now) {
  const st = store.state;
  let from = st?.start ?? now;
  let to = now;
  for (const e of store.entries.values()) {
    if (e.timestamp < from) from = e.timestamp;
    if (e.timestamp > to) to = e.timestamp;
  }
  return { from, to: Math.max(to, from + MIN_SPAN_MS) };
}

/** Shortest span drawn, ms: a run that just began reads in seconds, not milliseconds. */
const MIN_SPAN_MS = 30_000;

/** Tick steps of the axis, ms. */
const STEPS = [
  100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5,
  864e5,
];

/**
 * The axis step giving ticks at least `minPx` apart.
 * @param {number} pxPerMs
 * @param {number} minPx
 */
export function tickStep(pxPerMs, minPx) {
  return STEPS.find((s) => s * pxPerMs >= minPx) ?? /** @type {number} */ (STEPS.at(-1));
}

/**
 * Where the marks of a lane go: x by the event's time, pushed right by `gap` px when two would overlap (a cascade's
 * events share an instant), in seq order.
 * @param {readonly number[]} seqs
 * @param {(t: number) => number} x
 * @param {number} gap
 * @returns {Array<{entry: LogEntry, x: number}>}
 */
export function placeMarks(seqs, x, gap) {
  /** @type {LogEntry[]} */
  const entries = [];
  for (const seq of new Set(seqs)) {
    const e = store.entries.get(seq);
    if (e) entries.push(e);
  }
  entries.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  let last = -Infinity;
  return entries.map((entry) => {
    const at = Math.max(x(entry.timestamp), last + gap);
    last = at;
    return { entry, x: at };
  });
}

/**
 * The family of an event, for its colour.
 * @param {string} name
 */
export function family(name) {
  if (name.startsWith('session')) return 'session';
  if (name.startsWith('participant')) return 'participant';
  if (name.startsWith('webrtc')) return 'webrtc';
  if (name.startsWith('recording')) return 'recording';
  if (name === 'signalSent' || name === 'filterEventDispatched') return 'signal';
  if (name.startsWith('broadcast')) return 'broadcast';
  if (name === 'nodeCrashed') return 'crash';
  return 'node';
}
