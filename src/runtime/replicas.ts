/**
 * Many copies of one scenario played side by side, for load tests: lifelike traffic in volume.
 *
 * Replica k uses seed `<seed>#k` (k = 0 keeps the seed, so one replica equals `generate`) and suffixes custom session
 * ids with `_k` (two live sessions never share an id, as OpenVidu would refuse). Replicas run in `lanes`: each lane
 * plays its replicas one after the other, lanes start staggered over the scenario's span, and their batches are
 * merged in virtual-time order — so many sessions are live at once, as on a busy server.
 */
import type { Batch, Engine } from '../engine/engine.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import {
  nextScenarioBatch,
  simulateScenario,
  startScenarioEngine,
  type SimulationSettings,
} from '../scenario/simulate-scenario.js';

export interface ReplicaOptions {
  /** Copies in total; Infinity for an endless stream. */
  readonly replicas: number;
  /** Copies live at once; default 1. */
  readonly lanes?: number;
  /** Virtual pause between two replicas of a lane, ms; default 1000. */
  readonly gapMs?: number;
}

/** The scenario with custom session ids made unique for replica `k`. */
export function replicaScenario(scenario: Scenario, k: number): Scenario {
  if (k === 0) return scenario;
  const steps: ScenarioStep[] = scenario.steps.map((s) => {
    const a = s.action;
    if (a.type !== 'createSession' || a.args.customSessionId === undefined) return s;
    return {
      ...s,
      action: { type: a.type, args: { ...a.args, customSessionId: `${a.args.customSessionId}_${k}` } },
    };
  });
  return { ...scenario, steps };
}

export function replicaSettings(settings: SimulationSettings, k: number, start: number): SimulationSettings {
  const seed = k === 0 ? settings.seed : `${settings.seed}#${k}`;
  return { ...settings, seed, start, engine: { ...settings.engine, seed, start } };
}

/** Facts about one replica, from a dry run: virtual span and events per session (for sessions/s rates). */
export function measureScenario(
  scenario: Scenario,
  settings: SimulationSettings,
): { spanMs: number; events: number; sessions: number } {
  let events = 0;
  let sessions = 0;
  let last = settings.start;
  for (const b of simulateScenario(scenario, settings)) {
    for (const e of b.events) {
      if (!settings.profile.has(e.name)) continue;
      events++;
      if (e.name === 'sessionCreated') sessions++;
      last = Math.max(last, e.data.timestamp);
    }
  }
  return { spanMs: last - settings.start, events, sessions };
}

/** Finished replicas with open sessions remembered for stopServers, at most. */
const MAX_LINGERING = 10_000;

interface Lane {
  readonly index: number;
  /** Next replica number of this lane. */
  k: number;
  /** The server of the replica being played; kept until its scenario has nothing left to do. */
  engine: Engine | undefined;
  ahead: Batch | undefined;
  /** Virtual time the last batch of this lane ran. */
  last: number;
}

/**
 * Batches of every replica, merged by virtual time, with a handle on the replicas' servers so that a load run can
 * stop them the way OpenVidu stops (see {@link ReplicaStream.stopServers}). Iterate it once.
 */
export class ReplicaStream implements Iterable<Batch> {
  private readonly lanes: Lane[] = [];
  private readonly laneCount: number;
  private readonly gap: number;
  /** Engines of replicas that ended with sessions still open: on a real server those stay live. */
  private readonly lingering: Engine[] = [];
  private halted = false;
  /** No replica starts any more: the live ones play to their end. */
  private finishing = false;

  constructor(
    private readonly scenario: Scenario,
    private readonly settings: SimulationSettings,
    private readonly options: ReplicaOptions,
  ) {
    this.laneCount = Math.max(1, Math.min(options.lanes ?? 1, options.replicas));
    this.gap = options.gapMs ?? 1000;
    const span = this.laneCount > 1 ? measureScenario(scenario, settings).spanMs : 0;
    const stagger = this.laneCount > 1 ? Math.floor(span / this.laneCount) : 0;
    for (let l = 0; l < this.laneCount; l++) {
      this.lanes.push({
        index: l,
        k: l,
        engine: undefined,
        ahead: undefined,
        last: settings.start + l * stagger - this.gap,
      });
    }
  }

  *[Symbol.iterator](): Generator<Batch, void> {
    for (const lane of this.lanes) this.advance(lane);
    for (;;) {
      if (this.halted) return;
      let best: Lane | undefined;
      for (const lane of this.lanes) if (lane.ahead && (!best || lane.ahead.at < best.ahead!.at)) best = lane;
      if (!best) return;
      const b = best.ahead!;
      best.ahead = undefined;
      best.last = Math.max(best.last, b.at, ...b.events.map((e) => e.data.timestamp));
      yield b;
      // Halted while suspended: the engines must not run further, their state is what stopServers closes.
      if (this.halted) return;
      this.advance(best);
    }
  }

  /** Starts no further replica; the live ones play on to their end, then the stream ends (a graceful stop). */
  finishLive(): void {
    this.finishing = true;
  }

  /** Ends the stream: no engine runs another step; the iterator finishes at its next read. Idempotent. */
  halt(): void {
    this.halted = true;
  }

  /**
   * Halts the stream and stops the server of every replica still live, as OpenVidu's shutdown does (`stopServer`:
   * every live session closed with reason `openviduServerStopped`). Returns, in virtual-time order, first the batches
   * the replicas already produced but the stream had not yielded yet (they happened: dropping them would leave
   * `sessionDestroyed` without its `sessionCreated`), then each stop cascade. Idempotent: a second call returns `[]`.
   */
  stopServers(): Batch[] {
    this.halt();
    const out: Batch[] = [];
    for (const lane of this.lanes) {
      if (lane.ahead) out.push(lane.ahead);
      lane.ahead = undefined;
    }
    const engines = [...this.lingering, ...this.lanes.flatMap((l) => (l.engine ? [l.engine] : []))];
    this.lingering.length = 0;
    for (const lane of this.lanes) lane.engine = undefined;
    for (const engine of engines) {
      if (engine.isStopped) continue;
      const b = engine.execute({ type: 'stopServer', args: {} });
      if (b.events.length > 0) out.push(b);
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private advance(lane: Lane): void {
    // Bounded: a replica yields at least one batch unless the scenario has no events; give up after one empty pass.
    for (let tries = 0; tries < 2 && lane.ahead === undefined; tries++) {
      if (!lane.engine) {
        if (lane.k >= this.options.replicas || this.finishing) return;
        lane.engine = startScenarioEngine(
          replicaScenario(this.scenario, lane.k),
          replicaSettings(this.settings, lane.k, lane.last + this.gap),
        );
        lane.k += this.laneCount;
      }
      const b = nextScenarioBatch(lane.engine);
      if (b) {
        lane.ahead = b;
      } else {
        if (!lane.engine.isStopped && lane.engine.describeSessions().length > 0) {
          // Memory bound for endless runs of a scenario that leaves sessions open: the oldest are forgotten.
          if (this.lingering.length >= MAX_LINGERING) this.lingering.shift();
          this.lingering.push(lane.engine);
        }
        lane.engine = undefined;
      }
    }
  }
}

/** Batches of every replica, merged by virtual time. */
export function replicaBatches(
  scenario: Scenario,
  settings: SimulationSettings,
  options: ReplicaOptions,
): Generator<Batch, void> {
  return new ReplicaStream(scenario, settings, options)[Symbol.iterator]();
}
