/**
 * The generator: a lazy, seeded source of simulated traffic. Sessions arrive (Poisson or evenly spaced, at a rate
 * shaped by a ramp or a daily curve), each is planned in full when it arrives, runs, and is forgotten.
 *
 * Each session runs in its own small engine seeded `<seed>/session/<index>`: its ids, timings and metadata come only
 * from its own stream and its clock is its own, so its lines are the same whatever other sessions exist. That is
 * what makes `--shard i/n` exact (a shard plans only the sessions with `index % n === i`) and memory flat (an engine
 * is dropped when its session is over). The engines are merged by their next due time, then by session index (never
 * by history, so shards merge back exactly); global faults (media server restarts, server stops, node crashes) are
 * drawn from the run's seed and delivered to every live session — on Pro, a node crash to the sessions of the one
 * node it hits, the cluster's engine logging `nodeCrashed` with them (which needs every session in one generator).
 *
 * Pure: no I/O, no wall clock. Same config, seed, start and shard ⇒ same batches.
 */
import { ActionRefused, Engine, type Batch, type EngineOptions } from '../engine/legacy/engine.js';
import type { HostedActivity, HostedSessions } from '../engine/legacy/cluster.js';
import * as ids from '../engine/ids.js';
import { Rng } from '../engine/rng.js';
import { Scheduler } from '../engine/scheduler.js';
import { OvsimError } from '../errors.js';
import type { Action } from '../scenario/schema.js';
import type { GenerateConfig } from './generate-schema.js';
import { planSession } from './plan-session.js';

/** One part of a sharded dataset: sessions whose index modulo `count` is `index`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface GenerateOptions {
  readonly config: GenerateConfig;
  /** Options of the simulated server (seed, start, autostop, geo, media node prefix). */
  readonly engine: EngineOptions;
  /** Default: the whole dataset (`{ index: 0, count: 1 }`). */
  readonly shard?: Shard;
}

/** What a generated run did besides its events: read it after the batches are consumed (or during, for progress). */
export class GenerationStats {
  /** Sessions that arrived in the whole dataset (all shards). */
  arrived = 0;
  /** Sessions planned and run by this shard. */
  planned = 0;
  /** Sessions lost because they arrived while the server was down. */
  lostToServerStop = 0;
  /** Pro: sessions lost because no media node was running (all crashed). */
  lostNoMediaNode = 0;
  /** Sessions running now. */
  live = 0;
  /** Largest number of sessions running at once. */
  peakLive = 0;
  /** Planned actions made moot by a global fault (e.g. unpublishing a stream a media server restart dropped). */
  readonly skipped = new Map<string, number>();
  /** Virtual time reached, ms since the epoch. */
  now = 0;
  /** Sessions left empty by a global fault and closed by the application. */
  closedIdle = 0;
  /** Global faults delivered, by action. */
  readonly faults = new Map<string, number>();

  get skippedTotal(): number {
    let n = 0;
    for (const v of this.skipped.values()) n += v;
    return n;
  }
}

/**
 * Pro and Enterprise: the cluster, simulated once in an engine of its own, booted at the start instant (its
 * `mediaNodeStatusChanged` events). Afterwards it logs node crashes and recoveries (`faults.nodeCrash`) and, when the
 * scenario enables it, autoscales on the loads of the sessions, which run in engines of their own (`hosted`).
 */
function bootCluster(
  engine: EngineOptions,
  seed: string,
  hosted: HostedSessions,
): { engine: Engine | undefined; boot: Batch | undefined; autoscaling: boolean } {
  if ((engine.edition ?? 'ce') === 'ce') return { engine: undefined, boot: undefined, autoscaling: false };
  const clusterEngine = new Engine({
    ...engine,
    seed: `${seed}/cluster`,
    rememberClosedHandles: false,
    hostedSessions: hosted,
  });
  const boot = clusterEngine.runNext();
  return { engine: clusterEngine, boot, autoscaling: engine.cluster?.autoscaling?.enabled === true };
}

/** The ids of the cluster's nodes that take new sessions (running, not crashed), in launch order. */
function runningNodeIds(clusterEngine: Engine | undefined): string[] {
  return (clusterEngine?.cluster?.list() ?? [])
    .filter((n) => n.status === 'running' && !n.crashed)
    .map((n) => n.id);
}

