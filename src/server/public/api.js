// @ts-check
// The control API client: every click goes through here. Refusals are shown as OpenVidu's answer in a toast.
import { $, duration } from './lib/dom.js';
import { addCascade, applyPatch, clearRun, setState, store } from './model.js';

/** @typedef {import('./model.js').PageState} PageState */
/** @typedef {import('./model.js').PageBatch} PageBatch */

/** @type {number | undefined} */
let toastTimer;

/**
 * Shows a message at the bottom of the page for a few seconds.
 * @param {string} text
 * @param {'error' | 'info'} [kind]
 */
export function toast(text, kind = 'error') {
  const t = $('toast');
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 6000);
}

/**
 * Calls the control API; a non-2xx answer is shown and thrown.
 * @param {string} method
 * @param {string} path under /api/
 * @param {unknown} [body] JSON-encoded unless a string
 * @param {string} [contentType]
 * @returns {Promise<any>}
 */
export async function api(method, path, body, contentType = 'application/json') {
  /** @type {RequestInit & {headers: Record<string, string>}} */
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

/** Called after anything changed, to redraw. @type {() => void} */
let changed = () => undefined;

/** @param {() => void} fn */
export function onChange(fn) {
  changed = fn;
}

/** Tells the page to redraw (coalesced by the caller). */
export function notify() {
  changed();
}

/**
 * Takes an answer carrying a cascade and the state (actions, step): the feed usually brought them first.
 * @param {{batch: PageBatch | null, state: PageState}} r
 */
export function takeAnswer(r) {
  if (r.batch) {
    applyPatch(r.batch.world);
    addCascade(r.batch);
  }
  setState(r.state);
  changed();
}

/** What happens later, told when an action's own cascade is empty (its events come with virtual time). */
/** @type {Record<string, (a: Record<string, unknown>) => string>} */
const LATER = {
  launchMediaNode: (a) =>
    `${a['node']} is booting: it will be running (or failed) after its launch delay of virtual time.`,
  crashMediaNode: (a) => {
    const retry = store.state?.openvidu.cluster?.silentRetryMs;
    const wait = retry === undefined ? 'a few seconds' : duration(retry);
    return `${a['node']} stopped answering: OpenVidu retries silently for ${wait} of virtual time, then declares it crashed.`;
  },
  setMediaNodeStatus: (a) => `${a['node']}: ${a['status']}.`,
};

/**
 * Sends one scenario action live; its events arrive through the feed (and the answer, whichever is first).
 * @param {string} type
 * @param {Record<string, unknown>} args
 */
export async function act(type, args) {
  try {
    const r = await api('POST', 'actions', { type, args });
    takeAnswer(r);
    const later = LATER[type];
    if (r.batch.events.length === 0 && later) {
      const paused = r.state.clock.status !== 'running';
      toast(`${later(args)}${paused ? ' Time is paused: press Run or Step.' : ''}`, 'info');
    }
  } catch {
    // already shown in the toast
  }
}

/**
 * A clock control: run, pause, step, reset, speed.
 * @param {string} path
 * @param {unknown} [body]
 */
export async function control(path, body) {
  try {
    const r = await api('POST', path, body);
    if (path === 'step') {
      takeAnswer(r);
      if (!r.batch) toast('Nothing is queued: the scenario has no more steps or timers.', 'info');
    } else {
      if (path === 'reset') clearRun(); // the feed says so too; this covers a page whose feed is reconnecting
      setState(r);
      changed();
    }
  } catch {
    // shown in the toast
  }
}
