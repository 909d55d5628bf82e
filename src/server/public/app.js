/* global document, location, fetch, WebSocket, performance, setTimeout, clearTimeout, setInterval */
// The workshop page: draws the live simulation from the WebSocket feed and sends people's clicks to the control API.
// Plain ES module, no build step, no external resources.
import { ACTION_HELP, EVENT_HELP, REASON_HELP } from './explain.js';

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
    onBatch(r.batch);
    setState(r.state);
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
  for (const k of ['session', 'participant', 'recording']) if (typeof args[k] === 'string') model.usedHandles.add(args[k]);
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
  const key = d.uniqueSessionId ?? d.sessionId;
  let s = model.world.get(key);
  if (!s && key) {
    s = { key, sessionId: d.sessionId, createdAt: d.timestamp, closed: null, participants: new Map(), recordings: new Map(), last: '' };
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
  }
}

// ---------------------------------------------------------------------------------------------------------------
// State and rendering

function setState(state) {
  if (!state) return;
  model.state = state;
  model.stateAt = performance.now();
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
  const sel = /** @type {HTMLSelectElement} */ ($('speed'));
  const v = String(state.clock.speed);
  if (![...sel.options].some((o) => o.value === v)) sel.append(h('option', { value: v }, `${v}×`));
  sel.value = v;
  const status = $('clock-status');
  status.textContent = state.snapshot.stopped ? 'server stopped' : state.clock.status;
  status.className = `pill ${state.snapshot.stopped ? 'bad' : state.clock.status}`;
  $('scenario-name').textContent = `— scenario "${state.scenario.name}", OpenVidu ${state.openvidu.version} ${state.openvidu.edition.toUpperCase()}`;
  renderWorld();
  renderNodes();
  tickClock();
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
  root.replaceChildren(...sessions.map(renderSession));
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
  const handle = model.handleOf.get(s.key) ?? s.sessionId;
  const header = h(
    'div',
    { class: 'session-head' },
    h('h3', {}, handle, ' ', h('code', { title: 'the sessionId OpenVidu writes in every event' }, s.sessionId)),
    s.closed ? reasonChip('closed', s.closed, 'bad') : chip('open', 'ok', 'the session exists on the server'),
    live ? chip(`recording ${live.recordingMode}`, 'muted', 'MANUAL: your backend starts recordings; ALWAYS: it starts by itself') : null,
    live?.autostopArmed ? chip('auto-stop countdown', 'warn', REASON_HELP.automaticStop) : null,
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
  const stopped = st.snapshot.stopped;
  const sessions = st.snapshot.sessions.length;
  $('nodes').replaceChildren(
    h('div', { class: 'lane' },
      h('div', { class: 'who' }, h('strong', {}, 'media server'), h('code', { title: 'media_node_id in recording events' }, st.openvidu.mediaNodeId),
        stopped ? chip('stopped', 'bad') : chip('running', 'ok'), h('span', { class: 'muted small' }, `${sessions} live session(s)`)),
      stopped ? h('div', { class: 'muted small' }, 'OpenVidu Server is stopped: Reset to start again.') :
        h('div', { class: 'actions' },
          btn('↻ Media server restart', () => act('mediaServerReconnect', {}), ACTION_HELP.mediaServerReconnect, 'warn', 'media-reconnect'),
          btn('✸ Media server crash', () => act('mediaServerCrash', {}), ACTION_HELP.mediaServerCrash, 'danger', 'media-crash'),
          btn('■ Stop OpenVidu', () => act('stopServer', {}), ACTION_HELP.stopServer, 'danger', 'stop-server'))),
    h('p', { class: 'hint' }, st.openvidu.edition === 'ce'
      ? 'OpenVidu CE runs one media server. With OpenVidu Pro, each media node of the cluster appears here with its status.'
      : 'Pro media nodes will appear here once the Pro engine simulates them.'),
  );
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
  if (d.reason) parts.push(`reason=${d.reason}`);
  return parts.join(' · ');
}

function onBatch(batch) {
  if (!batch || batch.events.length === 0 || model.seenBatches.has(batch.id)) return;
  model.seenBatches.add(batch.id);
  if (batch.cause.kind === 'action') noteHandles(batch.cause.args);
  for (const e of batch.events) applyEvent(e);
  addFilterChips(batch.events);
  const log = $('log');
  log.prepend(renderGroup(batch));
  while (log.childElementCount > MAX_GROUPS) log.lastElementChild?.remove();
  renderWorld();
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
      d?.reason ? h('p', {}, h('strong', {}, `reason ${d.reason}: `), REASON_HELP[d.reason] ?? '') : null,
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
      break;
    }
    case 'batch':
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
    model.usedHandles.add(session);
    input.value = '';
    void act('createSession', args);
  });
  $('btn-load').addEventListener('click', async () => {
    const name = /** @type {HTMLSelectElement} */ ($('scenario-select')).value;
    try {
      const st = name
        ? await api('POST', `scenarios/${encodeURIComponent(name)}/load`)
        : await api('POST', 'scenario', JSON.stringify({ name: 'live', steps: [] }));
      setState(st);
      toast(`Loaded "${st.scenario.name}" (${st.scenario.steps} steps). Press Run or Step.`, 'info');
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

async function init() {
  wire();
  setInterval(tickClock, 100);
  try {
    const [state, list] = await Promise.all([api('GET', 'state'), api('GET', 'scenarios')]);
    for (const s of list.scenarios) $('scenario-select').append(h('option', { value: s.name, title: s.description }, s.name));
    model.webhook = state.webhook;
    renderWebhook();
    setState(state);
  } catch {
    // shown
  }
  void connect();
}

void init();
