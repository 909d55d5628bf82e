/**
 * `npm run bench:generate [-- --duration 24h] [--scenario busy-day] [--out-dir /tmp] [--workers N] [--rounds 3] [--10m]`:
 * generates a random scenario to a file through the real pipeline — with one generator thread and with several (one
 * per core, 2 to 4), each in a process of its own — and prints events/s, MB/s and peak RSS of each; and, in the same
 * round, a baseline: the same number of events, already built in memory (a sample of the run's first events, built
 * before timing and cycled), only serialized with JSON.stringify and written through the same kind of stream. Several
 * rounds, each pairing runs with a baseline of its own; the summary gives medians. Figures, no assertions.
 */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CdrEvent } from '../src/model/catalogue.js';
import { GenerationStats } from '../src/generate/generate-batches.js';
import { scenarioBatches } from '../src/generate/scenario-batches.js';
import { generateScenario } from '../src/runtime/generate.js';
import { keepHeapsSmall } from '../src/runtime/heap-policy.js';
import { generateInParallel } from '../src/runtime/parallel-generate.js';
import { readScenario } from '../src/scenario/read-scenario.js';
import { resolveSettings } from '../src/scenario/simulate-scenario.js';
import { openAtomicFile } from '../src/sinks/atomic-file.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const scenarioName = arg('scenario', 'busy-day');
// `--10m`: busy-day over ten days, about 10 million events (the memory and speed of a long run).
const duration = process.argv.includes('--10m') ? '240h' : arg('duration', '');
const outDir = arg('out-dir', tmpdir());
// One thread and several (one per core, at most 4, and at least 2 — `ovsim generate`'s default on 2 cores is 1
// thread, and the threaded figure is measured all the same), unless --workers is given.
const auto = Math.max(2, Math.min(4, availableParallelism()));
const workerCounts = process.argv.includes('--workers')
  ? [Number(arg('workers', '1'))]
  : [...new Set([1, auto])];
const SAMPLE = 250_000;
/** Rounds of (runs, baseline); `--rounds N`. */
const ROUNDS = Math.max(1, Number(arg('rounds', '3')));

const set = duration ? [`duration=${duration}`] : [];
const file = path.join(outDir, `ovsim-bench-${scenarioName}.cdr.jsonl`);

interface Measured {
  readonly workers: number;
  readonly events: number;
  readonly bytes: number;
  readonly wall: number;
  readonly peakRssMb: number;
  readonly planned: number;
  readonly peakLive: number;
}

/** 1. The real pipeline (generator → serializer → atomic file), in this process: run by a child per thread count. */
async function measure(workers: number): Promise<Measured> {
  keepHeapsSmall(); // as `ovsim generate` does
  const scenario = await readScenario(scenarioName);
  const settings = resolveSettings(scenario);
  let stats = new GenerationStats();
  const sink = await openAtomicFile(file);
  let bytes = 0;
  const t0 = performance.now();
  const counted = countingSink(sink, (n) => (bytes += n));
  let summary;
  if (workers > 1) {
    const r = await generateInParallel(
      { scenarioRef: scenarioName, overrides: {}, set, format: 'cdr', workers },
      counted,
    );
    summary = r.summary;
    stats = r.stats;
  } else {
    summary = await generateScenario(scenario, settings, 'cdr', counted, {
      batches: scenarioBatches(scenario, settings, { set, stats }),
    });
  }
  await sink.commit();
  const wall = (performance.now() - t0) / 1000;
  rmSync(file, { force: true });
  return {
    workers,
    events: summary.events,
    bytes,
    wall,
    peakRssMb: process.resourceUsage().maxRSS / 1024, // KiB → MiB, threads included
    planned: stats.planned,
    peakLive: stats.peakLive,
  };
}

