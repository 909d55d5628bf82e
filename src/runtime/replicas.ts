/**
 * Many copies of one scenario played side by side, for load tests: lifelike traffic in volume.
 *
 * Replica k uses seed `<seed>#k` (k = 0 keeps the seed, so one replica equals `generate`) and suffixes custom session
 * ids with `_k` (two live sessions never share an id, as OpenVidu would refuse). Replicas run in `lanes`: each lane
 * plays its replicas one after the other, lanes start staggered over the scenario's span, and their batches are
 * merged in virtual-time order — so many sessions are live at once, as on a busy server.
 */
import type { Batch } from '../engine/engine.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { simulateScenario, type SimulationSettings } from '../scenario/simulate-scenario.js';

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

interface Lane {
  readonly index: number;
  /** Next replica number of this lane. */
  k: number;
  it: Iterator<Batch, unknown> | undefined;
  ahead: Batch | undefined;
  /** Virtual time the last batch of this lane ran. */
  last: number;
}

/** Batches of every replica, merged by virtual time. */
export function* replicaBatches(
  scenario: Scenario,
  settings: SimulationSettings,
  options: ReplicaOptions,
): Generator<Batch, void> {
  const laneCount = Math.max(1, Math.min(options.lanes ?? 1, options.replicas));
  const gap = options.gapMs ?? 1000;
  const span = laneCount > 1 ? measureScenario(scenario, settings).spanMs : 0;
  const stagger = laneCount > 1 ? Math.floor(span / laneCount) : 0;
  const lanes: Lane[] = [];
  for (let l = 0; l < laneCount; l++) {
    lanes.push({ index: l, k: l, it: undefined, ahead: undefined, last: settings.start + l * stagger - gap });
  }
  const advance = (lane: Lane): void => {
    // Bounded: a replica yields at least one batch unless the scenario has no events; give up after one empty pass.
    for (let tries = 0; tries < 2 && lane.ahead === undefined; tries++) {
      if (!lane.it) {
        if (lane.k >= options.replicas) return;
        const start = lane.last + gap;
        lane.it = simulateScenario(
          replicaScenario(scenario, lane.k),
          replicaSettings(settings, lane.k, start),
        );
        lane.k += laneCount;
      }
      const r = lane.it.next();
      if (r.done) lane.it = undefined;
      else lane.ahead = r.value;
    }
  };
  for (const lane of lanes) advance(lane);
  for (;;) {
    let best: Lane | undefined;
    for (const lane of lanes) if (lane.ahead && (!best || lane.ahead.at < best.ahead!.at)) best = lane;
    if (!best) return;
    const b = best.ahead!;
    best.ahead = undefined;
    best.last = Math.max(best.last, b.at, ...b.events.map((e) => e.data.timestamp));
    yield b;
    advance(best);
  }
}
