/**
 * `run` and `load` under SIGINT/SIGTERM, as real processes: they report, exit 130, and hold --drain-timeout from the
 * signal whatever they were doing — playing, or draining a queue or retries after the plan had ended.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../src/sinks/dead-letter.js';
import { readJsonLines, spawnOvsim, startTestServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Waits until `check()` holds; bounded to 400 rounds of 25 ms. */
async function until(check: () => boolean): Promise<void> {
  for (let round = 0; round < 400 && !check(); round++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

interface Report {
  end: string;
  exitCode: number;
  interrupted: boolean;
  delivery: {
    sent: number;
    delivered: number;
    failedTotal: number;
    unsent: number;
    failed: Record<string, number>;
  };
}

describe('ovsim load and run after a signal', () => {
  it('load: SIGTERM mid-plan stops the servers, reports and exits 130', async () => {
    server = await startTestServer();
    const report = join(tempDir(), 'report.json');
    const p = spawnOvsim([
      'load',
      'default',
      '--webhook-endpoint',
      server.url,
      '--rate',
      '40/s',
      '--duration',
      '60s',
      '--connections',
      '4',
      '--report',
      report,
    ]);
    await until(() => server!.count >= 10);
    p.child.kill('SIGTERM');
    const r = await p.exited;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGTERM: stopping');
    expect(r.stdout).toContain('end: shutdown');
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json).toMatchObject({ end: 'shutdown', exitCode: 130, interrupted: true });
    expect(json.delivery.delivered).toBe(server.count);
  });

  it('load: SIGTERM after the plan ended, while retries wait, gives them up at --drain-timeout', async () => {
    server = await startTestServer(() => ({ status: 503 }));
    const dir = tempDir();
    const deadLetter = join(dir, 'dead.jsonl');
    const p = spawnOvsim([
      'load',
      'basic-call',
      '--webhook-endpoint',
      server.url,
      '--rate',
      '1000/s',
      '--replicas',
      '4',
      '--retry',
      '20s',
      '--drain-timeout',
      '300ms',
      '--dead-letter',
      deadLetter,
      '--report',
      join(dir, 'report.json'),
    ]);
    // Each copy's first event failed, and each session waits 20 s for its retry (its later events may not overtake
    // it). Production may still be finishing when the signal lands (a loaded machine): then the stop cascades close
    // the copies instead of their own last events, so the counts come from the report, not from the scenario.
    await until(() => server!.count >= 4);
    p.child.kill('SIGTERM');
    const r = await p.exited;
    expect(r.code).toBe(130);
    // No retry went out: the drain deadline held instead of the 20 s wait.
    expect(server.count).toBe(4);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      delivery: { events: number; delivered: number };
    };
    expect(report.delivery.delivered).toBe(0);
    // Every event submitted is in the dead-letter file: none silently dropped.
    const dead = readJsonLines<DeadLetter>(deadLetter);
    expect(dead).toHaveLength(report.delivery.events);
    const given = dead.filter((d) => d.reason === 'aborted');
    expect(given).toHaveLength(4);
    expect(given.every((d) => d.attempts.length === 1 && d.attempts[0]!.outcome === 'status 503')).toBe(true);
    expect(dead.filter((d) => d.reason === 'unsent: shut down')).toHaveLength(dead.length - 4);
  });

  it('run: SIGINT while playing closes the sessions (openviduServerStopped), reports and exits 130', async () => {
    server = await startTestServer();
    const p = spawnOvsim(['run', 'default', '--speed', '20', '--webhook-endpoint', server.url]);
    await until(() => server!.count >= 3);
    p.child.kill('SIGINT');
    const r = await p.exited;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGINT: stopping');
    expect(r.stderr).toContain('default: shutdown;');
    const last = JSON.parse(server.received.at(-1)!.body) as { event: string; reason?: string };
    expect(last).toMatchObject({ event: 'sessionDestroyed', reason: 'openviduServerStopped' });
  });

  it('run: SIGTERM after the scenario played, while the queue drains, holds --drain-timeout', async () => {
    // Every answer takes 10 s: the 14 queued events would take minutes to drain.
    server = await startTestServer(() => ({ status: 200, delayMs: 10_000 }));
    const dir = tempDir();
    const deadLetter = join(dir, 'dead.jsonl');
    const p = spawnOvsim([
      'run',
      'basic-call',
      '--speed',
      'max',
      '--timeout',
      '30s',
      '--drain-timeout',
      '300ms',
      '--webhook-endpoint',
      server.url,
      '--dead-letter',
      deadLetter,
    ]);
    await until(() => p.stderr().includes('WebHook: POST') && server!.count >= 1);
    p.child.kill('SIGTERM');
    const r = await p.exited;
    expect(r.code).toBe(130);
    expect(server.count).toBe(1);
    const dead = readJsonLines<DeadLetter>(deadLetter);
    expect(dead).toHaveLength(14);
    expect(dead.filter((d) => d.reason === 'aborted')).toHaveLength(1);
    expect(dead.filter((d) => d.reason === 'unsent: shut down')).toHaveLength(13);
  });
});
