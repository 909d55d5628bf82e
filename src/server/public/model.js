// @ts-check
// What the page knows: the latest state (live, for the controls), the world projection the server sends (every
// entity with its history), and the cascades of the log with their events. Nothing here is derived from events: the
// server's records are stored as they come and looked up by key.

/** @typedef {import('../view-types.js').PageState} PageState */
/** @typedef {import('../view-types.js').PageBatch} PageBatch */
/** @typedef {import('../view-types.js').LogEntry} LogEntry */
/** @typedef {import('../view-types.js').CauseView} CauseView */
/** @typedef {import('../view-types.js').WorldPatch} WorldPatch */
/** @typedef {import('../view-types.js').SessionRecord} SessionRecord */
/** @typedef {import('../view-types.js').ParticipantRecord} ParticipantRecord */
/** @typedef {import('../view-types.js').StreamRecord} StreamRecord */
/** @typedef {import('../view-types.js').RecordingRecord} RecordingRecord */
/** @typedef {import('../view-types.js').NodeRecord} NodeRecord */
/** @typedef {import('../view-types.js').MasterRecord} MasterRecord */
/** @typedef {import('../view-types.js').MediaServerRecord} MediaServerRecord */
/** @typedef {import('../view-types.js').FeedMessage} FeedMessage */
/** @typedef {PageState['snapshot']['sessions'][number]} LiveSession */
/** @typedef {LiveSession['participants'][number]} LiveParticipant */
/** @typedef {PageState['snapshot']['mediaNodes'][number]} LiveNode */
/** @typedef {{ id: number, at: number, cause: CauseView, events: LogEntry[] }} Cascade */
/**
 * @typedef {object} WebhookView
 * @property {boolean} configured
 * @property {string | null} endpoint
 * @property {string} note
 * @property {number} delivered
 * @property {number} failed
 * @property {Array<Extract<FeedMessage, {type: 'webhook'}>['delivery']>} recent
 */

/** Cascades kept in the log (older ones leave the page; the server keeps more). */
export const MAX_GROUPS = 600;

export const store = {
  /** @type {PageState | null} */
  state: null,
  /** performance.now() when `state` arrived (the clock display runs on from there). */
  stateAt: 0,
  world: {
    /** @type {Map<string, SessionRecord>} */
    sessions: new Map(),
    /** @type {Map<string, ParticipantRecord>} */
    participants: new Map(),
    /** @type {Map<string, StreamRecord>} */
    streams: new Map(),
    /** @type {Map<string, RecordingRecord>} */
    recordings: new Map(),
    /** @type {Map<string, NodeRecord>} */
    nodes: new Map(),
    /** @type {Map<string, MasterRecord>} */
    masters: new Map(),
    /** @type {MediaServerRecord} */
    mediaServer: { id: '', incidents: [] },
    /** @type {readonly number[]} */
    clusterEvents: [],
  },
  /** Cascades in the log, oldest first. @type {Cascade[]} */
  cascades: [],
  /** @type {Map<number, LogEntry>} */
  entries: new Map(),
  /** @type {WebhookView | null} */
  webhook: null,
  /** For each media node status, the statuses a PATCH may move it to. @type {Record<string, string[]>} */
  patchTargets: {},
  /** Bundled scenarios, by name. @type {Map<string, string>} */
  scenarios: new Map(),
  /** Names the page suggested or used, so it suggests fresh ones. */
  usedHandles: new Set(/** @type {string[]} */ ([])),
  /** The cascade and event the presenter points at (keyboard, clicks on marks). */
  selection: { batch: /** @type {number | null} */ (null), seq: /** @type {number | null} */ (null) },
};

/** @param {PageState} state */
export function setState(state) {
  store.state = state;
  store.stateAt = performance.now();
  for (const s of state.snapshot.sessions) {
    store.usedHandles.add(s.handle);
    for (const p of s.participants) store.usedHandles.add(p.handle);
    for (const r of s.recordings) store.usedHandles.add(r.handle);
  }
  for (const n of state.snapshot.mediaNodes) store.usedHandles.add(n.handle);
  for (const m of state.snapshot.masterNodes) store.usedHandles.add(m.handle);
}

/**
 * Applies a change of the world projection as the server sent it.
 * @param {WorldPatch} patch
 */
export function applyPatch(patch) {
  worldVersion++;
  const w = store.world;
  if (patch.reset)
    for (const m of [w.sessions, w.participants, w.streams, w.recordings, w.nodes, w.masters]) m.clear();
  for (const key of patch.removedSessions) {
    w.sessions.delete(key);
    for (const m of [w.participants, w.streams, w.recordings])
      for (const [k, r] of m) if (r.session === key) m.delete(k);
  }
  for (const r of patch.sessions) w.sessions.set(r.key, r);
  for (const r of patch.participants) w.participants.set(r.key, r);
  for (const r of patch.streams) w.streams.set(r.key, r);
  for (const r of patch.recordings) w.recordings.set(r.key, r);
  for (const r of patch.nodes) w.nodes.set(r.key, r);
  for (const r of patch.masters) w.masters.set(r.key, r);
  w.mediaServer = patch.mediaServer;
  w.clusterEvents = patch.clusterEvents;
  for (const r of [
    ...patch.sessions,
    ...patch.participants,
    ...patch.recordings,
    ...patch.nodes,
    ...patch.masters,
  ])
    store.usedHandles.add(r.handle);
}

