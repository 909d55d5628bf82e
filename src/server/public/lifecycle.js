// @ts-check
// A lifecycle diagram of one entity — a session, a participant, a recording or a media node — as a standalone SVG:
// the states it went through, in order, each with its time and why, from the server's records. Its look is in
// presentation attributes (no stylesheet), so the downloaded file looks the same anywhere.
import { s, shortTime, duration } from './lib/dom.js';
import { store } from './model.js';

/** @typedef {'session' | 'participant' | 'recording' | 'node'} EntityKind */
/** @typedef {{state: string, at: number, note: string, tone: 'ok' | 'warn' | 'bad' | 'info' | 'gone'}} Step */

const TONES = {
  ok: { fill: '#f0fdf4', stroke: '#16a34a', ink: '#14532d' },
  warn: { fill: '#fffbeb', stroke: '#d97706', ink: '#78350f' },
  bad: { fill: '#fef2f2', stroke: '#dc2626', ink: '#7f1d1d' },
  info: { fill: '#eff6ff', stroke: '#2563eb', ink: '#1e3a8a' },
  gone: { fill: '#f3f4f6', stroke: '#6b7280', ink: '#1f2937' },
};

/** @param {string} status @returns {Step['tone']} */
function toneOf(status) {
  if (['ready', 'running', 'created', 'joined', 'registered'].includes(status)) return 'ok';
  if (['failed', 'crashed', 'destroyed'].includes(status)) return 'bad';
  if (
    ['stopped', 'waiting-idle-to-terminate', 'terminating', 'canceled', 'left', 'unpublished'].includes(
      status,
    )
  )
    return 'warn';
  if (['terminated', 'deregistered'].includes(status)) return 'gone';
  return 'info';
}

/**
 * The steps of an entity's life, oldest first, and its title; null if the page no longer knows it.
 * @param {EntityKind} kind
 * @param {string} key
 * @returns {{title: string, steps: Step[]} | null}
 */
export function lifeOf(kind, key) {
  switch (kind) {
    case 'recording':
      return recordingLife(key);
    case 'node':
      return nodeLife(key);
    case 'participant':
      return participantLife(key);
    default:
      return sessionLife(key);
  }
}

/** @type {(state: string, at: number, note?: string) => Step} */
const step = (state, at, note = '') => ({ state, at, note, tone: toneOf(state) });

/**
 * @param {string} key
 * @returns {{title: string, steps: Step[]} | null}
 */
function recordingLife(key) {
  const r = store.world.recordings.get(key);
  if (!r) return null;
  const steps = r.statuses.map((x) =>
    step(
      x.status,
      x.at,
      [x.reason ? `reason ${x.reason}` : '', x.status === 'ready' ? `${(r.size / 1e6).toFixed(1)} MB` : '']
        .filter(Boolean)
        .join(' · '),
    ),
  );
  return { title: `Recording ${r.handle} (${r.id}, ${r.outputMode})`, steps };
}

/**
 * @param {string} key
 * @returns {{title: string, steps: Step[]} | null}
 */
function nodeLife(key) {
  const n = store.world.nodes.get(key);
  if (!n) return null;
  const steps = n.statuses.map((x) => step(x.status, x.at));
  for (const c of n.crashes) {
    steps.push(step('crashed', c.at, `${c.sessions} session(s) lost`));
    if (c.recoveredAt !== null)
      steps.push({ ...step('recovered', c.recoveredAt, 'answers again'), tone: 'ok' });
  }
  steps.sort((a, b) => a.at - b.at);
  return { title: `Media node ${n.handle} (${n.key})`, steps };
}

/**
 * @param {string} key
 * @returns {{title: string, steps: Step[]} | null}
 */
function participantLife(key) {
  const w = store.world;
  const p = w.participants.get(key);
  if (!p) return null;
  const steps = [
    step('joined', p.joinedAt, p.type === 'IPCAM' ? 'IP camera' : (p.platform.split(' ')[0] ?? '')),
  ];
  for (const st of w.streams.values()) {
    if (st.participant !== key || st.direction !== 'OUTBOUND') continue;
    steps.push(step('publishing', st.createdAt, st.videoSource ?? 'audio'));
    if (st.destroyedAt !== null) steps.push(step('unpublished', st.destroyedAt, `reason ${st.reason ?? ''}`));
  }
  if (p.leftAt !== null) steps.push(step('left', p.leftAt, `reason ${p.reason ?? ''}`));
  steps.sort((a, b) => a.at - b.at);
  return { title: `Participant ${p.handle} (${p.key})`, steps };
}

/**
 * @param {string} key
 * @returns {{title: string, steps: Step[]} | null}
 */
function sessionLife(key) {
  const w = store.world;
  const ses = w.sessions.get(key);
  if (!ses) return null;
  const people = [...w.participants.values()].filter((p) => p.session === key);
  const steps = [step('created', ses.createdAt, ses.sessionId)];
  const first = people.reduce((a, b) => (b.joinedAt < (a?.joinedAt ?? Infinity) ? b : a), people[0]);
  if (first)
    steps.push(
      step('in use', first.joinedAt, `${first.handle} joined first; ${people.length} joined in all`),
    );
  for (const r of w.recordings.values()) {
    const start = r.statuses[0];
    if (r.session === key && start)
      steps.push({
        ...step('recording', start.at, `${r.handle}: ${r.statuses.map((x) => x.status).join(' → ')}`),
        tone: 'info',
      });
  }
  for (const b of ses.broadcasts)
    steps.push({
      ...step(
        'broadcasting',
        b.startedAt,
        b.stoppedAt === null ? 'live' : `for ${duration(b.stoppedAt - b.startedAt)}`,
      ),
      tone: 'info',
    });
  const lefts = people.filter((p) => p.leftAt !== null);
  const last = lefts.reduce((a, b) => ((b.leftAt ?? 0) > (a?.leftAt ?? -Infinity) ? b : a), lefts[0]);
  if (ses.closedAt !== null) {
    if (last && last.leftAt !== null && lefts.length === people.length)
      steps.push(step('empty', last.leftAt, `${last.handle} left last`));
    steps.push(
      step(
        'destroyed',
        ses.closedAt,
        `reason ${ses.reason ?? ''} · lived ${duration(ses.closedAt - ses.createdAt)}`,
      ),
    );
  }
  steps.sort((a, b) => a.at - b.at);
  return { title: `Session ${ses.handle} (${ses.sessionId})`, steps };
}

