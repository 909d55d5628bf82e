/**
 * `ovsim generate` on several cores: W generator threads — this one and W − 1 worker threads — each generate and
 * serialize one shard of the dataset (sessions whose index modulo W is theirs — within the user's `--shard i/n`,
 * sessions with index ≡ i + n·k mod n·W), and this thread merges their bytes back into exactly the order of a
 * single-threaded run and writes them. This thread generates its own shard a chunk at a time, when the merge needs
 * it, and ahead (at most `window` chunks) while the merge waits for a worker's next chunk — at the start, while the
 * workers load, and whenever one falls behind (measured on busy-day: this thread idle 0.5–0.85 s instead of
 * 0.7–1.0 s). On 2 cores, W workers beside a thread that only merged ran no faster, and their extra heap cost about
 * 40 MB (busy-day on 2 threads: 265 → 229 MB peak RSS).
 *
 * Exact because the generator yields batches in (order, source) order — when the session was due, then its index;
 * scripted steps and the cluster boot sort first and belong to shard 0 — so a shard's stream is the subsequence of
 * the whole stream with its sessions, and a k-way merge by (order, source) rebuilds the whole. Tested byte for byte.
 *
 * Memory stays flat: each generator thread holds its live sessions and at most `window` chunks not yet written.
 */
import { Worker } from 'node:worker_threads';
import { GenerationStats, type Shard } from '../generate/generate-batches.js';
import { readScenario } from '../scenario/read-scenario.js';
import { resolveSettings, type SettingsOverrides } from '../scenario/simulate-scenario.js';
import { BufferPool } from '../model/byte-writer.js';
import { OvsimError, ScenarioError } from '../errors.js';
import type { TextSink } from '../sinks/atomic-file.js';
import type { OutputFormat } from './generate.js';
import { WORKER_YOUNG_GENERATION_MB } from './heap-policy.js';
import { ShardChunks } from './shard-chunks.js';
import {
  KEY_FIELDS,
  type WorkerChunk,
  type WorkerDone,
  type WorkerInput,
  type WorkerRefused,
} from './worker-messages.js';
import { RunSummary } from './summary.js';

export interface ParallelGenerateOptions {
  readonly scenarioRef: string;
  readonly overrides: SettingsOverrides;
  readonly set?: readonly string[] | undefined;
  /** The user's `--shard`; default the whole dataset. */
  readonly shard?: Shard | undefined;
  readonly format: OutputFormat;
  /** Generator threads, at least 2: this one and `workers − 1` worker threads (with 1, use generateScenario). */
  readonly workers: number;
  /** Called after each write (about every `outputBytes`) with the events written and the virtual time reached. */
  readonly onWrite?: ((summary: RunSummary, virtualNow: number) => void) | undefined;
  /** Bytes gathered before each write to the sink; default 1 MiB. */
  readonly outputBytes?: number;
  /** Bytes of output per chunk a worker sends; default 256 Ki (tests make it small to exercise the merge). */
  readonly chunkBytes?: number;
  /** Chunks a worker may have in flight, and this thread may generate ahead of the merge; default 4. */
  readonly window?: number;
  /** Checked as batches are merged: once aborted, generation stops by throwing the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

export interface ParallelGenerateResult {
  readonly summary: RunSummary;
  /** The dataset's stats: sums over the workers; `peakLive` is the largest sum seen at a batch. */
  readonly stats: GenerationStats;
}

/** One generator thread's stream as the merge sees it: a worker's, or this thread's own shard. */
interface Stream {
  /** The worker thread; undefined for this thread's own shard (`local`). */
  readonly worker: Worker | undefined;
  readonly local: { readonly chunks: ShardChunks; readonly pool: BufferPool } | undefined;
  readonly chunks: WorkerChunk[];
  /** Index of the next batch in chunks[0] and where its bytes start. */
  batch: number;
  byteStart: number;
  done: WorkerDone | undefined;
  /** Resolves the merge's wait for this stream's next message. */
  wake: (() => void) | undefined;
  live: number;
}

/**
 * Starts the worker entry beside this file: the compiled `.js`, or — running from source under tsx or vitest — the
 * `.ts` file behind tsx's loader, registered inside the worker (loader flags do not carry over to worker threads).
 */
/** A generator worker's heap: a small young generation (see heap-policy.ts). */
const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };

function startWorker(input: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./generate-worker.js', import.meta.url), {
      workerData: input,
      resourceLimits,
    });
  const entry = new URL('./generate-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: input, resourceLimits });
}

