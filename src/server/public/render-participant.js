// @ts-check
// A participant's row in its session card: who, their WebRTC connections (from the server's records) and, while
// connected, what they can do.
import { act } from './api.js';
import { ACTION_HELP, eventHelp } from './explain.js';
import { h, valueOf } from './lib/dom.js';
import { personName, worldIndex } from './model.js';
import { btn, chip, reasonChip } from './widgets.js';

/** @typedef {import('./model.js').ParticipantRecord} ParticipantRecord */
/** @typedef {import('./model.js').LiveSession} LiveSession */
/** @typedef {import('./model.js').LiveParticipant} LiveParticipant */

/**
 * @param {ParticipantRecord} p
 * @param {LiveSession | undefined} live
 */
export function renderParticipant(p, live) {
  const liveP = live?.participants.find((x) => x.connectionId === p.key);
  const who = h(
    'div',
    { class: 'who' },
    h('strong', {}, p.handle),
    h('code', { class: 'id', 'data-help': 'connectionId' }, p.key),
    p.leftAt !== null
      ? reasonChip('left', p.reason)
      : chip(liveP?.role?.toLowerCase() ?? 'connected', 'ok', p.platform),
  );
  const streams = h('div', { class: 'streams' });
  const mine = worldIndex().streamsByParticipant.get(p.key) ?? [];
  const outs = mine.filter((x) => x.direction === 'OUTBOUND');
  const out = outs.find((x) => x.destroyedAt === null) ?? outs.at(-1);
  if (out) {
    streams.append(
      out.destroyedAt !== null
        ? reasonChip(`OUTBOUND ${out.streamId.slice(0, 14)}…`, out.reason)
        : chip(
            `↑ OUTBOUND · publishing ${out.videoSource ?? 'audio'}`,
            'out',
            `${eventHelp('webrtcConnectionCreated').long} (${out.streamId})`,
          ),
    );
  } else streams.append(h('span', { class: 'muted small' }, 'not publishing'));
  /** @type {Map<string, import('./model.js').StreamRecord>} the latest INBOUND connection from each publisher */
  const inbound = new Map();
  for (const x of mine) if (x.direction === 'INBOUND') inbound.set(x.from ?? '', x);
  for (const [from, st] of inbound) {
    streams.append(
      st.destroyedAt !== null
        ? reasonChip(`INBOUND from ${personName(from)}`, st.reason)
        : chip(`↓ INBOUND from ${personName(from)}`, 'in', `receiving ${st.streamId}`),
    );
  }
  const row = h(
    'div',
    { class: `lane${p.leftAt !== null ? ' gone' : ''}`, 'data-participant': p.handle },
    who,
    streams,
  );
  if (live && liveP) row.append(participantControls(live, liveP));
  return row;
}

/**
 * @param {LiveSession} live
 * @param {LiveParticipant} p
 */
function participantControls(live, p) {
  /** @param {string} type @param {Record<string, unknown>} args @param {string} label @param {string} cls @param {string} testid */
  const a = (type, args, label, cls, testid) =>
    btn(
      label,
      () => void act(type, { participant: p.handle, ...args }),
      ACTION_HELP[type] ?? '',
      cls,
      testid,
    );
  const others = live.participants.filter(
    (x) => x.handle !== p.handle && x.stream && !p.subscribedTo.includes(x.handle),
  );
  const sub = others.length
    ? h(
        'select',
        {
          class: 'secondary',
          'data-help': ACTION_HELP['subscribe'],
          'data-testid': 'subscribe',
          'aria-label': 'subscribe to',
          onchange: (/** @type {Event} */ ev) => {
            const to = valueOf(/** @type {Element} */ (ev.target));
            if (to) void act('subscribe', { participant: p.handle, to });
          },
        },
        h('option', { value: '' }, 'subscribe to…'),
        ...others.map((o) => h('option', { value: o.handle }, o.handle)),
      )
    : null;
  return h(
    'div',
    { class: 'actions' },
    p.stream
      ? a('unpublish', {}, 'Unpublish', '', 'unpublish')
      : a('publish', { videoSource: 'CAMERA' }, '↑ Publish', 'primary', 'publish'),
    p.stream
      ? null
      : a('publish', { videoSource: 'SCREEN', audio: false }, 'Share screen', 'secondary', 'share-screen'),
    sub,
    p.type === 'IPCAM'
      ? null
      : btn(
          '✉ Chat',
          () =>
            void act('signal', {
              session: live.handle,
              from: p.handle,
              type: 'chat',
              data: `Hi from ${p.handle}`,
            }),
          ACTION_HELP['signal'] ?? '',
          'secondary',
          'signal',
        ),
    p.stream ? a('filterEvent', {}, 'Filter event', 'secondary', 'filter') : null,
    a('leave', { reason: 'disconnect' }, 'Leave', '', 'leave'),
    a('leave', { reason: 'networkDisconnect' }, '↯ Network drop', 'warn', 'network-drop'),
    a('forceDisconnect', { by: 'server' }, 'Kick', 'danger secondary', 'kick'),
    p.stream
      ? a('forceUnpublish', { by: 'server' }, 'Force unpublish', 'danger secondary', 'force-unpublish')
      : null,
  );
}
