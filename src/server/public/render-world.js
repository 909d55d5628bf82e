// @ts-check
// The sessions: one card per session the run has seen (closed ones stay, greyed), with its participants, their
// WebRTC connections and its recordings — all from the server's world records — and the controls of what is live.
import { act } from './api.js';
import { ACTION_HELP, eventHelp, REASON_HELP } from './explain.js';
import { $, h, keepingInputs, valueOf } from './lib/dom.js';
import { freshHandle, liveSession, store, worldIndex } from './model.js';
import { renderParticipant } from './render-participant.js';
import { btn, chip, reasonChip } from './widgets.js';

/** @typedef {import('./model.js').SessionRecord} SessionRecord */
/** @typedef {import('./model.js').RecordingRecord} RecordingRecord */
/** @typedef {import('./model.js').LiveSession} LiveSession */

const NAMES = [
  'alice',
  'bob',
  'carol',
  'dan',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
];

/** What opening a lifecycle diagram does (set by the app). @type {(kind: 'session' | 'recording' | 'participant', key: string) => void} */
let openLifecycle = () => undefined;

/** @param {typeof openLifecycle} fn */
export function onLifecycle(fn) {
  openLifecycle = fn;
}

export function renderWorld() {
  const root = $('sessions');
  const sessions = [...store.world.sessions.values()].reverse();
  const st = store.state;
  const hint = $('empty-hint');
  hint.hidden = sessions.length > 0;
  if (st && sessions.length === 0) hint.textContent = emptyHint(st);
  keepingInputs(root, () => root.replaceChildren(...sessions.map(renderSession)));
  $('create-handle').setAttribute('placeholder', `session name (${freshHandle('s', ['s1'])})`);
}

/** @param {import('./model.js').PageState} st */
function emptyHint(st) {
  if (st.stepsLeft > 0 && st.clock.status === 'paused')
    return `Scenario "${st.scenario.name}" is loaded: ${st.stepsLeft} of its ${st.scenario.steps} steps wait. Press ▶ Run (Space) to play them, or Step (S) to go one at a time — or create a session yourself.`;
  if (st.stepsLeft > 0) return `Scenario "${st.scenario.name}" is playing: its first session comes soon.`;
  return 'Nothing is happening yet. Create a session, then add people to it: every click is turned into the exact events OpenVidu would write to its CDR file and POST to your WebHook.';
}

/** @param {SessionRecord} s */
function renderSession(s) {
  const live = liveSession(s.key);
  const broadcast = s.broadcasts.at(-1);
  const header = h(
    'div',
    { class: 'session-head' },
    h(
      'h3',
      {},
      s.handle,
      ' ',
      h('code', { class: 'id', 'data-help': 'the sessionId OpenVidu writes in every event' }, s.sessionId),
    ),
    s.closedAt !== null
      ? reasonChip('closed', s.reason, 'bad')
      : chip('open', 'ok', 'the session exists on the server'),
    live
      ? chip(
          `recording ${live.recordingMode}`,
          'muted',
          'MANUAL: your backend starts recordings; ALWAYS: it starts by itself',
        )
      : null,
    live?.autostopArmed ? chip('auto-stop countdown', 'warn', REASON_HELP['automaticStop']) : null,
    s.mediaNode
      ? h(
          'span',
          {
            class: 'chip node',
            'data-testid': 'session-node',
            'data-help': "the Pro media node that carries this session's video",
          },
          `on ${s.mediaNode}`,
        )
      : null,
    broadcast && broadcast.stoppedAt === null
      ? h(
          'span',
          {
            class: 'chip live',
            'data-testid': 'broadcasting',
            'data-help': `${eventHelp('broadcastStarted').short} ${broadcast.url}`,
          },
          '◉ LIVE broadcast',
        )
      : broadcast
        ? reasonChip('broadcast ended', broadcast.reason)
        : null,
    btn(
      '⤳ lifecycle',
      () => openLifecycle('session', s.key),
      'A diagram of this session from creation to destruction',
      'small-btn secondary',
      'session-lifecycle',
    ),
  );
  const card = h(
    'div',
    { class: `panel session${s.closedAt !== null ? ' closed' : ''}`, 'data-session': s.handle },
    header,
  );
  if (live) card.append(sessionControls(live));
  const lanes = h('div', { class: 'lanes' });
  const index = worldIndex();
  for (const p of index.participantsBySession.get(s.key) ?? []) lanes.append(renderParticipant(p, live));
  for (const r of index.recordingsBySession.get(s.key) ?? []) lanes.append(renderRecording(r, live));
  if (lanes.childElementCount === 0)
    lanes.append(h('p', { class: 'hint' }, 'Nobody here yet: use Join to add a person.'));
  card.append(lanes);
  return card;
}

/** @param {LiveSession} live */
function sessionControls(live) {
  const pro = store.state?.openvidu.edition !== 'ce';
  return h(
    'div',
    { class: 'row controls-row' },
    joinGroup(live),
    recordingGroup(live),
    pro ? broadcastGroup(live) : null,
    h(
      'span',
      { class: 'group' },
      btn(
        '✉ Signal everyone',
        () =>
          void act('signal', { session: live.handle, type: 'announcement', data: 'Hello from the server' }),
        'Your backend sends a message to everybody (REST API: from is null)',
        'secondary',
        'signal-all',
      ),
      btn(
        '✖ Close session',
        () => void act('closeSession', { session: live.handle }),
        ACTION_HELP['closeSession'] ?? '',
        'danger',
        'close-session',
      ),
    ),
  );
}