/**
 * Generates the scenario with `workers` threads into `sink` (not committed here: the caller commits on success and
 * aborts on error). The scenario and the overrides must have been validated by the caller (a worker's error is an
 * internal one).
 */
export async function generateInParallel(
  o: ParallelGenerateOptions,
  sink: TextSink,
): Promise<ParallelGenerateResult> {
  if (!(o.workers >= 2)) throw new OvsimError('INTERNAL', 'generateInParallel needs at least 2 workers');
  const window = o.window ?? 4;
  const failure: FailureSlot = { error: undefined };
  // The workers first, so that they load while this thread reads the scenario for its own shard (shard k = 0).
  const streams = startWorkers(o, window, failure);
  try {
    streams.unshift(newStream(undefined, await openOwnShard(workerInput(o, window, 0))));
  } catch (e) {
    await terminateAll(streams);
    throw localFailure(e);
  }
  const merge = new Merge(streams, window, failure, new OutputBuffer(sink, o.outputBytes ?? 1024 * 1024));
  try {
    await merge.run(o);
  } catch (e) {
    await terminateAll(streams);
    throw e instanceof OvsimError
      ? e
      : new OvsimError('INTERNAL', `parallel generation failed: ${String(e)}`);
  }
  await terminateAll(streams);
  return {
    summary: mergeSummaries(merge.summary, streams),
    stats: mergeStats(streams, merge.peakLive),
  };
}

/** The first failure of any generator thread; the merge throws it at its next wait. */
interface FailureSlot {
  error: Error | undefined;
}

/** What generator thread `k` generates: its shard of the user's shard. */
function workerInput(o: ParallelGenerateOptions, window: number, k: number): WorkerInput {
  const user = o.shard ?? { index: 0, count: 1 };
  return {
    scenarioRef: o.scenarioRef,
    overrides: o.overrides,
    set: [...(o.set ?? [])],
    shard: { index: user.index + user.count * k, count: user.count * o.workers },
    format: o.format,
    chunkBytes: o.chunkBytes ?? 256 * 1024,
    window,
  };
}

/** Worker threads 1 … workers − 1, their messages filed into their streams and their failures into `failure`. */
function startWorkers(o: ParallelGenerateOptions, window: number, failure: FailureSlot): Stream[] {
  const streams: Stream[] = [];
  for (let k = 1; k < o.workers; k++) {
    const worker = startWorker(workerInput(o, window, k));
    const stream = newStream(worker, undefined);
    worker.on('message', (m: WorkerChunk | WorkerDone | WorkerRefused) => {
      if (m.kind === 'chunk') stream.chunks.push(m);
      else if (m.kind === 'refused') failure.error ??= new ScenarioError(m.problems);
      else stream.done = m;
      stream.wake?.();
    });
    worker.on('error', (e) => {
      failure.error ??= new OvsimError('INTERNAL', `generator thread ${k} failed: ${e.message}`);
      stream.wake?.();
    });
    worker.on('exit', (code) => {
      failure.error ??=
        stream.done === undefined
          ? new OvsimError('INTERNAL', `generator thread ${k} exited with code ${code} before it finished`)
          : undefined;
      stream.wake?.();
    });
    streams.push(stream);
  }
  return streams;
}

/** This thread's own shard, generated a chunk at a time. */
async function openOwnShard(input: WorkerInput): Promise<NonNullable<Stream['local']>> {
  const scenario = await readScenario(input.scenarioRef);
  const pool = new BufferPool();
  const chunks = new ShardChunks(scenario, resolveSettings(scenario, input.overrides), { ...input, pool });
  return { chunks, pool };
}

async function terminateAll(streams: readonly Stream[]): Promise<void> {
  await Promise.all(streams.map((s) => s.worker?.terminate()));
}

/** Merged bytes gathered into buffers of `size` before each write; buffers come back from the sink and are reused. */
class OutputBuffer {
  private readonly pool = new BufferPool();
  private out: Uint8Array;
  private pos = 0;

  constructor(
    readonly sink: TextSink,
    private readonly size: number,
  ) {
    this.out = this.fresh();
  }

  get capacity(): number {
    return this.out.length;
  }

