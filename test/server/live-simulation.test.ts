import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { LiveSimulation, type SimulationMessage } from '../../src/server/live-simulation.js';
import { ManualClock } from '../runtime/manual-clock.js';

const T0 = Date.UTC(2024, 0, 1);

function live(yaml: string, speed = 1) {
  const clock = new ManualClock();
  const sim = new LiveSimulation(
    { start: T0, speed, pacerClock: clock },
    parseScenarioText(yaml, 'live.yaml'),
  );
  const names: string[] = [];
  sim.subscribe((m: SimulationMessage) => {
    if (m.type === 'batch') names.push(...m.batch.events.map((e) => e.name));
    if (m.type === 'refused') names.push(`refused: ${m.message}`);
  });
  return { sim, clock, names };
}

const CALL = `
steps:
  - at: 10s
    createSession: { session: s1 }
  - at: 20s
    join: { session: s1, participant: alice }
  - at: 30s
    join: { session: nowhere, participant: bob }
  - at: 40s
    leave: { participant: alice }
`;

describe('LiveSimulation on the shared pacer', () => {
  it('plays the steps as the wall clock reaches them, stands still while paused, and steps past a refusal', () => {
    const { sim, clock, names } = live(CALL, 2);
    clock.advance(4_999);
    expect(names).toEqual([]);
    clock.advance(1);
    expect(names).toEqual(['sessionCreated']);
    sim.pause();
    clock.advance(60_000);
    expect(sim.virtualNow()).toBe(T0 + 10_000);
    expect(sim.state().clock).toMatchObject({ status: 'paused', speed: 2 });
    const stepped = sim.step();
    expect(stepped?.events.map((e) => e.name)).toEqual(['participantJoined']);
    expect(sim.virtualNow()).toBeGreaterThanOrEqual(T0 + 20_000);
    // The refused step is reported and skipped; the step lands on the next cascade with events.
    expect(sim.step()?.cause).toMatchObject({ kind: 'action', type: 'leave' });
    expect(names.some((n) => n.startsWith('refused: steps[2].join'))).toBe(true);
    expect(sim.step()).toBeNull();
  });

  it('runs a live action at the current virtual instant', () => {
    const { sim, clock } = live('steps: []', 10);
    clock.advance(1_000);
    const view = sim.execute({ type: 'createSession', args: { session: 'live' } });
    expect(view.at).toBe(T0 + 10_000);
    expect(view.events[0]?.timestamp).toBe(T0 + 10_000);
  });

  it('keeps sampling an idle Pro cluster with autoscaling on (its samples are background work)', () => {
    const { sim, clock } = live(
      'openvidu: { edition: pro, cluster: { autoscaling: { enabled: true } } }\nsteps: []',
      100,
    );
    // Background work is not announced as the next step, but the live server keeps running it.
    expect(sim.state().nextAt).toBeNull();
    expect(clock.pending).toBe(1);
    clock.advance(1_000); // 100 virtual seconds: ten samples
    expect(sim.virtualNow()).toBeGreaterThanOrEqual(T0 + 100_000);
    expect(clock.pending).toBe(1);
  });
});
