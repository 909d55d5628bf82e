// @ts-check
// For a room: presentation mode (large type, the controls that matter, `?present`), the story banner (the next step
// while paused, the latest or chosen cascade in a sentence and what it means), keyboard shortcuts, the zoomed view of
// one event, and the help line that replaces tooltips nobody in the room can see.
import { control } from './api.js';
import { eventHelp } from './explain.js';
import { jsonView } from './json-view.js';
import { $, h, shortTime } from './lib/dom.js';
import { cascadeById, eventData, store } from './model.js';
import { markSelection, rowsOf, summaryOf, toggleEvent } from './render-log.js';
import { cascadeMeaning, cascadeSentence, causeLabel, keyEvent, nextStepWords } from './story.js';

/** @typedef {import('./model.js').Cascade} Cascade */

/** The app's hooks: redraw, and open the lifecycle of what an event is about. */
const hooks = {
  redraw: () => undefined,
  /** @type {(seq: number) => void} */
  lifecycle: () => undefined,
  /** @type {(seq: number) => void} */
  reveal: () => undefined,
};

export const SHORTCUTS = [
  ['Space', 'run / pause'],
  ['S', 'step: run the next queued step, then pause'],
  ['→  N  PageDown', 'next cascade (at the newest: step)'],
  ['←  P  PageUp', 'previous cascade'],
  ['↓  ↑', 'next / previous event of the cascade'],
  ['Enter  Z', 'zoom into the event'],
  ['L', 'lifecycle diagram of what the event is about'],
  ['F', 'presentation mode on / off'],
  ['Esc', 'close'],
  ['?', 'these shortcuts'],
];

/**
 * @param {{redraw: () => void, lifecycle: (seq: number) => void, reveal: (seq: number) => void}} h
 */
export function initPresenter(h) {
  Object.assign(hooks, h);
  const params = new URLSearchParams(location.search);
  setPresent(params.has('present'));
  $('btn-present').addEventListener('click', () => setPresent(!document.body.classList.contains('present')));
  $('btn-keys').addEventListener('click', showShortcuts);
  document.addEventListener('keydown', onKey);
  for (const type of ['mouseover', 'focusin'])
    document.addEventListener(type, (ev) => showHelp(/** @type {Element | null} */ (ev.target)));
}

/** @param {boolean} on */
export function setPresent(on) {
  document.body.classList.toggle('present', on);
  $('btn-present').setAttribute('aria-pressed', String(on));
  const url = new URL(location.href);
  if (on) url.searchParams.set('present', '');
  else url.searchParams.delete('present');
  history.replaceState(null, '', url.toString().replace(/present=(&|$)/, 'present$1'));
  hooks.redraw();
}

/** @param {Element | null} el */
function showHelp(el) {
  const holder = el?.closest?.('[data-help]');
  const text = holder?.getAttribute('data-help') ?? '';
  const line = $('help-line');
  if (text) line.textContent = text;
}

/** @param {KeyboardEvent} ev */
function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = /** @type {HTMLElement} */ (ev.target);
  if (t.closest('input, select, textarea')) return;
  const dialog = /** @type {HTMLDialogElement} */ ($('zoom'));
  const key = ev.key;
  /** @type {(() => unknown) | undefined} */
  let action;
  if (key === ' ') action = () => void control(store.state?.clock.status === 'running' ? 'pause' : 'resume');
  else if (key === 's' || key === 'S') action = () => void control('step');
  else if (['ArrowRight', 'PageDown', 'n', 'N'].includes(key)) action = () => inTurn(() => moveCascade(1));
  else if (['ArrowLeft', 'PageUp', 'p', 'P'].includes(key)) action = () => inTurn(() => moveCascade(-1));
  else if (key === 'ArrowDown') action = () => moveEvent(1);
  else if (key === 'ArrowUp') action = () => moveEvent(-1);
  else if ((key === 'Enter' && !t.closest('button, a, summary')) || key === 'z' || key === 'Z')
    action = zoomIn;
  else if (key === 'l' || key === 'L')
    action = () => {
      const seq = selectedSeq();
      if (seq !== null) hooks.lifecycle(seq);
    };
  else if (key === 'f' || key === 'F')
    action = () => setPresent(!document.body.classList.contains('present'));
  else if (key === '?') action = showShortcuts;
  if (!action) return;
  ev.preventDefault();
  // Zoomed into an event, the arrows move the zoom along; any other shortcut closes it first.
  const zoomed = dialog.open && $('zoom-content').querySelector('[data-testid="zoom-event"]') !== null;
  const moves = [
    'ArrowRight',
    'ArrowLeft',
    'ArrowDown',
    'ArrowUp',
    'PageDown',
    'PageUp',
    'n',
    'N',
    'p',
    'P',
  ].includes(key);
  if (dialog.open && !(zoomed && moves) && !['f', 'F', ' ', 's', 'S'].includes(key)) dialog.close();
  const done = action();
  if (zoomed && moves) void Promise.resolve(done).then(zoomIn);
}

/** Moves through cascades, one after the other: a press while a step is on its way waits for it. */
let turn = Promise.resolve();

/** @param {() => Promise<void>} move */
function inTurn(move) {
  turn = turn.then(move, move);
  return turn;
}

/** The selected event, or the key event of the selected (or latest) cascade. */
function selectedSeq() {
  if (store.selection.seq !== null) return store.selection.seq;
  const c = cascadeById(store.selection.batch) ?? store.cascades.at(-1);
  return c ? (keyEvent(c)?.seq ?? null) : null;
}

