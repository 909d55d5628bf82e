/**
 * The messages between the merging thread and a generator thread (parallel-generate.ts, generate-worker.ts): what a
 * worker is told, the chunks it sends (made by shard-chunks.ts), its totals and its refusal.
 */
import type { Shard } from '../generate/generate-batches.js';
import type { ScenarioProblem } from '../errors.js';
import type { SettingsOverrides } from '../scenario/simulate-scenario.js';
import type { OutputFormat } from './generate.js';

/** What a generator thread is told (structured-cloned to a worker). */
export interface WorkerInput {
  /** The scenario as given on the command line (a bundled name or a path): each worker reads it itself. */
  readonly scenarioRef: string;
  readonly overrides: SettingsOverrides;
  readonly set: readonly string[];
  readonly shard: Shard;
  readonly format: OutputFormat;
  /** Bytes of output per chunk. */
  readonly chunkBytes: number;
  /** Chunks a worker may have sent and not had acknowledged. */
  readonly window: number;
}

/**
 * Output of a worker: UTF-8 bytes and, per batch, KEY_FIELDS numbers: order (when its session was due), source
 * (session index), end byte, events, live sessions.
 */
export interface WorkerChunk {
  readonly kind: 'chunk';
  readonly bytes: Uint8Array;
  readonly keys: Float64Array;
  /** The worker's virtual time reached. */
  readonly virtualNow: number;
}

/** A worker's scenario refused while it ran (an instant past the range): a user error, relayed as it is. */
export interface WorkerRefused {
  readonly kind: 'refused';
  readonly problems: ScenarioProblem[];
}

/** A worker's totals, sent after its last chunk. */
export interface WorkerDone {
  readonly kind: 'done';
  readonly events: number;
  readonly sessions: number;
  readonly firstTimestamp: number | undefined;
  readonly lastTimestamp: number | undefined;
  /** Per event type: count, and the key of its first line (at, source, rank) to order types as one run would. */
  readonly byType: ReadonlyArray<{ name: string; count: number; first: [number, number, number] }>;
  readonly stats: {
    readonly arrived: number;
    readonly planned: number;
    readonly lostToServerStop: number;
    readonly lostNoMediaNode: number;
    readonly closedIdle: number;
    readonly skipped: ReadonlyArray<[string, number]>;
    readonly faults: ReadonlyArray<[string, number]>;
    readonly now: number;
  };
}

/** Numbers per batch in a chunk's key array (see WorkerChunk). */
export const KEY_FIELDS = 5;
