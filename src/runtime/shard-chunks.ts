/**
 * One shard of a parallel `ovsim generate`, generated and serialized in chunks: UTF-8 bytes and, per batch, a merge key
 * (see WorkerChunk in worker-messages.ts). Pulled one chunk at a time — by a worker thread, which posts each chunk to
 * the merging thread, or by the merging thread itself for the shard it generates (see parallel-generate.ts).
 */
import {
  GenerationStats,
  SCRIPTED_SOURCE,
  type Shard,
  type SourcedBatch,
} from '../generate/generate-batches.js';
import { GeneratedScenario, scenarioBatches } from '../generate/scenario-batches.js';
import { OUTPUT_FIELDS } from '../engine/partitioned-run.js';
import type { Batch } from '../engine/engine.js';
import { ByteBuffer, type BufferPool } from '../model/byte-writer.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SimulationSettings } from '../scenario/simulate-scenario.js';
import { factWriterOf, lineWriterOf, type OutputFormat } from './generate.js';
import type { WorkerChunk, WorkerDone } from './worker-messages.js';

export interface ShardChunksOptions {
  readonly set: readonly string[];
  readonly shard: Shard;
  readonly format: OutputFormat;
  /** Bytes of output per chunk. */
  readonly chunkBytes: number;
  /** Buffers handed back once their chunk was written, reused for the next chunks. */
  readonly pool: BufferPool;
}

export class ShardChunks {
  private readonly stats = new GenerationStats();
  private readonly batches: Iterator<Batch>;
  /** A scenario with a `generate:` block: its run, whose facts are written directly. */
  private readonly generated: GeneratedScenario | undefined;
  private readonly out: ByteBuffer;
  private readonly writeLine: ReturnType<typeof lineWriterOf>;
  private readonly writeFact: ReturnType<typeof factWriterOf>;
  private readonly byType = new Map<string, number>();
  /** Per event type, the key of its first line: (at, source, rank in this shard's output). */
  private readonly firstSeen = new Map<string, [number, number, number]>();
  private events = 0;
  private sessions = 0;
  private firstTimestamp = Infinity;
  private lastTimestamp = -Infinity;
  private ended = false;

  constructor(
    scenario: Scenario,
    settings: SimulationSettings,
    private readonly o: ShardChunksOptions,
  ) {
    this.out = new ByteBuffer(o.chunkBytes + 64 * 1024);
    this.writeLine = lineWriterOf(settings.profile, o.format, this.out);
    this.writeFact = factWriterOf(settings.profile, o.format, this.out);
    const batches = scenarioBatches(scenario, settings, { set: o.set, shard: o.shard, stats: this.stats });
    this.generated = batches instanceof GeneratedScenario ? batches : undefined;
    this.batches = batches[Symbol.iterator]();
  }

  /** Generates up to the next full chunk; undefined once the shard has nothing more. */
  next(): WorkerChunk | undefined {
    const keys: number[] = [];
    if (this.generated !== undefined) this.fillFromFacts(this.generated, keys);
    else this.fillFromBatches(keys);
    if (keys.length === 0) return undefined;
    // The chunk's own buffer (taken whole, never shared): it may be handed over to another thread.
    const bytes = this.out.take(this.o.pool.get());
    return { kind: 'chunk', bytes, keys: Float64Array.from(keys), virtualNow: this.stats.now };
  }

  /** A generated run's facts, written as bytes straight away: per segment, its merge key. */
  private fillFromFacts(run: GeneratedScenario, keys: number[]): void {
    const { out, writeFact, stats } = this;
    while (!this.ended && out.pos < this.o.chunkBytes) {
      if (!run.next()) {
        this.ended = true;
        break;
      }
      const { facts, segments, segmentsLength } = run;
      for (let i = 0; i < segmentsLength; i += OUTPUT_FIELDS) {
        const order = segments[i + 1]!;
        const source = segments[i + 2]!;
        let n = 0;
        for (let k = segments[i + 3]!; k < segments[i + 4]!; k++) {
          const fact = facts[k]!;
          const name = writeFact(fact);
          if (name === undefined) continue;
          this.count(name, fact.at, order, source);
          n++;
        }
        if (n > 0) keys.push(order, source, out.pos, n, stats.live);
      }
    }
  }

  private count(name: string, t: number, order: number, source: number): void {
    const count = this.byType.get(name);
    if (count === undefined) this.firstSeen.set(name, [order, source, this.events]);
    this.byType.set(name, (count ?? 0) + 1);
    if (name === 'sessionCreated') this.sessions++;
    if (t < this.firstTimestamp) this.firstTimestamp = t;
    if (t > this.lastTimestamp) this.lastTimestamp = t;
    this.events++;
  }

  private fillFromBatches(keys: number[]): void {
    const { out, writeLine, stats } = this;
    while (!this.ended && out.pos < this.o.chunkBytes) {
      const r = this.batches.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const batch = r.value;
      // The merge key: when the session was due, and its index (scripted steps: their own time, before any session).
      const order = (batch as Partial<SourcedBatch>).order ?? batch.at;
      const source = (batch as Partial<SourcedBatch>).source ?? SCRIPTED_SOURCE;
      let n = 0;
      for (const event of batch.events) {
        if (!writeLine(event)) continue;
        this.count(event.name, event.data.timestamp, order, source);
        n++;
      }
      if (n > 0) keys.push(order, source, out.pos, n, stats.live);
    }
  }

  /** The shard's totals, once `next()` has returned undefined. */
  done(): WorkerDone {
    const stats = this.stats;
    return {
      kind: 'done',
      events: this.events,
      sessions: this.sessions,
      firstTimestamp: this.events > 0 ? this.firstTimestamp : undefined,
      lastTimestamp: this.events > 0 ? this.lastTimestamp : undefined,
      byType: [...this.byType].map(([name, count]) => ({ name, count, first: this.firstSeen.get(name)! })),
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
  }
}
