// @ts-check
// A Pro cluster: its settings, the media nodes (live ones from the snapshot, gone ones from the server's records) with
// their load, sessions and what can happen to them — launch, status PATCH, removal, crash, media server restart.
import { act } from './api.js';
import { ACTION_HELP, eventHelp, NODE_STATUS_HELP, STRATEGY_HELP } from './explain.js';
import { h, valueOf } from './lib/dom.js';
import { freshHandle, store } from './model.js';
import { masterNodes } from './render-masters.js';
import { btn, chip } from './widgets.js';

/** @typedef {import('./model.js').PageState} PageState */
/** @typedef {import('./model.js').LiveNode} LiveNode */

/** What opening a node's lifecycle does (set by the app). @type {(key: string) => void} */
let openLifecycle = () => undefined;

/** @param {(key: string) => void} fn */
export function onLifecycle(fn) {
  openLifecycle = fn;
}

const DELAYS = [
  ['5s', 'boots in 5 s'],
  ['30s', 'boots in 30 s'],
  ['', 'boots in 30–90 s'],
];
/** When a crashed node comes back: [recoverAfter, ms]. Back within the silent retries, OpenVidu logs nothing. */
const RECOVERIES = /** @type {const} */ ([
  ['', 0],
  ['2s', 2000],
  ['10s', 10_000],
  ['1m', 60_000],
]);