/**
 * Adds a cascade to the log (once: it may come from the feed and from an HTTP answer). Returns false if known.
 * @param {PageBatch} batch
 */
export function addCascade(batch) {
  if (batch.events.length === 0 || store.cascades.some((c) => c.id === batch.id)) return false;
  store.cascades.push({ id: batch.id, at: batch.at, cause: batch.cause, events: [...batch.events] });
  for (const e of batch.events) store.entries.set(e.seq, e);
  while (store.cascades.length > MAX_GROUPS) {
    const old = store.cascades.shift();
    for (const e of old?.events ?? []) store.entries.delete(e.seq);
  }
  return true;
}

/** Forgets the log and the world (a load or reset). */
export function clearRun() {
  store.cascades = [];
  store.entries.clear();
  store.selection = { batch: null, seq: null };
  applyPatch({
    reset: true,
    sessions: [],
    participants: [],
    streams: [],
    recordings: [],
    nodes: [],
    masters: [],
    mediaServer: { id: '', incidents: [] },
    clusterEvents: [],
    removedSessions: [],
  });
}

/** Bumped by every patch: the index below is rebuilt only when the world changed. */
let worldVersion = 0;
/**
 * @typedef {object} WorldIndex
 * @property {Map<string, ParticipantRecord[]>} participantsBySession
 * @property {Map<string, RecordingRecord[]>} recordingsBySession
 * @property {Map<string, StreamRecord[]>} streamsByParticipant
 * @property {Map<string, string>} recordingHandleById
 */
/** @type {{version: number, index: WorldIndex} | null} */
let indexed = null;

/**
 * The world's records grouped by their owner (a session's participants and recordings, a participant's WebRTC
 * connections), so that drawing a large world does not scan every record for every card and lane.
 * @returns {WorldIndex}
 */
export function worldIndex() {
  if (indexed?.version === worldVersion) return indexed.index;
  /** @type {<T>(m: Map<string, T[]>, k: string, v: T) => void} */
  const add = (m, k, v) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  /** @type {WorldIndex} */
  const index = {
    participantsBySession: new Map(),
    recordingsBySession: new Map(),
    streamsByParticipant: new Map(),
    recordingHandleById: new Map(),
  };
  const w = store.world;
  for (const p of w.participants.values()) add(index.participantsBySession, p.session, p);
  for (const r of w.recordings.values()) {
    add(index.recordingsBySession, r.session, r);
    index.recordingHandleById.set(r.id, r.handle);
  }
  for (const st of w.streams.values()) add(index.streamsByParticipant, st.participant, st);
  indexed = { version: worldVersion, index };
  return index;
}

// ---------------------------------------------------------------------------------------------------------------
// Names: the handles the controls use, from the server's records.

/** @param {string | null | undefined} connectionId */
export function personName(connectionId) {
  if (!connectionId) return 'the server';
  return store.world.participants.get(connectionId)?.handle ?? connectionId;
}

/** @param {string | null | undefined} key uniqueSessionId or sessionId */
export function sessionName(key) {
  if (!key) return '?';
  const s =
    store.world.sessions.get(key) ?? [...store.world.sessions.values()].find((x) => x.sessionId === key);
  return s?.handle ?? key;
}

/** @param {string | null | undefined} id */
export function nodeName(id) {
  if (!id) return '?';
  return store.world.nodes.get(id)?.handle ?? store.world.masters.get(id)?.handle ?? id;
}

/** @param {string} id */
export function recordingName(id) {
  return worldIndex().recordingHandleById.get(id) ?? id;
}

/**
 * The live view of a session (null once it is closed).
 * @param {string} key
 * @returns {LiveSession | undefined}
 */
export function liveSession(key) {
  return store.state?.snapshot.sessions.find((x) => x.uniqueSessionId === key);
}

/**
 * The event's data as the WebHook (or the CDR line) carries it.
 * @param {LogEntry} e
 * @returns {Record<string, unknown> | null}
 */
export function eventData(e) {
  if (e.webhook) return JSON.parse(e.webhook);
  if (e.cdr) {
    const first =
      e.cdr.split('\n').find((l) => l.startsWith(`{"${e.name}":`)) ?? e.cdr.split('\n')[0] ?? '{}';
    const v = Object.values(JSON.parse(first))[0];
    return typeof v === 'object' && v !== null ? /** @type {Record<string, unknown>} */ (v) : null;
  }
  return null;
}

/**
 * A name the page has not used yet: the first free one of `names`, else prefix1, prefix2…
 * @param {string} prefix
 * @param {readonly string[]} names
 */
export function freshHandle(prefix, names) {
  for (const n of names) if (!store.usedHandles.has(n)) return n;
  for (let i = 1; i < 100000; i++) if (!store.usedHandles.has(`${prefix}${i}`)) return `${prefix}${i}`;
  return `${prefix}${store.usedHandles.size}`;
}

/** The cascade with this id, if the log still holds it. @param {number | null} id */
export function cascadeById(id) {
  return id === null ? undefined : store.cascades.find((c) => c.id === id);
}

/** Virtual now, moving on between two states while the clock runs. */
export function virtualNow() {
  const st = store.state;
  if (!st) return 0;
  let t = st.clock.virtualNow;
  if (st.clock.status === 'running') t += (performance.now() - store.stateAt) * st.clock.speed;
  return t;
}