/**
 * A generated batch with its place in the run: `source` is the index of the session it belongs to (-1 for the
 * cluster's boot) and `order` the virtual time the session was due when it ran (a batch's own `at` may be later:
 * an engine step that does nothing moves on to its next). The generator yields batches in (order, source) order —
 * ties at an instant go by session index — which is what lets shards generated apart (processes, worker threads)
 * be merged back into exactly the unsharded order.
 */
export interface SourcedBatch extends Batch {
  readonly source: number;
  readonly order: number;
}

/** The source of batches that are not a generated session's (scripted steps): before every generated one. */
export const SCRIPTED_SOURCE = -2;
/** The source of the Pro cluster's boot batch. */
export const CLUSTER_SOURCE = -1;

function sourced(batch: Batch, source: number, order: number): SourcedBatch {
  return { at: batch.at, cause: batch.cause, events: batch.events, source, order };
}

interface LiveSession {
  readonly index: number;
  readonly engine: Engine;
  /** Pro: the id of the node hosting the session. */
  host: string | undefined;
  /** Pro with crashes: the session's id while it is active on its node (in the node's `kurentoSessions`). */
  kurentoId?: string | undefined;
}

interface GlobalFault {
  readonly at: number;
  readonly action: Action;
}

/**
 * Yields the batches of the generated run in time order (each session's batches in its own order), lazily: only
 * live sessions are in memory. `stats` is updated as it goes.
 */
