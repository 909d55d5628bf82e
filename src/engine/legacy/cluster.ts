/**
 * The OpenVidu Pro cluster: media nodes and their status machine (spec §8), the load model and the autoscaling that
 * reads it, and node faults (§4.8). The engine owns sessions; this module owns nodes and asks the engine, through
 * `ClusterHost`, to close the sessions a node takes down with it.
 */
import { OvsimError, withoutStack } from '../../errors.js';
import type { EventData, EventName } from '../../model/catalogue.js';
import { JavaConcurrentHashMapKeys } from '../../model/java.js';
import { JavaDouble } from '../../model/profile.js';
import type { Rng } from '../rng.js';
import type { SessionState, Timer } from './state.js';

export type NodeStatus =
  | 'launching'
  | 'canceled'
  | 'failed'
  | 'running'
  | 'waiting-idle-to-terminate'
  | 'terminating'
  | 'terminated';

/** Legal transitions of spec §8 (entry is `null → launching`). */
export const NODE_TRANSITIONS: Readonly<Record<NodeStatus, readonly NodeStatus[]>> = {
  launching: ['running', 'failed', 'canceled'],
  canceled: ['launching', 'terminating'],
  failed: [],
  running: ['waiting-idle-to-terminate', 'terminating'],
  'waiting-idle-to-terminate': ['running', 'terminating'],
  terminating: ['terminated'],
  terminated: [],
};

/** The statuses the REST `PATCH /media-nodes/{id}` accepts, each with the statuses it is accepted from. */
export const PATCH_TARGETS: Readonly<Record<string, readonly NodeStatus[]>> = {
  canceled: ['launching'],
  launching: ['canceled'],
  'waiting-idle-to-terminate': ['running'],
  running: ['waiting-idle-to-terminate'],
  terminating: ['running', 'waiting-idle-to-terminate'],
};

export interface MediaNodeState {
  readonly handle: string;
  readonly id: string;
  readonly environmentId: string;
  readonly ip: string;
  readonly uri: string;
  status: NodeStatus;
  /** Order of launch, for "oldest first". */
  readonly launchSeq: number;
  /** Sessions hosted (placed at their first join). */
  readonly sessions: Set<SessionState>;
  /** Their ids as OpenVidu's `Kms.kurentoSessions` (a ConcurrentHashMap) holds them: the order a crash lists them. */
  readonly kurentoSessions: JavaConcurrentHashMapKeys;
  /** Lost and not (yet) recovered: no new sessions. */
  crashed: boolean;
  /** A canceled node terminates when its launch would have completed. */
  launchTimer: Timer | undefined;
  faultTimers: Timer[];
}

export interface ClusterConfig {
  readonly id: string | undefined;
  /** Initial node count, or their handles. */
  readonly mediaNodes: number | readonly string[];
  /** Seconds; -1 = infinite. */
  readonly reconnectionTimeout: number | undefined;
  readonly loadInterval: number;
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minNodes: number;
    readonly maxNodes: number;
    /** Percent. */
    readonly minLoad: number;
    /** Percent. */
    readonly maxLoad: number;
  };
}

/** What a node hosted when it crashed, as `nodeCrashed` lists it. */
export interface HostedActivity {
  readonly sessionIds: string[];
  readonly recordingIds: string[];
  readonly broadcasts: string[];
}

/** What `sessions` hold, in their order, as `nodeCrashed` lists it. */
export function activityOf(
  sessions: Iterable<SessionState>,
  host: Pick<ClusterHost, 'activity'>,
): HostedActivity {
  const activity: HostedActivity = { sessionIds: [], recordingIds: [], broadcasts: [] };
  for (const s of sessions) {
    activity.sessionIds.push(s.sessionId);
    const a = host.activity(s);
    if (a.recordingId !== undefined) activity.recordingIds.push(a.recordingId);
    if (a.broadcasting) activity.broadcasts.push(s.sessionId);
  }
  return activity;
}

/** A node's sessions in the order of OpenVidu's `kms.getKurentoSessions()`, which a crash lists and closes them in. */
function kurentoOrder(node: MediaNodeState): SessionState[] {
  const byId = new Map<string, SessionState>();
  for (const s of node.sessions) byId.set(s.sessionId, s);
  return node.kurentoSessions.keys().flatMap((id) => byId.get(id) ?? []);
}

