/**
 * Generated traffic: a lazy, seeded plan of sessions that arrive (Poisson or evenly spaced, at a rate shaped by a ramp
 * or a daily curve), each planned in full when it arrives, and of faults that strike the server. Only commands: the
 * engine runs them as one simulation with a partition per session (engine/partitioned-run.ts), which is what keeps a
 * session's lines the same whatever other sessions exist, makes `--shard i/n` exact and keeps memory flat.
 *
 * Pure: no I/O, no wall clock. Same config, seed, start and shard ⇒ same batches.
 */
import type { Batch, EngineOptions } from '../engine/engine.js';
import { OUTPUT_FIELDS, PartitionedRun, type ScriptedCommand } from '../engine/partitioned-run.js';
import { Rng } from '../engine/rng.js';
import { RunStats, type PlannedFault, type Shard, type Traffic } from '../engine/traffic.js';
import { CLUSTER_PARTITION, SCRIPTED_PARTITION } from '../engine/world.js';
import type { CdrEvent } from '../model/catalogue.js';
import { toCdrEvent } from '../model/ov2-events.js';
import { hasOutputMode } from '../model/wire-values.js';
import type { Action } from '../model/commands.js';
import type { GenerateConfig } from './generate-schema.js';
import { planSession } from './plan-session.js';

export type { Shard };

/** What a generated run did besides its events (see RunStats). */
export { RunStats as GenerationStats };

export interface GenerateOptions {
  readonly config: GenerateConfig;
  /** Options of the simulated server (seed, start, autostop, geo, media node prefix). */
  readonly engine: EngineOptions;
  /** The OpenVidu 2.x minor version simulated: the traffic draws only what that version has. */
  readonly minor: number;
  /** Default: the whole dataset (`{ index: 0, count: 1 }`). */
  readonly shard?: Shard;
  /** A scenario's scripted steps, run beside the traffic (shard 0 writes them). */
  readonly scripted?: readonly ScriptedCommand[];
}

/**
 * A generated batch with its place in the run: `source` is the partition it belongs to (a session's index, or
 * CLUSTER_SOURCE, SCRIPTED_SOURCE) and `order` the virtual time its work was due (a batch's own `at` may be later:
 * a step that does nothing moves on to its next). Batches come in (order, source) order — ties at an instant go by
 * partition — which is what lets shards generated apart (processes, worker threads) be merged back into exactly the
 * unsharded order.
 */
export interface SourcedBatch extends Batch {
  readonly source: number;
  readonly order: number;
}

/** The source of a scenario's scripted steps: before every generated session at the same instant. */
export const SCRIPTED_SOURCE = SCRIPTED_PARTITION;
/** The source of the Pro cluster's own work (its boot, autoscaling, node faults). */
export const CLUSTER_SOURCE = CLUSTER_PARTITION;

/** The traffic of a `generate:` block: arrivals, faults and each session's plan, drawn from the run's seed. */
export function trafficOf(config: GenerateConfig, engine: EngineOptions, minor: number): Traffic {
  const seed = String(engine.seed);
  const start = engine.start;
  const end = start + config.duration;
  const ctx = {
    config,
    geoLocation: engine.geoLocation ?? (engine.edition ?? 'ce') !== 'ce',
    quickStart: hasOutputMode('COMPOSED_QUICK_START', minor),
  };
  return {
    arrivals: arrivalTimes(config, new Rng(seed).fork('arrivals'), start, end),
    faults: globalFaults(config, new Rng(seed).fork('faults'), start, end),
    plan: (index, at) => planSession(index, at, new Rng(`${seed}/session/${index}`).fork('plan'), ctx),
    restartAfterMs: config.faults.restartAfter,
    nodeRecoverAfterMs: config.faults.nodeRecoverAfter,
    nodeCrashes: config.faults.nodeCrash > 0,
  };
}

/**
 * Yields the batches of the generated run in (order, source) order, lazily: only live sessions are in memory.
 * `stats` is updated as it goes. A refused scripted step throws ActionRefused (its origin is the step).
 */
export function* generateBatches(
  o: GenerateOptions,
  stats = new RunStats(),
): Generator<SourcedBatch, RunStats> {
  const run = generatedRun(o, stats);
  while (run.next()) yield* stepBatches(run);
  return stats;
}

/** The generated run, not started: its steps' facts are for writers of bytes (see stepBatches for batches). */
export function generatedRun(o: GenerateOptions, stats = new RunStats()): PartitionedRun {
  return new PartitionedRun({
    engine: o.engine,
    traffic: trafficOf(o.config, o.engine, o.minor),
    shard: o.shard,
    stats,
    scripted: o.scripted,
  });
}

/** The batches of the run's last step: one per segment with OpenVidu 2 events. */
export function* stepBatches(run: PartitionedRun): Generator<SourcedBatch> {
  const segments = run.segments;
  for (let i = 0; i < run.segmentsLength; i += OUTPUT_FIELDS) {
    const events: CdrEvent[] = [];
    for (let k = segments[i + 3]!; k < segments[i + 4]!; k++) {
      const e = toCdrEvent(run.facts[k]!);
      if (e !== undefined) events.push(e);
    }
    if (events.length === 0) continue;
    yield { at: segments[i]!, cause: run.cause, events, source: segments[i + 2]!, order: segments[i + 1]! };
  }
}

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
): Generator<PlannedFault> {
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
