// @ts-check
// The event log: one group per cascade (newest on top) titled with a sentence, each event with its time, type and a
// summary; opened, it explains the event and shows its CDR line and WebHook body, pretty-printed and exact.
import { eventHelp, NODE_STATUS_HELP, REASON_HELP } from './explain.js';
import { jsonView } from './json-view.js';
import { $, h, timeOf } from './lib/dom.js';
import { eventData, nodeName, personName, recordingName, sessionName, store } from './model.js';
import { cascadeSentence, causeLabel } from './story.js';

/** @typedef {import('./model.js').Cascade} Cascade */
/** @typedef {import('./model.js').LogEntry} LogEntry */

/** Group elements by cascade id. @type {Map<number, HTMLElement>} */
const groups = new Map();
const hiddenTypes = new Set(/** @type {string[]} */ ([]));
const seenTypes = new Set(/** @type {string[]} */ ([]));

/** What opening an entity's lifecycle does (set by the app). @type {(seq: number) => void} */
let openLifecycle = () => undefined;

/** @param {(seq: number) => void} fn */
export function onLifecycle(fn) {
  openLifecycle = fn;
}

/**
 * One line about an event: who and what, by the names the controls use.
 * @param {string} name
 * @param {Record<string, unknown> | null} d
 */
export function summaryOf(name, d) {
  if (!d) return '(not written by this OpenVidu version)';
  const str = (/** @type {unknown} */ v) => (typeof v === 'string' ? v : '');
  const who = str(d['connectionId'] ?? d['participantId']);
  /** @type {string[]} */
  const parts = [];
  if (who) parts.push(personName(who));
  if (d['connection'] === 'INBOUND') parts.push(`INBOUND from ${personName(str(d['receivingFrom']))}`);
  else if (d['connection'] === 'OUTBOUND') parts.push('OUTBOUND');
  if (name === 'recordingStatusChanged') parts.push(recordingName(str(d['id'])), str(d['status']));
  if (name === 'signalSent') parts.push(`"${str(d['type'])}" from ${personName(str(d['from']) || null)}`);
  if (name === 'sessionCreated' || name === 'sessionDestroyed')
    parts.push(sessionName(str(d['uniqueSessionId'] ?? d['sessionId'])));
  if (name === 'mediaNodeStatusChanged')
    parts.push(nodeName(str(d['id'])), `${str(d['oldStatus']) || '(new)'} → ${str(d['newStatus'])}`);
  if (name === 'nodeCrashed') {
    const ids = d['sessionIds'];
    parts.push(nodeName(str(d['id'])), `${Array.isArray(ids) ? ids.length : 0} session(s) lost`);
  }
  if (name === 'nodeRecovered') parts.push(nodeName(str(d['id'])));
  if (name === 'broadcastStarted' || name === 'broadcastStopped') parts.push(str(d['broadcastUrl']));
  if (name === 'HANodeRegistered' || name === 'HANodeDeregistered') parts.push(nodeName(str(d['nodeId'])));
  if (d['reason']) parts.push(name === 'autoscaling' ? str(d['reason']) : `reason ${str(d['reason'])}`);
  return parts.join(' · ');
}

/**
 * What an event means, its CDR line and WebHook body (pretty, and the exact text under it).
 * @param {LogEntry} e
 */
export function eventDetail(e) {
  const d = eventData(e);
  const help = eventHelp(e.name);
  const reason = typeof d?.['reason'] === 'string' ? d['reason'] : '';
  const status = typeof d?.['newStatus'] === 'string' ? d['newStatus'] : '';
  /** @param {string} label @param {string | null} text @param {string} role */
  const body = (label, text, role) =>
    h(
      'div',
      { class: 'payload', 'data-payload': role },
      h('div', { class: 'label' }, label),
      text === null
        ? h('p', { class: 'muted' }, '(not written by this OpenVidu version)')
        : [
            jsonView(text),
            h('details', {}, h('summary', {}, 'exact text'), h('pre', { class: 'raw' }, text)),
          ],
    );
  return h(
    'div',
    { class: 'detail' },
    h('p', { class: 'meaning' }, h('strong', {}, help.short), ' ', help.long),
    reason && e.name !== 'autoscaling'
      ? h('p', {}, h('strong', {}, `reason ${reason}: `), REASON_HELP[reason] ?? '')
      : null,
    status ? h('p', {}, h('strong', {}, `${status}: `), NODE_STATUS_HELP[status] ?? '') : null,
    h(
      'div',
      { class: 'payloads' },
      body('CDR line (the file OpenVidu writes)', e.cdr, 'cdr'),
      body('WebHook body (POSTed to your endpoint)', e.webhook, 'webhook'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'small-btn',
        'data-testid': 'open-lifecycle',
        onclick: () => openLifecycle(e.seq),
      },
      '⤳ Lifecycle of what this is about',
    ),
  );
}

