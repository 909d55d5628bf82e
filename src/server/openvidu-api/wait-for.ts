/**
 * Lets a REST answer wait for the simulation, as OpenVidu's own answers wait for its media server: a composed
 * recording is `started` when `POST /recordings/start` returns, and OpenVidu CE's `POST /recordings/stop` returns it
 * `ready`. Virtual time moves on the simulation's own timer; this only listens, bounded by a wall-clock cap, and
 * never waits while virtual time stands still (paused), so a paused world answers at once with what it has.
 */
import type { LiveSimulation } from '../live-simulation.js';

/** Longest wait of one answer, wall ms (30 s). */
export const DEFAULT_MAX_WAIT_MS = 30_000;

/** Resolves once `done()` holds, virtual time is paused, the simulation resets, or `maxWallMs` passed. */
export function waitFor(
  sim: LiveSimulation,
  done: () => boolean,
  maxWallMs = DEFAULT_MAX_WAIT_MS,
): Promise<void> {
  if (done() || !sim.running) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(finish, maxWallMs);
    timer.unref();
    const unsubscribe = sim.subscribe((m) => {
      if (m.type === 'reset' || done() || !sim.running) finish();
    });
  });
}
