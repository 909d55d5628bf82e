/**
 * The cluster machine of OpenVidu Pro: its settings, its boot, where sessions go (placement) and what they weigh (the
 * load model autoscaling reads). Nodes are the media-node machine's; autoscaling decisions are autoscaling.ts's.
 */
import type { Step } from '../step.js';
import type { MediaNodeRecord, Partition, SessionRecord } from '../records.js';
import { newTimer } from '../records.js';
import type { Rng } from '../rng.js';
import type { ClusterConfig, ClusterRecord } from '../world.js';
import { addNode, isServing, nodeByHandle, terminateNode, transitionNode } from './media-node.js';

/** OpenVidu's defaults: one node, no autoscaling, a load sample every 10 s. */
export const DEFAULT_CLUSTER: ClusterConfig = {
  id: undefined,
  mediaNodes: 1,
  reconnectionTimeout: undefined,
  loadInterval: 10,
  autoscaling: { enabled: false, minNodes: 1, maxNodes: 2, minLoad: 20, maxLoad: 70 },
};

/** The settings given, OpenVidu's defaults filled in. */
export function clusterConfig(c: Partial<ClusterConfig> = {}): ClusterConfig {
  return { ...DEFAULT_CLUSTER, ...c, autoscaling: { ...DEFAULT_CLUSTER.autoscaling, ...c.autoscaling } };
}

/** A cluster whose work runs in `partition`; its id is drawn now (unless configured). */
export function createCluster(partition: Partition, rng: Rng, config: ClusterConfig): ClusterRecord {
  return {
    clusterId: config.id ?? `clu_${rng.upper()}${rng.alphanumeric(9)}`,
    config,
    nodes: new Map(),
    launchCounter: 0,
    rng,
    partition,
    booted: false,
    waiting: new Set(),
  };
}

/** Brings up the initial nodes (`launching` → `running` at once) and starts the load sampling. */
export function bootCluster(ctx: Step, cluster: ClusterRecord): void {
  if (cluster.booted) return;
  cluster.booted = true;
  const initial = cluster.config.mediaNodes;
  const handles =
    typeof initial === 'number' ? Array.from({ length: initial }, (_, i) => `node${i + 1}`) : initial;
  for (const handle of handles) transitionNode(ctx, cluster, addNode(ctx, cluster, handle), 'running');
  if (cluster.config.autoscaling.enabled) scheduleSample(ctx, cluster);
}

export function scheduleSample(ctx: Step, cluster: ClusterRecord): void {
  ctx.setTimer(cluster.config.loadInterval * 1000, newTimer({ kind: 'autoscaling-sample' }, true));
}

/** OpenVidu's media node reconnection timeout in seconds (-1: infinite, the default without autoscaling). */
export function reconnectionTimeout(cluster: ClusterRecord): number {
  return cluster.config.reconnectionTimeout ?? (cluster.config.autoscaling.enabled ? 3 : -1);
}

/** Nodes that take new sessions (running and answering), in launch order. */
export function runningNodes(cluster: ClusterRecord): MediaNodeRecord[] {
  const out: MediaNodeRecord[] = [];
  for (const n of cluster.nodes.values()) if (n.status === 'running' && !n.crashed) out.push(n);
  return out;
}

/**
 * The node for a session's first participant: the pinned one; in generated runs the one its partition was planned
 * on (see planPartition); else the least loaded running node. Refused when none can take it.
 */
