/**
 * A worker thread of a parallel `ovsim generate`: generates one shard of the dataset and serializes it (ShardChunks),
 * sending the bytes in chunks with one key per batch for the main thread to merge back into the unsharded order (see
 * parallel-generate.ts). At most `window` chunks are unacknowledged at once: a fast worker waits for the writer
 * instead of filling memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readScenario } from '../scenario/read-scenario.js';
import { resolveSettings } from '../scenario/simulate-scenario.js';
import { BufferPool } from '../model/byte-writer.js';
import { ScenarioError } from '../errors.js';
import type { WorkerInput, WorkerRefused } from './worker-messages.js';
import { ShardChunks } from './shard-chunks.js';

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
  const shard = new ShardChunks(scenario, settings, { ...input, pool });
  try {
    for (let chunk = shard.next(); chunk !== undefined; chunk = shard.next()) {
      unacknowledged++;
      port.postMessage(chunk, [chunk.bytes.buffer as ArrayBuffer, chunk.keys.buffer as ArrayBuffer]);
      while (unacknowledged >= input.window) await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (e) {
    // A session of this shard ran past the instants ovsim writes: the user's to fix, located in the scenario.
    if (!(e instanceof ScenarioError)) throw e;
    const refused: WorkerRefused = { kind: 'refused', problems: [...e.problems] };
    port.postMessage(refused);
    return;
  }
  // Kept alive (the port listens) until the main thread, having read everything, ends the thread.
  port.postMessage(shard.done());
}

await main(workerData as WorkerInput);