/**
 * Sessions of the cluster that run in engines of their own (generated Pro runs): what node loads, autoscaling and
 * node termination need to know of them.
 */
export interface HostedSessions {
  /** The load the node's active sessions put on it, in percent. */
  load(nodeId: string): number;
  /** Active sessions on the node. */
  count(nodeId: string): number;
}

/** What the cluster needs from the engine. */
export interface ClusterHost {
  stamp(): number;
  emit<N extends EventName>(name: N, data: EventData<N>): void;
  setTimer(delayMs: number, label: string, fire: () => void, background?: boolean): Timer;
  /** Closes a session with `reason`; `keepRecordingsUnfinished` leaves recordings at `stopped` (Pro crash). */
  closeSession(s: SessionState, reason: string, keepRecordingsUnfinished: boolean): void;
  /** Recording ids in progress and broadcast session ids of a session, for `nodeCrashed`. */
  activity(s: SessionState): { recordingId: string | undefined; broadcasting: boolean };
  /** The load a session puts on its node, in percent. */
  loadOf(s: SessionState): number;
}

function refuse(message: string, status = 409): never {
  throw withoutStack(() => new OvsimError('REFUSED', message, { status }));
}

/** Node ids as OpenVidu Pro writes them: on AWS `media_i-<17 hex>` (2.17+); `kms_<8>` with a container id before. */
function drawNodeIdentity(rng: Rng, modern: boolean): { id: string; environmentId: string; ip: string } {
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
  const ip = `172.31.${rng.int(0, 63)}.${rng.int(2, 254)}`;
  if (modern) {
    const environmentId = `i-${hex(17)}`;
    return { id: `media_${environmentId}`, environmentId, ip };
  }
  return { id: `kms_${rng.upper()}${rng.alphanumeric(7)}`, environmentId: hex(64), ip };
}

export class MediaCluster {
  readonly clusterId: string;
  private readonly nodes = new Map<string, MediaNodeState>();
  private launchCounter = 0;
  private readonly host: ClusterHost;
  private readonly rng: Rng;
  private readonly config: ClusterConfig;
  private readonly modernIds: boolean;
  /** Sessions hosted elsewhere (generated Pro runs), instead of the nodes' own. */
  private hostedSessions: HostedSessions | undefined;

  constructor(host: ClusterHost, rng: Rng, config: ClusterConfig, modernIds: boolean) {
    this.host = host;
    this.rng = rng;
    this.config = config;
    this.modernIds = modernIds;
    this.clusterId = config.id ?? `clu_${rng.upper()}${rng.alphanumeric(9)}`;
  }

  /** Brings up the initial nodes (`launching` → `running` at once) and starts the load sampling. */
  boot(): void {
    const initial = this.config.mediaNodes;
    const handles =
      typeof initial === 'number' ? Array.from({ length: initial }, (_, i) => `node${i + 1}`) : initial;
    for (const handle of handles) {
      const node = this.addNode(handle);
      this.transition(node, 'running');
    }
    if (this.config.autoscaling.enabled) this.scheduleSample();
  }

  /** The nodes' sessions run elsewhere from now on (generated Pro runs): loads and emptiness are asked of `hosted`. */
  hostElsewhere(hosted: HostedSessions): void {
    this.hostedSessions = hosted;
  }

  /** Sessions hosted elsewhere: one on node `nodeId` ended; a node waiting to go idle terminates when it has none. */
  hostedSessionEnded(nodeId: string): void {
    const node = this.list().find((n) => n.id === nodeId);
    if (node?.status === 'waiting-idle-to-terminate' && this.sessionsOn(node) === 0) this.terminate(node);
  }

  private sessionsOn(node: MediaNodeState): number {
    return this.hostedSessions ? this.hostedSessions.count(node.id) : node.sessions.size;
  }

  /** Live nodes in launch order (terminated and failed ones are forgotten). */
  list(): MediaNodeState[] {
    return [...this.nodes.values()];
  }