/** Runs `measure` in a child process of its own, so that each figure of peak RSS is its run's alone. */
function measureInChild(workers: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      [...process.argv.slice(2), '--child', String(workers)],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    child.once('message', (m: Measured) => resolve(m));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited with ${code}`))));
  });
}

if (process.argv.includes('--child')) {
  process.send?.(await measure(Number(arg('child', '1'))));
  process.exit(0);
}

// 2. Baseline: events built before timing (a sample of the run's first events, cycled), JSON.stringify only, the same
// stream and buffering. Measured here, between the runs of each round: this machine's speed drifts by ±20 % within
// minutes, so each round pairs a baseline with the runs next to it, and the ratio reported is the median round's.
const scenario = await readScenario(scenarioName);
const settings = resolveSettings(scenario);
const sample: CdrEvent[] = [];
for (const b of scenarioBatches(scenario, settings, { set })) {
  for (const e of b.events) sample.push(e);
  if (sample.length >= SAMPLE) break;
}

async function baselineRate(events: number): Promise<{ rate: number; mbPerSecond: number }> {
  const baseFile = `${file}.baseline`;
  const base = await openAtomicFile(baseFile);
  let baseBytes = 0;
  const t1 = performance.now();
  let buffer = '';
  for (let i = 0; i < events; i++) {
    const e = sample[i % sample.length] as CdrEvent;
    buffer += JSON.stringify({ [e.name]: e.data }) + '\n';
    if (buffer.length >= 64 * 1024) {
      baseBytes += buffer.length;
      const pending = base.write(buffer);
      buffer = '';
      if (pending) await pending;
    }
  }
  baseBytes += buffer.length;
  await base.write(buffer);
  await base.commit();
  const wall = (performance.now() - t1) / 1000;
  rmSync(baseFile, { force: true });
  return { rate: events / wall, mbPerSecond: baseBytes / 1e6 / wall };
}

const threads = (w: number) => `${w} generator thread${w > 1 ? 's' : ''}`;
const perWorkers = new Map<number, Array<{ run: Measured; ratio: number }>>();
let header = false;
for (let round = 1; round <= ROUNDS; round++) {
  const runs: Measured[] = [];
  for (const w of workerCounts) runs.push(await measureInChild(w));
  const first = runs[0]!;
  if (!header) {
    console.log(
      `${scenarioName}${duration ? ` (duration ${duration})` : ''}: ${first.events} events, ${first.planned} sessions, ` +
        `peak ${first.peakLive} live; ${ROUNDS} rounds`,
    );
    header = true;
  }
  const base = await baselineRate(first.events);
  console.log(`round ${round}:`);
  for (const r of runs) {
    const ratio = r.events / r.wall / base.rate;
    perWorkers.set(r.workers, [...(perWorkers.get(r.workers) ?? []), { run: r, ratio }]);
    console.log(
      `  generate  ${fmt(r.events / r.wall)} events/s  ${(r.bytes / 1e6 / r.wall).toFixed(1)} MB/s  ` +
        `${r.wall.toFixed(2)} s  peak RSS ${r.peakRssMb.toFixed(0)} MB  ratio ${ratio.toFixed(2)}  (${threads(r.workers)})`,
    );
  }
  console.log(
    `  baseline  ${fmt(base.rate)} events/s  ${base.mbPerSecond.toFixed(1)} MB/s  ` +
      `(JSON.stringify of ${sample.length} prebuilt events, cycled)`,
  );
}
console.log('summary:');
for (const [w, list] of perWorkers) {
  const rates = list.map(({ run }) => run.events / run.wall).sort((a, b) => a - b);
  const ratios = list.map(({ ratio }) => ratio).sort((a, b) => a - b);
  const peak = Math.max(...list.map(({ run }) => run.peakRssMb));
  console.log(
    `  ${threads(w)}: median ${fmt(median(rates))} events/s (best ${fmt(rates[rates.length - 1]!)}), ` +
      `median ratio ${median(ratios).toFixed(2)} of the baseline, peak RSS at most ${peak.toFixed(0)} MB`,
  );
}
const one = perWorkers.get(1);
const many = [...perWorkers].find(([w]) => w > 1);
if (one && many) {
  const rate = (list: ReadonlyArray<{ run: Measured }>) =>
    median(list.map(({ run }) => run.events / run.wall).sort((a, b) => a - b));
  console.log(`  ${threads(many[0])}: ${(rate(many[1]) / rate(one)).toFixed(2)}× one thread (medians)`);
}
console.log('  targets   2 threads: ≥ 1.0 of the baseline, ≥ 1.7× one thread, peak RSS ≤ 200 MB');

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function countingSink<
  S extends { write(t: string | Uint8Array, done?: () => void): Promise<void> | undefined | void },
>(s: S, count: (n: number) => void): S {
  return new Proxy(s, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        // The `done` callback goes through: generation hands written buffers back for reuse, as `ovsim generate` does.
        return (t: string | Uint8Array, done?: () => void) => {
          count(typeof t === 'string' ? Buffer.byteLength(t) : t.length);
          return target.write(t, done);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
