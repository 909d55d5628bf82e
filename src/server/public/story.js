// @ts-check
// The page's words: a sentence for each cascade ("bob's network dropped: their 3 connections closed, then they
// left"), what the next scenario step will do, and what the key event of a cascade means.
import { eventHelp, REASON_HELP } from './explain.js';
import { duration, shortTime } from './lib/dom.js';
import { eventData, nodeName, personName, recordingName, sessionName, store } from './model.js';

/** @typedef {import('./model.js').Cascade} Cascade */
/** @typedef {import('./model.js').LogEntry} LogEntry */
/** @typedef {Record<string, unknown>} Args */

/** @param {number} n @param {string} one @param {string} [many] */
function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** @param {string[]} parts */
function list(parts) {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** @param {unknown} v */
function text(v) {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

/**
 * What an action does, in words, present tense (for "next step") or past (for the log).
 * @type {Record<string, (a: Args, past: boolean) => string>}
 */
const ACTIONS = {
  createSession: (a, past) =>
    `your backend ${past ? 'created' : 'creates'} session ${text(a['session'])}${a['recordingMode'] === 'ALWAYS' ? ' (recorded from its first publisher on)' : ''}`,
  join: (a, past) =>
    a['type'] === 'IPCAM'
      ? `IP camera ${text(a['participant'])} ${past ? 'was' : 'is'} plugged into ${text(a['session'])}`
      : `${text(a['participant'])} ${past ? 'joined' : 'joins'} ${text(a['session'])}${a['role'] && a['role'] !== 'PUBLISHER' ? ` as ${text(a['role']).toLowerCase()}` : ''}`,
  publish: (a, past) =>
    `${text(a['participant'])} ${past ? 'started' : 'starts'} publishing ${a['videoSource'] === 'SCREEN' ? 'their screen' : a['video'] === false ? 'audio only' : 'their camera'}`,
  unpublish: (a, past) => `${text(a['participant'])} ${past ? 'stopped' : 'stops'} publishing`,
  subscribe: (a, past) =>
    `${text(a['participant'])} ${past ? 'started' : 'starts'} watching ${text(a['to'])}`,
  unsubscribe: (a, past) =>
    `${text(a['participant'])} ${past ? 'stopped' : 'stops'} watching ${text(a['to'])}`,
  leave: (a, past) =>
    a['reason'] === 'networkDisconnect'
      ? `${text(a['participant'])}'s network ${past ? 'dropped' : 'drops'}`
      : `${text(a['participant'])} ${past ? 'left' : 'leaves'}`,
  forceDisconnect: (a, past) =>
    `${a['by'] === 'user' ? 'a moderator' : 'your backend'} ${past ? 'kicked' : 'kicks'} ${text(a['participant'])} out`,
  forceUnpublish: (a, past) =>
    `${a['by'] === 'user' ? 'a moderator' : 'your backend'} ${past ? 'stopped' : 'stops'} ${text(a['participant'])}'s stream`,
  startRecording: (a, past) =>
    `your backend ${past ? 'started' : 'starts'} recording ${text(a['session'])}${a['outputMode'] ? ` (${text(a['outputMode'])})` : ''}`,
  stopRecording: (a, past) => `your backend ${past ? 'stopped' : 'stops'} recording ${text(a['recording'])}`,
  signal: (a, past) =>
    `${a['from'] ? text(a['from']) : 'your backend'} ${past ? 'sent' : 'sends'} signal "${text(a['type'] ?? '')}"${a['to'] ? ` to ${list(/** @type {string[]} */ (a['to']))}` : ' to everyone'}`,
  filterEvent: (a, past) =>
    `a ${text(a['filterType'] ?? 'filter')} on ${text(a['participant'])}'s video ${past ? 'fired' : 'fires'} ${text(a['eventType'] ?? 'an event')}`,
  closeSession: (a, past) => `your backend ${past ? 'closed' : 'closes'} session ${text(a['session'])}`,
  mediaServerReconnect: (a, past) =>
    `the media server${a['node'] ? ` of ${text(a['node'])}` : ''} ${past ? 'restarted' : 'restarts'} as a new process`,
  mediaServerCrash: (a, past) =>
    `the media server${a['node'] ? ` of ${text(a['node'])}` : ''} ${past ? 'crashed' : 'crashes'}`,
  stopServer: (_a, past) => `OpenVidu Server ${past ? 'shut down' : 'shuts down'}`,
  launchMediaNode: (a, past) => `media node ${text(a['node'])} ${past ? 'was' : 'is'} launched`,
  setMediaNodeStatus: (a, past) =>
    `media node ${text(a['node'])} ${past ? 'was' : 'is'} set to ${text(a['status'])}`,
  removeMediaNode: (a, past) =>
    `media node ${text(a['node'])} ${past ? 'was' : 'is'} removed (${text(a['strategy'] ?? 'if-no-sessions')})`,
  crashMediaNode: (a, past) => `media node ${text(a['node'])} ${past ? 'stopped' : 'stops'} answering`,
  startBroadcast: (a, past) => `${text(a['session'])} ${past ? 'went' : 'goes'} live (RTMP broadcast)`,
  stopBroadcast: (a, past) => `the broadcast of ${text(a['session'])} ${past ? 'stopped' : 'stops'}`,
  registerMasterNode: (a, past) => `master node ${text(a['node'])} ${past ? 'joined' : 'joins'} the cluster`,
  deregisterMasterNode: (a, past) => `master node ${text(a['node'])} ${past ? 'left' : 'leaves'} the cluster`,
};

/**
 * An action in words.
 * @param {string} type
 * @param {unknown} args
 * @param {boolean} past
 */
export function actionWords(type, args, past) {
  const a = typeof args === 'object' && args !== null ? /** @type {Args} */ (args) : {};
  const f = ACTIONS[type];
  return f ? f(a, past) : `${type} ${JSON.stringify(a)}`;
}

/**
 * A sentence's first letter in capitals, unless the sentence starts with a name (handles keep their case).
 * @param {string} s
 */
function capital(s) {
  return /^(your|a|an|the|media|master|ip|openvidu|recording|session|nobody)\b/.test(s)
    ? s.charAt(0).toUpperCase() + s.slice(1)
    : s;
}

/**
 * WebRTC connections by direction, the words the workshop teaches: `1 OUTBOUND and 2 INBOUND connections`.
 * @param {readonly LogEntry[]} events
 */
function connections(events) {
  const outbound = events.filter((e) => eventData(e)?.['connection'] === 'OUTBOUND').length;
  const inbound = events.length - outbound;
  if (outbound && inbound) return `${outbound} OUTBOUND and ${inbound} INBOUND connections`;
  if (outbound) return `${count(outbound, 'OUTBOUND connection')}`;
  return inbound ? `${count(inbound, 'INBOUND connection')}` : '';
}

/**
 * Parts of a sentence in the order they happened: `a, b, then c`.
 * @param {string[]} parts
 */
function then(parts) {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')}, then ${parts.at(-1)}`;
}

/**
 * What a cascade's events did, in order of importance, leaving out the ones the head already says.
 * @param {readonly LogEntry[]} events
 * @param {Set<string>} said
 * @returns {string[]}
 */
function consequences(events, said) {
  /** @type {(name: string) => LogEntry[]} */
  const of = (name) => (said.has(name) ? [] : events.filter((e) => e.name === name));
  /** @type {string[]} */
  const out = [];
  const opened = connections(of('webrtcConnectionCreated'));
  if (opened) out.push(`${opened} opened`);
  const closed = connections(of('webrtcConnectionDestroyed'));
  if (closed) out.push(`${closed} closed`);
  const joined = of('participantJoined').map((e) =>
    personName(text(eventData(e)?.['connectionId'] ?? eventData(e)?.['participantId'])),
  );
  if (joined.length)
    out.push(`${joined.length > 3 ? count(joined.length, 'person', 'people') : list(joined)} joined`);
  const left = of('participantLeft').map((e) =>
    personName(text(eventData(e)?.['connectionId'] ?? eventData(e)?.['participantId'])),
  );
  if (left.length) out.push(`${left.length > 3 ? count(left.length, 'person', 'people') : list(left)} left`);
  /** @type {Map<string, string[]>} */
  const recs = new Map();
  for (const e of of('recordingStatusChanged')) {
    const d = eventData(e);
    const id = text(d?.['id']);
    recs.set(id, [...(recs.get(id) ?? []), text(d?.['status'])]);
  }
  for (const [id, st] of recs) out.push(`recording ${recordingName(id)} ${st.join(' → ')}`);
  if (of('broadcastStopped').length) out.push('the broadcast ended');
  if (of('broadcastStarted').length) out.push('the broadcast started');
  /** @type {Map<string, string[]>} */
  const nodes = new Map();
  for (const e of of('mediaNodeStatusChanged')) {
    const d = eventData(e);
    const id = text(d?.['id']);
    nodes.set(id, [...(nodes.get(id) ?? [text(d?.['oldStatus'] ?? 'new')]), text(d?.['newStatus'])]);
  }
  for (const [id, st] of nodes) out.push(`${nodeName(id)} ${st.join(' → ')}`);
  for (const e of of('sessionDestroyed')) {
    const d = eventData(e);
    out.push(`session ${sessionName(text(d?.['uniqueSessionId'] ?? d?.['sessionId']))} closed`);
  }
  for (const e of of('sessionCreated'))
    out.push(`session ${sessionName(text(eventData(e)?.['uniqueSessionId']))} was created`);
  if (of('signalSent').length) out.push('a signal was delivered');
  if (of('autoscaling').length) out.push('the autoscaler decided');
  return out;
}

/**
 * The cascade of an action: what the action did, then what followed.
 * @param {Extract<import('./model.js').CauseView, {kind: 'action'}>} cause
 * @param {readonly LogEntry[]} events
 */
function actionSentence(cause, events) {
  const head = capital(actionWords(cause.type, cause.args, true));
  if (['leave', 'forceDisconnect'].includes(cause.type)) {
    const left = events.find((e) => e.name === 'participantLeft');
    const leaver = left
      ? (eventData(left)?.['connectionId'] ?? eventData(left)?.['participantId'])
      : undefined;
    const destroyed = events.filter((e) => e.name === 'webrtcConnectionDestroyed');
    const own = destroyed.filter(
      (e) => (eventData(e)?.['connectionId'] ?? eventData(e)?.['participantId']) === leaver,
    );
    const others = destroyed.length - own.length;
    const theirs = own.length === 1 ? 'their media connection' : `their ${own.length} media connections`;
    const receiving = others
      ? `${count(others, 'INBOUND connection')} receiving ${personName(text(leaver))}`
      : '';
    const closedWords = [own.length ? theirs : '', receiving].filter(Boolean).join(' and ');
    const saysLeft =
      cause.type === 'leave' && /** @type {Args} */ (cause.args ?? {})['reason'] !== 'networkDisconnect';
    const rest = consequences(events, new Set(['webrtcConnectionDestroyed', 'participantLeft']));
    const all = [
      ...(closedWords ? [`${closedWords} closed`] : []),
      ...(saysLeft ? [] : ['they left']),
      ...rest,
    ];
    return all.length ? `${head}: ${then(all)}` : head;
  }
  /** @type {Record<string, string[]>} */
  const main = {
    createSession: ['sessionCreated'],
    join: ['participantJoined'],
    publish: [],
    signal: ['signalSent'],
    stopRecording: ['recordingStatusChanged'],
    launchMediaNode: ['mediaNodeStatusChanged'],
    filterEvent: ['filterEventDispatched'],
    startBroadcast: ['broadcastStarted'],
    stopBroadcast: ['broadcastStopped'],
    registerMasterNode: ['HANodeRegistered'],
    deregisterMasterNode: ['HANodeDeregistered'],
  };
  const rest = consequences(events, new Set(main[cause.type] ?? []));
  if (cause.type === 'signal') {
    const sent = events.find((e) => e.name === 'signalSent');
    const to = sent ? eventData(sent)?.['to'] : undefined;
    return Array.isArray(to) ? `${head} (${count(to.length, 'recipient')})` : head;
  }
  return rest.length ? `${head}: ${then(rest)}` : head;
}

/**
 * A cascade OpenVidu started by itself (a timer): said from its first event.
 * @param {readonly LogEntry[]} events
 */
function timerSentence(events) {
  const first = events[0];
  if (!first) return 'OpenVidu acted by itself';
  const d = eventData(first) ?? {};
  const rest = (/** @type {string[]} */ said) => consequences(events, new Set(said));
  switch (first.name) {
    case 'nodeCrashed': {
      const retry = store.state?.openvidu.cluster?.silentRetryMs;
      const wait = retry === undefined ? '' : ` for ${duration(retry)}`;
      const tail = rest(['nodeCrashed']);
      return `${nodeName(text(d['id']))} did not answer${wait}: OpenVidu declared it crashed${tail.length ? `: ${then(tail)}` : ''}`;
    }
    case 'nodeRecovered':
      return `${nodeName(text(d['id']))} answers again: it stays in the cluster`;
    case 'mediaNodeStatusChanged':
      return `Media node ${then(rest([]))}`;
    case 'autoscaling':
      return `The autoscaler decided: ${text(d['reason'])}`;
    case 'recordingStatusChanged':
      if (d['reason'] === 'automaticStop')
        return `Nobody published for the auto-stop timeout: ${then(rest([]))}`;
      return capital(then(rest([])));
    case 'sessionDestroyed':
      return `Session ${sessionName(text(d['uniqueSessionId'] ?? d['sessionId']))} closed by itself (${text(d['reason'])})`;
    default: {
      const all = rest([]);
      return all.length ? `OpenVidu, by itself: ${then(all)}` : `OpenVidu, by itself: ${first.name}`;
    }
  }
}

/**
 * The title of a cascade in the log: one sentence.
 * @param {Cascade} c
 */
export function cascadeSentence(c) {
  return c.cause.kind === 'action' ? actionSentence(c.cause, c.events) : timerSentence(c.events);
}

/** Who caused a cascade, in a word or two. @param {Cascade} c */
export function causeLabel(c) {
  if (c.cause.kind === 'timer') return 'OpenVidu';
  return c.cause.origin === 'scenario' ? `Step ${(c.cause.step ?? 0) + 1}` : 'You';
}

/**
 * The event of a cascade worth explaining: the one its cause is about, else the first.
 * @param {Cascade} c
 * @returns {LogEntry | undefined}
 */
export function keyEvent(c) {
  /** @type {Record<string, string>} */
  const about = {
    leave: 'participantLeft',
    forceDisconnect: 'participantLeft',
    closeSession: 'sessionDestroyed',
    stopServer: 'sessionDestroyed',
    mediaServerCrash: 'sessionDestroyed',
    mediaServerReconnect: 'webrtcConnectionDestroyed',
    publish: 'webrtcConnectionCreated',
    unpublish: 'webrtcConnectionDestroyed',
    forceUnpublish: 'webrtcConnectionDestroyed',
  };
  const name = c.cause.kind === 'action' ? about[c.cause.type] : undefined;
  return (name && c.events.find((e) => e.name === name)) || c.events[0];
}

/**
 * What the key event of a cascade means, and why (its reason), in plain words.
 * @param {Cascade} c
 */
export function cascadeMeaning(c) {
  const e = keyEvent(c);
  if (!e) return '';
  const help = eventHelp(e.name).short;
  const reason = text(eventData(e)?.['reason']);
  const why =
    reason && e.name !== 'autoscaling' && REASON_HELP[reason]
      ? ` Reason ${reason}: ${REASON_HELP[reason]}.`
      : '';
  return `${e.name}: ${help}${why}`;
}

/**
 * The "next step" banner's words while paused with steps queued; '' when there is nothing to say.
 * @param {import('./model.js').PageState} st
 */
export function nextStepWords(st) {
  if (st.snapshot.stopped) return '';
  const step = st.nextStep;
  const now = st.clock.virtualNow;
  const when = (/** @type {number} */ at) =>
    at > now ? `at ${shortTime(at)}, in ${duration(at - now)} of virtual time` : `now (${shortTime(at)})`;
  const timerFirst = st.nextAt !== null && (step === null || st.nextAt < step.at);
  const timer =
    timerFirst && st.nextAt !== null
      ? `First OpenVidu acts by itself ${when(st.nextAt)} (one of its timers). `
      : '';
  if (!step) return timer ? `${timer}The scenario has no more steps.` : '';
  const n = st.scenario.steps;
  return `${timer}Step ${step.index + 1} of ${n}, ${when(step.at)}: ${actionWords(step.type, step.args, false)}.`;
}
