// @ts-check
// The timeline picture: sessions as swimlanes over virtual time — participants as bars from join to leave with
// their WebRTC connections inside (OUTBOUND above, INBOUND below), recordings by status, Pro media nodes by status
// with their crashes — and every event a mark you click. Plain SVG: it works offline, with no library. It follows
// the clock (fit to the width, or zoomed in and scrolled to now) and can be scrolled back.
import { $, s, shortTime } from './lib/dom.js';
import { store, virtualNow } from './model.js';
import { family, lanes, placeMarks, span, tickStep } from './timeline-layout.js';

/** @typedef {import('./timeline-layout.js').Lane} Lane */

const LABEL_W = 132;
const AXIS_H = 20;
const PAD_RIGHT = 60;

const view = {
  /** null: fit the run to the width; else px per virtual ms. @type {number | null} */
  pxPerMs: /** @type {number | null} */ (null),
  /** Keep now in sight (zoomed). */
  follow: true,
  /** Set while the page scrolls the plot itself (a user's scroll turns following off). */
  scrolling: false,
};

/** What clicking a mark or a lane does (set by the app). */
const handlers = {
  /** @type {(seq: number) => void} */
  pick: () => undefined,
  /** @type {(lane: Lane) => void} */
  lane: () => undefined,
};

/**
 * @param {(seq: number) => void} pick a mark was clicked
 * @param {(lane: Lane) => void} lane a lane's label was clicked
 */
export function initTimeline(pick, lane) {
  handlers.pick = pick;
  handlers.lane = lane;
  const scroller = $('tl-scroll');
  scroller.addEventListener('scroll', () => {
    if (view.scrolling) return;
    view.follow = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 4;
    markFollow();
  });
  $('tl-fit').addEventListener('click', () => {
    view.pxPerMs = null;
    view.follow = true;
    renderTimeline();
  });
  $('tl-in').addEventListener('click', () => zoom(2));
  $('tl-out').addEventListener('click', () => zoom(0.5));
  $('tl-follow').addEventListener('click', () => {
    view.follow = true;
    renderTimeline();
  });
}

/** @param {number} factor */
export function zoom(factor) {
  const scroller = $('tl-scroll');
  const now = virtualNow();
  const { from, to } = span(now);
  const current = view.pxPerMs ?? (scroller.clientWidth - PAD_RIGHT) / (to - from);
  view.pxPerMs = Math.min(2, Math.max(1e-5, current * factor));
  renderTimeline();
}

function markFollow() {
  $('tl-follow').setAttribute('aria-pressed', String(view.follow));
}

/** Redraws the timeline from the store (cheap enough to run on every change and a few times a second). */
export function renderTimeline() {
  const present = document.body.classList.contains('present');
  const k = present ? 1.45 : 1;
  const scroller = $('tl-scroll');
  const now = virtualNow();
  const { from, to } = span(now);
  const visible = Math.max(200, scroller.clientWidth);
  const pxPerMs = view.pxPerMs ?? (visible - PAD_RIGHT) / (to - from);
  const width = Math.max(visible, Math.ceil((to - from) * pxPerMs) + PAD_RIGHT);
  const x = (/** @type {number} */ t) => Math.round((t - from) * pxPerMs * 10) / 10;
  const all = lanes();
  let y = AXIS_H * k;
  const rows = all.map((lane) => {
    const top = y;
    y += lane.height * k;
    return { lane, top, h: lane.height * k };
  });
  const height = Math.max(y + 4, 60);
  const plot = $('tl-plot');
  const labels = $('tl-labels');
  plot.setAttribute('width', String(width));
  plot.setAttribute('height', String(height));
  labels.setAttribute('width', String(LABEL_W * k));
  labels.setAttribute('height', String(height));
  const marks = s('g', { class: 'marks' });
  plot.replaceChildren(
    axis(from, to, pxPerMs, x, height, k),
    ...rows.map((r) => laneBody(r, x, now, k, marks)),
    marks,
    nowLine(x(now), height),
  );
  labels.replaceChildren(...rows.map((r) => laneLabel(r, k)));
  $('tl-empty').hidden = all.length > 0;
  if (view.pxPerMs !== null && view.follow) {
    view.scrolling = true;
    scroller.scrollLeft = scroller.scrollWidth;
    requestAnimationFrame(() => (view.scrolling = false));
  }
  markFollow();
}

/**
 * @param {number} from
 * @param {number} to
 * @param {number} pxPerMs
 * @param {(t: number) => number} x
 * @param {number} height
 * @param {number} k
 */
