/* global document, location, fetch, WebSocket, performance, setTimeout, clearTimeout, setInterval */
// The workshop page: draws the live simulation from the WebSocket feed and sends people's clicks to the control API.
// Plain ES module, no build step, no external resources.
import { ACTION_HELP, EVENT_HELP, NODE_STATUS_HELP, REASON_HELP, STRATEGY_HELP } from './explain.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const MAX_GROUPS = 600;
const NAMES = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];

const model = {
  /** Latest StateView from the server, and when it arrived (performance.now). */
  state: null,
  stateAt: 0,
  /** Sessions drawn from events, by uniqueSessionId: they stay on the page after they close. */
  world: new Map(),
  /** Handles (the names the controls use) by OpenVidu id, remembered after the entity is gone. */
  handleOf: new Map(),
  usedHandles: new Set(),
  seenBatches: new Set(),
  hiddenTypes: new Set(),
  seenTypes: new Set(),
  webhook: null,
  /** For each media node status, the statuses a PATCH may move it to (from GET /api/catalogue). */
  patchTargets: {},
  /** Pro: the last view of every media node seen, by handle: terminated and failed nodes leave the snapshot. */
  knownNodes: new Map(),
  /** Pro: a node's final status (terminated, failed), by node id, from its mediaNodeStatusChanged events. */
  nodeFinal: new Map(),
};
const MAX_PAST_NODES = 12;

/** What happens later, told when an action's own cascade is empty (the events come with virtual time). */
const LATER = {
  launchMediaNode: (a) => `${a.node} is booting: it will be running (or failed) after its launch delay of virtual time.`,
  crashMediaNode: (a) => `${a.node} stopped answering: OpenVidu retries silently for 3 s of virtual time, then declares it crashed.`,
  setMediaNodeStatus: (a) => `${a.node}: ${a.status}.`,
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Creates an element: h('div', {class: 'x', onclick}, child, 'text'). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A form control's identity across re-renders: its card (session, participant, node…) and its role. */
function keyOf(el) {
  const holder = el.parentElement?.closest('[data-session],[data-participant],[data-node],[data-master]');
  const where = holder ? ['session', 'participant', 'node', 'master'].map((k) => holder.getAttribute(`data-${k}`) ?? '').join('/') : '';
  return `${where}|${el.getAttribute('data-role') ?? el.getAttribute('data-testid') ?? ''}`;
}

/**
 * Re-renders `root` with `render()` keeping what people were typing or had chosen in its inputs and selects (and the
 * focus): the panels are redrawn on every state change, which must not wipe a half-filled form.
 */
function keepingInputs(root, render) {
  const saved = new Map();
  let focused;
  for (const el of root.querySelectorAll('input[data-role],select[data-role],select[data-testid]')) {
    const key = keyOf(el);
    saved.set(key, el.type === 'checkbox' ? el.checked : el.value);
    if (el === document.activeElement) focused = key;
  }
  render();
  for (const el of root.querySelectorAll('input[data-role],select[data-role],select[data-testid]')) {
    const key = keyOf(el);
    if (!saved.has(key)) continue;
    const v = saved.get(key);
    if (el.type === 'checkbox') el.checked = v;
    else if (el.tagName === 'INPUT' || [...el.options].some((o) => o.value === v)) el.value = v;
    if (key === focused) el.focus();
  }
}

function timeOf(ms) {
  return new Date(ms).toISOString().slice(11, 23);
}

let toastTimer;
function toast(text, kind = 'error') {
  const t = $('toast');
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 6000);
}

async function api(method, path, body, contentType = 'application/json') {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = contentType;
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const r = await fetch(`api/${path}`, init);
  const j = await r.json().catch(() => ({}));
  if (!r.ok) {
    const msg = j.error?.message ?? r.statusText;
    toast(`OpenVidu says no (${r.status}): ${msg}`);
    throw new Error(msg);
  }
  return j;
}

/** Sends one scenario action live; the events arrive through the feed (and the answer, whichever is first). */
async function act(type, args) {
  try {
    const r = await api('POST', 'actions', { type, args });
    learnHandles(r.state);
    onBatch(r.batch);
    setState(r.state);
    if (r.batch.events.length === 0 && LATER[type]) {
      const paused = r.state.clock.status !== 'running';
      toast(`${LATER[type](args)}${paused ? ' Time is paused: press Run or Step.' : ''}`, 'info');
    }
  } catch {
    // already shown in the toast
  }
}

function freshHandle(prefix, names) {
  for (const n of names) if (!model.usedHandles.has(n)) return n;
  for (let i = 1; i < 100000; i++) if (!model.usedHandles.has(`${prefix}${i}`)) return `${prefix}${i}`;
  return `${prefix}${Date.now()}`;
}

function noteHandles(args) {
  if (!args || typeof args !== 'object') return;
  for (const k of ['session', 'participant', 'recording', 'node']) if (typeof args[k] === 'string') model.usedHandles.add(args[k]);
}

// ---------------------------------------------------------------------------------------------------------------
// The world, drawn from events

function eventData(e) {
  if (e.webhook) return JSON.parse(e.webhook);
  if (e.cdr) return Object.values(JSON.parse(e.cdr))[0];
  return null;
}

