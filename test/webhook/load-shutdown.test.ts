import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { NO_RETRY, parseRate } from '../../src/runtime/load-plan.js';
import { startLoad, type LoadHandle, type LoadResult } from '../../src/runtime/load.js';
import { ReplicaStream } from '../../src/runtime/replicas.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import type { DeadLetter } from '../../src/sinks/dead-letter.js';
import { startTestServer, tempDir, type Answer, type Received, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Body {
  event: string;
  sessionId: string;
  reason?: string;
}

/** Waits until the receiver got `n` requests; bounded to 200 rounds of 25 ms. */
async function waitForRequests(s: TestServer, n: number): Promise<void> {
  for (let round = 0; round < 200 && s.count < n; round++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(s.count).toBeGreaterThanOrEqual(n);
}

function deadLettersOf(path: string): DeadLetter[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as DeadLetter);
}

/**
 * Every session that became active (a participantJoined reached the receiver or was dead-lettered) was destroyed
 * (received or dead-lettered), and no stop cascade closed a session the receiver was never told about. Sessions
 * created but never joined get no sessionDestroyed: OpenVidu's shutdown only closes active sessions (spec §4.7).
 * Returns the sessions closed by the stop.
 */
function checkEverySessionClosed(received: readonly Received[], dead: readonly DeadLetter[]): Set<string> {
  const bodies = received.map((r) => JSON.parse(r.body) as Body);
  const all = [...bodies, ...dead.map((d) => ({ event: d.event, sessionId: d.sessionId! }))];
  const ids = (event: string) => new Set(all.filter((b) => b.event === event).map((b) => b.sessionId));
  const created = ids('sessionCreated');
  const active = ids('participantJoined');
  const destroyed = ids('sessionDestroyed');
  expect(active.size).toBeGreaterThan(0);
  for (const id of active) {
    expect(created.has(id), `sessionCreated of ${id}`).toBe(true);
    expect(destroyed.has(id), `sessionDestroyed of ${id}`).toBe(true);
  }
  for (const id of destroyed) expect(active.has(id), `participantJoined of ${id}`).toBe(true);
  return new Set(bodies.filter((b) => b.reason === 'openviduServerStopped').map((b) => b.sessionId));
}

function checkCounts(r: LoadResult): void {
  const d = r.delivery;
  expect(d.events).toBe(d.delivered + d.failedTotal + d.unsent + d.filtered);
}

async function configFor(url: string) {
  const scenario = await readScenario('default');
  const settings = resolveSettings(scenario);
  const config = resolveOpenviduConfig({
    flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: url },
  });
  return { scenario, settings, config };
}