export function* generateBatches(
  o: GenerateOptions,
  stats = new GenerationStats(),
): Generator<SourcedBatch, GenerationStats> {
  const { config } = o;
  const shard = o.shard ?? { index: 0, count: 1 };
  const seed = String(o.engine.seed);
  const start = o.engine.start;
  const end = start + config.duration;
  // One media server for every session (the engines are many, the simulated server is one).
  const mediaNodeId =
    o.engine.mediaNodeId ??
    ids.newMediaNodeId(new Rng(seed).fork('nodes'), o.engine.mediaNodePrefix ?? 'media_');
  const ctx = { config, geoLocation: o.engine.geoLocation ?? (o.engine.edition ?? 'ce') !== 'ce' };
  // Pro: the live sessions, which the cluster asks for node loads (autoscaling) and node emptiness.
  const live = new Set<LiveSession>();
  const onNode = (nodeId: string, each: (s: LiveSession) => number): number => {
    let sum = 0;
    for (const s of live) if (s.host === nodeId) sum += each(s);
    return sum;
  };
  const cluster = bootCluster(o.engine, seed, {
    load: (nodeId) => onNode(nodeId, (s) => s.engine.hostedLoad()),
    count: (nodeId) => onNode(nodeId, (s) => s.engine.hostedActivity().sessionIds.length),
  });
  // The cluster's nodes come up once, at the start instant: shard 0 writes it, as it writes scripted steps.
  if (cluster.boot && shard.index === 0) yield sourced(cluster.boot, CLUSTER_SOURCE, start);

  const arrivals = arrivalTimes(config, new Rng(seed).fork('arrivals'), start, end);
  const faults = globalFaults(config, new Rng(seed).fork('faults'), start, end);
  // Pro: the nodes sessions are placed on (running ones: a crashed node is left out until it recovers, a node
  // autoscaling retires from the moment it is told to), and which node each crash hits.
  let hosts = runningNodeIds(cluster.engine);
  const crashPicks = new Rng(seed).fork('crashed-node');
  const proCrashes = cluster.engine !== undefined && config.faults.nodeCrash > 0;
  if ((proCrashes || cluster.autoscaling) && shard.count > 1) {
    throw new OvsimError(
      'BAD_INPUT',
      `${proCrashes ? 'generate.faults.nodeCrash' : 'autoscaling'} on OpenVidu Pro needs every session in one ` +
        'generator (nodeCrashed lists the sessions of its node, autoscaling weighs the load of all): drop --shard',
    );
  }
  // Pro crashes: `nodeCrashed` is logged after OpenVidu's 3 s of silent retries (the fault's instant). A node that
  // answers again before its reconnection timeout (infinite by default, 3 s with autoscaling) recovers; one that does
  // not is given up: `terminating`, its sessions closed, `terminated`, and autoscaling replaces it if it must.
  const reconnectionTimeout = cluster.engine?.cluster?.reconnectionTimeout() ?? -1;
  const givenUpAfterMs = reconnectionTimeout < 0 ? Infinity : Math.max(3, reconnectionTimeout) * 1000;
  const recoverAfterMs = Math.max(1, config.faults.nodeRecoverAfter);
  const crashesRecover = SILENT_RETRY_MS + recoverAfterMs < givenUpAfterMs;
  if (proCrashes && !crashesRecover && givenUpAfterMs > SILENT_RETRY_MS) {
    // Its sessions would linger on a node that does not answer until the timeout: not modelled.
    throw new OvsimError(
      'BAD_INPUT',
      `generate.faults.nodeRecoverAfter (${recoverAfterMs} ms) reaches past openvidu.cluster.reconnectionTimeout ` +
        `(${reconnectionTimeout} s) in a generated run: make the timeout 3 s or less (crashed nodes are given up at ` +
        'once) or longer than 3 s plus the recovery (they recover), or script the crash with crashMediaNode steps',
    );
  }
  const queue = new Scheduler<LiveSession>();
  let nextArrival = arrivals.next();
  let nextFault = faults.next();
  let index = 0;
  let downUntil = -Infinity;

  /** Every live session out of the queue, in index order (so that what follows stays deterministic). */
  const takeAll = (): LiveSession[] => {
    const all: LiveSession[] = [];
    for (let e = queue.pop(); e; e = queue.pop()) all.push(e.item);
    return all.sort((a, b) => a.index - b.index);
  };
  /** Puts sessions back, each at its next due time (`at` if it has none). */
  const requeue = (sessions: readonly LiveSession[], at: number) => {
    for (const s of sessions) queue.push(s.engine.nextAt() ?? at, s, s.index);
  };

  /** Pro: crashed nodes, by when they answer again (in that order). */
  const recoveries: Array<{ at: number; nodeId: string }> = [];
  /**
   * Pro with crashes: a node's ids of active sessions as OpenVidu's `Kms.kurentoSessions` holds them, kept on the
   * cluster's own node (a crash lists and closes them in its order); none for a node the cluster has forgotten.
   */
  const kurentoOf = (nodeId: string) =>
    cluster.engine?.cluster?.list().find((n) => n.id === nodeId)?.kurentoSessions;
  /** Follows a session batch into its node's map: in at its first join, out when destroyed. */
  const track = (s: LiveSession, batch: Batch) => {
    if (!proCrashes || s.host === undefined) return;
    for (const e of batch.events) {
      const id = e.data.sessionId;
      if (id === null || id === undefined) continue;
      if (e.name === 'participantJoined' && s.kurentoId === undefined) {
        s.kurentoId = id;
        kurentoOf(s.host)?.put(id);
      } else if (e.name === 'sessionDestroyed' && s.kurentoId === id) {
        kurentoOf(s.host)?.remove(id);
        s.kurentoId = undefined;
      }
    }
  };
  /** Pro: sessions not yet joined when the last running node crashed, waiting for a node to come back. */
  const waiting = new Set<LiveSession>();
  /** Pro: sessions waiting for a node go to the running ones, by index among them, as new sessions do. */
  const placeWaiting = () => {
    if (waiting.size === 0 || hosts.length === 0) return;
    for (const s of waiting) {
      s.host = hosts[s.index % hosts.length]!;
      s.engine.rehost(s.host);
    }
    waiting.clear();
  };
  /**
   * Pro: crashed nodes given up (terminating), with the sessions whose crash has yet to run and the instant the last
   * closed one ended; `terminated` follows the last.
   */
  const givenUp = new Map<string, { readonly sessions: Set<LiveSession>; ended: number }>();
  /** The `terminated` of every given-up node whose last session was `s`, ended at `at` (or that had none). */
  function* terminatedAfter(s: LiveSession | undefined, at: number): Generator<SourcedBatch> {
    for (const [nodeId, node] of givenUp) {
      if (s !== undefined && node.sessions.delete(s) && at > node.ended) node.ended = at;
      if (node.sessions.size > 0) continue;
      givenUp.delete(nodeId);
      yield sourced(cluster.engine!.terminateCrashedNode(node.ended, nodeId), CLUSTER_SOURCE, node.ended);
    }
  }

  for (;;) {
    const tE = queue.peek()?.at ?? Infinity;
    const tA = nextArrival.done === true ? Infinity : nextArrival.value;
    const tF = nextFault.done === true ? Infinity : nextFault.value.at;
    const tR = recoveries[0]?.at ?? Infinity;
    if (tE === Infinity && tA === Infinity && tF === Infinity && tR === Infinity) break;
    // Autoscaling: the cluster's load samples and node launches, while sessions still come or run.
    const tC = cluster.autoscaling ? (cluster.engine!.nextAt() ?? Infinity) : Infinity;

    if (tC <= tA && tC <= tE && tC <= tF && tC <= tR) {
      for (const b of cluster.engine!.runUntil(tC)) yield sourced(b, CLUSTER_SOURCE, tC);
      hosts = runningNodeIds(cluster.engine);
      // A node launched while every other was down takes the sessions that waited.
      placeWaiting();
      stats.now = Math.max(stats.now, tC);
      continue;
    }

    if (tR <= tA && tR <= tE && tR <= tF) {
      // The node takes sessions again, in its place in the cluster's order (so placement stays the same rule).
      const { at, nodeId } = recoveries.shift()!;
      const recovered = cluster.engine!.recoverHostingNode(at, nodeId);
      hosts = runningNodeIds(cluster.engine);
      // Sessions that waited for a node are placed as new ones are: by index among the running nodes.
      placeWaiting();
      if (shard.index === 0) yield sourced(recovered, CLUSTER_SOURCE, at);
      continue;
    }

    if (tF <= tA && tF <= tE && nextFault.done !== true) {
      const fault = nextFault.value;
      stats.now = Math.max(stats.now, fault.at);
      stats.faults.set(fault.action.type, (stats.faults.get(fault.action.type) ?? 0) + 1);
      if (cluster.engine !== undefined && fault.action.type === 'mediaServerCrash') {
        // Pro: one running node crashes; only its sessions go, and later sessions are placed on the others.
        nextFault = faults.next();
        if (hosts.length === 0) continue;
        const nodeId = hosts[crashPicks.int(0, hosts.length - 1)]!;
        const others = hosts.filter((id) => id !== nodeId);
        const all = takeAll();
        const hosted: HostedActivity = { sessionIds: [], recordingIds: [], broadcasts: [] };
        const crashing = new Set<LiveSession>();
        const activities: Array<{ s: LiveSession; a: HostedActivity }> = [];
        for (const s of all) {
          if (s.host !== nodeId) continue;
          const a = s.engine.hostedActivity();
          if (a.sessionIds.length === 0) {
            // Not joined yet: OpenVidu places a session at its first join, so it goes to a node still running —
            // or, with none running, its joins fail until a node is back.
            if (others.length > 0) {
              s.host = others[s.index % others.length]!;
              s.engine.rehost(s.host);
            } else {
              s.engine.rehost(null);
              waiting.add(s);
            }
            continue;
          }
          activities.push({ s, a });
        }
        // In the order of the node's kurentoSessions (then by index, for any it would not hold).
        const rank = new Map((kurentoOf(nodeId)?.keys() ?? []).map((id, i) => [id, i]));
        const rankOf = (x: LiveSession) => rank.get(x.kurentoId ?? '') ?? rank.size + x.index;
        activities.sort((x, y) => rankOf(x.s) - rankOf(y.s));
        for (const { s, a } of activities) {
          hosted.sessionIds.push(...a.sessionIds);
          hosted.recordingIds.push(...a.recordingIds);
          hosted.broadcasts.push(...a.broadcasts);
          // Before whatever the session planned for the same millisecond: nodeCrashed, logged first, lists it.
          s.engine.scheduleFirst(fault.at, { type: 'mediaServerCrash', args: { node: nodeId } }, GLOBAL);
          crashing.add(s);
        }
        const crashed = cluster.engine.crashHostingNode(fault.at, nodeId, hosted, !crashesRecover);
        hosts = runningNodeIds(cluster.engine);
        if (crashesRecover) {
          recoveries.push({ at: fault.at + recoverAfterMs, nodeId });
          recoveries.sort((a, b) => a.at - b.at);
        } else givenUp.set(nodeId, { sessions: crashing, ended: fault.at });
        if (shard.index === 0) yield sourced(crashed, CLUSTER_SOURCE, fault.at);
        // Given up with no session to close: `terminated` at once.
        if (crashing.size === 0) yield* terminatedAfter(undefined, fault.at);
        // The node's sessions close first, in its order (negative tie-breaks: before every session index).
        for (const s of all) if (!crashing.has(s)) queue.push(s.engine.nextAt() ?? fault.at, s, s.index);
        let k = -crashing.size;
        for (const s of crashing) queue.push(s.engine.nextAt() ?? fault.at, s, k++);
        continue;
      }
      // Every live session receives it at the same instant.
      const all = takeAll();
      for (const s of all) s.engine.schedule(fault.at, fault.action, GLOBAL);
      requeue(all, fault.at);
      if (fault.action.type === 'stopServer') downUntil = fault.at + config.faults.restartAfter;
      nextFault = faults.next();
      continue;
    }

    if (tA <= tE && nextArrival.done !== true) {
      const at = nextArrival.value;
      const i = index++;
      stats.arrived++;
      stats.now = Math.max(stats.now, at);
      nextArrival = arrivals.next();
      if (at < downUntil) {
        stats.lostToServerStop++;
        continue;
      }
      if (cluster.engine !== undefined && hosts.length === 0) {
        // No node of the cluster is running (all crashed): OpenVidu has nowhere to put the session.
        stats.lostNoMediaNode++;
        continue;
      }
      if (i % shard.count !== shard.index) continue;
      const sessionSeed = `${seed}/session/${i}`;
      const host = hosts.length > 0 ? hosts[i % hosts.length] : undefined;
      const engine = new Engine({
        ...o.engine,
        // Until the generator places sessions on a shared Pro cluster, each session engine simulates the one media
        // server of CE (a Pro engine would boot a cluster per session); Pro payloads still come from the profile.
        edition: 'ce',
        cluster: {},
        // Pro: hosted on a node of the cluster, chosen by index so that every shard places a session alike.
        ...(host !== undefined ? { hostNodeId: host } : {}),
        seed: sessionSeed,
        start: at,
        mediaNodeId,
        rememberClosedHandles: false,
      });
      for (const p of planSession(i, at, new Rng(sessionSeed).fork('plan'), ctx)) {
        engine.schedule(p.at, p.action);
      }
      stats.planned++;
      stats.live++;
      if (stats.live > stats.peakLive) stats.peakLive = stats.live;
      const session: LiveSession = { index: i, engine, host };
      if (cluster.engine !== undefined) live.add(session);
      queue.push(engine.nextAt() ?? at, session, i);
      continue;
    }

    // The earliest session runs its next step and, unless it is over, is moved to its next due time in place.
    const next = queue.peek();
    if (!next) continue;
    const s = next.item;
    const dueAt = next.at;
    let batch: Batch | undefined;
    let refusedCrash = false;
    try {
      batch = s.engine.runNext();
    } catch (e) {
      if (!(e instanceof ActionRefused)) throw e;
      stats.skipped.set(e.action.type, (stats.skipped.get(e.action.type) ?? 0) + 1);
      refusedCrash = e.action.type === 'mediaServerCrash';
    }
    if (batch && batch.at > stats.now) stats.now = batch.at;
    // A server stop or node crash ends every session of the engine: whatever it still had planned is moot.
    const ended =
      batch !== undefined &&
      batch.cause.kind === 'action' &&
      (batch.cause.action.type === 'stopServer' || batch.cause.action.type === 'mediaServerCrash');
    const due = ended ? undefined : s.engine.nextAt();
    if (due === undefined) {
      queue.pop();
      stats.live--;
    } else queue.rescheduleTop(due, s.index);
    let destroyed = false;
    if (batch && batch.events.length > 0) {
      track(s, batch);
      yield sourced(batch, s.index, dueAt);
      destroyed = cluster.autoscaling && batch.events.some((e) => e.name === 'sessionDestroyed');
    }
    if (due === undefined && !ended) {
      // Left empty with nothing pending (its recording's countdown cut short by a media server restart): the
      // application closes it by REST, as apps do with idle sessions, so every session ends.
      for (const left of s.engine.snapshot().sessions) {
        stats.closedIdle++;
        destroyed = true;
        const closed = s.engine.execute({ type: 'closeSession', args: { session: left.handle } });
        track(s, closed);
        yield sourced(closed, s.index, dueAt);
      }
    }
    if (due === undefined) {
      live.delete(s);
      waiting.delete(s);
    }
    // The last session of a given-up node closed (by its crash, or before it): the node is terminated.
    if (givenUp.size > 0 && (ended || refusedCrash || due === undefined))
      yield* terminatedAfter(s, s.engine.now);
    if (destroyed && cluster.autoscaling && s.host !== undefined) {
      // A node autoscaling retires terminates with its last session.
      const emptied = cluster.engine!.hostedSessionEnded(s.engine.now, s.host);
      if (emptied.events.length > 0) yield sourced(emptied, CLUSTER_SOURCE, dueAt);
    }
  }
  return stats;
}

