// @ts-check
// The workshop page: draws what the server sends (the live state, the world projection, the cascades of events) and
// sends people's clicks and keys to the control API. Plain ES modules, no build step, no external resources.
import { act, api, control, onChange, toast } from './api.js';
import { connect } from './feed.js';
import { $, h, shortTime, timeOf, valueOf } from './lib/dom.js';
import { freshHandle, setState, store, virtualNow } from './model.js';
import { initPresenter, renderStory, selectEvent } from './presenter.js';
import { renderLog, onLifecycle as onEventLifecycle } from './render-log.js';
import { onLifecycle as onNodeLifecycle } from './render-cluster.js';
import { renderNodes } from './render-nodes.js';
import { renderWebhook } from './render-webhook.js';
import { setLivekit } from './livekit-model.js';
import { renderLivekit } from './render-livekit.js';
import { renderWorld, onLifecycle as onWorldLifecycle } from './render-world.js';
import {
  emptyWorld,
  initTakeHome,
  lifecycleOfEvent,
  openFromLink,
  openLifecycle,
  renderTakeHome,
} from './take-home.js';
import { initTimeline, renderTimeline, revealMark } from './timeline.js';

let frame = 0;

/** Redraws everything once, at the next frame, however many changes came in meanwhile. */
function redraw() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const st = store.state;
    if (!st) return;
    renderHeader(st);
    renderNodes();
    renderWorld();
    renderLog();
    renderWebhook();
    renderStory();
    renderTimeline();
    renderTakeHome();
    if (st.server) renderLivekit();
  });
}

/** @param {import('./model.js').PageState} st */
function renderHeader(st) {
  const sel = /** @type {HTMLSelectElement} */ ($('speed'));
  const v = String(st.clock.speed);
  if (![...sel.options].some((o) => o.value === v)) sel.append(h('option', { value: v }, `${v}×`));
  if (document.activeElement !== sel) sel.value = v;
  const status = $('clock-status');
  status.textContent = st.snapshot.stopped ? 'server stopped' : st.clock.status;
  status.className = `pill ${st.snapshot.stopped ? 'bad' : st.clock.status}`;
  const meet = st.server?.kind === 'meet';
  $('scenario-name').textContent = st.server
    ? `— scenario "${st.scenario.name}", ${meet ? 'OpenVidu Meet on ' : ''}OpenVidu 3 (LiveKit ${st.server.livekitVersion})`
    : `— scenario "${st.scenario.name}", OpenVidu ${st.openvidu.version} ${st.openvidu.edition.toUpperCase()}`;
  if (st.server) {
    document.body.dataset['server'] = st.server.kind;
    const tagline = document.querySelector('.tagline');
    if (tagline)
      tagline.textContent = meet
        ? 'the LiveKit rooms under OpenVidu Meet, as they happen (Meet sends its own webhooks)'
        : 'what OpenVidu 3 (LiveKit) sends, as it happens';
  }
  document.body.dataset['edition'] = st.openvidu.edition;
  document.body.dataset['clock'] = st.clock.status;
  const node = /** @type {HTMLSelectElement} */ ($('create-node'));
  const nodes = st.snapshot.mediaNodes.filter((n) => n.status === 'running' && !n.crashed);
  const keep = node.value;
  node.replaceChildren(
    h('option', { value: '' }, 'node: least loaded'),
    ...nodes.map((n) => h('option', { value: n.handle }, `node: ${n.handle}`)),
  );
  node.value = nodes.some((n) => n.handle === keep) ? keep : '';
  node.hidden = st.openvidu.edition === 'ce';
  tickClock();
}

function tickClock() {
  if (!store.state) return;
  const t = virtualNow();
  const present = document.body.classList.contains('present');
  $('clock').textContent = present
    ? shortTime(t)
    : `${new Date(t).toISOString().slice(0, 10)} ${timeOf(t)} UTC`;
}

