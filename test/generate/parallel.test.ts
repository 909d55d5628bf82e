import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenerationStats, parseShard } from '../../src/generate/generate-batches.js';
import { scenarioBatches } from '../../src/generate/scenario-batches.js';
import { generateScenario } from '../../src/runtime/generate.js';
import { generateInParallel } from '../../src/runtime/parallel-generate.js';
import type { RunSummary } from '../../src/runtime/summary.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { memorySink } from '../memory-sink.js';

interface Run {
  readonly bytes: Buffer;
  readonly summary: RunSummary;
  readonly stats: GenerationStats;
}

async function sequential(
  ref: string,
  set: string[] = [],
  shard?: string,
  format: 'cdr' | 'webhook' = 'cdr',
): Promise<Run> {
  const scenario = await readScenario(ref);
  const settings = resolveSettings(scenario);
  const stats = new GenerationStats();
  const sink = memorySink();
  const summary = await generateScenario(scenario, settings, format, sink, {
    batches: scenarioBatches(scenario, settings, {
      set,
      shard: shard ? parseShard(shard) : undefined,
      stats,
    }),
  });
  return { bytes: sink.bytes(), summary, stats };
}

async function parallel(
  ref: string,
  workers: number,
  o: {
    set?: string[];
    shard?: string;
    chunkBytes?: number;
    window?: number;
    format?: 'cdr' | 'webhook';
  } = {},
): Promise<Run & { writes: number }> {
  const sink = memorySink();
  const r = await generateInParallel(
    {
      scenarioRef: ref,
      overrides: {},
      set: o.set ?? [],
      shard: o.shard ? parseShard(o.shard) : undefined,
      format: o.format ?? 'cdr',
      workers,
      outputBytes: 64 * 1024,
      ...(o.chunkBytes ? { chunkBytes: o.chunkBytes } : {}),
      ...(o.window ? { window: o.window } : {}),
    },
    sink,
  );
  return { bytes: sink.bytes(), summary: r.summary, stats: r.stats, writes: sink.writes };
}

/** A scenario file with scripted steps (non-ASCII data among them) beside a generate: block with global faults. */
function mixedScenarioFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ovsim-parallel-'));
  const file = path.join(dir, 'mixed.yaml');
  writeFileSync(
    file,
    [
      'name: mixed',
      'seed: 11',
      'steps:',
      '  - { at: 0s, createSession: { session: s } }',
      '  - { at: 1s, join: { session: s, participant: p, clientData: "Zoë – ☕ 会議" } }',
      '  - { at: 2s, signal: { session: s, from: p, type: chat, data: "héllo ✓" } }',
      '  - { at: 30m, leave: { participant: p } }',
      'generate:',
      '  duration: 40m',
      '  sessions: { rate: 6/min }',
      '  faults: { mediaServerReconnect: 3/h, serverStop: 2/h }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('parallel generation (worker threads)', () => {
  it('writes exactly the bytes of one thread, with 2 and 3 workers, small chunks and a window of 1', async () => {
    const one = await sequential('demo-random');
    const two = await parallel('demo-random', 2);
    expect(two.bytes.equals(one.bytes)).toBe(true);
    const three = await parallel('demo-random', 3, { chunkBytes: 2000, window: 1 });
    expect(three.bytes.equals(one.bytes)).toBe(true);
    expect(three.writes).toBeGreaterThan(1);
    // The summary agrees: events, sessions, span, and event types in order of first appearance.
    expect(three.summary.events).toBe(one.summary.events);
    expect(three.summary.sessions).toBe(one.summary.sessions);
    expect(three.summary.virtualSpanMs).toBe(one.summary.virtualSpanMs);
    expect([...three.summary.byType]).toEqual([...one.summary.byType]);
    expect(three.stats.planned).toBe(one.stats.planned);
    expect(three.stats.arrived).toBe(one.stats.arrived);
  }, 60_000);

  it('Pro: the cluster boot and the sessions on its nodes merge back exactly (WebHook format too)', async () => {
    const set = ['duration=30m'];
    const one = await sequential('busy-day-pro', set);
    const two = await parallel('busy-day-pro', 2, { set, chunkBytes: 20_000 });
    expect(one.bytes.length).toBeGreaterThan(100_000);
    expect(two.bytes.equals(one.bytes)).toBe(true);
    const hooks = await sequential('busy-day-pro', set, undefined, 'webhook');
    const hooks2 = await parallel('busy-day-pro', 2, { set, format: 'webhook' });
    expect(hooks2.bytes.equals(hooks.bytes)).toBe(true);
  }, 60_000);

  it('scripted steps with non-ASCII text, global faults and --shard compose with workers', async () => {
    const file = mixedScenarioFile();
    const one = await sequential(file);
    expect(one.bytes.toString('utf8')).toContain('héllo ✓');
    expect(one.stats.faults.size).toBeGreaterThan(0);
    const three = await parallel(file, 3, { chunkBytes: 5000 });
    expect(three.bytes.equals(one.bytes)).toBe(true);
    // Shard 1 of 2 split again over 2 threads is still shard 1 of 2.
    const shard = await sequential(file, [], '1/2');
    const shardParallel = await parallel(file, 2, { shard: '1/2', chunkBytes: 5000 });
    expect(shard.bytes.length).toBeGreaterThan(0);
    expect(shardParallel.bytes.equals(shard.bytes)).toBe(true);
  }, 60_000);

  it('reports a thread that fails, and stops the others', async () => {
    const sink = memorySink();
    await expect(
      generateInParallel(
        {
          scenarioRef: path.join(tmpdir(), 'no-such-scenario.yaml'),
          overrides: {},
          format: 'cdr',
          workers: 2,
        },
        sink,
      ),
      // A worker's failure names its thread; this thread's own (a ScenarioError) is relayed as it is.
    ).rejects.toThrow(/(generator thread \d failed: .*)?no such file or scenario .*no-such-scenario/);
    expect(sink.writes).toBe(0);
  }, 30_000);
});
