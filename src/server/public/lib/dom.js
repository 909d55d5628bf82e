// @ts-check
// Small DOM helpers shared by the page's modules: element and SVG builders, lookups, time formats.

/** @typedef {string | number | boolean | null | undefined | EventListener} AttrValue */
/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * The element with this id (the page's fixed skeleton: a missing one is a bug, so it throws).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

/**
 * Creates an element: h('div', {class: 'x', onclick}, child, 'text'). `on…` attributes become listeners; false, null
 * and undefined attributes and children are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an SVG element the same way (presentation attributes, never `style`: the page's CSP forbids inline styles,
 * and a downloaded SVG must carry its look in attributes).
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attrs = {}, ...children) {
  const el = /** @type {SVGElementTagNameMap[K]} */ (document.createElementNS(SVG_NS, tag));
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Record<string, AttrValue>} attrs
 */
function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

/**
 * @param {Element} el
 * @param {(Child | Child[])[]} children
 */
function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/**
 * `HH:MM:SS.mmm` of a virtual instant (UTC, as the events' timestamps).
 * @param {number} ms
 */
export function timeOf(ms) {
  return new Date(ms).toISOString().slice(11, 23);
}

/**
 * `HH:MM:SS` of a virtual instant (UTC): what a room reads.
 * @param {number} ms
 */
export function shortTime(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * `YYYY-MM-DD HH:MM:SS.mmm UTC`.
 * @param {number} ms
 */
export function fullTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 10)} ${timeOf(ms)} UTC`;
}

/**
 * A duration in words: `850 ms`, `3 s`, `2 min 5 s`, `1 h 2 min`.
 * @param {number} ms
 */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/**
 * A form control's identity across re-renders: its card (session, participant, node…) and its role.
 * @param {Element} el
 */
function keyOf(el) {
  const holder = el.parentElement?.closest('[data-session],[data-participant],[data-node],[data-master]');
  const where = holder
    ? ['session', 'participant', 'node', 'master']
        .map((k) => holder.getAttribute(`data-${k}`) ?? '')
        .join('/')
    : '';
  return `${where}|${el.getAttribute('data-role') ?? el.getAttribute('data-testid') ?? ''}`;
}

const FIELDS = 'input[data-role],select[data-role],select[data-testid]';

/**
 * Re-renders `root` with `render()` keeping what people were typing or had chosen in its inputs and selects (and the
 * focus): the panels are redrawn on every state change, which must not wipe a half-filled form.
 * @param {HTMLElement} root
 * @param {() => void} render
 */
export function keepingInputs(root, render) {
  /** @type {Map<string, string | boolean>} */
  const saved = new Map();
  let focused;
  for (const el of root.querySelectorAll(FIELDS)) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (el);
    const key = keyOf(field);
    saved.set(
      key,
      field instanceof HTMLInputElement && field.type === 'checkbox' ? field.checked : field.value,
    );
    if (field === document.activeElement) focused = key;
  }
  render();
  for (const el of root.querySelectorAll(FIELDS)) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (el);
    const key = keyOf(field);
    const v = saved.get(key);
    if (v === undefined) continue;
    if (typeof v === 'boolean') /** @type {HTMLInputElement} */ (field).checked = v;
    else if (field instanceof HTMLInputElement || [...field.options].some((o) => o.value === v))
      field.value = v;
    if (key === focused) field.focus();
  }
}

/**
 * The value of a form control built with h().
 * @param {Element} el
 */
export function valueOf(el) {
  return /** @type {HTMLInputElement | HTMLSelectElement} */ (el).value;
}
