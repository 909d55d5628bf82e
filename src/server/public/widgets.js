// @ts-check
// The small pieces every card is made of: chips (with their explanation for the help line) and buttons.
import { REASON_HELP } from './explain.js';
import { h } from './lib/dom.js';

/**
 * @param {string} text
 * @param {string} kind
 * @param {string} [help] shown in the help line when pointed at
 */
export function chip(text, kind, help) {
  return h('span', { class: `chip ${kind}`, 'data-help': help }, text);
}

/** @param {string} prefix @param {string | null} reason @param {string} [kind] */
export function reasonChip(prefix, reason, kind = 'gone') {
  const r = reason ?? 'ended';
  return chip(`${prefix} · ${r}`, kind, REASON_HELP[r] ?? r);
}

/**
 * A button; `secondary` ones are hidden in presentation mode (the controls that matter stay).
 * @param {string} label
 * @param {() => void} onclick
 * @param {string} help
 * @param {string} [cls]
 * @param {string} [testid]
 */
export function btn(label, onclick, help, cls = '', testid = undefined) {
  return h(
    'button',
    { type: 'button', class: cls, 'data-help': help, onclick, 'data-testid': testid },
    label,
  );
}
