/**
 * What a generated run takes from traffic planning (src/generate): when sessions arrive, what each one will do, and
 * which faults strike the server — commands only. The engine orders and runs them (partitioned-run.ts) and counts
 * what became of them (RunStats).
 */
import type { Action } from '../model/commands.js';

/**
 * A generated session's commands, in time order (ties in their order in the plan). A plan lives as long as its
 * session: it may keep its commands in any compact form and make each one when it falls due.
 */
export interface Plan {
  readonly length: number;
  /** The instant of command `i`, ms since the epoch. */
  at(i: number): number;
  /** Command `i`. */
  command(i: number): Action;
}

/** A fault of the whole server: `mediaServerReconnect`, `stopServer` or `mediaServerCrash` (Pro: one node). */
export interface PlannedFault {
  readonly at: number;
  readonly action: Action;
}

export interface Traffic {
  /** Arrival instants of sessions, in time order. */
  readonly arrivals: Iterator<number>;
  /** Server faults, in time order. */
  readonly faults: Iterator<PlannedFault>;
  /** The commands of session number `index`, arriving at `at`. */
  plan(index: number, at: number): Plan;
  /** After a server stop, sessions arriving within this long are lost (ms). */
  readonly restartAfterMs: number;
  /** Pro: a crashed media node answers again after this long (ms). */
  readonly nodeRecoverAfterMs: number;
  /** Pro: node crashes are planned. */
  readonly nodeCrashes: boolean;
}

/** One part of a sharded dataset: sessions whose index modulo `count` is `index`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** What a generated run did besides its events: read during the run (progress) or after it. */
export class RunStats {
  /** Sessions that arrived in the whole dataset (all shards). */
  arrived = 0;
  /** Sessions planned and run by this shard. */
  planned = 0;
  /** Sessions lost because they arrived while the server was down. */
  lostToServerStop = 0;
  /** Pro: sessions lost because no media node was running (all crashed). */
  lostNoMediaNode = 0;
  /** Sessions running now. */
  live = 0;
  /** Largest number of sessions running at once. */
  peakLive = 0;
  /** Planned actions made moot by a global fault (e.g. unpublishing a stream a media server restart dropped). */
  readonly skipped = new Map<string, number>();
  /** Virtual time reached, ms since the epoch. */
  now = 0;
  /** Sessions left empty by a global fault and closed by the application. */
  closedIdle = 0;
  /** Global faults delivered, by action. */
  readonly faults = new Map<string, number>();

  get skippedTotal(): number {
    let n = 0;
    for (const v of this.skipped.values()) n += v;
    return n;
  }
}
