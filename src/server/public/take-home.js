// @ts-check
// Take the room home: the run's CDR file and WebHook JSON Lines (the server's exact bytes), a link that reopens the
// same scenario, seed and position, and the lifecycle diagram of an entity as an SVG file.
import { api, toast } from './api.js';
import { $, h } from './lib/dom.js';
import { lifeOf, lifecycleSvg, svgText } from './lifecycle.js';
import { store } from './model.js';
import { openDialog, selectEvent } from './presenter.js';

/** @typedef {import('./lifecycle.js').EntityKind} EntityKind */

/** Names of the empty worlds (the server's default, and the page's "empty world" choices). */
const EMPTY_WORLDS = new Set(['live', 'live-pro', 'live-enterprise']);

/**
 * The scenario as a link names it (`@ce`… for the empty worlds), or null when a link cannot reopen it (an upload).
 * @param {import('./model.js').PageState} st
 */
export function scenarioRef(st) {
  if (EMPTY_WORLDS.has(st.scenario.name) && st.scenario.steps === 0) return `@${st.openvidu.edition}`;
  const bundled = store.scenarios.has(st.scenario.name);
  const base = st.scenario.file.split(/[\\/]/).pop() ?? '';
  return bundled && /^[^.]+\.(ya?ml|json)$/.test(base) && base.split('.')[0] === st.scenario.name
    ? st.scenario.name
    : null;
}

/** The link to this scenario, seed and position (the chosen event, else the newest), or why there is none. */
export function permalink() {
  const st = store.state;
  if (!st) return { url: '', note: '' };
  const ref = scenarioRef(st);
  if (ref === null)
    return {
      url: '',
      note: 'This world came from an uploaded file: a link cannot reopen it (keep the file).',
    };
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('scenario', ref);
  url.searchParams.set('seed', String(st.seed));
  url.searchParams.set('start', new Date(st.start).toISOString());
  url.searchParams.set('event', String(store.selection.seq ?? st.log.newest));
  const note =
    st.liveActions > 0
      ? `It replays the scenario's own steps: the ${st.liveActions} action(s) sent live are not in it.`
      : 'It reopens the same scenario, seed and start, stepped to the same event.';
  return { url: url.toString(), note };
}

export function renderTakeHome() {
  const { url, note } = permalink();
  const input = /** @type {HTMLInputElement} */ ($('link-text'));
  if (document.activeElement !== input) input.value = url;
  $('link-note').textContent = note;
  /** @type {HTMLButtonElement} */ ($('btn-copy-link')).disabled = url === '';
}

export function initTakeHome() {
  $('btn-copy-link').addEventListener('click', async () => {
    const { url } = permalink();
    try {
      await navigator.clipboard.writeText(url);
      toast('Link copied: it reopens this scenario, seed and position.', 'info');
    } catch {
      /** @type {HTMLInputElement} */ ($('link-text')).select();
    }
  });
}

/**
 * Opens the world a link names (scenario, seed, start) and steps it to the link's event; the parameters then leave
 * the address, so reloading the page does not rewind everybody's world again.
 */
export async function openFromLink() {
  const params = new URLSearchParams(location.search);
  const scenario = params.get('scenario');
  if (!scenario) return;
  const q = new URLSearchParams();
  for (const k of ['seed', 'start']) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  const event = Number(params.get('event') ?? '0');
  try {
    if (scenario.startsWith('@')) {
      q.set('edition', scenario.slice(1));
      await api('POST', `scenario?${q}`, JSON.stringify(emptyWorld(scenario.slice(1))));
    } else {
      await api('POST', `scenarios/${encodeURIComponent(scenario)}/load?${q}`);
    }
    if (event > 0) await api('POST', 'seek', { event });
  } catch {
    return; // shown in the toast
  }
  const url = new URL(location.href);
  for (const k of ['scenario', 'seed', 'start', 'event']) url.searchParams.delete(k);
  history.replaceState(null, '', url.toString().replace(/present=(&|$)/, 'present$1'));
  // The feed brings the cascades; choose the link's event once it is there.
  const until = performance.now() + 5000;
  const choose = () => {
    if (store.entries.has(event)) selectEvent(event);
    else if (performance.now() < until) setTimeout(choose, 50);
  };
  if (event > 0) choose();
}

/**
 * An empty world of an edition; Pro ones get two nodes and a finite reconnection timeout so every node fault shows.
 * @param {string} edition
 */
export function emptyWorld(edition) {
  if (edition === 'ce') return { name: 'live', steps: [] };
  return {
    name: `live-${edition}`,
    description: `An empty OpenVidu ${edition} cluster: launch, crash and remove media nodes with the controls.`,
    openvidu: { edition, cluster: { mediaNodes: 2, reconnectionTimeout: 20 } },
    steps: [],
  };
}

/**
 * Shows the lifecycle diagram of an entity, with a button saving it as an SVG file.
 * @param {EntityKind} kind
 * @param {string} key
 */
export function openLifecycle(kind, key) {
  const life = lifeOf(kind, key);
  if (!life) {
    toast('The page no longer holds this entity (it left memory with its closed session).', 'info');
    return;
  }
  const svg = lifecycleSvg(life);
  const save = () => {
    const blob = new Blob([svgText(svg)], { type: 'image/svg+xml' });
    const a = h('a', {
      href: URL.createObjectURL(blob),
      download: `lifecycle-${kind}-${life.title.split(' ')[1] ?? 'entity'}.svg`,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  openDialog(
    h(
      'div',
      { class: 'lifecycle-view', 'data-testid': 'lifecycle', 'data-kind': kind },
      h('div', { class: 'lifecycle-scroll' }, svg),
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', class: 'primary', 'data-testid': 'download-svg', onclick: save },
          '⤓ Download SVG',
        ),
      ),
    ),
  );
}

/**
 * The lifecycle of what an event is about: its participant (or WebRTC connection's), recording, node or session.
 * @param {number} seq
 */
export function lifecycleOfEvent(seq) {
  const w = store.world;
  for (const st of w.streams.values())
    if (st.events.includes(seq)) return openLifecycle('participant', st.participant);
  /** @type {Array<[EntityKind, Map<string, {events: readonly number[]}>]>} */
  const kinds = [
    ['participant', w.participants],
    ['recording', w.recordings],
    ['node', w.nodes],
    ['session', w.sessions],
  ];
  for (const [kind, map] of kinds)
    for (const [key, r] of map) if (r.events.includes(seq)) return openLifecycle(kind, key);
  toast('This event is about the whole cluster: it has no lifecycle of its own.', 'info');
}
