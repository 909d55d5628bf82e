/**
 * A worker thread of a parallel `ovsim generate`: generates one shard of the dataset and serializes it, sending the
 * bytes in chunks with one key per batch — (order, source, end byte, events, live sessions) — for the main thread to
 * merge back into the unsharded order (see parallel-generate.ts). At most `window` chunks are unacknowledged at once:
 * a fast worker waits for the writer instead of filling memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GenerationStats, SCRIPTED_SOURCE, type SourcedBatch } from '../generate/generate-batches.js';
import { scenarioBatches } from '../generate/scenario-batches.js';
import { readScenario } from '../scenario/parse-scenario.js';
import { resolveSettings } from '../scenario/simulate-scenario.js';
import { BufferPool, ByteBuffer } from '../model/byte-writer.js';
import { lineWriterOf } from './generate.js';
import type { WorkerDone, WorkerInput, WorkerChunk } from './parallel-generate.js';

async function main(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  let unacknowledged = 0;
  let wake: (() => void) | undefined;
  // The main thread acknowledges each chunk, handing its buffer back when it copied the bytes out.
  const pool = new BufferPool();
  port.on('message', (m: ArrayBuffer | 'ack') => {
    if (m instanceof ArrayBuffer) pool.put(m);
    unacknowledged--;
    wake?.();
  });

  const scenario = await readScenario(input.scenarioRef);
  const settings = resolveSettings(scenario, input.overrides);
  const stats = new GenerationStats();
  const out = new ByteBuffer(input.chunkBytes + 64 * 1024);
  const writeLine = lineWriterOf(settings.profile, input.format, out);
  const byType = new Map<string, number>();
  /** Per event type, the key of its first line: (at, source, rank in this shard's output). */
  const firstSeen = new Map<string, [number, number, number]>();
  let events = 0;
  let sessions = 0;
  let firstTimestamp = Infinity;
  let lastTimestamp = -Infinity;

  let keys: number[] = [];
  const flush = async () => {
    if (keys.length === 0) return;
    // The chunk's own buffer (taken whole, never shared): its memory is handed over to the main thread.
    const bytes = out.take(pool.get());
    const keyArray = Float64Array.from(keys);
    const chunk: WorkerChunk = { kind: 'chunk', bytes, keys: keyArray, virtualNow: stats.now };
    unacknowledged++;
    port.postMessage(chunk, [bytes.buffer as ArrayBuffer, keyArray.buffer]);
    keys = [];
    while (unacknowledged >= input.window) await new Promise<void>((resolve) => (wake = resolve));
  };

  const batches = scenarioBatches(scenario, settings, {
    set: input.set,
    shard: input.shard,
    stats,
  });
  for (const batch of batches) {
    // The merge key: when the session was due, and its index (scripted steps: their own time, before any session).
    const order = (batch as Partial<SourcedBatch>).order ?? batch.at;
    const source = (batch as Partial<SourcedBatch>).source ?? SCRIPTED_SOURCE;
    let n = 0;
    for (const event of batch.events) {
      if (!writeLine(event)) continue;
      const name = event.name;
      const count = byType.get(name);
      if (count === undefined) firstSeen.set(name, [order, source, events]);
      byType.set(name, (count ?? 0) + 1);
      if (name === 'sessionCreated') sessions++;
      const t = event.data.timestamp;
      if (t < firstTimestamp) firstTimestamp = t;
      if (t > lastTimestamp) lastTimestamp = t;
      events++;
      n++;
    }
    if (n === 0) continue;
    keys.push(order, source, out.pos, n, stats.live);
    if (out.pos >= input.chunkBytes) await flush();
  }
  await flush();
  const done: WorkerDone = {
    kind: 'done',
    events,
    sessions,
    firstTimestamp: events > 0 ? firstTimestamp : undefined,
    lastTimestamp: events > 0 ? lastTimestamp : undefined,
    byType: [...byType].map(([name, count]) => ({ name, count, first: firstSeen.get(name)! })),
    stats: {
      arrived: stats.arrived,
      planned: stats.planned,
      lostToServerStop: stats.lostToServerStop,
      lostNoMediaNode: stats.lostNoMediaNode,
      closedIdle: stats.closedIdle,
      skipped: [...stats.skipped],
      faults: [...stats.faults],
      now: stats.now,
    },
  };
  // Kept alive (the port listens) until the main thread, having read everything, ends the thread.
  port.postMessage(done);
}

await main(workerData as WorkerInput);