/** OpenVidu's silent reconnection attempts before a media node is declared crashed, ms. */
const SILENT_RETRY_MS = 3000;

/** Marks actions delivered by the generator to every session (global faults). */
const GLOBAL = Object.freeze({ generated: 'global-fault' });

/**
 * Arrival instants in [start, end): a Poisson process (thinned by the shape's multiplier) or evenly spaced ones,
 * at most `sessions.limit`.
 */
export function* arrivalTimes(
  config: GenerateConfig,
  rng: Rng,
  start: number,
  end: number,
): Generator<number> {
  const { sessions } = config;
  const peak = sessions.rate * maxMultiplier(config);
  if (!(peak > 0)) return;
  const limit = sessions.limit ?? Infinity;
  let t = start;
  let count = 0;
  while (count < limit) {
    if (sessions.arrival === 'poisson') {
      t += rng.exponential(1 / peak);
      if (t >= end) return;
      if (rng.next() * peak >= sessions.rate * multiplierAt(config, t, start, end)) continue;
    } else {
      const rate = sessions.rate * multiplierAt(config, t, start, end);
      // A zero rate (a silent hour) waits a minute and looks again.
      t += rate > 0 ? 1 / rate : 60_000;
      if (t >= end) return;
      if (rate <= 0) continue;
    }
    count++;
    yield Math.round(t);
  }
}