/**
 * Selects a cascade (and its key event) and brings it into view in the log and the timeline.
 * @param {Cascade} c
 * @param {number | null} [seq]
 */
export function select(c, seq = null) {
  const e = seq === null ? keyEvent(c) : c.events.find((x) => x.seq === seq);
  store.selection = { batch: c.id, seq: e?.seq ?? null };
  const { group, row } = rowsOf(c.id, store.selection.seq);
  if (row && e) toggleEvent(row, e, c.id, true);
  (row ?? group)?.scrollIntoView({ block: 'nearest' });
  markSelection();
  if (e) hooks.reveal(e.seq);
  hooks.redraw();
}

/**
 * Selects the event with this seq (a mark was clicked).
 * @param {number} seq
 */
export function selectEvent(seq) {
  const c = store.cascades.find((x) => x.events.some((e) => e.seq === seq));
  if (c) select(c, seq);
}

/**
 * The next (newer) or previous cascade; past the newest, steps the simulation when something is queued.
 * @param {1 | -1} dir
 */
async function moveCascade(dir) {
  const list = store.cascades;
  // Nothing chosen: the banner shows the newest, so that is where moving starts.
  const found = list.findIndex((c) => c.id === store.selection.batch);
  const i = found < 0 ? list.length - 1 : found;
  if (dir === 1 && i >= list.length - 1) {
    const st = store.state;
    if (st?.clock.status !== 'paused' || st.nextAt === null) return;
    const before = list.at(-1)?.id;
    await control('step');
    const newest = store.cascades.at(-1);
    if (newest && newest.id !== before) select(newest);
    return;
  }
  const target = list[Math.max(0, i + dir)];
  if (target) select(target);
}

/**
 * The next or previous event, on into the neighbouring cascade at either end.
 * @param {1 | -1} dir
 */
function moveEvent(dir) {
  const list = store.cascades;
  const c = cascadeById(store.selection.batch) ?? list.at(-1);
  if (!c) return;
  const i = c.events.findIndex((e) => e.seq === store.selection.seq);
  const e = c.events[i + dir];
  if (e) return select(c, e.seq);
  const next = list[list.indexOf(c) + dir];
  const edge = next && (dir === 1 ? next.events[0] : next.events.at(-1));
  if (next && edge) select(next, edge.seq);
}

/** Shows the selected event big: what it means, its cascade, its WebHook body. */
export function zoomIn() {
  const seq = selectedSeq();
  const e = seq === null ? undefined : store.entries.get(seq);
  const c = e && store.cascades.find((x) => x.id === e.batch);
  if (!e || !c) return;
  if (store.selection.seq !== e.seq) select(c, e.seq);
  const help = eventHelp(e.name);
  const index = c.events.indexOf(e) + 1;
  openDialog(
    h(
      'div',
      { class: 'zoom-event', 'data-testid': 'zoom-event', 'data-event-index': e.seq },
      h('p', { class: 'zoom-cascade' }, `${causeLabel(c)} · ${shortTime(c.at)} · ${cascadeSentence(c)}`),
      h(
        'h2',
        {},
        h('span', { class: `type t-${e.name}` }, e.name),
        ' ',
        h(
          'span',
          { class: 'muted' },
          `event ${index} of ${c.events.length}: ${summaryOf(e.name, eventData(e))}`,
        ),
      ),
      h('p', { class: 'zoom-meaning' }, help.short, ' ', help.long),
      e.webhook ? jsonView(e.webhook) : e.cdr ? jsonView(e.cdr) : null,
      h(
        'p',
        { class: 'muted small' },
        '↓ ↑ other events of this cascade · → ← other cascades · L lifecycle · Esc close',
      ),
    ),
  );
}

/**
 * Opens the dialog with this content.
 * @param {HTMLElement} content
 */
export function openDialog(content) {
  const dialog = /** @type {HTMLDialogElement} */ ($('zoom'));
  $('zoom-content').replaceChildren(content);
  if (!dialog.open) dialog.showModal();
}

function showShortcuts() {
  openDialog(
    h(
      'div',
      { 'data-testid': 'shortcuts' },
      h('h2', {}, 'Keyboard shortcuts'),
      h(
        'table',
        { class: 'keys' },
        ...SHORTCUTS.map(([k, what]) => h('tr', {}, h('th', {}, k ?? ''), h('td', {}, what ?? ''))),
      ),
    ),
  );
}

/** The banner: what the next step will do while paused, and the chosen (or latest) cascade in a sentence. */
export function renderStory() {
  const st = store.state;
  if (!st) return;
  const paused = st.clock.status === 'paused';
  const next = paused ? nextStepWords(st) : '';
  const nextEl = $('next-step');
  nextEl.hidden = next === '';
  $('next-step-text').textContent = next;
  const run = $('btn-resume');
  run.classList.toggle('cta', paused && st.nextAt !== null && !st.snapshot.stopped);
  const c = cascadeById(store.selection.batch) ?? store.cascades.at(-1);
  const latest = $('latest-story');
  latest.hidden = !c;
  if (!c) return;
  const chosen = store.selection.batch === c.id;
  $('latest-who').textContent = `${chosen ? 'Chosen' : 'Just now'} · ${causeLabel(c)} · ${shortTime(c.at)}`;
  $('latest-sentence').textContent = cascadeSentence(c);
  $('latest-meaning').textContent = cascadeMeaning(c);
}
