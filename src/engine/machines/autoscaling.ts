/**
 * Autoscaling of an OpenVidu Pro cluster (spec §8): at each load sample, a decision with OpenVidu's priorities —
 * launch (reusing nodes waiting to go idle, then relaunching canceled ones, then new ones) or shrink (canceling
 * launching nodes, then terminating the least loaded) — logged as `autoscaling`, then the status changes.
 */
import type { AutoscalingDecision, AutoscalingNodeView } from '../../model/facts.js';
import type { MediaNodeRecord } from '../records.js';
import type { Step } from '../step.js';
import type { ClusterRecord } from '../world.js';
import { loadOfNode } from './cluster.js';
import { armLaunch, launchNode, terminateNode, transitionNode } from './media-node.js';

/** What a decision changes. */
interface Plan {
  readonly reason: string;
  readonly grow: number;
  readonly reuseWaiting: MediaNodeRecord[];
  readonly relaunch: MediaNodeRecord[];
  readonly newNodes: number;
  readonly cancel: MediaNodeRecord[];
  readonly stop: MediaNodeRecord[];
}

interface Census {
  readonly running: MediaNodeRecord[];
  readonly launching: MediaNodeRecord[];
  readonly waiting: MediaNodeRecord[];
  readonly canceled: MediaNodeRecord[];
  readonly active: number;
  readonly totalLoad: number;
  readonly avgLoad: number;
}

function census(cluster: ClusterRecord): Census {
  const all = [...cluster.nodes.values()];
  const running = all.filter((n) => n.status === 'running' && !n.crashed);
  const launching = all.filter((n) => n.status === 'launching');
  const totalLoad = round2(running.reduce((sum, n) => sum + loadOfNode(n), 0));
  return {
    running,
    launching,
    waiting: all.filter((n) => n.status === 'waiting-idle-to-terminate'),
    canceled: all.filter((n) => n.status === 'canceled'),
    active: running.length + launching.length,
    totalLoad,
    avgLoad: running.length > 0 ? round2(totalLoad / running.length) : 0,
  };
}

/** How many nodes to add or remove, and OpenVidu's reason; undefined when the cluster is within its limits. */
function target(
  cluster: ClusterRecord,
  c: Census,
): { grow: number; shrink: number; reason: string } | undefined {
  const a = cluster.config.autoscaling;
  const limits = `[${a.minLoad.toFixed(2)}%, ${a.maxLoad.toFixed(2)}%]`;
  const current = `Current number of active nodes is ${c.active} (${c.launching.length} launching and ${c.running.length} running).`;
  if (c.active < a.minNodes) {
    const reason = `The number of active Media Nodes (${c.active}) is below the lower limit of Media Nodes (${a.minNodes}). ${current}`;
    return { grow: a.minNodes - c.active, shrink: 0, reason };
  }
  if (c.running.length > 0 && c.avgLoad > a.maxLoad && c.active < a.maxNodes) {
    // Nodes already launching count: only launch what the load still needs.
    const grow = Math.min(a.maxNodes - c.active, Math.ceil(c.totalLoad / a.maxLoad) - c.active);
    const reason = `The cluster average load (${c.avgLoad.toFixed(2)}%) is above its limits ${limits} and the upper limit of Media Nodes (${a.maxNodes}) has not been reached. ${current}`;
    return { grow, shrink: 0, reason };
  }
  if (c.avgLoad < a.minLoad && c.active > a.minNodes) {
    const shrink = c.active - Math.max(a.minNodes, Math.ceil(c.totalLoad / a.maxLoad), 1);
    const reason = `The cluster average load (${c.avgLoad.toFixed(2)}%) is below its limits ${limits} and the lower limit of Media Nodes (${a.minNodes}) has not been reached. ${current}`;
    return { grow: 0, shrink, reason };
  }
  return undefined;
}

/** The decision with OpenVidu's priorities; undefined when there is nothing to do. */
function plan(cluster: ClusterRecord, c: Census): Plan | undefined {
  const t = target(cluster, c);
  if (t === undefined || (t.grow <= 0 && t.shrink <= 0)) return undefined;
  const { grow, shrink } = t;
  const reuseWaiting = c.waiting.slice(0, grow);
  // Sorted in place, as OpenVidu's list is: the census shows them in this order too.
  const relaunch = c.canceled.sort((x, y) => x.launchSeq - y.launchSeq).slice(0, grow - reuseWaiting.length);
  const newNodes = grow - reuseWaiting.length - relaunch.length;
  const cancel = [...c.launching].sort((x, y) => y.launchSeq - x.launchSeq).slice(0, shrink);
  const stop = c.running
    .map((n) => ({ n, load: loadOfNode(n) }))
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
  if (parts.length === 0) return undefined;
  return { reason: `${t.reason} ${parts.join(' ')}`, grow, reuseWaiting, relaunch, newNodes, cancel, stop };
}

function view(n: MediaNodeRecord): AutoscalingNodeView {
  const launching = n.status === 'launching';
  return {
    id: n.id,
    environmentId: launching ? null : n.environmentId,
    ip: launching ? null : n.ip,
    load: loadOfNode(n),
    status: n.status,
  };
}

function decision(cluster: ClusterRecord, c: Census, p: Plan): AutoscalingDecision {
  const a = cluster.config.autoscaling;
  return {
    clusterId: cluster.clusterId,
    reason: p.reason,
    launch: {
      total: p.grow,
      newNodes: p.newNodes,
      waitingIdleToTerminateNodes: p.reuseWaiting.map(view),
      canceledNodes: p.relaunch.map(view),
    },
    terminate: {
      total: p.cancel.length + p.stop.length,
      runningNodes: p.stop.map(view),
      launchingNodes: p.cancel.map(view),
    },
    config: { maxNodes: a.maxNodes, minNodes: a.minNodes, maxAvgLoad: a.maxLoad, minAvgLoad: a.minLoad },
    status: {
      numNodes: c.active,
      totalLoad: c.totalLoad,
      avgLoad: c.avgLoad,
      runningNodes: c.running.map(view),
      launchingNodes: c.launching.map(view),
      waitingIdleToTerminateNodes: c.waiting.map(view),
      canceledNodes: c.canceled.map(view),
    },
  };
}

/** One load sample: a decision, logged as `autoscaling`, then its status changes. */
export function autoscale(ctx: Step, cluster: ClusterRecord): void {
  const c = census(cluster);
  const p = plan(cluster, c);
  if (p === undefined) return;
  ctx.emit({ type: 'autoscaling', at: ctx.stamp(), decision: decision(cluster, c, p) });
  for (const n of p.reuseWaiting) transitionNode(ctx, cluster, n, 'running');
  for (const n of p.relaunch) {
    transitionNode(ctx, cluster, n, 'launching');
    if (!n.launchTimer) armLaunch(ctx, cluster, n);
  }
  for (let i = 0; i < p.newNodes; i++)
    launchNode(ctx, cluster, `auto${cluster.launchCounter + 1}`, undefined, false);
  for (const n of p.cancel) transitionNode(ctx, cluster, n, 'canceled');
  for (const n of p.stop) {
    if (n.sessions.size === 0) terminateNode(ctx, cluster, n);
    else transitionNode(ctx, cluster, n, 'waiting-idle-to-terminate');
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
