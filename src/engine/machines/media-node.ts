/**
 * The media node machine of an OpenVidu Pro cluster (spec §8): a node's identity, its status transitions and their
 * guards, its launch, and the facts of its faults. Only the cluster's partition acts on nodes (see ClusterRecord).
 */
import type { MediaNodeId, NodeStatus } from '../../model/entities.js';
import { JavaConcurrentHashMapKeys } from '../../model/java.js';
import {
  newTimer,
  type MediaNodeRecord,
  type Partition,
  type SessionRecord,
  type TimerRecord,
} from '../records.js';
import type { Rng } from '../rng.js';
import type { Step } from '../step.js';
import type { ClusterRecord } from '../world.js';

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

/** A node that takes sessions and load: running or winding down, and answering. */
export function isServing(n: MediaNodeRecord): boolean {
  return n.status === 'running' || n.status === 'waiting-idle-to-terminate';
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

export function nodeByHandle(ctx: Step, cluster: ClusterRecord, handle: string): MediaNodeRecord {
  return cluster.nodes.get(handle) ?? ctx.refuse('not-found', `unknown media node "${handle}"`);
}

/** A new node, `launching`. */
export function addNode(ctx: Step, cluster: ClusterRecord, handle: string): MediaNodeRecord {
  if (cluster.nodes.has(handle))
    ctx.refuse('handle-in-use', `media node handle "${handle}" is already in use`);
  const identity = drawNodeIdentity(cluster.rng, ctx.world.settings.modernNodeIds);
  const node: MediaNodeRecord = {
    handle,
    id: identity.id as MediaNodeId,
    environmentId: identity.environmentId,
    ip: identity.ip,
    uri: `ws://${identity.ip}:8888/kurento`,
    clusterId: cluster.clusterId,
    status: 'launching',
    launchSeq: cluster.launchCounter++,
    sessions: new Set<SessionRecord>(),
    kurentoSessions: new JavaConcurrentHashMapKeys(),
    planned: new Set<Partition>(),
    crashed: false,
    crash: undefined,
    launchTimer: undefined,
    faultTimers: [],
  };
  cluster.nodes.set(handle, node);
  ctx.emit({ type: 'mediaNodeStatus', at: ctx.stamp(), node, newStatus: 'launching', oldStatus: null });
  return node;
}

/** A status change of spec §8 (refused otherwise); a terminated or failed node is forgotten. */
export function transitionNode(
  ctx: Step,
  cluster: ClusterRecord,
  node: MediaNodeRecord,
  to: NodeStatus,
): void {
  const from = node.status;
  if (!NODE_TRANSITIONS[from].includes(to)) {
    ctx.refuse('illegal-transition', `media node "${node.handle}" cannot go from ${from} to ${to}`);
  }
  node.status = to;
  ctx.emit({ type: 'mediaNodeStatus', at: ctx.stamp(), node, newStatus: to, oldStatus: from });
  if (to === 'terminated' || to === 'failed') {
    for (const t of node.faultTimers) t.cancelled = true;
    cluster.nodes.delete(node.handle);
  }
}

/** `terminating`, then `terminated`. */
export function terminateNode(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord): void {
  transitionNode(ctx, cluster, node, 'terminating');
  transitionNode(ctx, cluster, node, 'terminated');
}

/** `launchMediaNode`: `launching`, then `running` (or `failed`) after the launch delay (default 30–90 s). */
export function launchNode(
  ctx: Step,
  cluster: ClusterRecord,
  handle: string,
  delayMs: number | undefined,
  fails: boolean,
): MediaNodeRecord {
  const node = addNode(ctx, cluster, handle);
  armLaunch(ctx, cluster, node, delayMs ?? cluster.rng.int(30_000, 90_000), fails);
  return node;
}

export function armLaunch(
  ctx: Step,
  cluster: ClusterRecord,
  node: MediaNodeRecord,
  delayMs = cluster.rng.int(30_000, 90_000),
  fails = false,
): void {
  node.launchTimer = ctx.setTimer(delayMs, newTimer({ kind: 'node-launched', node, fails }));
}

/** The launch completed: `running` (or `failed`); a node canceled meanwhile terminates now. */
export function launched(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord, fails: boolean): void {
  node.launchTimer = undefined;
  if (node.status === 'canceled') terminateNode(ctx, cluster, node);
  else if (node.status === 'launching') transitionNode(ctx, cluster, node, fails ? 'failed' : 'running');
}

/** Refuses a REST PATCH OpenVidu does not accept from the node's status. */
export function checkPatch(ctx: Step, node: MediaNodeRecord, to: NodeStatus): void {
  const allowedFrom = PATCH_TARGETS[to] ?? [];
  if (!allowedFrom.includes(node.status)) {
    ctx.refuse(
      'patch-not-allowed',
      `media node "${node.handle}" is ${node.status}: PATCH to ${to} is only allowed from ` +
        `${allowedFrom.join(' or ') || 'nowhere'}`,
    );
  }
}

/** Refuses a crash of a node that is not serving, or already crashed. */
export function checkCrash(ctx: Step, node: MediaNodeRecord): void {
  if (!isServing(node)) {
    ctx.refuse(
      'node-not-running',
      `media node "${node.handle}" is ${node.status}: only a running node can crash`,
    );
  }
  if (node.crashed) ctx.refuse('node-already-crashed', `media node "${node.handle}" has already crashed`);
}

/** `nodeCrashed`, listing what the node hosts, in the order OpenVidu lists them. */
export function emitNodeCrashed(ctx: Step, node: MediaNodeRecord, sessions: readonly SessionRecord[]): void {
  const sessionIds: string[] = [];
  const recordingIds: string[] = [];
  const broadcasts: string[] = [];
  for (const s of sessions) {
    sessionIds.push(s.sessionId);
    if (s.recording !== undefined) recordingIds.push(s.recording.id);
    if (s.broadcast !== undefined) broadcasts.push(s.sessionId);
  }
  ctx.emit({ type: 'nodeCrashed', at: ctx.stamp(), node, sessionIds, recordingIds, broadcasts });
}

/** The node answers again: `nodeRecovered` (its sessions were lost all the same). */
export function recovered(ctx: Step, node: MediaNodeRecord): void {
  node.crashed = false;
  node.crash = undefined;
  ctx.emit({ type: 'nodeRecovered', at: ctx.stamp(), node });
}

/** A node's sessions in the order of OpenVidu's `kms.getKurentoSessions()`, which a crash lists and closes them in. */
export function kurentoOrder(node: MediaNodeRecord): SessionRecord[] {
  const byId = new Map<string, SessionRecord>();
  for (const s of node.sessions) byId.set(s.sessionId, s);
  return node.kurentoSessions.keys().flatMap((id) => byId.get(id) ?? []);
}

/** A fault timer of the node, cancelled when the node is forgotten. */
export function setFaultTimer(ctx: Step, node: MediaNodeRecord, delayMs: number, t: TimerRecord): void {
  node.faultTimers.push(ctx.setTimer(delayMs, t));
}