/** @param {number} ms */
function recoveryLabel(ms) {
  if (ms === 0) return 'never comes back';
  const retry = store.state?.openvidu.cluster?.silentRetryMs ?? 0;
  return `back after ${ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`}${ms <= retry ? ' (silent)' : ''}`;
}

/** @param {PageState} st */
export function proCluster(st) {
  const snap = st.snapshot;
  const c = st.openvidu.cluster;
  const up = snap.mediaNodes.filter((n) => n.status === 'running' && !n.crashed).length;
  const timeout = !c
    ? ''
    : c.reconnectionTimeout < 0
      ? 'a crashed node is waited for forever'
      : `a crashed node is given up after ${c.reconnectionTimeout} s`;
  const scaling = !c
    ? ''
    : c.autoscaling.enabled
      ? `autoscaling ${c.autoscaling.minNodes}–${c.autoscaling.maxNodes} nodes, average load ${c.autoscaling.minLoad}–${c.autoscaling.maxLoad} %`
      : 'autoscaling off';
  /** @type {HTMLElement[]} */
  const out = [
    h(
      'p',
      { class: 'small', 'data-testid': 'cluster' },
      'Cluster ',
      h('code', { 'data-help': 'clusterId in every node event' }, snap.clusterId ?? '?'),
      ` · ${up} of ${snap.mediaNodes.length} node(s) taking sessions · `,
      h('span', { 'data-help': 'OPENVIDU_PRO_CLUSTER_RECONNECTION_TIMEOUT' }, timeout),
      ' · ',
      h(
        'span',
        {
          'data-help':
            'OPENVIDU_PRO_CLUSTER_AUTOSCALING: the autoscaler adds nodes above the maximum average load and removes some below the minimum',
        },
        scaling,
      ),
    ),
  ];
  out.push(
    snap.stopped
      ? h('p', { class: 'hint' }, 'OpenVidu Server is stopped: Reset to start again.')
      : launchForm(),
  );
  const nodes = h('div', { class: 'lanes' }, ...nodesToShow(snap).map((n) => renderNode(n, snap.stopped)));
  if (nodes.childElementCount === 0)
    nodes.append(
      h(
        'p',
        { class: 'hint' },
        'No media node yet: they come up at the start instant (press Run or Step), or launch one.',
      ),
    );
  out.push(nodes);
  if (!snap.stopped) {
    out.push(
      h(
        'div',
        { class: 'row controls-row secondary' },
        h('span', { class: 'muted small' }, 'Whole deployment:'),
        btn(
          '■ Stop OpenVidu',
          () => void act('stopServer', {}),
          ACTION_HELP['stopServer'] ?? '',
          'danger',
          'stop-server',
        ),
      ),
    );
  }
  if (snap.edition === 'enterprise') out.push(masterNodes(snap));
  return out;
}

/**
 * The live nodes, then the ones gone from the cluster (terminated or failed), from the server's records.
 * @param {PageState['snapshot']} snap
 * @returns {LiveNode[]}
 */
function nodesToShow(snap) {
  const live = new Set(snap.mediaNodes.map((n) => n.id));
  const past = [...store.world.nodes.values()]
    .filter((n) => !live.has(n.key))
    .map((n) => ({
      handle: n.handle,
      id: n.key,
      ip: n.ip ?? '',
      status: n.statuses.at(-1)?.status ?? 'terminated',
      crashed: false,
      load: 0,
      sessions: [],
    }));
  return [...snap.mediaNodes, ...past];
}

function launchForm() {
  const name = h('input', {
    size: 9,
    placeholder: freshHandle('node', []),
    'data-role': 'node-name',
    'aria-label': 'node name',
  });
  const delay = h(
    'select',
    {
      'data-role': 'node-delay',
      'data-help': 'how long the machine takes to boot (virtual time)',
      'aria-label': 'boot time',
    },
    ...DELAYS.map(([v, t]) => h('option', { value: v }, t)),
  );
  const fail = h('input', { type: 'checkbox', 'data-role': 'node-fail' });
  const launch = () => {
    const node = name.value.trim() || name.getAttribute('placeholder') || 'node';
    /** @type {Record<string, unknown>} */
    const args = { node };
    if (valueOf(delay)) args['launchDelay'] = valueOf(delay);
    if (fail.checked) args['fail'] = true;
    store.usedHandles.add(node);
    name.value = '';
    void act('launchMediaNode', args);
  };
  return h(
    'div',
    { class: 'row controls-row' },
    h(
      'span',
      { class: 'group' },
      name,
      delay,
      h(
        'label',
        { class: 'small secondary', 'data-help': 'the launch ends in failed instead of running' },
        fail,
        'launch fails',
      ),
      btn('+ Launch media node', launch, ACTION_HELP['launchMediaNode'] ?? '', 'primary', 'launch-node'),
    ),
  );
}

/**
 * @param {LiveNode} n
 * @param {boolean} stopped
 */
function renderNode(n, stopped) {
  const over = n.status === 'terminated' || n.status === 'failed';
  const load = Math.max(0, Math.min(100, n.load));
  const bar = h('span', { class: `load-fill ${load >= 70 ? 'high' : load >= 40 ? 'mid' : 'low'}` });
  bar.style.width = `${load}%`; // CSSOM, not a style attribute: the page's CSP forbids inline styles
  const who = h(
    'div',
    { class: 'who' },
    h('strong', {}, n.handle),
    h('code', { class: 'id', 'data-help': `id in every node event; ip ${n.ip}` }, n.id),
    h(
      'span',
      {
        class: `chip st st-${n.status}`,
        'data-testid': 'node-status',
        'data-help': NODE_STATUS_HELP[n.status] ?? n.status,
      },
      n.status,
    ),
    n.crashed
      ? h(
          'span',
          { class: 'chip bad', 'data-testid': 'node-crashed', 'data-help': eventHelp('nodeCrashed').long },
          '✸ crashed',
        )
      : null,
  );
  const hosted = h(
    'div',
    { class: 'streams' },
    h(
      'span',
      { class: 'load', 'data-help': 'load of the node, percent (what the autoscaler averages)' },
      bar,
    ),
    h('span', { class: 'small', 'data-testid': 'node-load' }, `${load.toFixed(1)} %`),
    h('span', { class: 'muted small id' }, n.ip),
    ...(n.sessions.length
      ? n.sessions.map((x) => chip(x, 'out', 'a session this node carries'))
      : [h('span', { class: 'muted small' }, 'no session')]),
    btn(
      '⤳ lifecycle',
      () => openLifecycle(n.id),
      'A diagram of this media node: its statuses, crashes and recoveries',
      'small-btn secondary',
      'node-lifecycle',
    ),
  );
  const row = h(
    'div',
    { class: `lane node${over ? ' gone' : ''}${n.crashed ? ' crashed' : ''}`, 'data-node': n.handle },
    who,
    hosted,
  );
  if (!stopped && !over) row.append(nodeControls(n));
  return row;
}

/** @param {LiveNode} n */
function nodeControls(n) {
  const targets = store.patchTargets[n.status] ?? [];
  const patch = targets.length
    ? h(
        'select',
        {
          class: 'secondary',
          'data-testid': 'node-patch',
          'data-help': ACTION_HELP['setMediaNodeStatus'],
          'aria-label': 'set status',
          onchange: (/** @type {Event} */ ev) => {
            const status = valueOf(/** @type {Element} */ (ev.target));
            if (status) void act('setMediaNodeStatus', { node: n.handle, status });
          },
        },
        h('option', { value: '' }, 'set status…'),
        ...targets.map((t) => h('option', { value: t }, `→ ${t}`)),
      )
    : null;
  const removable = ['running', 'waiting-idle-to-terminate', 'launching', 'canceled'].includes(n.status);
  const strategy = h(
    'select',
    { 'data-testid': 'node-strategy', 'data-help': 'deletion strategy', 'aria-label': 'deletion strategy' },
    ...Object.keys(STRATEGY_HELP).map((v) => h('option', { value: v }, v)),
  );
  const alive = (n.status === 'running' || n.status === 'waiting-idle-to-terminate') && !n.crashed;
  const recover = h(
    'select',
    {
      'data-testid': 'node-recover',
      'data-help': 'whether the node comes back (reconnects) later',
      'aria-label': 'comes back',
    },
    ...RECOVERIES.map(([v, ms]) => h('option', { value: v }, recoveryLabel(ms))),
  );
  const crash = () => {
    const r = valueOf(recover);
    void act('crashMediaNode', r ? { node: n.handle, recoverAfter: r } : { node: n.handle });
  };
  return h(
    'div',
    { class: 'actions' },
    patch,
    removable
      ? h(
          'span',
          { class: 'group secondary' },
          strategy,
          btn(
            'Remove',
            () => void act('removeMediaNode', { node: n.handle, strategy: valueOf(strategy) }),
            ACTION_HELP['removeMediaNode'] ?? '',
            '',
            'remove-node',
          ),
        )
      : null,
    alive
      ? h(
          'span',
          { class: 'group' },
          recover,
          btn('✸ Crash', crash, ACTION_HELP['crashMediaNode'] ?? '', 'danger', 'crash-node'),
        )
      : null,
    alive
      ? btn(
          '↻ Restart media server',
          () => void act('mediaServerReconnect', { node: n.handle }),
          ACTION_HELP['mediaServerReconnect'] ?? '',
          'warn secondary',
          'node-restart',
        )
      : null,
  );
}
