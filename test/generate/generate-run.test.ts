import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBatches, GenerationStats, parseShard } from '../../src/generate/generate-batches.js';
import { readGenerateBlock } from '../../src/generate/read-generate-block.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { bundled, render, scenarioOf, validationErrors } from './helpers.js';

/** Pinned output of `ovsim generate demo-random` (see CHANGELOG.md, "Output hashes"): change it only on purpose. */
const DEMO_RANDOM_SHA256 = '60c4f37dc409cd3a8f62e30adbe06e0aa66c44b7dd83bbd60bcce26989612409';

const small = { duration: '15m', sessions: { rate: '3/min' }, recording: { probability: 0.5 } };

describe('generated runs', () => {
  it('demo-random reproduces its pinned SHA-256 byte for byte, and passes the validator', async () => {
    const text = render(await bundled('demo-random'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(DEMO_RANDOM_SHA256);
    const lines = text.split('\n').length - 1;
    expect(lines).toBeGreaterThan(1000);
    expect(lines).toBeLessThan(2000);
    expect(validationErrors(text)).toEqual([]);
  });

  it('same seed gives the same bytes; another seed other bytes', () => {
    const s = scenarioOf(small);
    const a = render(s, { seed: '7' });
    expect(render(s, { seed: '7' })).toBe(a);
    expect(render(s, { seed: '8' })).not.toBe(a);
    expect(a.length).toBeGreaterThan(0);
  });

  it('faults and scripted steps together still give a valid log', () => {
    const s = scenarioOf(
      {
        ...small,
        faults: {
          networkDrop: 0.2,
          forceDisconnect: 0.1,
          mediaServerReconnect: '6/h',
          serverStop: '2/h',
          restartAfter: '1m',
        },
      },
      'steps:\n  - at: 1s\n    createSession: { session: scripted }\n  - at: 2s\n    join: { session: scripted, participant: a }\n  - at: 30s\n    leave: { participant: a }\n',
    );
    const text = render(s, { seed: '3' });
    expect(text).toContain('"reason":"networkDisconnect"');
    expect(validationErrors(text)).toEqual([]);
  });

  it('the union of n shards is the unsharded output, as a set of lines, for several n', () => {
    const s = scenarioOf({ ...small, faults: { mediaServerReconnect: '4/h' } });
    const whole = render(s).split('\n').filter(Boolean).sort();
    for (const n of [2, 3]) {
      const parts = Array.from({ length: n }, (_, i) =>
        render(s, { shard: { index: i, count: n } })
          .split('\n')
          .filter(Boolean),
      );
      expect(parts.every((p) => p.length > 0)).toBe(true);
      expect(parts.flat().sort()).toEqual(whole);
    }
  });

  it('Pro: the cluster comes up once, sessions spread over its nodes, shards still recombine exactly', () => {
    const s = scenarioOf(
      { ...small, recording: { probability: 1, always: 0, outputMode: { COMPOSED: 1 } } },
      'openvidu: { edition: pro, cluster: { id: C1, mediaNodes: 3 } }\n',
    );
    const text = render(s, { seed: '5' });
    const lines = text.split('\n').filter(Boolean);
    const boot = lines.filter((l) => l.startsWith('{"mediaNodeStatusChanged"'));
    expect(boot).toHaveLength(6);
    expect(boot.every((l) => l.includes('"clusterId":"C1"'))).toBe(true);
    const nodeIds = new Set(
      boot.map(
        (l) => (JSON.parse(l) as { mediaNodeStatusChanged: { id: string } }).mediaNodeStatusChanged.id,
      ),
    );
    const used = new Set([...text.matchAll(/"media_node_id":"([^"]+)"/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...nodeIds].sort());
    expect(validationErrors(text)).toEqual([]);
    const parts = [0, 1].map((i) =>
      render(s, { seed: '5', shard: { index: i, count: 2 } })
        .split('\n')
        .filter(Boolean),
    );
    expect(parts[1]!.some((l) => l.startsWith('{"mediaNodeStatusChanged"'))).toBe(false);
    expect(parts.flat().sort()).toEqual([...lines].sort());
  });

  it('parses --shard i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('4/4')).toBeUndefined();
    expect(parseShard('1-4')).toBeUndefined();
  });

  it('keeps memory flat: live sessions stay bounded over a long run', () => {
    const config = readGenerateBlock({
      duration: '12h',
      sessions: { rate: '2/min' },
      mix: { webinar: 0, ipcam: 0 },
    });
    const s = scenarioOf({});
    const settings = resolveSettings(s);
    const stats = new GenerationStats();
    let events = 0;
    let maxLive = 0;
    for (const b of generateBatches(
      { config, engine: settings.engine, minor: settings.profile.minor },
      stats,
    )) {
      events += b.events.length;
      maxLive = Math.max(maxLive, stats.live);
    }
    expect(stats.planned).toBeGreaterThan(1000);
    expect(events).toBeGreaterThan(20_000);
    // ~2 sessions/min lasting minutes to an hour or two: tens live at once, never the whole run's sessions.
    expect(maxLive).toBeLessThan(200);
    expect(stats.peakLive).toBe(maxLive);
    expect(stats.live).toBe(0);
  });
});

describe('property: any small generate block and seed', () => {
  it('gives a valid, deterministic log', () => {
    const block = fc.record({
      duration: fc.integer({ min: 60, max: 600 }),
      sessions: fc.record({
        rate: fc.constantFrom('1/min', '3/min', '6/min'),
        arrival: fc.constantFrom('poisson', 'uniform'),
      }),
      mix: fc.record({
        call: fc.nat(5),
        meeting: fc.nat(5),
        webinar: fc.nat(5),
        ipcam: fc.integer({ min: 1, max: 5 }),
      }),
      meeting: fc.record({
        duration: fc.constantFrom('1m', '5m', '20m'),
        publish: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      recording: fc.record({
        probability: fc.double({ min: 0, max: 1, noNaN: true }),
        always: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      faults: fc.record({
        networkDrop: fc.double({ min: 0, max: 0.5, noNaN: true }),
        mediaServerReconnect: fc.constantFrom(0, '10/h'),
        serverStop: fc.constantFrom(0, '5/h'),
      }),
    });
    fc.assert(
      fc.property(block, fc.integer({ min: 0, max: 1e6 }), (b, seed) => {
        const s = scenarioOf(b);
        const a = render(s, { seed: String(seed) });
        expect(render(s, { seed: String(seed) })).toBe(a);
        expect(validationErrors(a)).toEqual([]);
      }),
      { numRuns: 15, seed: 4242 },
    );
  });
});
