/**
 * The world projection the page renders: built by the server from each cascade, every event filed under exactly one
 * record, the records' histories as the scenario played them, patches that rebuild the full view on the page's own
 * store, bounded memory, and the scenario progress and settings the page reads from the state.
 */
import { describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { LiveSimulation } from '../../src/server/live-simulation.js';
import { MAX_CLOSED_SESSIONS } from '../../src/server/world-projection.js';
import type {
  ParticipantRecord,
  RecordingRecord,
  SessionRecord,
  StreamRecord,
  WorldPatch,
} from '../../src/server/view-types.js';

/** The page's own store (checked JS, typed by tsconfig.page.json): the parts this test uses. */
interface PageModel {
  applyPatch(patch: WorldPatch): void;
  clearRun(): void;
  store: {
    world: {
      sessions: Map<string, SessionRecord>;
      participants: Map<string, ParticipantRecord>;
      streams: Map<string, StreamRecord>;
      recordings: Map<string, RecordingRecord>;
    };
  };
}
const { applyPatch, clearRun, store } = (await import(
  new URL('../../src/server/public/model.js', import.meta.url).href
)) as PageModel;

const T0 = Date.parse('2024-05-10T14:00:00.000Z');

async function played(name: string, seed = 7): Promise<{ sim: LiveSimulation; patches: WorldPatch[] }> {
  const sim = new LiveSimulation({ seed, start: T0, paused: true }, await readScenario(name));
  const patches: WorldPatch[] = [];
  sim.subscribe((m) => {
    if (m.type === 'batch') patches.push(m.batch.world);
  });
  for (let i = 0; i < 10_000 && sim.step() !== null; i++);
  return { sim, patches };
}

/** Every seq filed in the projection, with how many records hold it. */
function filed(world: WorldPatch): Map<number, number> {
  const count = new Map<number, number>();
  const lists = [
    ...world.sessions,
    ...world.participants,
    ...world.streams,
    ...world.recordings,
    ...world.nodes,
    ...world.masters,
  ].map((r) => r.events);
  for (const seq of [...lists.flat(), ...world.clusterEvents]) count.set(seq, (count.get(seq) ?? 0) + 1);
  return count;
}

describe('the world projection', () => {
  it('files every event of a CE run under exactly one record, with the histories the scenario played', async () => {
    const { sim } = await played('default');
    const world = sim.world();
    const events = sim.log.page(0, 1000).events;
    expect(events.length).toBeGreaterThan(50);
    const count = filed(world);
    expect([...count.keys()].sort((a, b) => a - b)).toEqual(events.map((e) => e.seq));
    expect([...count.values()].every((n) => n === 1)).toBe(true);

    const standup = world.sessions.find((s) => s.handle === 'standup');
    expect(standup).toMatchObject({ sessionId: 'DailyStandup', reason: 'sessionClosedByServer' });
    expect(standup?.closedAt).toBeGreaterThan(standup!.createdAt);
    const bob = world.participants.find((p) => p.handle === 'bob');
    expect(bob).toMatchObject({ reason: 'networkDisconnect', session: standup?.key });
    const bobs = world.streams.filter((s) => s.participant === bob?.key);
    // bob published and received alice (and later the camera): all of them closed when his network dropped.
    expect(bobs.map((s) => s.direction)).toContain('OUTBOUND');
    expect(bobs.filter((s) => s.direction === 'INBOUND').map((s) => s.from)).toContain(
      world.participants.find((p) => p.handle === 'alice')?.key,
    );
    expect(bobs.every((s) => s.reason === 'networkDisconnect' && s.destroyedAt === bob?.leftAt)).toBe(true);
    const call = world.recordings.find((r) => r.handle === 'call');
    expect(call?.statuses.map((s) => s.status)).toEqual(['started', 'stopped', 'ready']);
    expect(call?.statuses[1]?.reason).toBe('recordingStoppedByServer');
    expect(call?.size).toBeGreaterThan(0);
    // The entries behind the seqs say the same.
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    expect(call?.events.map((s) => bySeq.get(s)?.name)).toEqual(Array(3).fill('recordingStatusChanged'));
    expect(world.mediaServer.incidents).toEqual([]);
  });

  it('rebuilds the full view on the page from the patches of the cascades', async () => {
    const { sim, patches } = await played('default');
    clearRun();
    for (const p of patches) applyPatch(p);
    const full = sim.world();
    const byKey = <T extends { key: string }>(list: readonly T[]) => new Map(list.map((r) => [r.key, r]));
    expect(store.world.sessions).toEqual(byKey(full.sessions));
    expect(store.world.participants).toEqual(byKey(full.participants));
    expect(store.world.streams).toEqual(byKey(full.streams));
    expect(store.world.recordings).toEqual(byKey(full.recordings));
  });

  it('keeps Pro media nodes with their statuses and crashes, and files node and autoscaling events', async () => {
    const { sim } = await played('pro-node-faults', 3);
    const world = sim.world();
    const events = sim.log.page(0, 1000).events;
    const count = filed(world);
    expect(count.size).toBe(events.length);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    const crashedNodes = world.nodes.filter((n) => n.crashes.length > 0);
    expect(crashedNodes.length).toBeGreaterThan(0);
    for (const n of world.nodes) {
      expect(n.statuses[0]?.status).toBe('launching');
      expect(n.events.length).toBeGreaterThanOrEqual(n.statuses.length + n.crashes.length);
    }
    const nodeCrashed = events.filter((e) => e.name === 'nodeCrashed').map((e) => e.seq);
    expect(crashedNodes.flatMap((n) => n.crashes.map((c) => c.seq)).sort()).toEqual(nodeCrashed.sort());
    expect(sim.state().openvidu.cluster?.silentRetryMs).toBe(3000);
  });

  it('tells what a CE media server crash and restart took down', async () => {
    const { sim } = await played('media-server-crash');
    const [crash] = sim.world().mediaServer.incidents;
    expect(crash).toMatchObject({
      kind: 'crash',
      sessionsClosed: 1,
      connectionsDropped: 4,
      recordingsStopped: 1,
    });
    const restart = (await played('media-server-reconnect')).sim.world().mediaServer.incidents;
    expect(restart).toMatchObject([{ kind: 'restart', sessionsClosed: 0, connectionsDropped: 4 }]);
    expect(sim.state().openvidu.cluster).toBeNull();
  });

  it('forgets the oldest closed sessions past its bound, and says so in the patch', async () => {
    const sim = new LiveSimulation({ seed: 1, start: T0, paused: true });
    const removed: string[] = [];
    sim.subscribe((m) => {
      if (m.type === 'batch') removed.push(...m.batch.world.removedSessions);
    });
    const n = MAX_CLOSED_SESSIONS + 5;
    for (let i = 0; i < n; i++) {
      sim.execute({ type: 'createSession', args: { session: `s${i}` } });
      sim.execute({ type: 'join', args: { session: `s${i}`, participant: `p${i}` } });
      sim.execute({ type: 'leave', args: { participant: `p${i}` } });
    }
    const world = sim.world();
    expect(world.sessions).toHaveLength(MAX_CLOSED_SESSIONS);
    expect(world.participants).toHaveLength(MAX_CLOSED_SESSIONS);
    expect(removed).toHaveLength(5);
    expect(world.sessions.map((s) => s.handle)).not.toContain('s0');
    expect(world.sessions.map((s) => s.handle)).toContain(`s${n - 1}`);
  });

  it('says which scenario step comes next and how many are left, refused ones counted as run', async () => {
    const scenario = await readScenario('default');
    const sim = new LiveSimulation({ seed: 7, start: T0, paused: true }, scenario);
    expect(sim.state()).toMatchObject({
      start: T0,
      stepsLeft: scenario.steps.length,
      nextStep: { index: 0, at: T0, type: 'createSession', args: { session: 'standup' } },
      liveActions: 0,
    });
    sim.step();
    sim.step();
    expect(sim.state().nextStep?.index).toBe(2);
    expect(sim.state().stepsLeft).toBe(scenario.steps.length - 2);
    sim.execute({ type: 'closeSession', args: { session: 'standup' } });
    expect(sim.state().liveActions).toBe(1);
    // The next steps act on the closed session: refused, but run all the same.
    for (let i = 0; i < 10_000 && sim.step() !== null; i++);
    expect(sim.state()).toMatchObject({ nextStep: null, stepsLeft: 0 });
    sim.reset();
    expect(sim.state()).toMatchObject({ stepsLeft: scenario.steps.length, liveActions: 0 });
    expect(sim.world().sessions).toEqual([]);
  });
});
