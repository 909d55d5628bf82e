/**
 * `npm run bench:webhook`: how fast ovsim delivers WebHooks, next to autocannon on the same receiver.
 *
 * 1. Throughput: a no-op receiver runs in its own process. In each round autocannon POSTs bodies of the same mean size
 *    with 50 connections for a few seconds, then ovsim's load delivery (undici, 50 connections, per-session order
 *    kept) POSTs as many distinct event bodies as autocannon made requests — the same work, so that the fixed costs
 *    of a round (50 connections opened, the first requests) weigh alike on both. The events are fed as `ovsim load`
 *    feeds them, a bounded backlog at a time, each body serialized as it is submitted. Prints both rates and their
 *    ratio (target ≥ 0.8).
 * 2. Pacing: 1 000 events/s on `--speed realtime` for a few seconds, delivered to the same receiver; prints the
 *    lateness of sends behind their due time (target p99 ≤ 5 ms).
 * Figures only: nothing here asserts a time.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { EVENT_NAMES, type CdrEvent } from '../src/model/catalogue.js';
import type { Batch } from '../src/engine/engine.js';
import { DEFAULT_MAX_BACKLOG } from '../src/runtime/load.js';
import { NO_RETRY } from '../src/runtime/load-plan.js';
import { iteratorSource, Pacer } from '../src/runtime/pacing.js';
import { replicaBatches } from '../src/runtime/replicas.js';
import { readScenario } from '../src/scenario/read-scenario.js';
import { resolveSettings } from '../src/scenario/simulate-scenario.js';
import { UndiciTransport } from '../src/sinks/undici-transport.js';
import { LoadDelivery } from '../src/sinks/webhook-load.js';

const CONNECTIONS = 50;
/** Distinct event bodies available to a round: at least as many as autocannon makes in one (about 150 000). */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 250_000);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Seconds of each autocannon round (a duration, not an amount: see autocannonRate). */
const AUTOCANNON_SECONDS = Number(process.env.BENCH_AUTOCANNON_SECONDS ?? 3);

async function startReceiver(): Promise<{ url: string; stop: () => void }> {
  // Compiled (npm run bench:webhook) the receiver is a .js beside this file; under tsx it is the .ts source.
  const compiled = import.meta.url.endsWith('.js');
  const child = fork(
    fileURLToPath(new URL(compiled ? './noop-receiver.js' : './noop-receiver.ts', import.meta.url)),
    [],
    {
      execArgv: compiled ? [] : ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('receiver did not start in 15 s')), 15_000);
    child.once('message', (m: { port: number }) => {
      clearTimeout(t);
      resolve(m.port);
    });
  });
  return { url: `http://127.0.0.1:${port}/webhook`, stop: () => child.kill() };
}

async function collectEvents(
  n: number,
): Promise<{ events: CdrEvent[]; profile: ReturnType<typeof resolveSettings>['profile'] }> {
  const scenario = await readScenario('default');
  const settings = resolveSettings(scenario);
  const events: CdrEvent[] = [];
  for (const b of replicaBatches(scenario, settings, { replicas: Infinity, lanes: CONNECTIONS })) {
    for (const e of b.events) if (settings.profile.has(e.name)) events.push(e);
    if (events.length >= n) break;
  }
  return { events: events.slice(0, n), profile: settings.profile };
}

function delivery(url: string, profile: ReturnType<typeof resolveSettings>['profile']) {
  return new LoadDelivery({
    transport: new UndiciTransport(url, { connections: CONNECTIONS }),
    connections: CONNECTIONS,
    profile,
    events: new Set(EVENT_NAMES),
    headers: [],
    retry: NO_RETRY,
  });
}