function maxMultiplier(config: GenerateConfig): number {
  const s = config.sessions;
  switch (s.shape) {
    case 'flat':
      return 1;
    case 'ramp':
      return Math.max(s.ramp.from, s.ramp.to);
    case 'daily':
      return Math.max(...s.daily);
  }
}

/** The rate multiplier at virtual time `t`: 1, a linear ramp over the run, or the daily curve's UTC hour. */
export function multiplierAt(config: GenerateConfig, t: number, start: number, end: number): number {
  const s = config.sessions;
  switch (s.shape) {
    case 'flat':
      return 1;
    case 'ramp': {
      const f = end > start ? (t - start) / (end - start) : 0;
      return s.ramp.from + (s.ramp.to - s.ramp.from) * f;
    }
    case 'daily':
      return s.daily[Math.floor(t / 3_600_000) % 24] ?? 1;
  }
}

/** Global faults in [start, end), merged by time: each kind a Poisson process of its own stream. */
export function* globalFaults(
  config: GenerateConfig,
  rng: Rng,
  start: number,
  end: number,
): Generator<GlobalFault> {
  const f = config.faults;
  const reconnect: Action = { type: 'mediaServerReconnect', args: {} };
  const stop: Action = { type: 'stopServer', args: {} };
  const crash: Action = { type: 'mediaServerCrash', args: {} };
  const kinds: Array<{ rate: number; rng: Rng; action: Action; next: number }> = [
    { rate: f.mediaServerReconnect, rng: rng.fork('mediaServerReconnect'), action: reconnect, next: 0 },
    { rate: f.serverStop, rng: rng.fork('serverStop'), action: stop, next: 0 },
    { rate: f.nodeCrash, rng: rng.fork('nodeCrash'), action: crash, next: 0 },
  ].filter((k) => k.rate > 0);
  for (const k of kinds) k.next = start + k.rng.exponential(1 / k.rate);
  for (;;) {
    let first: (typeof kinds)[number] | undefined;
    for (const k of kinds) if (k.next < end && (!first || k.next < first.next)) first = k;
    if (!first) return;
    yield { at: Math.round(first.next), action: first.action };
    first.next += first.rng.exponential(1 / first.rate);
  }
}

/** Parses `--shard i/n` (0-based `i` < `n`); `undefined` if malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}
