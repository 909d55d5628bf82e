// @ts-check
// Where the video flows: CE's one media server, with what crashed or restarted it (from the server's records), or a
// Pro cluster (render-cluster.js).
import { act } from './api.js';
import { ACTION_HELP } from './explain.js';
import { $, h, keepingInputs, shortTime } from './lib/dom.js';
import { store } from './model.js';
import { proCluster } from './render-cluster.js';
import { btn, chip } from './widgets.js';

/** @typedef {import('./model.js').PageState} PageState */
/** @typedef {import('../view-types.js').MediaServerIncident} Incident */

export function renderNodes() {
  const st = store.state;
  if (!st) return;
  $('nodes-title').textContent = st.openvidu.edition === 'ce' ? 'Media server' : 'Media nodes';
  const root = $('nodes');
  keepingInputs(root, () =>
    root.replaceChildren(
      ...(st.openvidu.edition === 'ce' ? ceServer(st) : proCluster(st)).filter((x) => x !== null),
    ),
  );
}

/** @param {Incident} i */
function incidentText(i) {
  const lost = `${i.sessionsClosed} session${i.sessionsClosed === 1 ? '' : 's'} closed`;
  const dropped = `${i.connectionsDropped} media connection${i.connectionsDropped === 1 ? '' : 's'} dropped`;
  const recs = i.recordingsStopped
    ? `, ${i.recordingsStopped} recording${i.recordingsStopped === 1 ? '' : 's'} stopped`
    : '';
  if (i.kind === 'crash')
    return `✸ Crashed at ${shortTime(i.at)}: ${lost} (reason nodeCrashed)${recs}. OpenVidu CE waits for it forever; ovsim lets new sessions start at once, as when Docker restarts Kurento.`;
  if (i.kind === 'restart')
    return `↻ Restarted at ${shortTime(i.at)} as a new process: ${dropped}${recs}. Nobody left: people must publish again.`;
  return `■ OpenVidu stopped at ${shortTime(i.at)}: ${lost}.`;
}

/** @param {PageState} st */
function ceServer(st) {
  const stopped = st.snapshot.stopped;
  const incidents = store.world.mediaServer.incidents;
  const last = incidents.at(-1);
  const status = stopped
    ? chip('stopped', 'bad', 'OpenVidu Server shut down')
    : last?.kind === 'crash'
      ? chip(`running again · crashed at ${shortTime(last.at)}`, 'bad', ACTION_HELP['mediaServerCrash'])
      : last?.kind === 'restart'
        ? chip(`running · restarted at ${shortTime(last.at)}`, 'warn', ACTION_HELP['mediaServerReconnect'])
        : chip('running', 'ok', 'Kurento is up: sessions can send video');
  return [
    h(
      'div',
      { class: `lane${last?.kind === 'crash' ? ' node crashed' : ''}`, 'data-testid': 'media-server' },
      h(
        'div',
        { class: 'who' },
        h('strong', {}, 'media server'),
        h('code', { class: 'id', 'data-help': 'media_node_id in recording events' }, st.openvidu.mediaNodeId),
        h('span', { 'data-testid': 'media-server-status' }, status),
        h('span', { class: 'muted small' }, `${st.snapshot.sessions.length} live session(s)`),
      ),
      stopped
        ? h('div', { class: 'muted small' }, 'OpenVidu Server is stopped: Reset to start again.')
        : h(
            'div',
            { class: 'actions' },
            btn(
              '↻ Media server restart',
              () => void act('mediaServerReconnect', {}),
              ACTION_HELP['mediaServerReconnect'] ?? '',
              'warn',
              'media-reconnect',
            ),
            btn(
              '✸ Media server crash',
              () => void act('mediaServerCrash', {}),
              ACTION_HELP['mediaServerCrash'] ?? '',
              'danger',
              'media-crash',
            ),
            btn(
              '■ Stop OpenVidu',
              () => void act('stopServer', {}),
              ACTION_HELP['stopServer'] ?? '',
              'danger secondary',
              'stop-server',
            ),
          ),
    ),
    incidents.length
      ? h(
          'ul',
          { class: 'incidents', 'data-testid': 'incidents' },
          ...incidents
            .slice(-3)
            .reverse()
            .map((i) => h('li', { class: `incident ${i.kind}` }, incidentText(i))),
        )
      : null,
    h(
      'p',
      { class: 'hint secondary', 'data-testid': 'pro-hint' },
      'CE has one media server. For a Pro cluster of media nodes: Scenario “empty world — Pro” (or pro-day) → Load, or ',
      h('code', {}, 'ovsim serve --edition pro'),
      '.',
    ),
  ];
}
