/**
 * `npm run bench:generate [-- --duration 24h] [--scenario busy-day] [--out-dir /tmp]`: generates a random scenario
 * to a file through the real pipeline and prints events/s, MB/s and peak RSS; then, in the same run, a baseline:
 * the same number of events, already built in memory (a sample of the run's first events, built before timing and
 * cycled), only serialized with JSON.stringify and written through the same kind of stream. Figures, no assertions.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CdrEvent } from '../src/model/catalogue.js';
import { GenerationStats } from '../src/generate/generate-batches.js';
import { scenarioBatches } from '../src/generate/scenario-batches.js';
import { generateScenario } from '../src/runtime/generate.js';
import { readScenario } from '../src/scenario/parse-scenario.js';
import { resolveSettings } from '../src/scenario/simulate-scenario.js';
import { openAtomicFile } from '../src/sinks/atomic-file.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const scenarioName = arg('scenario', 'busy-day');
const duration = arg('duration', '');
const outDir = arg('out-dir', tmpdir());
const SAMPLE = 250_000;

const scenario = await readScenario(scenarioName);
const set = duration ? [`duration=${duration}`] : [];
const settings = resolveSettings(scenario);
const file = path.join(outDir, `ovsim-bench-${scenarioName}.cdr.jsonl`);

// 1. The real pipeline: generator → serializer → atomic file.
const stats = new GenerationStats();
const sink = await openAtomicFile(file);
let bytes = 0;
const t0 = performance.now();
const summary = await generateScenario(
  scenario,
  settings,
  'cdr',
  countingSink(sink, (n) => (bytes += n)),
  {
    batches: scenarioBatches(scenario, settings, { set, stats }),
  },
);
await sink.commit();
const wall = (performance.now() - t0) / 1000;
const peakRss = process.resourceUsage().maxRSS / 1024; // KiB → MiB
const rate = summary.events / wall;
console.log(
  `${scenarioName}${duration ? ` (duration ${duration})` : ''}: ${summary.events} events, ${stats.planned} sessions, peak ${stats.peakLive} live`,
);
console.log(
  `  generate  ${fmt(rate)} events/s  ${(bytes / 1e6 / wall).toFixed(1)} MB/s  ${wall.toFixed(2)} s  peak RSS ${peakRss.toFixed(0)} MB`,
);

// 2. Baseline: events built before timing, JSON.stringify only, same stream and buffering.
const sample: CdrEvent[] = [];
for (const b of scenarioBatches(scenario, settings, { set })) {
  for (const e of b.events) sample.push(e);
  if (sample.length >= Math.min(SAMPLE, summary.events)) break;
}
const baseFile = `${file}.baseline`;
const base = await openAtomicFile(baseFile);
let baseBytes = 0;
const t1 = performance.now();
let buffer = '';
for (let i = 0; i < summary.events; i++) {
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
const baseWall = (performance.now() - t1) / 1000;
const baseRate = summary.events / baseWall;
console.log(
  `  baseline  ${fmt(baseRate)} events/s  ${(baseBytes / 1e6 / baseWall).toFixed(1)} MB/s  ${baseWall.toFixed(2)} s  (JSON.stringify of ${sample.length} prebuilt events, cycled)`,
);
console.log(`  ratio     ${(rate / baseRate).toFixed(2)} of the baseline rate`);
rmSync(file, { force: true });
rmSync(baseFile, { force: true });

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function countingSink<S extends { write(t: string): Promise<void> | undefined | void }>(
  s: S,
  count: (n: number) => void,
): S {
  return new Proxy(s, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return (t: string) => {
          count(Buffer.byteLength(t));
          return target.write(t);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
