// @ts-check
// Enterprise high availability: the master nodes, registered and deregistered from the page.
import { act } from './api.js';
import { ACTION_HELP, REASON_HELP } from './explain.js';
import { h, valueOf } from './lib/dom.js';
import { freshHandle, store } from './model.js';
import { btn, chip } from './widgets.js';

/** @typedef {import('./model.js').PageState} PageState */

/** @param {PageState['snapshot']} snap */
export function masterNodes(snap) {
  const name = h('input', {
    size: 9,
    placeholder: freshHandle('master', []),
    'data-role': 'master-name',
    'aria-label': 'master node name',
  });
  const ip = h('input', {
    size: 11,
    placeholder: 'ip (optional)',
    'data-role': 'master-ip',
    'aria-label': 'master node ip',
  });
  const register = () => {
    const node = name.value.trim() || name.getAttribute('placeholder') || 'master';
    const address = ip.value.trim();
    store.usedHandles.add(node);
    name.value = '';
    ip.value = '';
    void act('registerMasterNode', address ? { node, ip: address } : { node });
  };
  const rows = snap.masterNodes.map((m) => {
    const reason = h(
      'select',
      { 'data-testid': 'master-reason', 'data-help': 'why it leaves', 'aria-label': 'reason' },
      ...['mediaNodeStatusTerminated', 'nodeCrashed'].map((r) => h('option', { value: r }, r)),
    );
    return h(
      'div',
      { class: 'lane', 'data-master': m.handle },
      h(
        'div',
        { class: 'who' },
        h('strong', {}, m.handle),
        h('code', { 'data-help': 'nodeId' }, m.nodeId),
        chip('registered', 'ok'),
      ),
      h(
        'div',
        { class: 'actions' },
        reason,
        btn(
          'Deregister',
          () => void act('deregisterMasterNode', { node: m.handle, reason: valueOf(reason) }),
          `${ACTION_HELP['deregisterMasterNode'] ?? ''} ${REASON_HELP['nodeCrashed'] ?? ''}`,
          'warn',
          'deregister-master',
        ),
      ),
    );
  });
  return h(
    'div',
    { class: 'masters' },
    h('h3', {}, 'Master nodes ', h('span', { class: 'muted small' }, '(Enterprise high availability)')),
    h(
      'div',
      { class: 'row controls-row' },
      name,
      ip,
      btn('+ Register master node', register, ACTION_HELP['registerMasterNode'] ?? '', '', 'register-master'),
    ),
    h(
      'div',
      { class: 'lanes' },
      ...(rows.length ? rows : [h('p', { class: 'hint' }, 'No master node registered yet.')]),
    ),
  );
}