function axis(from, to, pxPerMs, x, height, k) {
  const step = tickStep(pxPerMs, 90 * k);
  const g = s('g', { class: 'axis' });
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    g.append(
      s('line', { x1: x(t), x2: x(t), y1: AXIS_H * k - 4, y2: height, class: 'tick' }),
      s(
        'text',
        { x: x(t) + 3, y: AXIS_H * k - 7, class: 'tick-label' },
        step < 1000 ? new Date(t).toISOString().slice(11, 22) : shortTime(t),
      ),
    );
  }
  return g;
}

/**
 * @param {number} at
 * @param {number} height
 */
function nowLine(at, height) {
  return s(
    'g',
    { class: 'now' },
    s('line', { x1: at, x2: at, y1: 0, y2: height }),
    s('text', { x: at - 3, y: height - 4, 'text-anchor': 'end' }, 'now'),
  );
}

/**
 * A lane's bars, flags and (into `marks`, drawn on top of every lane) its event marks.
 * @param {{lane: Lane, top: number, h: number}} r
 * @param {(t: number) => number} x
 * @param {number} now
 * @param {number} k
 * @param {SVGGElement} marks
 */
function laneBody({ lane, top, h: height }, x, now, k, marks) {
  const g = s('g', { class: `lane-body ${lane.kind}`, 'data-lane': lane.id });
  g.append(s('rect', { x: 0, y: top, width: '100%', height, class: 'lane-bg' }));
  const barH = lane.kind === 'participant' ? 8 * k : height - 6 * k;
  for (const seg of lane.segments) {
    const x1 = x(seg.from);
    const x2 = Math.max(x1 + 2, x(seg.to ?? now));
    const y0 = seg.row === 0 ? top + 3 * k : top + (8 + 6 * (seg.row - 1)) * k + 3 * k;
    const hh = seg.row === 0 ? barH : 4 * k;
    g.append(
      s('rect', {
        x: x1,
        y: y0,
        width: x2 - x1,
        height: hh,
        rx: 2,
        class: `seg ${seg.cls}${seg.to === null ? ' open' : ''}`,
      }),
    );
  }
  for (const f of lane.flags)
    g.append(s('text', { x: x(f.at) + 2, y: top + height - 5 * k, class: `flag ${f.cls}` }, f.text));
  const sel = store.selection;
  const cy = top + 7 * k;
  for (const { entry, x: mx } of placeMarks(lane.events, x, 9 * k)) {
    const selected = entry.seq === sel.seq;
    marks.append(
      s('circle', {
        cx: mx,
        cy,
        r: (selected ? 6 : 4) * k,
        class: `mark fam-${family(entry.name)}${entry.batch === sel.batch ? ' in-cascade' : ''}${selected ? ' selected' : ''}`,
        'data-event-index': entry.seq,
        'data-type': entry.name,
        'data-help': `#${entry.seq} ${entry.name} at ${shortTime(entry.timestamp)}: click to open it in the log`,
        // pointerdown, not click: the plot is redrawn several times a second while time runs, and a click needs the
        // same element under the pointer at press and release.
        onpointerdown: () => handlers.pick(entry.seq),
      }),
    );
  }
  return g;
}

/**
 * @param {{lane: Lane, top: number, h: number}} r
 * @param {number} k
 */
function laneLabel({ lane, top, h: height }, k) {
  const indent = lane.kind === 'participant' || lane.kind === 'recording' ? 14 * k : 4;
  const clickable = lane.kind !== 'cluster' && lane.kind !== 'server';
  return s(
    'g',
    {
      class: `lane-label ${lane.kind}${clickable ? ' clickable' : ''}`,
      'data-lane': lane.id,
      onpointerdown: clickable ? () => handlers.lane(lane) : undefined,
      'data-help': clickable ? 'Click for the lifecycle diagram of this entity' : undefined,
    },
    s('rect', { x: 0, y: top, width: '100%', height, class: 'lane-bg' }),
    s(
      'text',
      { x: indent, y: top + Math.min(height, 20 * k) / 2 + 4 * k },
      lane.label.length > 18 ? `${lane.label.slice(0, 17)}…` : lane.label,
    ),
  );
}

/**
 * Scrolls the plot so the mark of `seq` is in sight.
 * @param {number} seq
 */
export function revealMark(seq) {
  const mark = $('tl-plot').querySelector(`[data-event-index="${seq}"]`);
  if (!mark) return;
  const scroller = $('tl-scroll');
  const cx = Number(mark.getAttribute('cx'));
  if (cx < scroller.scrollLeft || cx > scroller.scrollLeft + scroller.clientWidth) {
    view.follow = false;
    scroller.scrollLeft = Math.max(0, cx - scroller.clientWidth / 2);
  }
  const body = $('tl-body');
  const cy = Number(mark.getAttribute('cy'));
  if (cy < body.scrollTop || cy > body.scrollTop + body.clientHeight - 10)
    body.scrollTop = Math.max(0, cy - body.clientHeight / 2);
}