describe('load mode shutdown', () => {
  it('at a slow planned rate, closes every live session with openviduServerStopped and delivers it', async () => {
    server = await startTestServer();
    const { scenario, settings, config } = await configFor(server.url);
    const handle: LoadHandle = startLoad({
      scenario,
      settings,
      config,
      rate: parseRate('60/s'),
      durationMs: 120_000,
      connections: 4,
      lanes: 4,
      retry: NO_RETRY,
    });
    await waitForRequests(server, 25);
    const result = await handle.shutdown(5_000);
    // `done` settles with the same result.
    expect(await handle.done).toBe(result);
    expect(result.end).toBe('shutdown');
    checkCounts(result);
    expect(result.delivery.unsent + result.delivery.failedTotal).toBe(0);
    expect(result.delivery.delivered).toBe(server.received.length);
    const stopped = checkEverySessionClosed(server.received, []);
    expect(stopped.size).toBeGreaterThan(0);
    expect(result.serverStopEvents).toBeGreaterThanOrEqual(stopped.size);
    // The stop cascades come last for each session: nothing of a stopped session after its sessionDestroyed.
    const bodies = server.received.map((r) => JSON.parse(r.body) as Body);
    for (const id of stopped) {
      const last = bodies.filter((b) => b.sessionId === id).at(-1)!;
      expect(last).toMatchObject({ event: 'sessionDestroyed', reason: 'openviduServerStopped' });
    }
  });

  it('paced replicas with a failing receiver: stop events are counted and delivered or dead-lettered', async () => {
    // Every 4th request fails: some stop events, some sessionCreated, end up in the dead-letter file.
    server = await startTestServer((_r, n): Answer => ({ status: n % 4 === 0 ? 500 : 200 }));
    const { scenario, settings, config } = await configFor(server.url);
    const deadLetterPath = join(tempDir(), 'dead.jsonl');
    const handle = startLoad({
      scenario,
      settings,
      config,
      speed: 50,
      replicas: 6,
      lanes: 3,
      connections: 3,
      retry: NO_RETRY,
      deadLetterPath,
    });
    await waitForRequests(server, 12);
    const result = await handle.shutdown(5_000);
    expect(result.end).toBe('shutdown');
    checkCounts(result);
    const dead = deadLettersOf(deadLetterPath);
    expect(dead.length).toBe(result.delivery.failedTotal + result.delivery.unsent);
    expect(result.delivery.failedTotal).toBeGreaterThan(0);
    const stoppedDead = dead.filter((d) => d.body.includes('"openviduServerStopped"')).length;
    const stoppedReceived = checkEverySessionClosed(server.received, dead).size;
    expect(stoppedDead + stoppedReceived).toBeGreaterThan(0);
  });

  it('a shutdown in the same tick as the start still stops cleanly', async () => {
    server = await startTestServer();
    const { scenario, settings, config } = await configFor(server.url);
    const handle = startLoad({
      scenario,
      settings,
      config,
      rate: parseRate('1/s'),
      durationMs: 60_000,
      retry: NO_RETRY,
    });
    const result = await handle.shutdown(1_000);
    checkCounts(result);
    // What the engines had produced (before their first await: a batch or so per lane) goes out with its stop.
    expect(server.received.length).toBe(result.delivery.delivered);
    // The plan's first event went out at once (due at 0 s); the second, a second later, never did.
    expect(result.delivery.events - result.serverStopEvents).toBe(1);
    const bodies = server.received.map((r) => JSON.parse(r.body) as Body);
    if (bodies.some((b) => b.event === 'participantJoined')) checkEverySessionClosed(server.received, []);
    else expect(bodies.filter((b) => b.event === 'sessionDestroyed')).toEqual([]);
  });
});

describe('ReplicaStream.stopServers', () => {
  it('returns the stop cascades of the live replicas and ends the stream', async () => {
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const stream = new ReplicaStream(scenario, settings, { replicas: 4, lanes: 2 });
    const it = stream[Symbol.iterator]();
    const seen: Body[] = [];
    for (let n = 0; n < 8; n++) {
      const r = it.next();
      if (r.done) break;
      for (const e of r.value.events) seen.push({ event: e.name, sessionId: e.data.sessionId! });
    }
    const stop = stream.stopServers();
    expect(it.next().done).toBe(true);
    expect(stream.stopServers()).toEqual([]);
    const destroyed = stop
      .flatMap((b) => b.events)
      .filter((e) => e.name === 'sessionDestroyed')
      .map((e) => (e.data as { reason?: string }).reason);
    expect(destroyed.length).toBeGreaterThan(0);
    expect(destroyed.every((r) => r === 'openviduServerStopped')).toBe(true);
    const created = new Set(
      [
        ...seen,
        ...stop.flatMap((b) => b.events.map((e) => ({ event: e.name, sessionId: e.data.sessionId! }))),
      ]
        .filter((b) => b.event === 'sessionCreated')
        .map((b) => b.sessionId),
    );
    for (const e of stop.flatMap((b) => b.events)) {
      if (e.name === 'sessionDestroyed') expect(created.has(e.data.sessionId!)).toBe(true);
    }
  });
});