/** Shows the loaded world in the scenario picker (only when the world changes: it must not undo a pending choice). */
function syncScenarioSelect() {
  const st = store.state;
  if (!st) return;
  const sel = /** @type {HTMLSelectElement} */ ($('scenario-select'));
  const { name } = st.scenario;
  const edition = st.openvidu.edition;
  const value = name === 'live' || name === `live-${edition}` ? `@${edition}` : name;
  if ([...sel.options].some((o) => o.value === value)) sel.value = value;
}

function wire() {
  $('btn-resume').addEventListener('click', () => void control('resume'));
  $('btn-pause').addEventListener('click', () => void control('pause'));
  $('btn-step').addEventListener('click', () => void control('step'));
  $('btn-reset').addEventListener('click', () => void control('reset'));
  $('speed').addEventListener(
    'change',
    (ev) => void control('speed', { speed: Number(valueOf(/** @type {Element} */ (ev.target))) }),
  );
  $('form-create').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('create-handle'));
    const session = input.value.trim() || freshHandle('s', []);
    const custom = valueOf($('create-custom')).trim();
    /** @type {Record<string, unknown>} */
    const args = { session, recordingMode: valueOf($('create-mode')) };
    if (custom) args['customSessionId'] = custom;
    const node = valueOf($('create-node'));
    if (node && store.state?.openvidu.edition !== 'ce') args['mediaNode'] = node;
    store.usedHandles.add(session);
    input.value = '';
    void act('createSession', args);
  });
  $('btn-load').addEventListener('click', async () => {
    const name = valueOf($('scenario-select'));
    try {
      const st = name.startsWith('@')
        ? await api('POST', `scenario?edition=${name.slice(1)}`, JSON.stringify(emptyWorld(name.slice(1))))
        : await api('POST', `scenarios/${encodeURIComponent(name)}/load`);
      setState(st);
      redraw();
      toast(
        `Loaded "${st.scenario.name}" (${st.scenario.steps} steps, OpenVidu ${st.openvidu.edition.toUpperCase()}). Press Run or Step.`,
        'info',
      );
    } catch {
      // shown
    }
  });
  $('scenario-file').addEventListener('change', async (ev) => {
    const input = /** @type {HTMLInputElement} */ (ev.target);
    const file = input.files?.[0];
    if (!file) return;
    const type = file.name.endsWith('.json') ? 'application/json' : 'application/yaml';
    try {
      const st = await api('POST', 'scenario', await file.text(), type);
      setState(st);
      redraw();
      toast(`Loaded "${st.scenario.name}" (${st.scenario.steps} steps). Press Run or Step.`, 'info');
    } catch {
      // shown
    }
    input.value = '';
  });
}

async function init() {
  onChange(redraw);
  wire();
  initTakeHome();
  initPresenter({ redraw, lifecycle: lifecycleOfEvent, reveal: revealMark });
  initTimeline(selectEvent, (lane) => {
    if (
      lane.kind === 'session' ||
      lane.kind === 'participant' ||
      lane.kind === 'recording' ||
      lane.kind === 'node'
    )
      openLifecycle(lane.kind, lane.key);
  });
  onEventLifecycle(lifecycleOfEvent);
  onWorldLifecycle(openLifecycle);
  onNodeLifecycle((key) => openLifecycle('node', key));
  setInterval(tickClock, 100);
  // While time runs, bars grow and the timeline follows now.
  setInterval(() => {
    if (store.state?.clock.status === 'running') renderTimeline();
  }, 500);
  try {
    const [state, list, catalogue] = await Promise.all([
      api('GET', 'state'),
      api('GET', 'scenarios'),
      api('GET', 'catalogue'),
    ]);
    store.patchTargets = catalogue.mediaNodePatchTargets ?? {};
    for (const s of list.scenarios) {
      store.scenarios.set(s.name, s.description);
      $('scenario-select').append(h('option', { value: s.name }, s.name));
    }
    store.webhook = state.webhook;
    setLivekit(state.livekit);
    setState(state);
    syncScenarioSelect();
    redraw();
  } catch {
    // shown
  }
  await openFromLink();
  void connect(() => {
    syncScenarioSelect();
    redraw();
  });
}

void init();
