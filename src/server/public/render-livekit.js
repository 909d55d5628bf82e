// @ts-check
// OpenVidu 3 on the page: LiveKit's rooms (participants, tracks, egresses, ingresses) and the LiveKit events a
// consumer receives, each with what it means. Drawn instead of the OpenVidu 2 sessions and log when the server
// imitates OpenVidu 3.
import { act } from './api.js';
import { $, h, timeOf } from './lib/dom.js';
import { explainLivekit, livekitStore, roomCards, statusTrail, trackWords } from './livekit-model.js';
import { freshHandle, store } from './model.js';
import { btn, chip } from './widgets.js';

/** LiveKit events drawn in the log, newest first. */
const LOG_SHOWN = 200;
/** The events opened by a click, kept open across redraws. @type {Set<number>} */
const opened = new Set();

export function renderLivekit() {
  const view = livekitStore.view;
  if (!view) return;
  $('livekit-rooms').replaceChildren(
    ...(view.world.rooms.length === 0
      ? [h('p', { class: 'hint' }, 'No room yet: create one above, or load a scenario and press Run.')]
      : roomCards(view.world).map(roomCard)),
  );
  $('livekit-log').replaceChildren(...view.events.slice(-LOG_SHOWN).reverse().map(eventRow));
}

/** @param {import('./livekit-model.js').RoomCard} card */
function roomCard(card) {
  const { room } = card;
  const live = store.state?.snapshot.sessions.find((s) => s.sessionId === room.name);
  const open = room.state === 'open';
  return h(
    'div',
    { class: `panel session${open ? '' : ' gone'}`, 'data-room': room.name },
    h(
      'h3',
      {},
      `Room ${room.name} `,
      h('code', { class: 'muted' }, room.sid),
      ' ',
      chip(
        open ? 'open' : 'finished',
        open ? 'ok' : 'gone',
        open ? 'the room exists' : 'room_finished was sent',
      ),
      ' ',
      chip(
        `numParticipants ${room.numParticipants}`,
        'info',
        "as the last full Room in an event said: LiveKit's count at that instant, which consumers often read stale",
      ),
    ),
    live && open ? roomControls(live) : null,
    h(
      'ul',
      { class: 'participants' },
      ...card.participants.map((row) =>
        h(
          'li',
          { 'data-participant-sid': row.participant.sid },
          h('strong', {}, row.participant.identity),
          ' ',
          h('code', { class: 'muted' }, row.participant.sid),
          ' ',
          chip(row.participant.state, row.participant.state === 'ACTIVE' ? 'ok' : 'gone', row.stateHelp),
          row.participant.kind === 'STANDARD'
            ? null
            : chip(
                `kind ${row.participant.kind}`,
                'info',
                'EGRESS: a recorder; INGRESS: an IP camera or RTMP input',
              ),
          row.participant.disconnectReason ? chip(row.participant.disconnectReason, 'gone') : null,
          live && row.participant.state === 'ACTIVE' && row.participant.kind === 'STANDARD'
            ? participantControls(
                row.participant.identity,
                row.tracks.some((t) => t.published),
              )
            : null,
          h(
            'ul',
            { class: 'tracks' },
            ...row.tracks.map((t) => h('li', {}, h('code', { class: 'muted' }, t.sid), ' ', trackWords(t))),
          ),
        ),
      ),
    ),
    ...card.egresses.map((e) =>
      h(
        'p',
        { 'data-egress': e.egressId },
        `Egress ${e.egressId} (${e.request}): ${statusTrail(e)}`,
        e.error ? ` — ${e.error}` : '',
      ),
    ),
    ...card.ingresses.map((i) =>
      h('p', { 'data-ingress': i.ingressId }, `Ingress ${i.ingressId} ${i.name}: ${i.statuses.join(' → ')}`),
    ),
  );
}

/** @param {{handle: string, recordings: ReadonlyArray<{handle: string, status: string}>}} live */
function roomControls(live) {
  const recording = live.recordings.find((r) => r.status === 'started' || r.status === 'starting');
  return h(
    'div',
    { class: 'row' },
    btn(
      '+ Join',
      () => {
        const participant = freshHandle('user', [...store.usedHandles]);
        store.usedHandles.add(participant);
        void act('join', { session: live.handle, participant });
      },
      'A participant connects: participant_joined follows once its media is up (ACTIVE)',
      'primary',
    ),
    recording
      ? btn('■ Stop egress', () => void act('stopRecording', { recording: recording.handle }), 'StopEgress')
      : btn(
          '● Start egress',
          () => {
            const rec = freshHandle('rec', [...store.usedHandles]);
            store.usedHandles.add(rec);
            void act('startRecording', { session: live.handle, recording: rec, outputMode: 'COMPOSED' });
          },
          'A room composite egress: egress_started, a recorder joins as kind EGRESS',
        ),
    btn(
      '✕ Delete room',
      () => void act('closeSession', { session: live.handle }),
      'DeleteRoom: everybody leaves, room_finished',
      'secondary',
    ),
  );
}

/** @param {string} identity @param {boolean} publishing */
function participantControls(identity, publishing) {
  return h(
    'span',
    { class: 'group' },
    publishing
      ? btn(
          'Unpublish',
          () => void act('unpublish', { participant: identity }),
          'track_unpublished per track',
        )
      : btn(
          'Publish',
          () => void act('publish', { participant: identity }),
          'track_published per track: audio and video',
        ),
    btn(
      'Leave',
      () => void act('leave', { participant: identity }),
      'participant_left with CLIENT_INITIATED',
    ),
  );
}

/** @param {import('./livekit-model.js').LivekitEventEntry} e */
function eventRow(e) {
  const x = explainLivekit(e);
  return h(
    'details',
    {
      class: 'lk-event',
      'data-event': e.event,
      'data-seq': e.seq,
      open: opened.has(e.seq),
      /** @param {Event} ev */
      ontoggle: (ev) => {
        if (/** @type {HTMLDetailsElement} */ (ev.currentTarget).open) opened.add(e.seq);
        else opened.delete(e.seq);
      },
    },
    h(
      'summary',
      { 'data-help': x.long },
      h('span', { class: 'muted' }, `${timeOf(e.at)} `),
      h('strong', {}, e.event),
      ` ${e.roomName ?? ''}${e.subject ? ` · ${e.subject}` : ''} — ${x.short}`,
      ...x.notes.map(() => ' ⚠'),
    ),
    h('p', {}, x.long),
    ...x.notes.map((n) => h('p', { class: 'note' }, '⚠ ', n)),
    h('pre', { class: 'json' }, e.body),
  );
}