/**
 * Opens or closes an event's detail, and selects it.
 * @param {HTMLElement} row
 * @param {LogEntry} e
 * @param {number} batch
 * @param {boolean} [open] force open
 */
export function toggleEvent(row, e, batch, open) {
  store.selection = { batch, seq: e.seq };
  const detail = row.querySelector('.detail');
  if (detail && !open) detail.remove();
  else if (!detail) row.append(eventDetail(e));
  markSelection();
}

/** @param {LogEntry} e @param {number} batch */
function renderEvent(e, batch) {
  const row = h('div', { class: 'event', 'data-type': e.name, 'data-seq': e.seq });
  const head = h(
    'button',
    {
      type: 'button',
      class: 'event-head',
      'data-help': `${eventHelp(e.name).short} Open it for its CDR line and WebHook body.`,
    },
    h('span', { class: 'time' }, timeOf(e.timestamp)),
    h('span', { class: `type t-${e.name}` }, e.name),
    h('span', { class: 'summary' }, summaryOf(e.name, eventData(e))),
  );
  head.addEventListener('click', () => toggleEvent(row, e, batch));
  row.append(head);
  row.hidden = hiddenTypes.has(e.name);
  return row;
}

/** @param {Cascade} c */
function renderGroup(c) {
  const group = h(
    'div',
    { class: `group ${c.cause.kind}`, 'data-batch': c.id },
    h(
      'div',
      { class: 'group-head' },
      h('span', { class: 'who' }, causeLabel(c)),
      h('span', { class: 'sentence' }, cascadeSentence(c)),
      h(
        'span',
        { class: 'when' },
        `${timeOf(c.at)} · ${c.events.length} event${c.events.length > 1 ? 's' : ''}`,
      ),
    ),
    ...c.events.map((e) => renderEvent(e, c.id)),
  );
  applyFilter(group);
  return group;
}

/** @param {HTMLElement} group */
function applyFilter(group) {
  let shown = 0;
  for (const ev of group.querySelectorAll('.event')) {
    const hide = hiddenTypes.has(ev.getAttribute('data-type') ?? '');
    /** @type {HTMLElement} */ (ev).hidden = hide;
    if (!hide) shown++;
  }
  group.hidden = shown === 0;
}

function addFilterChips() {
  for (const c of store.cascades) {
    for (const e of c.events) {
      if (seenTypes.has(e.name)) continue;
      seenTypes.add(e.name);
      const chip = h(
        'button',
        {
          type: 'button',
          class: `filter t-${e.name}`,
          'aria-pressed': 'true',
          'data-filter': e.name,
          'data-help': `Show or hide ${e.name} events. ${eventHelp(e.name).short}`,
        },
        e.name,
      );
      chip.addEventListener('click', () => {
        const hidden = hiddenTypes.has(e.name);
        if (hidden) hiddenTypes.delete(e.name);
        else hiddenTypes.add(e.name);
        chip.setAttribute('aria-pressed', String(hidden));
        for (const g of groups.values()) applyFilter(g);
      });
      $('filters').append(chip);
    }
  }
}

/** Brings the log in line with the store: new cascades on top, dropped ones removed, the selection marked. */
export function renderLog() {
  const log = $('log');
  if (store.cascades.length === 0 && groups.size > 0) {
    groups.clear();
    seenTypes.clear();
    hiddenTypes.clear();
    $('filters').replaceChildren();
    log.replaceChildren();
  }
  const ids = new Set(store.cascades.map((c) => c.id));
  for (const [id, el] of groups) {
    if (ids.has(id)) continue;
    el.remove();
    groups.delete(id);
  }
  for (const c of store.cascades) {
    if (groups.has(c.id)) continue;
    const el = renderGroup(c);
    groups.set(c.id, el);
    log.prepend(el);
  }
  addFilterChips();
  $('log-empty').hidden = store.cascades.length > 0;
  markSelection();
}

/** Marks the selected cascade and event in the log. */
export function markSelection() {
  const { batch, seq } = store.selection;
  for (const [id, el] of groups) el.classList.toggle('selected', id === batch);
  for (const el of $('log').querySelectorAll('.event.selected')) el.classList.remove('selected');
  if (seq !== null) $('log').querySelector(`.event[data-seq="${seq}"]`)?.classList.add('selected');
}

/**
 * The group element of a cascade, and the row of an event in it.
 * @param {number} batch
 * @param {number | null} seq
 */
export function rowsOf(batch, seq) {
  const group = groups.get(batch);
  const row =
    seq === null
      ? null
      : /** @type {HTMLElement | null} */ (group?.querySelector(`.event[data-seq="${seq}"]`) ?? null);
  return { group, row };
}
