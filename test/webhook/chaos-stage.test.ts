/** The chaos stage on its own, with a sender that answers at once: the order of hand-overs, stops, counts. */
import { describe, expect, it } from 'vitest';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings, simulateScenario } from '../../src/scenario/simulate-scenario.js';
import { ChaosPlanner } from '../../src/sinks/chaos-plan.js';
import { parseChaosSpec } from '../../src/sinks/chaos-spec.js';
import { ChaosStage } from '../../src/sinks/chaos-stage.js';
import type { DeliveryTag } from '../../src/sinks/delivery-tag.js';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';

async function defaultRun() {
  const scenario = await readScenario('default');
  const settings = resolveSettings(scenario, {});
  const events: CdrEvent[] = [];
  for (const b of simulateScenario(scenario, settings)) for (const e of b.events) events.push(e);
  return { settings, events };
}

function stageWith(spec: string, seed: string, settings: Awaited<ReturnType<typeof defaultRun>>['settings']) {
  const sent: { event: CdrEvent; tag: DeliveryTag }[] = [];
  const stage = new ChaosStage({
    spec: parseChaosSpec(spec),
    seed,
    profile: settings.profile,
    events: resolveOpenviduConfig({}).webhookEvents,
    scale: 0,
    send: (event, tag) => {
      sent.push({ event, tag });
      const outcome = { kind: 'status' as const, status: 200 };
      tag.attempted({ n: 1, startedAt: performance.now(), ms: 1, outcome, accepted: true, last: true });
      tag.settled('delivered', 'status 200');
    },
  });
  return { stage, sent };
}

describe('ChaosStage', () => {
  it('at --speed max hands copies over in the order of their planned instants, ties in plan order', async () => {
    const { settings, events } = await defaultRun();
    const spec = 'dup=0.3,dupdelay=exp:3s,delay=exp:2s';
    const { stage, sent } = stageWith(spec, '11', settings);
    for (const e of events) void stage.offer(e, e.data.timestamp, 0);
    await stage.finish();
    // The same plan, drawn again: the expected order of every copy.
    const planner = new ChaosPlanner(parseChaosSpec(spec), '11');
    const planned = events.flatMap((e, seq) =>
      planner.next().copies.map((c) => ({ due: e.data.timestamp + c.delayMs, seq, event: e })),
    );
    const expected = planned
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.due - b.due || a.i - b.i)
      .map((p) => p.event);
    expect(sent.map((s) => s.event)).toEqual(expected);
    expect(sent.length).toBeGreaterThan(events.length);
    const r = stage.report();
    expect([r.events, r.deliveries, r.requests, r.delivered, r.undelivered]).toEqual([
      events.length,
      sent.length,
      sent.length,
      events.length,
      0,
    ]);
    // Every copy of an event carries the same message id.
    const ids = new Map<CdrEvent, Set<string>>();
    for (const s of sent) ids.set(s.event, (ids.get(s.event) ?? new Set()).add(s.tag.messageId));
    for (const set of ids.values()) expect(set.size).toBe(1);
  });

  it('a stall holds what falls due within it, then lets it go at once, in plan order', async () => {
    const { settings, events } = await defaultRun();
    const { stage, sent } = stageWith('stall=0.2:30s', '3', settings);
    const handedAt: number[] = [];
    let now = 0;
    for (const e of events) {
      now = e.data.timestamp;
      const before = sent.length;
      void stage.offer(e, now, 0);
      for (let i = before; i < sent.length; i++) handedAt.push(now);
    }
    await stage.finish();
    expect(stage.report().stalls).toBeGreaterThan(0);
    // Some copies went out later than their event (held), and every event went out once.
    expect(sent.length).toBe(events.length);
    const late = sent.filter((s, i) => handedAt[i] !== undefined && handedAt[i]! > s.event.data.timestamp);
    expect(late.length).toBeGreaterThan(0);
  });

  it('after a stop, what is offered or held is never sent, and finish does not wait for it', async () => {
    const { settings, events } = await defaultRun();
    const { stage, sent } = stageWith('reorder=50', '1', settings);
    for (const e of events.slice(0, 10)) void stage.offer(e, e.data.timestamp, 0);
    stage.abort();
    for (const e of events.slice(10, 20)) void stage.offer(e, e.data.timestamp, 0);
    await stage.finish();
    expect(sent).toEqual([]);
    expect(stage.report()).toMatchObject({
      events: 20,
      deliveries: 20,
      unsent: 20,
      undelivered: 20,
      delivered: 0,
    });
  });
});
