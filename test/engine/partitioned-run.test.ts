import { describe, expect, it } from 'vitest';
import type { EngineOptions } from '../../src/engine/engine.js';
import { OUTPUT_FIELDS, PartitionedRun } from '../../src/engine/partitioned-run.js';
import type { Plan, PlannedFault, Traffic } from '../../src/engine/traffic.js';
import { eventNameOf, toCdrEvent } from '../../src/model/ov2-events.js';
import type { Action } from '../../src/model/commands.js';
import { T0 } from './harness.js';

/** A hand-made plan: commands at offsets from the session's arrival. */
function planOf(commands: ReadonlyArray<readonly [number, Action]>, arrival: number): Plan {
  return {
    length: commands.length,
    at: (i) => arrival + commands[i]![0],
    command: (i) => commands[i]![1],
  };
}

/** Session `g<i>`: created, one participant joins at +100 ms and stays `stay` ms, plus any extra commands. */
function session(i: number, stay: number, extra: ReadonlyArray<readonly [number, Action]> = []) {
  const s = `g${i}`;
  return [
    [0, { type: 'createSession', args: { session: s } }],
    [100, { type: 'join', args: { session: s, participant: `${s}p0` } }],
    ...extra,
    [100 + stay, { type: 'leave', args: { participant: `${s}p0` } }],
  ] as ReadonlyArray<readonly [number, Action]>;
}

function traffic(
  arrivals: readonly number[],
  plans: ReadonlyArray<ReadonlyArray<readonly [number, Action]>>,
  faults: readonly PlannedFault[] = [],
): Traffic {
  return {
    arrivals: arrivals[Symbol.iterator](),
    faults: faults[Symbol.iterator](),
    plan: (index, at) => planOf(plans[index]!, at),
    restartAfterMs: 60_000,
    nodeRecoverAfterMs: 60_000,
    nodeCrashes: faults.some((f) => f.action.type === 'mediaServerCrash'),
  };
}

/** Every event of the run, as `name[:reason]` with its source partition and timestamp. */
function run(engine: Partial<EngineOptions>, t: Traffic) {
  const r = new PartitionedRun({ engine: { seed: 7, start: T0, ...engine }, traffic: t });
  const events: Array<{ name: string; source: number; data: Record<string, unknown> }> = [];
  while (r.next()) {
    for (let i = 0; i < r.segmentsLength; i += OUTPUT_FIELDS) {
      for (let k = r.segments[i + 3]!; k < r.segments[i + 4]!; k++) {
        const e = toCdrEvent(r.facts[k]!);
        if (e === undefined) continue;
        expect(eventNameOf(r.facts[k]!)).toBe(e.name);
        events.push({ name: e.name, source: r.segments[i + 2]!, data: e.data as Record<string, unknown> });
      }
    }
  }
  return { events, stats: r.stats };
}

describe('a generated run: one simulation of partitions', () => {
  it('steps partitions by (due time, index): sessions due at the same instant go in index order', () => {
    const { events } = run({}, traffic([T0, T0], [session(0, 5_000), session(1, 5_000)]));
    const created = events.filter((e) => e.name === 'sessionCreated').map((e) => e.source);
    expect(created).toEqual([0, 1]);
    expect(events.filter((e) => e.name === 'sessionDestroyed')).toHaveLength(2);
  });

  it('a Pro node crash runs once, in the cluster: it lists the sessions of its node, which close first, each in its partition', () => {
    const crashAt = T0 + 1_000;
    const signal = (s: string): Action => ({ type: 'signal', args: { session: s, type: 'x' } });
    const t = traffic(
      [T0, T0, T0 + 10, T0 + 10],
      // Each session plans a signal at the very millisecond of the crash.
      [0, 1, 2, 3].map((i) => session(i, 60_000, [[crashAt - (i < 2 ? T0 : T0 + 10), signal(`g${i}`)]])),
      [{ at: crashAt, action: { type: 'mediaServerCrash', args: {} } }],
    );
    const { events, stats } = run({ edition: 'pro', cluster: { mediaNodes: 2 } }, t);
    const crash = events.findIndex((e) => e.name === 'nodeCrashed');
    expect(events[crash]!.source).toBe(-1);
    const listed = events[crash]!.data.sessionIds as string[];
    // Sessions are placed by index among the running nodes: two on the crashed node.
    expect(listed).toHaveLength(2);
    const closed = events
      .slice(crash + 1, crash + 1 + 2 * listed.length)
      .filter((e) => e.name === 'sessionDestroyed')
      .map((e) => e.data.sessionId);
    expect(closed.slice().sort()).toEqual(listed.slice().sort());
    expect(
      events
        .filter((e) => e.name === 'sessionDestroyed' && e.data.reason === 'nodeCrashed')
        .map((e) => e.data.sessionId)
        .sort(),
    ).toEqual(listed.slice().sort());
    // The crash reached them before their signal of the same millisecond: the other two signalled, these did not.
    expect(events.filter((e) => e.name === 'signalSent').map((e) => e.data.sessionId)).not.toContain(
      listed[0],
    );
    expect(events.filter((e) => e.name === 'signalSent')).toHaveLength(2);
    expect(stats.faults.get('mediaServerCrash')).toBe(1);
    // The crashed sessions' partitions were over: their later leaves are not even tried.
    expect(stats.skippedTotal).toBe(0);
    expect(events.filter((e) => e.name === 'nodeRecovered')).toHaveLength(1);
  });

  it('a session planned on a node that crashed before it joined waits for a running one: its joins are refused', () => {
    const late: Array<readonly [number, Action]> = [
      [0, { type: 'createSession', args: { session: 'g1' } }],
      [5_000, { type: 'join', args: { session: 'g1', participant: 'g1p0' } }],
    ];
    const t = traffic(
      [T0, T0],
      [session(0, 30_000), late],
      [{ at: T0 + 1_000, action: { type: 'mediaServerCrash', args: {} } }],
    );
    const { events, stats } = run({ edition: 'pro', cluster: { mediaNodes: 1 } }, t);
    // g0 had joined: closed by the crash. g1 had not: with no node running, its join is refused, and counted.
    expect(events.filter((e) => e.name === 'participantJoined')).toHaveLength(1);
    expect(events.find((e) => e.name === 'sessionDestroyed')?.data.reason).toBe('nodeCrashed');
    expect(stats.skipped.get('join')).toBe(1);
    // The node comes back a minute later.
    expect(events.at(-1)?.name).toBe('nodeRecovered');
  });
});
