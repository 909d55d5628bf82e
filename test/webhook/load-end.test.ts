/**
 * How a load test ends on its own: the sessions it left open are closed (k6's gracefulStop), the report says so; and
 * what it records along the way: the per-second time series (`--metrics`) and the live line (cli-progress).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { startLoadProgress } from '../../src/runtime/load-progress.js';
import { DeliveryStats } from '../../src/sinks/delivery-stats.js';
import { readJsonLines, startTestServer, tempDir, type Received, type TestServer } from './helpers.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}

interface Body {
  event: string;
  sessionId: string;
  reason?: string;
}

interface Report {
  end: string;
  serverStopEvents: number;
  sessions: { created: number; destroyed: number; leftOpen: number };
  gracefulStop: {
    graceMs: number;
    openAtPlanEnd: number;
    started: number;
    finished: number;
    stopped: number;
    events: number;
  };
  delivery: { sent: number; delivered: number };
}

/** Every session that had a participant was destroyed, and the stop closed exactly `stopped` of them. */
function checkClosed(received: readonly Received[], stopped: number): void {
  const bodies = received.map((r) => JSON.parse(r.body) as Body);
  const ids = (event: string) => new Set(bodies.filter((b) => b.event === event).map((b) => b.sessionId));
  const destroyed = ids('sessionDestroyed');
  for (const id of ids('participantJoined'))
    expect(destroyed.has(id), `sessionDestroyed of ${id}`).toBe(true);
  const byStop = bodies.filter((b) => b.event === 'sessionDestroyed' && b.reason === 'openviduServerStopped');
  expect(byStop).toHaveLength(stopped);
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const plan = (url: string, graceful: string, report: string) => [
  'load',
  'default',
  '--webhook-endpoint',
  url,
  '--rate',
  '400/s',
  '--duration',
  '500ms',
  '--connections',
  '4',
  '--graceful-stop',
  graceful,
  '--report',
  report,
];

describe('a load plan that ends', () => {
  it('lets the live copies play to their end within --graceful-stop, and says so', async () => {
    server = await startTestServer();
    const report = join(tempDir(), 'report.json');
    const r = await cli(...plan(server.url, '20s', report));
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.gracefulStop.openAtPlanEnd).toBeGreaterThan(0);
    expect(json.gracefulStop.finished).toBeGreaterThanOrEqual(json.gracefulStop.openAtPlanEnd);
    // What ended during the grace was open at the plan's end or started by a live copy during it.
    expect(json.gracefulStop.finished).toBeLessThanOrEqual(
      json.gracefulStop.openAtPlanEnd + json.gracefulStop.started,
    );
    expect(json.gracefulStop.stopped).toBe(0);
    expect(json.gracefulStop.events).toBeGreaterThan(0);
    expect(json.sessions.leftOpen).toBe(0);
    expect(json.delivery.delivered).toBe(server.received.length);
    checkClosed(server.received, 0);
    expect(r.stdout).toMatch(
      /graceful stop: \d+ session\(s\) open when the plan ended; within 20 s the live copies started \d+ more and ended \d+ session\(s\) on their own \(\d+ events\), then 0 were closed/,
    );
  });

  it('--graceful-stop 0s closes them at once with openviduServerStopped', async () => {
    server = await startTestServer();
    const report = join(tempDir(), 'report.json');
    const r = await cli(...plan(server.url, '0s', report));
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.gracefulStop.openAtPlanEnd).toBeGreaterThan(0);
    // No grace: nothing more is played; what the replicas had already produced still happens (it may end a session),
    // then the stop closes the rest.
    expect(json.gracefulStop.events).toBe(0);
    expect(json.gracefulStop.stopped).toBeGreaterThan(0);
    expect(json.gracefulStop.finished + json.gracefulStop.stopped).toBeGreaterThanOrEqual(
      json.gracefulStop.openAtPlanEnd,
    );
    expect(json.sessions.leftOpen).toBe(0);
    checkClosed(server.received, json.gracefulStop.stopped);
  });
});

describe('--metrics', () => {
  it('writes one JSON line per second whose figures add up to the report', async () => {
    server = await startTestServer();
    const dir = tempDir();
    const metrics = join(dir, 'metrics.jsonl');
    const report = join(dir, 'report.json');
    const r = await cli(
      'load',
      'default',
      '--webhook-endpoint',
      server.url,
      '--rate',
      '200/s',
      '--duration',
      '2200ms',
      '--graceful-stop',
      '0s',
      '--connections',
      '4',
      '--metrics',
      metrics,
      '--report',
      report,
    );
    expect(r.code).toBe(0);
    const lines = readJsonLines<{
      t: number;
      sent: number;
      delivered: number;
      failed: number;
      latencyMs: { count: number; p99: number };
      total: { sent: number; delivered: number };
    }>(metrics);
    // Two whole seconds, then the last part-second.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, 2).map((l) => l.t)).toEqual([expect.closeTo(1, 0), expect.closeTo(2, 0)]);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(lines.reduce((n, l) => n + l.sent, 0)).toBe(json.delivery.sent);
    expect(lines.reduce((n, l) => n + l.delivered, 0)).toBe(json.delivery.delivered);
    expect(lines.at(-1)!.total).toMatchObject({
      sent: json.delivery.sent,
      delivered: json.delivery.delivered,
    });
    for (const l of lines) expect(l.latencyMs.count).toBe(l.delivered);
    expect(lines[0]!.sent).toBeGreaterThan(100);
  });

  for (const where of ['/proc/ovsim-nope/m.jsonl', 'under-a-file']) {
    it(`a metrics file that cannot be created (${where}) is bad input (exit 2), named, at once`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'file'), '');
      // Under /proc, Node's recursive mkdir would spin forever: the folder is made one level at a time instead.
      const path = where === 'under-a-file' ? join(dir, 'file', 'm.jsonl') : where;
      const r = await cli(
        'load',
        'basic-call',
        '--webhook-endpoint',
        'http://127.0.0.1:1/',
        '--metrics',
        path,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--metrics ${path}: cannot be written`);
    });
  }
});

describe('the live line', () => {
  it('is drawn by cli-progress on a terminal with the figures, and not at all elsewhere', async () => {
    const stats = new DeliveryStats();
    stats.sent = 42;
    stats.delivered = 40;
    // A terminal as cli-progress sees one.
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const p = startLoadProgress(true, stats, () => 7, performance.now(), 10_000, out);
    p.stop();
    expect(text).toMatch(/sent 42 \| delivered 40 \| failed 0 .*backlog 7/);
    const silent = new PassThrough();
    let none = '';
    silent.on('data', (d: Buffer) => (none += d.toString()));
    startLoadProgress(false, stats, () => 7, performance.now(), 10_000, silent).stop();
    expect(none).toBe('');
  });
});