  /** Copies `bytes` in, writing what is gathered first when they do not fit. */
  async append(bytes: Uint8Array, afterWrite: () => void): Promise<void> {
    if (this.pos + bytes.length > this.out.length) await this.flush(afterWrite);
    this.out.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  async flush(afterWrite: () => void): Promise<void> {
    if (this.pos === 0) return;
    const full = this.out.subarray(0, this.pos);
    this.out = this.fresh();
    this.pos = 0;
    // Yields to the event loop at every write either way: the stream's completions and the workers' chunks come in.
    await (this.sink.write(full, () => this.pool.put(full.buffer)) ?? new Promise(setImmediate));
    afterWrite();
  }

  private fresh(): Uint8Array {
    const b = this.pool.get();
    return b !== undefined && b.length >= this.size ? b : Buffer.allocUnsafeSlow(this.size);
  }
}

/** The k-way merge by (order, source) of the generator threads' streams into the output. */
class Merge {
  readonly summary = new RunSummary();
  peakLive = 0;
  private virtualNow = 0;
  /** This thread's own shard (the only stream with `local`). */
  private readonly own: Stream;
  /** Chunks whose bytes were written without a copy (larger than an output buffer): not to be handed back. */
  private readonly lent = new WeakSet<WorkerChunk>();
  private afterWrite: () => void = () => {};

  constructor(
    private readonly streams: readonly Stream[],
    private readonly window: number,
    private readonly failure: FailureSlot,
    private readonly out: OutputBuffer,
  ) {
    this.own = streams[0]!;
  }

  async run(o: ParallelGenerateOptions): Promise<void> {
    if (o.onWrite) this.afterWrite = () => o.onWrite!(this.summary, this.virtualNow);
    let active = this.streams.slice();
    for (;;) {
      o.signal?.throwIfAborted();
      // Every unfinished stream must show its next batch before the smallest can be chosen.
      const next: Stream[] = [];
      for (const s of active) if (s.chunks.length > 0 || (await this.ready(s))) next.push(s);
      active = next;
      if (active.length === 0) break;
      await this.takeRun(active);
    }
    await this.out.flush(this.afterWrite);
    if (this.failure.error) throw this.failure.error;
  }

  /** Writes the batches of the stream with the smallest head while they stay before every other stream's head. */
  private async takeRun(active: readonly Stream[]): Promise<void> {
    const { best: s, boundAt, boundSource } = smallestHead(active);
    // Take the best stream's batches while they stay before the bound, within its current chunk.
    const chunk = s.chunks[0]!;
    const keys = chunk.keys;
    const batches = keys.length / KEY_FIELDS;
    const from = s.byteStart;
    let b = s.batch;
    let to = from;
    while (b < batches) {
      const at = keys[b * KEY_FIELDS]!;
      const source = keys[b * KEY_FIELDS + 1]!;
      if (at > boundAt || (at === boundAt && source > boundSource)) break;
      to = keys[b * KEY_FIELDS + 2]!;
      this.summary.events += keys[b * KEY_FIELDS + 3]!;
      s.live = keys[b * KEY_FIELDS + 4]!;
      this.virtualNow = at;
      b++;
    }
    let live = 0;
    for (const t of this.streams) live += t.live;
    if (live > this.peakLive) this.peakLive = live;
    await this.write(chunk, from, to);
    s.batch = b;
    s.byteStart = to;
    if (b === batches) this.release(s, chunk);
  }

  private async write(chunk: WorkerChunk, from: number, to: number): Promise<void> {
    const bytes = chunk.bytes.subarray(from, to);
    if (bytes.length <= this.out.capacity) return this.out.append(bytes, this.afterWrite);
    await this.out.flush(this.afterWrite);
    const pending = this.out.sink.write(bytes);
    this.lent.add(chunk);
    if (pending) await pending;
  }

  /** The stream's first chunk is written: its buffer goes back to its generator, unless the sink still holds it. */
  private release(s: Stream, chunk: WorkerChunk): void {
    s.chunks.shift();
    s.batch = 0;
    s.byteStart = 0;
    if (s.local) {
      if (!this.lent.has(chunk)) s.local.pool.put(chunk.bytes.buffer);
    } else if (this.lent.has(chunk)) s.worker!.postMessage('ack');
    else s.worker!.postMessage(chunk.bytes.buffer, [chunk.bytes.buffer as ArrayBuffer]);
  }

  /** This thread's own shard's next chunk generated, or its end marked. */
  private pullOwn(): void {
    const own = this.own;
    let chunk;
    try {
      chunk = own.local!.chunks.next();
    } catch (e) {
      throw localFailure(e);
    }
    if (chunk) own.chunks.push(chunk);
    else own.done = own.local!.chunks.done();
  }