  node(handle: string): MediaNodeState {
    const n = this.nodes.get(handle);
    if (!n) throw withoutStack(() => new OvsimError('NOT_FOUND', `unknown media node "${handle}"`));
    return n;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Placement

  /** The node for a session's first participant: the pinned one, else the least loaded running node. */
  place(s: SessionState, pinned: string | undefined): MediaNodeState {
    if (pinned !== undefined) {
      const n = this.node(pinned);
      if (n.status !== 'running' || n.crashed) {
        refuse(`media node "${pinned}" is ${n.crashed ? 'crashed' : n.status} and cannot host sessions`);
      }
      n.sessions.add(s);
      n.kurentoSessions.put(s.sessionId);
      return n;
    }
    let best: MediaNodeState | undefined;
    let bestLoad = Infinity;
    for (const n of this.nodes.values()) {
      if (n.status !== 'running' || n.crashed) continue;
      const load = this.loadOfNode(n);
      if (load < bestLoad) {
        best = n;
        bestLoad = load;
      }
    }
    if (!best) refuse('no media node is running to host the session (OpenVidu answers 503)', 503);
    best.sessions.add(s);
    best.kurentoSessions.put(s.sessionId);
    return best;
  }

  /** A hosted session ended: a node waiting to go idle terminates when its last session is gone. */
  release(s: SessionState, node: MediaNodeState): void {
    node.sessions.delete(s);
    node.kurentoSessions.remove(s.sessionId);
    if (node.status === 'waiting-idle-to-terminate' && node.sessions.size === 0) this.terminate(node);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Status machine

  private addNode(handle: string): MediaNodeState {
    if (this.nodes.has(handle)) refuse(`media node handle "${handle}" is already in use`);
    const identity = drawNodeIdentity(this.rng, this.modernIds);
    const node: MediaNodeState = {
      handle,
      ...identity,
      uri: `ws://${identity.ip}:8888/kurento`,
      status: 'launching',
      launchSeq: this.launchCounter++,
      sessions: new Set(),
      kurentoSessions: new JavaConcurrentHashMapKeys(),
      crashed: false,
      launchTimer: undefined,
      faultTimers: [],
    };
    this.nodes.set(handle, node);
    this.emitStatus(node, 'launching', null);
    return node;
  }

  private transition(node: MediaNodeState, to: NodeStatus): void {
    const from = node.status;
    if (!NODE_TRANSITIONS[from].includes(to)) {
      refuse(`media node "${node.handle}" cannot go from ${from} to ${to}`);
    }
    node.status = to;
    this.emitStatus(node, to, from);
    if (to === 'terminated' || to === 'failed') {
      for (const t of node.faultTimers) t.cancelled = true;
      this.nodes.delete(node.handle);
    }
  }

  private emitStatus(node: MediaNodeState, newStatus: NodeStatus, oldStatus: NodeStatus | null): void {
    this.host.emit('mediaNodeStatusChanged', { ...this.nodeEvent(node), newStatus, oldStatus });
  }

  /** The fields every node event starts with (the serializer writes them in the catalogue's order). */
  private nodeEvent(node: MediaNodeState) {
    return {
      timestamp: this.host.stamp(),
      id: node.id,
      environmentId: node.environmentId,
      ip: node.ip,
      uri: node.uri,
      clusterId: this.clusterId,
    };
  }

  /** `launchMediaNode`: `launching`, then `running` (or `failed`) after the launch delay. */
  launch(handle: string, delayMs: number | undefined, fail: boolean): MediaNodeState {
    const node = this.addNode(handle);
    this.armLaunch(node, delayMs ?? this.rng.int(30_000, 90_000), fail);
    return node;
  }

  private armLaunch(node: MediaNodeState, delayMs: number, fail = false): void {
    node.launchTimer = this.host.setTimer(delayMs, `media node ${node.id} launched`, () => {
      node.launchTimer = undefined;
      if (node.status === 'canceled') {
        // A canceled node terminates as soon as its launch completes.
        this.transition(node, 'terminating');
        this.transition(node, 'terminated');
      } else if (node.status === 'launching') {
        this.transition(node, fail ? 'failed' : 'running');
      }
    });
  }

  /** REST PATCH: only OpenVidu's allowed targets. */
  patch(handle: string, to: NodeStatus): void {
    const node = this.node(handle);
    const allowedFrom = PATCH_TARGETS[to] ?? [];
    if (!allowedFrom.includes(node.status)) {
      refuse(
        `media node "${handle}" is ${node.status}: PATCH to ${to} is only allowed from ${allowedFrom.join(' or ') || 'nowhere'} (OpenVidu answers 409)`,
      );
    }
    switch (to) {
      case 'canceled':
        this.transition(node, 'canceled');
        return;
      case 'launching':
        this.transition(node, 'launching');
        if (!node.launchTimer) this.armLaunch(node, this.rng.int(30_000, 90_000));
        return;
      case 'waiting-idle-to-terminate':
        this.transition(node, 'waiting-idle-to-terminate');
        if (node.sessions.size === 0) this.terminate(node);
        return;
      case 'running':
        this.transition(node, 'running');
        return;
      case 'terminating':
        this.removeNow(node);
        return;
      default:
        refuse(`PATCH to ${to} is not allowed`);
    }
  }

  /** REST DELETE with a deletion strategy. */
  remove(handle: string, strategy: 'now' | 'if-no-sessions' | 'when-no-sessions'): void {
    const node = this.node(handle);
    if (node.status === 'launching' || node.status === 'canceled') {
      if (node.status === 'launching') this.transition(node, 'canceled');
      return;
    }
    if (node.status !== 'running' && node.status !== 'waiting-idle-to-terminate') {
      refuse(`media node "${handle}" is ${node.status} and cannot be removed`);
    }
    if (strategy === 'now') return this.removeNow(node);
    if (node.sessions.size === 0) return this.terminate(node);
    if (strategy === 'if-no-sessions') {
      refuse(`media node "${handle}" hosts ${node.sessions.size} session(s) (OpenVidu answers 409)`);
    }
    if (node.status === 'running') this.transition(node, 'waiting-idle-to-terminate');
  }

  /** `terminating`, every hosted session closed with `mediaServerDisconnect`, then `terminated` (§4.8). */
  private removeNow(node: MediaNodeState): void {
    this.transition(node, 'terminating');
    for (const s of [...node.sessions]) this.host.closeSession(s, 'mediaServerDisconnect', false);
    this.transition(node, 'terminated');
  }

  private terminate(node: MediaNodeState): void {
    this.transition(node, 'terminating');
    this.transition(node, 'terminated');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Faults

  /**
   * The node stops answering. After OpenVidu's 3 s of silent retries: `nodeCrashed`. If it comes back within the
   * reconnection timeout: its sessions were lost (closed with `nodeCrashed`, recordings left at `stopped`) and
   * `nodeRecovered` follows. Otherwise, at the timeout: `terminating`, the sessions closed, `terminated`.
   */
  crash(handle: string, recoverAfterMs: number | undefined): void {
    const node = this.node(handle);
    if (node.status !== 'running' && node.status !== 'waiting-idle-to-terminate') {
      refuse(`media node "${handle}" is ${node.status}: only a running node can crash`);
    }
    if (node.crashed) refuse(`media node "${handle}" has already crashed`);
    node.crashed = true;
    const silentRetryMs = 3000;
    if (recoverAfterMs !== undefined && recoverAfterMs <= silentRetryMs) {
      // Reconnected to the same process within OpenVidu's silent retries: nothing is logged.
      node.faultTimers.push(
        this.host.setTimer(recoverAfterMs, `media node ${node.id} back`, () => (node.crashed = false)),
      );
      return;
    }
    const timeoutS = this.reconnectionTimeout();
    const terminateAfterMs = timeoutS < 0 ? undefined : Math.max(3, timeoutS) * 1000;
    const recovers =
      recoverAfterMs !== undefined && (terminateAfterMs === undefined || recoverAfterMs < terminateAfterMs);
    node.faultTimers.push(
      this.host.setTimer(silentRetryMs, `media node ${node.id} crashed`, () => {
        this.emitCrashed(node);
        if (recovers || terminateAfterMs === undefined || terminateAfterMs <= silentRetryMs) {
          if (terminateAfterMs !== undefined && terminateAfterMs <= silentRetryMs && !recovers) {
            this.transition(node, 'terminating');
          }
          for (const s of kurentoOrder(node)) this.host.closeSession(s, 'nodeCrashed', true);
          if (node.status === 'terminating') this.transition(node, 'terminated');
        }
      }),
    );
    if (recovers) {
      node.faultTimers.push(
        this.host.setTimer(recoverAfterMs, `media node ${node.id} recovered`, () => this.recovered(node)),
      );
    } else if (terminateAfterMs !== undefined && terminateAfterMs > silentRetryMs) {
      node.faultTimers.push(
        this.host.setTimer(terminateAfterMs, `media node ${node.id} given up`, () => {
          this.transition(node, 'terminating');
          for (const s of kurentoOrder(node)) this.host.closeSession(s, 'nodeCrashed', true);
          this.transition(node, 'terminated');
        }),
      );
    }
  }

  /**
   * A crash whose sessions run elsewhere (generated Pro runs, see Engine.crashHostingNode): `nodeCrashed` lists
   * `hosted`. With `terminate` (the reconnection timeout is already over, as with autoscaling's 3 s) the node goes
   * `terminating`, and `terminated` once its sessions are closed (`terminateCrashedHosting`); otherwise there is no
   * status change, until `recoverHosting`.
   */
  crashHosting(nodeId: string, hosted: HostedActivity, terminate = false): void {
    const node = this.list().find((n) => n.id === nodeId);
    if (!node) refuse(`no media node with id "${nodeId}"`);
    if (node.status !== 'running' || node.crashed) refuse(`media node "${node.handle}" is not running`);
    node.crashed = true;
    this.emitCrashed(node, hosted);
    if (terminate) this.transition(node, 'terminating');
  }

  /** The node of a terminating `crashHosting`, its sessions closed: `terminated` (and forgotten). */
  terminateCrashedHosting(nodeId: string): void {
    const node = this.list().find((n) => n.id === nodeId);
    if (node?.status !== 'terminating' || !node.crashed)
      refuse(`media node "${nodeId}" is not terminating after a crash`);
    this.transition(node, 'terminated');
  }

  /** The node of a `crashHosting` answers again: `nodeRecovered` (its sessions were lost all the same). */
  recoverHosting(nodeId: string): void {
    const node = this.list().find((n) => n.id === nodeId);
    if (!node?.crashed) refuse(`media node "${nodeId}" has not crashed`);
    this.recovered(node);
  }

  private recovered(node: MediaNodeState): void {
    node.crashed = false;
    this.host.emit('nodeRecovered', { ...this.nodeEvent(node), nodeRole: 'medianode' });
  }

  /** `nodeCrashed`, listing what the node hosts (its own sessions, or `hosted` when they run elsewhere). */
  private emitCrashed(node: MediaNodeState, hosted?: HostedActivity): void {
    const { sessionIds, recordingIds, broadcasts } = hosted ?? activityOf(kurentoOrder(node), this.host);
    this.host.emit('nodeCrashed', {
      ...this.nodeEvent(node),
      nodeRole: 'medianode',
      sessionIds,
      recordingIds,
      broadcasts,
    });
  }

  /** OpenVidu's media node reconnection timeout in seconds (-1: infinite, the default without autoscaling). */
  reconnectionTimeout(): number {
    return this.config.reconnectionTimeout ?? (this.config.autoscaling.enabled ? 3 : -1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Load and autoscaling

  /** Load of a node in percent (0–100), from the sessions it hosts. */
  loadOfNode(node: MediaNodeState): number {
    if (node.status !== 'running' && node.status !== 'waiting-idle-to-terminate') return 0;
    let load = 0.8;
    if (this.hostedSessions) load += this.hostedSessions.load(node.id);
    else for (const s of node.sessions) load += this.host.loadOf(s);
    return Math.min(100, Math.round(load * 100) / 100);
  }

  private scheduleSample(): void {
    const ms = this.config.loadInterval * 1000;
    this.host.setTimer(
      ms,
      'autoscaling load sample',
      () => {
        this.autoscale();
        this.scheduleSample();
      },
      true,
    );
  }

  /** One autoscaling decision (OpenVidu's priorities, spec §8); emits `autoscaling` then the status changes. */
  autoscale(): void {
    const a = this.config.autoscaling;
    const all = this.list();
    const running = all.filter((n) => n.status === 'running' && !n.crashed);
    const launching = all.filter((n) => n.status === 'launching');
    const waiting = all.filter((n) => n.status === 'waiting-idle-to-terminate');
    const canceled = all.filter((n) => n.status === 'canceled');
    const active = running.length + launching.length;
    const totalLoad = round2(running.reduce((sum, n) => sum + this.loadOfNode(n), 0));
    const avgLoad = running.length > 0 ? round2(totalLoad / running.length) : 0;
    const limits = `[${a.minLoad.toFixed(2)}%, ${a.maxLoad.toFixed(2)}%]`;
    const current = `Current number of active nodes is ${active} (${launching.length} launching and ${running.length} running).`;

    let grow = 0;
    let shrink = 0;
    let reason: string;
    if (active < a.minNodes) {
      grow = a.minNodes - active;
      reason = `The number of active Media Nodes (${active}) is below the lower limit of Media Nodes (${a.minNodes}). ${current}`;
    } else if (running.length > 0 && avgLoad > a.maxLoad && active < a.maxNodes) {
      // Nodes already launching count: only launch what the load still needs.
      grow = Math.min(a.maxNodes - active, Math.ceil(totalLoad / a.maxLoad) - active);
      reason = `The cluster average load (${avgLoad.toFixed(2)}%) is above its limits ${limits} and the upper limit of Media Nodes (${a.maxNodes}) has not been reached. ${current}`;
    } else if (avgLoad < a.minLoad && active > a.minNodes) {
      shrink = active - Math.max(a.minNodes, Math.ceil(totalLoad / a.maxLoad), 1);
      reason = `The cluster average load (${avgLoad.toFixed(2)}%) is below its limits ${limits} and the lower limit of Media Nodes (${a.minNodes}) has not been reached. ${current}`;
    } else {
      return;
    }
    if (grow <= 0 && shrink <= 0) return;

    // Decide with OpenVidu's priorities.
    const reuseWaiting = waiting.slice(0, grow);
    const relaunch = canceled.sort((x, y) => x.launchSeq - y.launchSeq).slice(0, grow - reuseWaiting.length);
    const newNodes = grow - reuseWaiting.length - relaunch.length;
    const cancel = [...launching].sort((x, y) => y.launchSeq - x.launchSeq).slice(0, shrink);
    const stop = running
      .map((n) => ({ n, load: this.loadOfNode(n) }))
      .sort((x, y) => x.load - y.load || x.n.launchSeq - y.n.launchSeq)
      .slice(0, shrink - cancel.length)
      .map((x) => x.n);

    const parts: string[] = [];
    if (newNodes > 0) parts.push(`${newNodes} new Media Nodes will be launched.`);
    if (reuseWaiting.length > 0)
      parts.push(`${reuseWaiting.length} waiting-idle-to-terminate Media Nodes will be set to running.`);
    if (relaunch.length > 0) parts.push(`${relaunch.length} canceled Media Nodes will be launched again.`);
    if (cancel.length > 0) parts.push(`${cancel.length} launching Media Nodes will be canceled.`);
    if (stop.length > 0) parts.push(`${stop.length} Media Nodes will be terminated.`);
    if (parts.length === 0) return;

    const view = (n: MediaNodeState) => ({
      id: n.id,
      environmentId: n.status === 'launching' ? null : n.environmentId,
      ip: n.status === 'launching' ? null : n.ip,
      load: new JavaDouble(this.loadOfNode(n)),
      status: n.status,
    });
    this.host.emit('autoscaling', {
      timestamp: this.host.stamp(),
      clusterId: this.clusterId,
      reason: `${reason} ${parts.join(' ')}`,
      mediaNodes: {
        launch: {
          total: grow,
          newNodes,
          waitingIdleToTerminateNodes: reuseWaiting.map(view),
          canceledNodes: relaunch.map(view),
        },
        terminate: {
          total: cancel.length + stop.length,
          runningNodes: stop.map(view),
          launchingNodes: cancel.map(view),
        },
      },
      system: {
        config: {
          maxNodes: a.maxNodes,
          minNodes: a.minNodes,
          maxAvgLoad: new JavaDouble(a.maxLoad),
          minAvgLoad: new JavaDouble(a.minLoad),
        },
        status: {
          numNodes: active,
          totalLoad: new JavaDouble(totalLoad),
          avgLoad: new JavaDouble(avgLoad),
          runningNodes: running.map(view),
          launchingNodes: launching.map(view),
          waitingIdleToTerminateNodes: waiting.map(view),
          canceledNodes: canceled.map(view),
        },
      },
    });
    for (const n of reuseWaiting) this.transition(n, 'running');
    for (const n of relaunch) {
      this.transition(n, 'launching');
      if (!n.launchTimer) this.armLaunch(n, this.rng.int(30_000, 90_000));
    }
    for (let i = 0; i < newNodes; i++) this.launch(`auto${this.launchCounter + 1}`, undefined, false);
    for (const n of cancel) this.transition(n, 'canceled');
    for (const n of stop) {
      if (this.sessionsOn(n) === 0) this.terminate(n);
      else this.transition(n, 'waiting-idle-to-terminate');
    }
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
