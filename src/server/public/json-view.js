// @ts-check
// Pretty-printed JSON for people: one key per line, keys highlighted, and the human time beside each epoch value.
// It works on the tokens of the text, not on JSON.parse, so every number keeps its exact form (Java's `0.0`).
import { fullTime, h } from './lib/dom.js';

/** @typedef {{kind: 'punct' | 'string' | 'number' | 'literal', text: string}} Token */

/** Keys whose numbers are instants (ms since the epoch). */
const TIME_KEYS = new Set(['timestamp', 'startTime', 'createdAt', 'launchingTime', 'lastSessionTime']);

/**
 * @param {string} src
 * @returns {Token[]}
 */
export function tokenize(src) {
  /** @type {Token[]} */
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (' \t\r\n'.includes(c)) {
      i++;
    } else if ('{}[]:,'.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src.charAt(j) !== '"') j += src.charAt(j) === '\\' ? 2 : 1;
      out.push({ kind: 'string', text: src.slice(i, j + 1) });
      i = j + 1;
    } else {
      const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(src.slice(i));
      if (!m || !m[1]) throw new Error(`not JSON at ${i}`);
      out.push({ kind: /\d/.test(m[1]) ? 'number' : 'literal', text: m[1] });
      i += m[1].length;
    }
  }
  return out;
}

/**
 * Whether the array starting at token `i` holds only a few short values (printed on one line).
 * @param {Token[]} t
 * @param {number} i index of `[`
 */
function shortArray(t, i) {
  let len = 0;
  for (let j = i + 1; j < t.length; j++) {
    const tok = /** @type {Token} */ (t[j]);
    if (tok.text === ']' && tok.kind === 'punct') return len <= 60;
    if (tok.kind === 'punct' && tok.text !== ',') return false;
    len += tok.text.length + 2;
  }
  return false;
}

/**
 * A `<pre>` of the JSON text, pretty-printed and highlighted; falls back to the text itself if it is not JSON.
 * @param {string} src
 */
export function jsonView(src) {
  /** @type {Token[]} */
  let t;
  try {
    t = tokenize(src);
  } catch {
    return h('pre', { class: 'json' }, src);
  }
  const pre = h('pre', { class: 'json' });
  let depth = 0;
  /** @type {boolean[]} arrays printed on one line, by depth */
  const inline = [];
  let lastKey = '';
  /** @type {HTMLSpanElement | null} the human time waiting for the end of its line */
  let pendingTime = null;
  const newline = () => {
    if (pendingTime) pre.append(pendingTime);
    pendingTime = null;
    pre.append(`\n${'  '.repeat(depth)}`);
  };
  for (let i = 0; i < t.length; i++) {
    const tok = /** @type {Token} */ (t[i]);
    const next = t[i + 1];
    if (tok.kind === 'punct') {
      if (tok.text === '{' || tok.text === '[') {
        const oneLine = tok.text === '[' && shortArray(t, i);
        inline.push(oneLine);
        pre.append(h('span', { class: 'j-p' }, tok.text));
        depth++;
        if (!oneLine && next && next.text !== '}' && next.text !== ']') newline();
      } else if (tok.text === '}' || tok.text === ']') {
        depth--;
        const oneLine = inline.pop();
        const prev = t[i - 1];
        if (!oneLine && prev && prev.text !== '{' && prev.text !== '[') newline();
        pre.append(h('span', { class: 'j-p' }, tok.text));
      } else if (tok.text === ',') {
        pre.append(h('span', { class: 'j-p' }, ','));
        if (inline.at(-1)) pre.append(' ');
        else newline();
      } else {
        pre.append(h('span', { class: 'j-p' }, ': '));
      }
      continue;
    }
    if (tok.kind === 'string' && next?.text === ':') {
      lastKey = tok.text.slice(1, -1);
      pre.append(h('span', { class: 'j-key' }, tok.text));
      continue;
    }
    pre.append(h('span', { class: `j-${tok.kind === 'literal' ? tok.text : tok.kind}` }, tok.text));
    const n = Number(tok.text);
    if (tok.kind === 'number' && (TIME_KEYS.has(lastKey) || (Number.isInteger(n) && n > 1e12 && n < 4e12))) {
      pendingTime = h('span', { class: 'j-time' }, `  ← ${fullTime(n)}`);
    }
  }
  if (pendingTime) pre.append(pendingTime);
  return pre;
}