const BOX_W = 210;
const BOX_H = 78;
/** Characters of a note line (11 px text in a box of BOX_W). */
const NOTE_CHARS = 32;
const GAP = 36;
const PER_ROW = 4;
const MARGIN = 16;
const TITLE_H = 40;

/**
 * The diagram: the states as boxes joined by arrows, in rows of four.
 * @param {{title: string, steps: Step[]}} life
 * @returns {SVGSVGElement}
 */
export function lifecycleSvg(life) {
  const n = Math.max(1, life.steps.length);
  const cols = Math.min(PER_ROW, n);
  const rows = Math.ceil(n / PER_ROW);
  const width = Math.max(
    MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP,
    MARGIN * 2 + (life.title.length + 12) * 9,
  );
  const height = TITLE_H + rows * (BOX_H + GAP) - GAP + MARGIN * 2;
  const svg = s('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
    class: 'lifecycle',
    role: 'img',
    'aria-label': `${life.title}: ${life.steps.map((x) => x.state).join(', ')}`,
  });
  svg.append(...frame(life.title, width, height));
  life.steps.forEach((st, i) => {
    const col = i % PER_ROW;
    const row = Math.floor(i / PER_ROW);
    const x = MARGIN + col * (BOX_W + GAP);
    const y = MARGIN + TITLE_H + row * (BOX_H + GAP);
    svg.append(stateBox(st, x, y));
    if (i < life.steps.length - 1) svg.append(arrowAfter(col, x, y));
  });
  return svg;
}

/**
 * The background, the title and the arrow head.
 * @param {string} title
 * @param {number} width
 * @param {number} height
 * @returns {SVGElement[]}
 */
function frame(title, width, height) {
  return [
    s('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    s(
      'text',
      { x: MARGIN, y: MARGIN + 16, 'font-size': 17, 'font-weight': 700, fill: '#111827' },
      `${title} — lifecycle`,
    ),
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7280' }),
      ),
    ),
  ];
}

/**
 * One state: its name, when, and a note, in its tone's colours.
 * @param {Step} st
 * @param {number} x
 * @param {number} y
 * @returns {SVGElement}
 */
function stateBox(st, x, y) {
  const tone = TONES[st.tone];
  return s(
    'g',
    { class: 'state', 'data-state': st.state },
    s('rect', {
      x,
      y,
      width: BOX_W,
      height: BOX_H,
      rx: 10,
      fill: tone.fill,
      stroke: tone.stroke,
      'stroke-width': 2,
    }),
    s('text', { x: x + 10, y: y + 21, 'font-size': 15, 'font-weight': 700, fill: tone.ink }, st.state),
    s(
      'text',
      {
        x: x + 10,
        y: y + 39,
        'font-size': 12,
        fill: '#374151',
        'font-family': 'ui-monospace, Menlo, Consolas, monospace',
      },
      `${shortTime(st.at)} UTC`,
    ),
    ...noteLines(st.note).map((line, j) =>
      s('text', { x: x + 10, y: y + 55 + 14 * j, 'font-size': 11, fill: '#4b5563' }, line),
    ),
  );
}

/**
 * The arrow from the box at (x, y) in column `col` to the next: right, or down to the next row's first box.
 * @param {number} col
 * @param {number} x
 * @param {number} y
 * @returns {SVGElement}
 */
function arrowAfter(col, x, y) {
  const arrow = { stroke: '#6b7280', 'stroke-width': 2, fill: 'none', 'marker-end': 'url(#arrow)' };
  if (col < PER_ROW - 1)
    return s('line', {
      x1: x + BOX_W + 2,
      y1: y + BOX_H / 2,
      x2: x + BOX_W + GAP - 3,
      y2: y + BOX_H / 2,
      ...arrow,
    });
  const down = y + BOX_H + GAP / 2;
  return s('path', {
    d: `M${x + BOX_W / 2},${y + BOX_H + 2} V${down} H${MARGIN + BOX_W / 2} V${down + GAP / 2 - 3}`,
    ...arrow,
  });
}

/**
 * A note in at most two lines of NOTE_CHARS, broken between words (the second shortened if it must be).
 * @param {string} note
 */
function noteLines(note) {
  if (note.length <= NOTE_CHARS) return [note];
  const cut = note.lastIndexOf(' ', NOTE_CHARS);
  const first = cut > 0 ? note.slice(0, cut) : note.slice(0, NOTE_CHARS);
  const rest = note.slice(first.length).trim();
  return [first, rest.length > NOTE_CHARS ? `${rest.slice(0, NOTE_CHARS - 1)}…` : rest];
}

/**
 * The SVG file's text (what "Download SVG" saves).
 * @param {SVGSVGElement} svg
 */
export function svgText(svg) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}