  /** Waits until `s` has a batch to offer or is finished; false when it is finished. */
  private async ready(s: Stream): Promise<boolean> {
    const own = this.own;
    for (;;) {
      if (this.failure.error) throw this.failure.error;
      if (s.chunks.length > 0) return true;
      if (s.done) return false;
      if (s === own) {
        // This thread's own shard: its next chunk is generated now, when the merge needs it.
        this.pullOwn();
        continue;
      }
      if (own.done === undefined && own.chunks.length < this.window) {
        // A worker's next chunk is on its way: rather than wait idle, generate this thread's own shard ahead (at
        // most `window` chunks), then look again — the worker's message comes in on the turn of the event loop.
        this.pullOwn();
        await new Promise(setImmediate);
        continue;
      }
      await new Promise<void>((resolve) => (s.wake = resolve));
      s.wake = undefined;
    }
  }
}

/** The stream with the smallest head (order, source), and the smallest head among the others: the bound of its run. */
function smallestHead(active: readonly Stream[]): { best: Stream; boundAt: number; boundSource: number } {
  let best: Stream | undefined;
  let bestAt = Infinity;
  let bestSource = Infinity;
  let boundAt = Infinity;
  let boundSource = Infinity;
  for (const s of active) {
    const keys = s.chunks[0]!.keys;
    const at = keys[s.batch * KEY_FIELDS]!;
    const source = keys[s.batch * KEY_FIELDS + 1]!;
    if (at < bestAt || (at === bestAt && source < bestSource)) {
      if (best) [boundAt, boundSource] = [bestAt, bestSource];
      best = s;
      bestAt = at;
      bestSource = source;
    } else if (at < boundAt || (at === boundAt && source < boundSource)) {
      boundAt = at;
      boundSource = source;
    }
  }
  return { best: best!, boundAt, boundSource };
}

function newStream(worker: Worker | undefined, local: Stream['local']): Stream {
  return { worker, local, chunks: [], batch: 0, byteStart: 0, done: undefined, wake: undefined, live: 0 };
}

/** A failure of this thread's own shard, named as a worker's would be. */
function localFailure(e: unknown): OvsimError {
  if (e instanceof ScenarioError) return e;
  return new OvsimError('INTERNAL', `generator thread 0 failed: ${(e as Error).message}`);
}

/** Fills the totals of `summary` from the workers', event types in the order of their first line. */
function mergeSummaries(summary: RunSummary, streams: readonly Stream[]): RunSummary {
  const types = new Map<string, { count: number; first: [number, number, number] }>();
  for (const { done } of streams) {
    const d = done!;
    summary.sessions += d.sessions;
    if (
      d.firstTimestamp !== undefined &&
      (summary.firstTimestamp === undefined || d.firstTimestamp < summary.firstTimestamp)
    )
      summary.firstTimestamp = d.firstTimestamp;
    if (
      d.lastTimestamp !== undefined &&
      (summary.lastTimestamp === undefined || d.lastTimestamp > summary.lastTimestamp)
    )
      summary.lastTimestamp = d.lastTimestamp;
    for (const t of d.byType) {
      const seen = types.get(t.name);
      if (!seen) types.set(t.name, { count: t.count, first: t.first });
      else {
        seen.count += t.count;
        if (compareKeys(t.first, seen.first) < 0) seen.first = t.first;
      }
    }
  }
  for (const [name, t] of [...types].sort((a, b) => compareKeys(a[1].first, b[1].first)))
    summary.byType.set(name, t.count);
  return summary;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
}

function mergeStats(streams: readonly Stream[], peakLive: number): GenerationStats {
  const stats = new GenerationStats();
  for (const { done } of streams) {
    const d = done!.stats;
    // Every shard sees every arrival and every fault; sessions are split.
    stats.arrived = Math.max(stats.arrived, d.arrived);
    stats.lostToServerStop = Math.max(stats.lostToServerStop, d.lostToServerStop);
    stats.lostNoMediaNode = Math.max(stats.lostNoMediaNode, d.lostNoMediaNode);
    stats.planned += d.planned;
    stats.closedIdle += d.closedIdle;
    stats.now = Math.max(stats.now, d.now);
    for (const [k, v] of d.skipped) stats.skipped.set(k, (stats.skipped.get(k) ?? 0) + v);
    for (const [k, v] of d.faults) stats.faults.set(k, Math.max(stats.faults.get(k) ?? 0, v));
  }
  stats.peakLive = peakLive;
  return stats;
}