export function placeSession(ctx: Step, cluster: ClusterRecord, s: SessionRecord): MediaNodeRecord {
  let node: MediaNodeRecord | undefined;
  if (s.pinnedNode !== undefined) {
    node = nodeByHandle(ctx, cluster, s.pinnedNode);
    if (node.status !== 'running' || node.crashed) {
      ctx.refuse(
        'node-unavailable',
        `media node "${s.pinnedNode}" is ${node.crashed ? 'crashed' : node.status} and cannot host sessions`,
      );
    }
  } else if (s.partition.plannedNode !== undefined) {
    node = s.partition.plannedNode;
    node.planned.delete(s.partition);
  } else {
    let bestLoad = Infinity;
    for (const n of cluster.nodes.values()) {
      if (n.status !== 'running' || n.crashed) continue;
      const load = loadOfNode(n);
      if (load < bestLoad) {
        node = n;
        bestLoad = load;
      }
    }
    if (!node) ctx.refuse('no-media-node', 'no media node is running to host the session');
  }
  node.sessions.add(s);
  node.kurentoSessions.put(s.sessionId);
  return node;
}

/**
 * A hosted session ended: off its node, and a node waiting to go idle terminates with its last session — as the
 * cluster's own work, stamped at the session's end.
 */
export function releaseSession(ctx: Step, cluster: ClusterRecord, s: SessionRecord): void {
  const node = s.node;
  if (node === undefined) return;
  node.sessions.delete(s);
  node.kurentoSessions.remove(s.sessionId);
  if (node.status === 'waiting-idle-to-terminate' && node.sessions.size === 0) {
    ctx.within(cluster.partition, ctx.now, 'exact', () => terminateNode(ctx, cluster, node));
  }
}

/**
 * Generated runs: the session of partition `p` will go to a running node chosen by its index among them (so that
 * every shard places a session alike); false when no node is running.
 */
export function planPartition(cluster: ClusterRecord, p: Partition): boolean {
  const hosts = runningNodes(cluster);
  const node = hosts[p.index % hosts.length];
  if (node === undefined) return false;
  p.plannedNode = node;
  node.planned.add(p);
  return true;
}

/** Generated runs: a partition that ended is planned nowhere any more. */
export function unplanPartition(cluster: ClusterRecord, p: Partition): void {
  p.plannedNode?.planned.delete(p);
  p.plannedNode = undefined;
  cluster.waiting.delete(p);
}

/**
 * Generated runs: partitions planned on a node that stopped answering before their session joined go to another
 * running node (by index among them) or, with none running, wait for one (their joins are refused meanwhile).
 */
export function replanPartitions(cluster: ClusterRecord, from: MediaNodeRecord): void {
  const hosts = runningNodes(cluster).filter((n) => n !== from);
  for (const p of from.planned) {
    const node = hosts[p.index % hosts.length];
    p.plannedNode = node;
    if (node !== undefined) node.planned.add(p);
    else cluster.waiting.add(p);
  }
  from.planned.clear();
}

/** Generated runs: partitions waiting for a node go to the running ones, by index among them, as new ones do. */
export function placeWaiting(cluster: ClusterRecord): void {
  if (cluster.waiting.size === 0) return;
  const hosts = runningNodes(cluster);
  if (hosts.length === 0) return;
  for (const p of cluster.waiting) {
    const node = hosts[p.index % hosts.length]!;
    p.plannedNode = node;
    node.planned.add(p);
  }
  cluster.waiting.clear();
}

/** Load of a node in percent (0–100), from the sessions it hosts. */
export function loadOfNode(node: MediaNodeRecord): number {
  if (!isServing(node)) return 0;
  let load = 0.8;
  for (const s of node.sessions) load += sessionLoad(s);
  return Math.min(100, Math.round(load * 100) / 100);
}

/**
 * The load a session puts on its media node, in percent: what OpenVidu Pro's CPU-based load roughly follows — each
 * published stream, each subscription, a composed recording's headless browser, a broadcast.
 */
export function sessionLoad(s: SessionRecord): number {
  let load = 0;
  for (const c of s.connections) {
    if (c.stream) load += 4;
    load += 1.5 * c.subscriptions.length;
  }
  const r = s.recording;
  if (r && r.props.outputMode !== 'INDIVIDUAL' && r.props.hasVideo) load += 12;
  if (s.broadcast) load += 10;
  return load;
}