async function ovsimRate(
  url: string,
  allEvents: CdrEvent[],
  profile: ReturnType<typeof resolveSettings>['profile'],
  count: number,
) {
  const events = allEvents.length > count ? allEvents.slice(0, count) : allEvents;
  const d = delivery(url, profile);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  // Fed as `ovsim load` feeds its delivery: at most DEFAULT_MAX_BACKLOG events submitted and not yet settled (each
  // serialized as it is submitted), topped up every millisecond.
  for (let i = 0; i < events.length;) {
    while (i < events.length && d.backlog < DEFAULT_MAX_BACKLOG) d.submit(events[i++]!, t0);
    if (i < events.length) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await d.idle();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  await d.shutdown(0);
  const r = d.stats.report();
  return {
    rate: (r.delivered / ms) * 1000,
    cpuUs: (used.user + used.system) / Math.max(1, r.delivered),
    delivered: r.delivered,
    failed: r.failedTotal,
    p99: r.latencyMs.p99,
  };
}

async function autocannonRate(url: string, bodySize: number) {
  const body = JSON.stringify({
    sessionId: 'ses_bench',
    pad: 'x'.repeat(Math.max(0, bodySize - 40)),
    event: 'x',
  }).slice(0, bodySize);
  // A fixed duration, not an amount: with `amount`, autocannon notices the end only on its 1-second tick, which
  // would quantize (and understate) its rate.
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: AUTOCANNON_SECONDS,
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  const used = process.cpuUsage(cpu);
  const seconds = Math.max(0.001, (result.finish.getTime() - result.start.getTime()) / 1000);
  return {
    rate: result.requests.total / seconds,
    cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}

async function pacedLateness(
  url: string,
  events: CdrEvent[],
  profile: ReturnType<typeof resolveSettings>['profile'],
) {
  const d = delivery(url, profile);
  const count = Math.min(events.length, 1000 * PACED_SECONDS);
  const start = 1_700_000_000_000;
  function* oneEveryMs(): Generator<Batch> {
    for (let i = 0; i < count; i++)
      yield { at: start + i, cause: { kind: 'timer', label: 'bench' }, events: [events[i]!] };
  }
  const pacer = new Pacer({
    source: iteratorSource(oneEveryMs()),
    speed: 1,
    onBatch: (b, timing) => {
      for (const e of b.events) d.submit(e, timing.dueWall);
    },
  });
  await pacer.start();
  await d.idle();
  await d.shutdown(0);
  const us = (p: number) => Math.min(pacer.lateness.getValueAtPercentile(p), pacer.lateness.maxValue) / 1000;
  return {
    batches: pacer.batches,
    p50: us(50),
    p99: us(99),
    max: pacer.lateness.maxValue / 1000,
    deliveryP99: d.stats.report().latencyMs.p99,
  };
}

async function main(): Promise<void> {
  const receiver = await startReceiver();
  try {
    const { events, profile } = await collectEvents(EVENTS);
    const meanSize = Math.round(
      events.reduce((n, e) => n + Buffer.byteLength(profile.serializeWebhook(e)!), 0) / events.length,
    );
    console.log(
      `receiver ${receiver.url}; ${events.length} distinct bodies, mean ${meanSize} bytes; ${CONNECTIONS} connections`,
    );
    // Warm both paths alike — about as many requests each: autocannon's warm-up round is seconds of requests, so
    // ovsim gets as many (measured: one round of ovsim's events left its CPU per request still falling for two more
    // rounds) — then alternate rounds (the machine may be shared: compare within rounds, and bests).
    const warm = await autocannonRate(receiver.url, meanSize);
    await ovsimRate(receiver.url, events, profile, warm.requests);
    let best = { ovsim: 0, autocannon: 0 };
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await autocannonRate(receiver.url, meanSize);
      const o = await ovsimRate(receiver.url, events, profile, a.requests);
      ratios.push(o.rate / a.rate);
      cpuRatios.push(o.cpuUs / a.cpuUs);
      console.log(
        `round ${round}: ovsim ${o.rate.toFixed(0)} req/s (${o.delivered} delivered, ${o.failed} failed, ` +
          `${o.cpuUs.toFixed(1)} µs CPU/request); autocannon ${a.rate.toFixed(0)} req/s (${a.requests} requests, ` +
          `${a.errors} errors, ${a.cpuUs.toFixed(1)} µs CPU/request); ratio ${(o.rate / a.rate).toFixed(2)}`,
      );
      best = { ovsim: Math.max(best.ovsim, o.rate), autocannon: Math.max(best.autocannon, a.rate) };
    }
    const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
    const cpuMedian = [...cpuRatios].sort((x, y) => x - y)[Math.floor(cpuRatios.length / 2)]!;
    console.log(
      `throughput: best ovsim ${best.ovsim.toFixed(0)} req/s, best autocannon ${best.autocannon.toFixed(0)} req/s, ` +
        `ratio of bests ${(best.ovsim / best.autocannon).toFixed(2)}, median round ratio ${median.toFixed(2)} (target ≥ 0.80)`,
    );
    // The sending process's CPU per request (both run in this process): steadier than rates on a shared machine.
    console.log(
      `sender CPU per request (this process, all threads): median ovsim/autocannon ${cpuMedian.toFixed(2)}`,
    );
    const p = await pacedLateness(receiver.url, events, profile);
    console.log(
      `pacing 1000 events/s realtime for ${PACED_SECONDS} s: ${p.batches} sends, lateness p50 ${p.p50.toFixed(3)} ms, ` +
        `p99 ${p.p99.toFixed(3)} ms (target ≤ 5 ms), max ${p.max.toFixed(3)} ms; delivery latency p99 ${p.deliveryP99} ms`,
    );
  } finally {
    receiver.stop();
  }
}

await main();