function applyEvent(e) {
  const d = eventData(e);
  if (!d) return;
  if (e.name === 'mediaNodeStatusChanged' && (d.newStatus === 'terminated' || d.newStatus === 'failed')) model.nodeFinal.set(d.id, d.newStatus);
  const key = d.uniqueSessionId ?? d.sessionId;
  let s = model.world.get(key);
  if (!s && key) {
    s = { key, sessionId: d.sessionId, createdAt: d.timestamp, closed: null, participants: new Map(), recordings: new Map(), last: '', node: null, broadcast: null };
    model.world.set(key, s);
  }
  if (!s) return;
  const person = (id) => {
    let p = s.participants.get(id);
    if (!p) {
      p = { connectionId: id, clientData: '', platform: '', left: null, outbound: null, inbound: new Map() };
      s.participants.set(id, p);
    }
    return p;
  };
  switch (e.name) {
    case 'sessionDestroyed':
      s.closed = d.reason ?? 'closed';
      break;
    case 'participantJoined': {
      const p = person(d.connectionId ?? d.participantId);
      Object.assign(p, { clientData: d.clientData, platform: d.platform, joinedAt: d.timestamp, left: null });
      break;
    }
    case 'participantLeft':
      person(d.connectionId ?? d.participantId).left = d.reason ?? 'left';
      break;
    case 'webrtcConnectionCreated': {
      const p = person(d.connectionId ?? d.participantId);
      const stream = { streamId: d.streamId, videoSource: d.videoSource, ended: null };
      if (d.connection === 'OUTBOUND') p.outbound = stream;
      else p.inbound.set(d.receivingFrom, stream);
      break;
    }
    case 'webrtcConnectionDestroyed': {
      const p = person(d.connectionId ?? d.participantId);
      const stream = d.connection === 'OUTBOUND' ? p.outbound : p.inbound.get(d.receivingFrom);
      if (stream) stream.ended = d.reason ?? 'ended';
      break;
    }
    case 'recordingStatusChanged':
      s.recordings.set(d.id, { id: d.id, status: d.status, outputMode: d.outputMode, reason: d.reason, size: d.size });
      break;
    case 'signalSent':
      s.last = `signal "${d.type ?? ''}" from ${d.from ?? 'the server'} to ${d.to.length} recipient(s)`;
      break;
    case 'filterEventDispatched':
      s.last = `filter ${d.filterType} fired ${d.eventType}`;
      break;
    case 'broadcastStarted':
      s.broadcast = { url: d.broadcastUrl, ended: null };
      break;
    case 'broadcastStopped':
      s.broadcast = { url: d.broadcastUrl, ended: d.reason ?? 'stopped' };
      break;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// State and rendering

function setState(state) {
  if (!state) return;
  model.state = state;
  model.stateAt = performance.now();
  learnHandles(state);
  const sel = /** @type {HTMLSelectElement} */ ($('speed'));
  const v = String(state.clock.speed);
  if (![...sel.options].some((o) => o.value === v)) sel.append(h('option', { value: v }, `${v}×`));
  sel.value = v;
  const status = $('clock-status');
  status.textContent = state.snapshot.stopped ? 'server stopped' : state.clock.status;
  status.className = `pill ${state.snapshot.stopped ? 'bad' : state.clock.status}`;
  $('scenario-name').textContent = `— scenario "${state.scenario.name}", OpenVidu ${state.openvidu.version} ${state.openvidu.edition.toUpperCase()}`;
  document.body.dataset.edition = state.openvidu.edition;
  renderCreateNode();
  renderWorld();
  renderNodes();
  tickClock();
}

/** Remembers the handles (names the controls use) of every entity in the state, by OpenVidu id. */
function learnHandles(state) {
  for (const n of state.snapshot.mediaNodes) {
    model.handleOf.set(n.id, n.handle);
    model.usedHandles.add(n.handle);
    model.knownNodes.delete(n.handle); // re-inserted last: the map stays in order of last sight
    model.knownNodes.set(n.handle, n);
  }
  while (model.knownNodes.size > state.snapshot.mediaNodes.length + MAX_PAST_NODES) {
    model.knownNodes.delete(model.knownNodes.keys().next().value);
  }
  for (const m of state.snapshot.masterNodes) {
    model.handleOf.set(m.nodeId, m.handle);
    model.usedHandles.add(m.handle);
  }
  for (const s of state.snapshot.sessions) {
    model.handleOf.set(s.uniqueSessionId, s.handle);
    model.usedHandles.add(s.handle);
    for (const p of s.participants) {
      model.handleOf.set(p.connectionId, p.handle);
      model.usedHandles.add(p.handle);
    }
    for (const r of s.recordings) {
      model.handleOf.set(r.id, r.handle);
      model.usedHandles.add(r.handle);
    }
  }
}

/** Shows the loaded world in the scenario picker (only when the world changes: it must not undo a pending choice). */
function syncScenarioSelect(state) {
  const sel = /** @type {HTMLSelectElement} */ ($('scenario-select'));
  const { name } = state.scenario;
  const edition = state.openvidu.edition;
  const value = name === 'live' || name === `live-${edition}` ? `@${edition}` : name;
  if ([...sel.options].some((o) => o.value === value)) sel.value = value;
}

/** Pro: the create form's media node choice (least loaded by default, or pinned to a running node). */
function renderCreateNode() {
  const sel = /** @type {HTMLSelectElement} */ ($('create-node'));
  const nodes = model.state.snapshot.mediaNodes.filter((n) => n.status === 'running' && !n.crashed);
  const keep = sel.value;
  sel.replaceChildren(h('option', { value: '' }, 'node: least loaded'), ...nodes.map((n) => h('option', { value: n.handle }, `node: ${n.handle}`)));
  sel.value = nodes.some((n) => n.handle === keep) ? keep : '';
  sel.hidden = model.state.openvidu.edition === 'ce';
}

function tickClock() {
  const st = model.state;
  if (!st) return;
  let t = st.clock.virtualNow;
  if (st.clock.status === 'running') t += (performance.now() - model.stateAt) * st.clock.speed;
  $('clock').textContent = `${new Date(t).toISOString().slice(0, 10)} ${timeOf(t)} UTC`;
}

function liveSession(s) {
  return model.state?.snapshot.sessions.find((x) => x.uniqueSessionId === s.key);
}

function renderWorld() {
  const root = $('sessions');
  const sessions = [...model.world.values()].reverse();
  $('empty-hint').hidden = sessions.length > 0;
  keepingInputs(root, () => root.replaceChildren(...sessions.map(renderSession)));
  $('create-handle').setAttribute('placeholder', `session name (${freshHandle('s', ['s1'])})`);
}

function chip(text, kind, title) {
  return h('span', { class: `chip ${kind}`, title }, text);
}

function reasonChip(prefix, reason, kind = 'gone') {
  return chip(`${prefix} · ${reason}`, kind, REASON_HELP[reason] ?? reason);
}

function renderSession(s) {
  const live = liveSession(s);
  if (live?.mediaNode) s.node = live.mediaNode; // remembered: a closed card still says where it ran
  const handle = model.handleOf.get(s.key) ?? s.sessionId;
  const header = h(
    'div',
    { class: 'session-head' },
    h('h3', {}, handle, ' ', h('code', { title: 'the sessionId OpenVidu writes in every event' }, s.sessionId)),
    s.closed ? reasonChip('closed', s.closed, 'bad') : chip('open', 'ok', 'the session exists on the server'),
    live ? chip(`recording ${live.recordingMode}`, 'muted', 'MANUAL: your backend starts recordings; ALWAYS: it starts by itself') : null,
    live?.autostopArmed ? chip('auto-stop countdown', 'warn', REASON_HELP.automaticStop) : null,
    s.node ? h('span', { class: 'chip node', 'data-testid': 'session-node', title: 'the Pro media node that carries this session\'s video' }, `on ${s.node}`) : null,
    broadcastChip(s),
    s.last ? h('span', { class: 'muted small' }, s.last) : null,
  );
  const card = h('div', { class: `panel session${s.closed ? ' closed' : ''}`, 'data-session': handle }, header);
  if (live) card.append(sessionControls(live));
  const lanes = h('div', { class: 'lanes' });
  for (const p of s.participants.values()) lanes.append(renderParticipant(s, p, live));
  for (const r of s.recordings.values()) lanes.append(renderRecording(r, live));
  if (lanes.childElementCount === 0) lanes.append(h('p', { class: 'hint' }, 'Nobody here yet: use Join to add a person.'));
  card.append(lanes);
  return card;
}

function broadcastChip(s) {
  if (!s.broadcast) return null;
  if (s.broadcast.ended) return reasonChip('broadcast ended', s.broadcast.ended);
  return h('span', { class: 'chip live', 'data-testid': 'broadcasting', title: `${EVENT_HELP.broadcastStarted.short} ${s.broadcast.url}` }, '◉ LIVE broadcast');
}

function sessionControls(live) {
  const name = h('input', { size: 10, placeholder: freshHandle('user', NAMES), 'data-role': 'join-name' });
  const role = h('select', { 'data-role': 'join-role', title: 'SUBSCRIBER can only watch; MODERATOR can kick others' },
    ...['PUBLISHER', 'SUBSCRIBER', 'MODERATOR'].map((r) => h('option', { value: r }, r.toLowerCase())));
  const kind = h('select', { 'data-role': 'join-type', title: 'an IP camera publishes by itself as soon as it joins' },
    h('option', { value: 'WEBRTC' }, 'browser'), h('option', { value: 'IPCAM' }, 'IP camera'));
  const mode = h('select', { 'data-role': 'rec-mode', title: 'COMPOSED: one video of everybody; INDIVIDUAL: one file per stream' },
    ...['COMPOSED', 'COMPOSED_QUICK_START', 'INDIVIDUAL'].map((m) => h('option', { value: m }, m)));
  const join = () => {
    const participant = /** @type {HTMLInputElement} */ (name).value.trim() || name.getAttribute('placeholder');
    const type = /** @type {HTMLSelectElement} */ (kind).value;
    const args = { session: live.handle, participant, role: /** @type {HTMLSelectElement} */ (role).value };
    if (type === 'IPCAM') Object.assign(args, { type, rtspUri: 'rtsp://192.168.1.40:554/live', role: 'PUBLISHER' });
    else args.clientData = { clientData: participant[0].toUpperCase() + participant.slice(1) };
    model.usedHandles.add(participant);
    /** @type {HTMLInputElement} */ (name).value = ''; // the next join suggests a fresh name
    void act('join', args);
  };
  const startRec = () => {
    const recording = freshHandle('rec', []);
    model.usedHandles.add(recording);
    void act('startRecording', { session: live.handle, recording, outputMode: /** @type {HTMLSelectElement} */ (mode).value });
  };
  return h('div', { class: 'row controls-row' },
    h('span', { class: 'group' }, name, role, kind, btn('+ Join', join, ACTION_HELP.join, 'primary', 'join')),
    h('span', { class: 'group' }, mode, btn('● Start recording', startRec, ACTION_HELP.startRecording, '', 'start-recording')),
    model.state.openvidu.edition === 'ce' ? null : h('span', { class: 'group' }, live.broadcasting
      ? btn('■ Stop broadcast', () => act('stopBroadcast', { session: live.handle }), ACTION_HELP.stopBroadcast, '', 'stop-broadcast')
      : btn('◉ Start broadcast', () => act('startBroadcast', { session: live.handle, broadcastUrl: 'rtmp://live.example.com/app/stream-key' }), ACTION_HELP.startBroadcast, '', 'start-broadcast')),
    h('span', { class: 'group' },
      btn('✉ Signal everyone', () => act('signal', { session: live.handle, type: 'announcement', data: 'Hello from the server' }), 'Your backend sends a message to everybody (REST API: from is null)', '', 'signal-all'),
      btn('✖ Close session', () => act('closeSession', { session: live.handle }), ACTION_HELP.closeSession, 'danger', 'close-session')),
  );
}

function btn(label, onclick, title, cls = '', testid = undefined) {
  return h('button', { type: 'button', class: cls, title, onclick, 'data-testid': testid }, label);
}

function renderParticipant(s, p, live) {
  const handle = model.handleOf.get(p.connectionId) ?? p.connectionId;
  const liveP = live?.participants.find((x) => x.connectionId === p.connectionId);
  const who = h('div', { class: 'who' },
    h('strong', {}, handle),
    h('code', { title: 'connectionId' }, p.connectionId),
    p.left ? reasonChip('left', p.left) : chip(liveP?.role?.toLowerCase() ?? 'connected', 'ok', p.platform));
  const streams = h('div', { class: 'streams' });
  if (p.outbound) {
    streams.append(p.outbound.ended
      ? reasonChip(`OUTBOUND ${p.outbound.streamId.slice(0, 14)}…`, p.outbound.ended)
      : chip(`↑ OUTBOUND · publishing ${p.outbound.videoSource ?? 'audio'}`, 'out', `${EVENT_HELP.webrtcConnectionCreated.long} (${p.outbound.streamId})`));
  } else streams.append(h('span', { class: 'muted small' }, 'not publishing'));
  for (const [from, st] of p.inbound) {
    const fromName = model.handleOf.get(from) ?? from;
    streams.append(st.ended
      ? reasonChip(`INBOUND from ${fromName}`, st.ended)
      : chip(`↓ INBOUND from ${fromName}`, 'in', `receiving ${st.streamId}`));
  }
  const row = h('div', { class: `lane${p.left ? ' gone' : ''}`, 'data-participant': handle }, who, streams);
  if (liveP) row.append(participantControls(live, liveP));
  return row;
}

function participantControls(live, p) {
  const a = (type, args, label, cls, testid) => btn(label, () => act(type, { participant: p.handle, ...args }), ACTION_HELP[type], cls, testid);
  const others = live.participants.filter((x) => x.handle !== p.handle && x.stream && !p.subscribedTo.includes(x.handle));
  const sub = others.length
    ? h('select', { title: ACTION_HELP.subscribe, 'data-testid': 'subscribe', onchange: (ev) => { const to = ev.target.value; if (to) void act('subscribe', { participant: p.handle, to }); } },
        h('option', { value: '' }, 'subscribe to…'), ...others.map((o) => h('option', { value: o.handle }, o.handle)))
    : null;
  return h('div', { class: 'actions' },
    p.stream ? a('unpublish', {}, 'Unpublish', '', 'unpublish') : a('publish', { videoSource: 'CAMERA' }, '↑ Publish', 'primary', 'publish'),
    p.stream ? null : a('publish', { videoSource: 'SCREEN', audio: false }, 'Share screen', '', 'share-screen'),
    sub,
    p.type === 'IPCAM' ? null : btn('✉ Chat', () => act('signal', { session: live.handle, from: p.handle, type: 'chat', data: `Hi from ${p.handle}` }), ACTION_HELP.signal, '', 'signal'),
    p.stream ? a('filterEvent', {}, 'Filter event', '', 'filter') : null,
    a('leave', { reason: 'disconnect' }, 'Leave', '', 'leave'),
    a('leave', { reason: 'networkDisconnect' }, '↯ Network drop', 'warn', 'network-drop'),
    a('forceDisconnect', { by: 'server' }, 'Kick', 'danger', 'kick'),
    p.stream ? a('forceUnpublish', { by: 'server' }, 'Force unpublish', 'danger', 'force-unpublish') : null,
  );
}

function renderRecording(r, live) {
  const handle = model.handleOf.get(r.id) ?? r.id;
  const kind = r.status === 'ready' ? 'ok' : r.status === 'failed' ? 'bad' : r.status === 'started' ? 'rec' : 'warn';
  const row = h('div', { class: 'lane recording', 'data-recording': handle },
    h('div', { class: 'who' }, h('strong', {}, `● ${handle}`), h('code', {}, r.id), chip(r.status, kind, EVENT_HELP.recordingStatusChanged.long)),
    h('div', { class: 'streams' }, h('span', { class: 'muted small' },
      `${r.outputMode}${r.reason ? ` · ${r.reason}` : ''}${r.status === 'ready' ? ` · ${(r.size / 1e6).toFixed(1)} MB` : ''}`)));
  const liveR = live?.recordings.find((x) => x.id === r.id);
  if (liveR && liveR.status === 'started') {
    row.append(h('div', { class: 'actions' }, btn('■ Stop recording', () => act('stopRecording', { recording: liveR.handle }), ACTION_HELP.stopRecording, '', 'stop-recording')));
  }
  return row;
}

function renderNodes() {
  const st = model.state;
  if (!st) return;
  $('nodes-title').textContent = st.openvidu.edition === 'ce' ? 'Media server' : 'Media nodes';
  const root = $('nodes');
  keepingInputs(root, () => root.replaceChildren(...(st.openvidu.edition === 'ce' ? ceServer(st) : proCluster(st))));
}

function ceServer(st) {
  const stopped = st.snapshot.stopped;
  return [
    h('div', { class: 'lane' },
      h('div', { class: 'who' }, h('strong', {}, 'media server'), h('code', { title: 'media_node_id in recording events' }, st.openvidu.mediaNodeId),
        stopped ? chip('stopped', 'bad') : chip('running', 'ok'), h('span', { class: 'muted small' }, `${st.snapshot.sessions.length} live session(s)`)),
      stopped ? h('div', { class: 'muted small' }, 'OpenVidu Server is stopped: Reset to start again.') :
        h('div', { class: 'actions' },
          btn('↻ Media server restart', () => act('mediaServerReconnect', {}), ACTION_HELP.mediaServerReconnect, 'warn', 'media-reconnect'),
          btn('✸ Media server crash', () => act('mediaServerCrash', {}), ACTION_HELP.mediaServerCrash, 'danger', 'media-crash'),
          btn('■ Stop OpenVidu', () => act('stopServer', {}), ACTION_HELP.stopServer, 'danger', 'stop-server'))),
    h('p', { class: 'hint', 'data-testid': 'pro-hint' },
      'CE has one media server. For a Pro cluster of media nodes: Scenario “empty world — Pro” (or pro-day) → Load, or ',
      h('code', {}, 'ovsim serve --edition pro'), '.'),
  ];
}

const DELAYS = [['5s', 'boots in 5 s'], ['30s', 'boots in 30 s'], ['', 'boots in 30–90 s']];
const RECOVERIES = [['', 'never comes back'], ['2s', 'back after 2 s (silent)'], ['10s', 'back after 10 s'], ['1m', 'back after 1 min']];

function proCluster(st) {
  const snap = st.snapshot;
  const c = st.openvidu.cluster;
  const up = snap.mediaNodes.filter((n) => n.status === 'running' && !n.crashed).length;
  const timeout = !c ? '' : c.reconnectionTimeout < 0 ? 'a crashed node is waited for forever' : `a crashed node is given up after ${c.reconnectionTimeout} s`;
  const scaling = !c ? '' : c.autoscaling.enabled
    ? `autoscaling ${c.autoscaling.minNodes}–${c.autoscaling.maxNodes} nodes, average load ${c.autoscaling.minLoad}–${c.autoscaling.maxLoad} %`
    : 'autoscaling off';
  const summary = h('p', { class: 'small', 'data-testid': 'cluster' },
    'Cluster ', h('code', { title: 'clusterId in every node event' }, snap.clusterId ?? '?'),
    ` · ${up} of ${snap.mediaNodes.length} node(s) taking sessions · `,
    h('span', { title: 'OPENVIDU_PRO_CLUSTER_RECONNECTION_TIMEOUT' }, timeout), ' · ',
    h('span', { title: 'OPENVIDU_PRO_CLUSTER_AUTOSCALING: the autoscaler adds nodes above the maximum average load and removes some below the minimum' }, scaling));
  const out = [summary];
  if (snap.stopped) {
    out.push(h('p', { class: 'hint' }, 'OpenVidu Server is stopped: Reset to start again.'));
  } else {
    out.push(launchForm());
  }
  const nodes = h('div', { class: 'lanes' }, ...nodesToShow(snap).map((n) => renderNode(n, snap.stopped)));
  if (nodes.childElementCount === 0) nodes.append(h('p', { class: 'hint' }, 'No media node yet: they come up at the start instant (press Run or Step), or launch one.'));
  out.push(nodes);
  if (!snap.stopped) {
    out.push(h('div', { class: 'row controls-row' },
      h('span', { class: 'muted small' }, 'Whole deployment:'),
      btn('■ Stop OpenVidu', () => act('stopServer', {}), ACTION_HELP.stopServer, 'danger', 'stop-server')));
  }
  if (snap.edition === 'enterprise') out.push(masterNodes(snap));
  return out;
}

/** The live nodes, then the ones gone from the cluster (terminated or failed) that the page still remembers. */
function nodesToShow(snap) {
  const live = new Set(snap.mediaNodes.map((n) => n.handle));
  const past = [...model.knownNodes.values()]
    .filter((n) => !live.has(n.handle))
    .map((n) => ({ ...n, status: model.nodeFinal.get(n.id) ?? 'terminated', crashed: false, load: 0, sessions: [] }));
  return [...snap.mediaNodes, ...past];
}

function launchForm() {
  const name = h('input', { size: 9, placeholder: freshHandle('node', []), 'data-role': 'node-name' });
  const delay = h('select', { 'data-role': 'node-delay', title: 'how long the machine takes to boot (virtual time)' },
    ...DELAYS.map(([v, t]) => h('option', { value: v }, t)));
  const fail = h('input', { type: 'checkbox', 'data-role': 'node-fail' });
  const launch = () => {
    const node = /** @type {HTMLInputElement} */ (name).value.trim() || name.getAttribute('placeholder');
    const args = { node };
    const d = /** @type {HTMLSelectElement} */ (delay).value;
    if (d) args.launchDelay = d;
    if (/** @type {HTMLInputElement} */ (fail).checked) args.fail = true;
    model.usedHandles.add(node);
    /** @type {HTMLInputElement} */ (name).value = '';
    void act('launchMediaNode', args);
  };
  return h('div', { class: 'row controls-row' },
    h('span', { class: 'group' }, name, delay,
      h('label', { class: 'small', title: 'the launch ends in failed instead of running' }, fail, 'launch fails'),
      btn('+ Launch media node', launch, ACTION_HELP.launchMediaNode, 'primary', 'launch-node')));
}

function renderNode(n, stopped) {
  const over = n.status === 'terminated' || n.status === 'failed';
  const load = Math.max(0, Math.min(100, n.load));
  const bar = h('span', { class: 'load-fill' });
  bar.style.width = `${load}%`; // CSSOM, not a style attribute: the page's CSP forbids inline styles
  bar.classList.add(load >= 70 ? 'high' : load >= 40 ? 'mid' : 'low');
  const who = h('div', { class: 'who' },
    h('strong', {}, n.handle),
    h('code', { title: `id in every node event; ip ${n.ip}` }, n.id),
    h('span', { class: `chip st st-${n.status}`, 'data-testid': 'node-status', title: NODE_STATUS_HELP[n.status] ?? n.status }, n.status),
    n.crashed ? h('span', { class: 'chip bad', 'data-testid': 'node-crashed', title: EVENT_HELP.nodeCrashed.long }, '✸ crashed') : null);
  const hosted = h('div', { class: 'streams' },
    h('span', { class: 'load', title: 'load of the node, percent (what the autoscaler averages)' }, bar),
    h('span', { class: 'small', 'data-testid': 'node-load' }, `${load.toFixed(1)} %`),
    h('span', { class: 'muted small' }, n.ip),
    ...(n.sessions.length
      ? n.sessions.map((x) => chip(x, 'out', 'a session this node carries'))
      : [h('span', { class: 'muted small' }, 'no session')]));
  const row = h('div', { class: `lane node${over ? ' gone' : ''}${n.crashed ? ' crashed' : ''}`, 'data-node': n.handle }, who, hosted);
  if (!stopped && !over) row.append(nodeControls(n));
  return row;
}

function nodeControls(n) {
  const targets = model.patchTargets[n.status] ?? [];
  const patch = targets.length
    ? h('select', { 'data-testid': 'node-patch', title: ACTION_HELP.setMediaNodeStatus, onchange: (ev) => { const status = ev.target.value; if (status) void act('setMediaNodeStatus', { node: n.handle, status }); } },
        h('option', { value: '' }, 'set status…'), ...targets.map((t) => h('option', { value: t, title: NODE_STATUS_HELP[t] }, `→ ${t}`)))
    : null;
  const removable = ['running', 'waiting-idle-to-terminate', 'launching', 'canceled'].includes(n.status);
  const strategy = h('select', { 'data-testid': 'node-strategy', title: 'deletion strategy' },
    ...Object.entries(STRATEGY_HELP).map(([v, t]) => h('option', { value: v, title: t }, v)));
  const alive = (n.status === 'running' || n.status === 'waiting-idle-to-terminate') && !n.crashed;
  const recover = h('select', { 'data-testid': 'node-recover', title: 'whether the node comes back (reconnects) later' },
    ...RECOVERIES.map(([v, t]) => h('option', { value: v }, t)));
  const crash = () => {
    const r = /** @type {HTMLSelectElement} */ (recover).value;
    void act('crashMediaNode', r ? { node: n.handle, recoverAfter: r } : { node: n.handle });
  };
  return h('div', { class: 'actions' },
    patch,
    removable ? h('span', { class: 'group' }, strategy,
      btn('Remove', () => act('removeMediaNode', { node: n.handle, strategy: /** @type {HTMLSelectElement} */ (strategy).value }), ACTION_HELP.removeMediaNode, '', 'remove-node')) : null,
    alive ? h('span', { class: 'group' }, recover, btn('✸ Crash', crash, ACTION_HELP.crashMediaNode, 'danger', 'crash-node')) : null,
    alive ? btn('↻ Restart media server', () => act('mediaServerReconnect', { node: n.handle }), ACTION_HELP.mediaServerReconnect, 'warn', 'node-restart') : null);
}

function masterNodes(snap) {
  const name = h('input', { size: 9, placeholder: freshHandle('master', []), 'data-role': 'master-name' });
  const ip = h('input', { size: 11, placeholder: 'ip (optional)', 'data-role': 'master-ip' });
  const register = () => {
    const node = /** @type {HTMLInputElement} */ (name).value.trim() || name.getAttribute('placeholder');
    const address = /** @type {HTMLInputElement} */ (ip).value.trim();
    model.usedHandles.add(node);
    /** @type {HTMLInputElement} */ (name).value = '';
    /** @type {HTMLInputElement} */ (ip).value = '';
    void act('registerMasterNode', address ? { node, ip: address } : { node });
  };
  const rows = snap.masterNodes.map((m) => {
    const reason = h('select', { 'data-testid': 'master-reason', title: 'why it leaves' },
      ...['mediaNodeStatusTerminated', 'nodeCrashed'].map((r) => h('option', { value: r, title: REASON_HELP[r] }, r)));
    return h('div', { class: 'lane', 'data-master': m.handle },
      h('div', { class: 'who' }, h('strong', {}, m.handle), h('code', { title: 'nodeId' }, m.nodeId), chip('registered', 'ok')),
      h('div', { class: 'actions' }, reason,
        btn('Deregister', () => act('deregisterMasterNode', { node: m.handle, reason: /** @type {HTMLSelectElement} */ (reason).value }), ACTION_HELP.deregisterMasterNode, 'warn', 'deregister-master')));
  });
  return h('div', { class: 'masters' },
    h('h3', {}, 'Master nodes ', h('span', { class: 'muted small' }, '(Enterprise high availability)')),
    h('div', { class: 'row controls-row' }, name, ip, btn('+ Register master node', register, ACTION_HELP.registerMasterNode, '', 'register-master')),
    h('div', { class: 'lanes' }, ...(rows.length ? rows : [h('p', { class: 'hint' }, 'No master node registered yet.')])));
}

function renderWebhook() {
  const w = model.webhook;
  const root = $('webhook');
  if (!w) return;
  if (!w.configured) {
    root.replaceChildren(h('p', { class: 'hint', 'data-testid': 'webhook-off' }, 'Not configured. ', w.note));
    return;
  }
  const rows = w.recent.slice(-30).reverse().map((d) =>
    h('tr', {},
      h('td', {}, `#${d.seq}`), h('td', {}, d.event), h('td', {}, String(d.attempt)),
      h('td', {}, chip(d.outcome === '200' ? '200 OK' : d.outcome, d.ok ? 'ok' : 'bad', d.ok ? 'the endpoint accepted it' : 'OpenVidu drops an event on any status other than 200, and retries only network errors')),
      h('td', { class: 'muted' }, `${d.latencyMs} ms`)));
  root.replaceChildren(
    h('p', {}, 'POST ', h('code', {}, w.endpoint), ` — ${w.delivered} delivered, ${w.failed} failed`),
    h('table', { class: 'deliveries' }, h('tr', {}, ...['event', 'type', 'try', 'answer', 'time'].map((t) => h('th', {}, t))), ...rows),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The event log

function describeCause(c) {
  if (c.kind === 'timer') return { who: 'Timer', what: c.label };
  const args = Object.entries(c.args ?? {})
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return { who: c.origin === 'scenario' ? `Scenario step #${c.step}` : 'Action', what: `${c.type} ${args}` };
}

function summaryOf(name, d) {
  if (!d) return '(not written by this OpenVidu version)';
  const who = d.connectionId ?? d.participantId;
  const parts = [];
  if (d.connection) parts.push(`${d.connection}${d.receivingFrom ? ` from ${model.handleOf.get(d.receivingFrom) ?? d.receivingFrom}` : ''}`);
  if (who) parts.push(model.handleOf.get(who) ?? who);
  if (name === 'recordingStatusChanged') parts.push(d.id, d.status);
  if (name === 'signalSent') parts.push(`type=${d.type}`, `from=${d.from}`);
  if (name === 'sessionCreated' || name === 'sessionDestroyed') parts.push(d.sessionId);
  const node = (id) => model.handleOf.get(id) ?? id;
  if (name === 'mediaNodeStatusChanged') parts.push(node(d.id), `${d.oldStatus ?? '(new)'} → ${d.newStatus}`);
  if (name === 'nodeCrashed') parts.push(node(d.id), `${d.sessionIds?.length ?? 0} session(s) lost`);
  if (name === 'nodeRecovered') parts.push(node(d.id));
  if (name === 'broadcastStarted' || name === 'broadcastStopped') parts.push(d.sessionId, d.broadcastUrl);
  if (name === 'HANodeRegistered' || name === 'HANodeDeregistered') parts.push(node(d.nodeId));
  if (d.reason) parts.push(name === 'autoscaling' ? d.reason : `reason=${d.reason}`);
  return parts.join(' · ');
}

function onBatch(batch) {
  if (!batch || batch.events.length === 0 || model.seenBatches.has(batch.id)) return;
  model.seenBatches.add(batch.id);
  if (batch.cause.kind === 'action') {
    noteHandles(batch.cause.args);
    learnFromCause(batch);
  }
  for (const e of batch.events) applyEvent(e);
  addFilterChips(batch.events);
  const log = $('log');
  log.prepend(renderGroup(batch));
  while (log.childElementCount > MAX_GROUPS) log.lastElementChild?.remove();
  renderWorld();
}

/** The entity an action created is named by the action: a page that joins late (replayed log) still knows it. */
const CREATES = {
  createSession: ['session', 'sessionCreated', (d) => d.uniqueSessionId ?? d.sessionId],
  join: ['participant', 'participantJoined', (d) => d.connectionId ?? d.participantId],
  startRecording: ['recording', 'recordingStatusChanged', (d) => d.id],
  launchMediaNode: ['node', 'mediaNodeStatusChanged', (d) => d.id],
  registerMasterNode: ['node', 'HANodeRegistered', (d) => d.nodeId],
};

function learnFromCause(batch) {
  const rule = CREATES[batch.cause.type];
  const handle = rule && batch.cause.args?.[rule[0]];
  // The created entity's event comes last (a paused Pro world boots its nodes first in the same cascade).
  const e = rule && [...batch.events].reverse().find((x) => x.name === rule[1]);
  const d = e && eventData(e);
  const id = d && rule[2](d);
  if (typeof handle === 'string' && id && !model.handleOf.has(id)) model.handleOf.set(id, handle);
}

function renderGroup(batch) {
  const { who, what } = describeCause(batch.cause);
  const group = h('div', { class: `group ${batch.cause.kind}`, 'data-batch': batch.id },
    h('div', { class: 'group-head', title: 'Everything below happened because of this one cause (a cascade)' },
      h('span', { class: 'who' }, who), h('span', { class: 'what' }, what),
      h('span', { class: 'muted' }, `${timeOf(batch.at)} · ${batch.events.length} event${batch.events.length > 1 ? 's' : ''}`)));
  for (const e of batch.events) group.append(renderEvent(e));
  applyFilter(group);
  return group;
}

function renderEvent(e) {
  const d = eventData(e);
  const help = EVENT_HELP[e.name] ?? { short: '', long: '' };
  const row = h('div', { class: 'event', 'data-type': e.name, 'data-seq': e.seq });
  const head = h('div', { class: 'event-head', title: `${help.short} (click for the CDR line and WebHook body)` },
    h('span', { class: 'time' }, timeOf(e.timestamp)),
    h('span', { class: `type t-${e.name}` }, e.name),
    h('span', { class: 'summary' }, summaryOf(e.name, d)));
  head.addEventListener('click', () => {
    if (row.querySelector('.detail')) return void row.querySelector('.detail')?.remove();
    row.append(h('div', { class: 'detail' },
      h('p', {}, h('strong', {}, help.short), ' ', help.long),
      d?.reason && e.name !== 'autoscaling' ? h('p', {}, h('strong', {}, `reason ${d.reason}: `), REASON_HELP[d.reason] ?? '') : null,
      e.name === 'mediaNodeStatusChanged' ? h('p', {}, h('strong', {}, `${d.newStatus}: `), NODE_STATUS_HELP[d.newStatus] ?? '') : null,
      h('div', { class: 'label' }, 'CDR line (file written by OpenVidu)'), h('pre', {}, e.cdr ?? '(not written by this version)'),
      h('div', { class: 'label' }, 'WebHook body (POSTed to your endpoint)'), h('pre', {}, e.webhook ?? '(not sent by this version)')));
  });
  row.append(head);
  return row;
}

function addFilterChips(events) {
  for (const e of events) {
    if (model.seenTypes.has(e.name)) continue;
    model.seenTypes.add(e.name);
    const c = h('button', { type: 'button', class: `filter t-${e.name}`, 'aria-pressed': 'true', title: EVENT_HELP[e.name]?.short, 'data-filter': e.name }, e.name);
    c.addEventListener('click', () => {
      const hidden = model.hiddenTypes.has(e.name);
      if (hidden) model.hiddenTypes.delete(e.name);
      else model.hiddenTypes.add(e.name);
      c.setAttribute('aria-pressed', String(hidden));
      for (const g of $('log').children) applyFilter(g);
    });
    $('filters').append(c);
  }
}

function applyFilter(group) {
  let shown = 0;
  for (const ev of group.querySelectorAll('.event')) {
    const hide = model.hiddenTypes.has(ev.getAttribute('data-type'));
    ev.hidden = hide;
    if (!hide) shown++;
  }
  group.hidden = shown === 0;
}

function resetModel() {
  model.world.clear();
  // A new world may not have the same event types (CE after Pro): the filters start over with it.
  model.seenTypes.clear();
  model.hiddenTypes.clear();
  $('filters').replaceChildren();
  model.knownNodes.clear();
  model.nodeFinal.clear();
  model.seenBatches.clear();
  $('log').replaceChildren();
}

// ---------------------------------------------------------------------------------------------------------------
// The feed

function onMessage(m) {
  switch (m.type) {
    case 'hello': {
      resetModel();
      const groups = new Map();
      for (const e of m.events) {
        const g = groups.get(e.batch) ?? { id: e.batch, at: e.timestamp, cause: e.cause, events: [] };
        g.events.push(e);
        groups.set(e.batch, g);
      }
      setState(m.state);
      for (const g of groups.values()) onBatch(g);
      setState(m.state);
      syncScenarioSelect(m.state);
      break;
    }
    case 'batch':
      learnHandles(m.state); // first, so the cascade's summaries name what it created by handle
      onBatch(m.batch);
      setState(m.state);
      break;
    case 'refused':
      toast(`A scenario step was refused (${m.status}): ${m.message}`);
      setState(m.state);
      break;
    case 'reset':
      resetModel();
      setState(m.state);
      syncScenarioSelect(m.state);
      break;
    case 'control':
      setState(m.state);
      break;
    case 'webhook':
      if (model.webhook) {
        model.webhook.recent.push(m.delivery);
        if (model.webhook.recent.length > 200) model.webhook.recent.shift();
        if (m.delivery.ok) model.webhook.delivered++;
        else model.webhook.failed++;
        renderWebhook();
      }
      break;
  }
}

async function connect() {
  try {
    const { token } = await api('POST', 'feed-token');
    const url = new URL(`api/feed?token=${encodeURIComponent(token)}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
    ws.onopen = () => document.body.classList.remove('offline');
    ws.onclose = () => {
      document.body.classList.add('offline');
      setTimeout(connect, 1000);
    };
  } catch {
    setTimeout(connect, 2000);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Controls

function wire() {
  const control = (id, path, body) =>
    $(id).addEventListener('click', async () => {
      try {
        const r = await api('POST', path, body?.());
        setState(r.state ?? r);
        if (r.batch) onBatch(r.batch);
        if (path === 'step' && !r.batch) toast('Nothing is queued: the scenario has no more steps or timers.', 'info');
      } catch {
        // shown in the toast
      }
    });
  control('btn-resume', 'resume');
  control('btn-pause', 'pause');
  control('btn-step', 'step');
  control('btn-reset', 'reset');
  $('speed').addEventListener('change', (ev) => void api('POST', 'speed', { speed: Number(ev.target.value) }).then(setState, () => undefined));
  $('form-create').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('create-handle'));
    const session = input.value.trim() || freshHandle('s', []);
    const custom = /** @type {HTMLInputElement} */ ($('create-custom')).value.trim();
    const args = { session, recordingMode: /** @type {HTMLSelectElement} */ ($('create-mode')).value };
    if (custom) args.customSessionId = custom;
    const node = /** @type {HTMLSelectElement} */ ($('create-node')).value;
    if (node && model.state?.openvidu.edition !== 'ce') args.mediaNode = node;
    model.usedHandles.add(session);
    input.value = '';
    void act('createSession', args);
  });
  $('btn-load').addEventListener('click', async () => {
    const name = /** @type {HTMLSelectElement} */ ($('scenario-select')).value;
    try {
      const st = name.startsWith('@')
        ? await api('POST', `scenario?edition=${name.slice(1)}`, JSON.stringify(emptyWorld(name.slice(1))))
        : await api('POST', `scenarios/${encodeURIComponent(name)}/load`);
      setState(st);
      toast(`Loaded "${st.scenario.name}" (${st.scenario.steps} steps, OpenVidu ${st.openvidu.edition.toUpperCase()}). Press Run or Step.`, 'info');
    } catch {
      // shown
    }
  });
  $('scenario-file').addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    if (!file) return;
    const type = file.name.endsWith('.json') ? 'application/json' : 'application/yaml';
    try {
      const st = await api('POST', 'scenario', await file.text(), type);
      setState(st);
      toast(`Loaded "${st.scenario.name}" (${st.scenario.steps} steps). Press Run or Step.`, 'info');
    } catch {
      // shown
    }
    ev.target.value = '';
  });
}

/** An empty world of an edition; Pro ones get two nodes and a finite reconnection timeout so every node fault shows. */
function emptyWorld(edition) {
  if (edition === 'ce') return { name: 'live', steps: [] };
  return {
    name: `live-${edition}`,
    description: `An empty OpenVidu ${edition} cluster: launch, crash and remove media nodes with the controls.`,
    openvidu: { edition, cluster: { mediaNodes: 2, reconnectionTimeout: 20 } },
    steps: [],
  };
}

async function init() {
  wire();
  setInterval(tickClock, 100);
  try {
    const [state, list, catalogue] = await Promise.all([api('GET', 'state'), api('GET', 'scenarios'), api('GET', 'catalogue')]);
    model.patchTargets = catalogue.mediaNodePatchTargets ?? {};
    for (const s of list.scenarios) $('scenario-select').append(h('option', { value: s.name, title: s.description }, s.name));
    model.webhook = state.webhook;
    renderWebhook();
    setState(state);
    syncScenarioSelect(state);
  } catch {
    // shown
  }
  void connect();
}

void init();
