/**
 * `serve --log`: each HTTP request with the events it caused, and every other cascade (a scenario step, a timer, a
 * simulated client's move) as it happens — what `stripe listen` shows for its events.
 *
 * A request's events are those of the actions it applied through `LiveSimulation.execute`: they come out
 * synchronously inside the request's handler, so the handler's async context says which request they belong to.
 * Cascades run by the pacing timer are never a request's, even when the timer was armed during one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Batch } from '../engine/engine.js';
import type { LogEntry } from './event-log.js';
import type { LiveSimulation } from './live-simulation.js';

export interface LoggedRequest {
  /** Wall time the request arrived, ms since the epoch. */
  readonly at: number;
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** The status answered; undefined when the connection closed before an answer. */
  readonly status: number | undefined;
  readonly durationMs: number;
  /** The events of the actions it applied, in order. */
  readonly events: readonly LogEntry[];
}

export interface LoggedCascade {
  /** Wall time it ran, ms since the epoch. */
  readonly at: number;
  /** What ran it, e.g. `steps[3].join`, `timer recording autostop`, `client con_X join`. */
  readonly cause: string;
  readonly events: readonly LogEntry[];
}

/** Where `serve --log` writes. */
export interface ServerLog {
  request(r: LoggedRequest): void;
  cascade(c: LoggedCascade): void;
  /** A scenario step or a simulated client's move that OpenVidu would refuse (the world goes on). */
  refused(at: number, message: string): void;
}

interface Pending {
  readonly events: LogEntry[];
  done: boolean;
}

/** Observes `sim` and returns the Express middleware that times requests; `detach` stops observing. */
export function logRequests(
  sim: LiveSimulation,
  log: ServerLog,
  wallNow: () => number = Date.now,
): { middleware: (req: Request, res: Response, next: NextFunction) => void; detach: () => void } {
  const context = new AsyncLocalStorage<Pending>();
  const removeSink = sim.addSink((batch, entries) => {
    const pending = isRequestAction(batch) ? context.getStore() : undefined;
    if (pending && !pending.done) pending.events.push(...entries);
    else log.cascade({ at: wallNow(), cause: describeCause(batch), events: entries });
  });
  const unsubscribe = sim.subscribe((m) => {
    if (m.type === 'refused') log.refused(wallNow(), m.message);
  });
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const at = wallNow();
    const started = performance.now();
    const pending: Pending = { events: [], done: false };
    res.once('close', () => {
      pending.done = true;
      log.request({
        at,
        method: req.method,
        url: req.originalUrl,
        status: res.writableFinished ? res.statusCode : undefined,
        durationMs: performance.now() - started,
        events: pending.events,
      });
    });
    context.run(pending, next);
  };
  return {
    middleware,
    detach: () => {
      removeSink();
      unsubscribe();
    },
  };
}

/** An action applied by `execute`, which only request handlers call (its origin is the string `api`). */
function isRequestAction(batch: Batch): boolean {
  return batch.cause.kind === 'action' && batch.cause.origin === 'api';
}

function describeCause(batch: Batch): string {
  const cause = batch.cause;
  if (cause.kind === 'timer') return `timer ${cause.label}`;
  const origin = cause.origin as { index?: unknown; client?: unknown; move?: unknown } | undefined;
  if (typeof origin?.index === 'number') return `steps[${origin.index}].${cause.action.type}`;
  if (typeof origin?.client === 'string') return `client ${origin.client} ${String(origin.move)}`;
  return cause.action.type;
}