/**
 * Who joins: a name, a role, a browser or an IP camera.
 * @param {LiveSession} live
 */
function joinGroup(live) {
  const name = h('input', {
    size: 10,
    placeholder: freshHandle('user', NAMES),
    'data-role': 'join-name',
    'aria-label': 'name of the person joining',
  });
  const role = h(
    'select',
    {
      'data-role': 'join-role',
      'data-help': 'SUBSCRIBER can only watch; MODERATOR can kick others',
      'aria-label': 'role',
    },
    ...['PUBLISHER', 'SUBSCRIBER', 'MODERATOR'].map((r) => h('option', { value: r }, r.toLowerCase())),
  );
  const kind = h(
    'select',
    {
      class: 'secondary',
      'data-role': 'join-type',
      'data-help': 'an IP camera publishes by itself as soon as it joins',
      'aria-label': 'kind of client',
    },
    h('option', { value: 'WEBRTC' }, 'browser'),
    h('option', { value: 'IPCAM' }, 'IP camera'),
  );
  const join = () => {
    const participant = name.value.trim() || name.getAttribute('placeholder') || 'user';
    /** @type {Record<string, unknown>} */
    const args = { session: live.handle, participant, role: valueOf(role) };
    if (valueOf(kind) === 'IPCAM')
      Object.assign(args, { type: 'IPCAM', rtspUri: 'rtsp://192.168.1.40:554/live', role: 'PUBLISHER' });
    else args['clientData'] = { clientData: participant.charAt(0).toUpperCase() + participant.slice(1) };
    store.usedHandles.add(participant);
    name.value = ''; // the next join suggests a fresh name
    void act('join', args);
  };
  return h(
    'span',
    { class: 'group' },
    name,
    role,
    kind,
    btn('+ Join', join, ACTION_HELP['join'] ?? '', 'primary', 'join'),
  );
}

/**
 * Starting a recording in the chosen output mode.
 * @param {LiveSession} live
 */
function recordingGroup(live) {
  const mode = h(
    'select',
    {
      class: 'secondary',
      'data-role': 'rec-mode',
      'data-help': 'COMPOSED: one video of everybody; INDIVIDUAL: one file per stream',
      'aria-label': 'recording output mode',
    },
    ...['COMPOSED', 'COMPOSED_QUICK_START', 'INDIVIDUAL'].map((m) => h('option', { value: m }, m)),
  );
  const startRec = () => {
    const recording = freshHandle('rec', []);
    store.usedHandles.add(recording);
    void act('startRecording', { session: live.handle, recording, outputMode: valueOf(mode) });
  };
  return h(
    'span',
    { class: 'group' },
    mode,
    btn('● Start recording', startRec, ACTION_HELP['startRecording'] ?? '', '', 'start-recording'),
  );
}

/**
 * Pro: starting or stopping the session's broadcast.
 * @param {LiveSession} live
 */
function broadcastGroup(live) {
  return h(
    'span',
    { class: 'group secondary' },
    live.broadcasting
      ? btn(
          '■ Stop broadcast',
          () => void act('stopBroadcast', { session: live.handle }),
          ACTION_HELP['stopBroadcast'] ?? '',
          '',
          'stop-broadcast',
        )
      : btn(
          '◉ Start broadcast',
          () =>
            void act('startBroadcast', {
              session: live.handle,
              broadcastUrl: 'rtmp://live.example.com/app/stream-key',
            }),
          ACTION_HELP['startBroadcast'] ?? '',
          '',
          'start-broadcast',
        ),
  );
}

/**
 * @param {RecordingRecord} r
 * @param {LiveSession | undefined} live
 */
function renderRecording(r, live) {
  const last = r.statuses.at(-1);
  const status = last?.status ?? 'starting';
  const kind =
    status === 'ready' ? 'ok' : status === 'failed' ? 'bad' : status === 'started' ? 'rec' : 'warn';
  const row = h(
    'div',
    { class: 'lane recording', 'data-recording': r.handle },
    h(
      'div',
      { class: 'who' },
      h('strong', {}, `● ${r.handle}`),
      h('code', { class: 'id' }, r.id),
      chip(status, kind, eventHelp('recordingStatusChanged').long),
    ),
    h(
      'div',
      { class: 'streams' },
      h(
        'span',
        { class: 'muted small' },
        `${r.outputMode}${last?.reason ? ` · ${last.reason}` : ''}${status === 'ready' ? ` · ${(r.size / 1e6).toFixed(1)} MB` : ''}`,
      ),
      btn(
        '⤳ lifecycle',
        () => openLifecycle('recording', r.key),
        'A diagram of this recording: started, stopped, ready or failed',
        'small-btn secondary',
        'recording-lifecycle',
      ),
    ),
  );
  const liveR = live?.recordings.find((x) => x.id === r.id);
  if (liveR && liveR.status === 'started') {
    row.append(
      h(
        'div',
        { class: 'actions' },
        btn(
          '■ Stop recording',
          () => void act('stopRecording', { recording: liveR.handle }),
          ACTION_HELP['stopRecording'] ?? '',
          '',
          'stop-recording',
        ),
      ),
    );
  }
  return row;
}
