/**
 * Delivery when the endpoint refuses connections — not started yet, or gone mid-test: ovsim must not crash, and every
 * event is accounted for (delivered, failed or unsent), every undelivered one in the dead-letter file, with a report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { DeadLetter } from '../../src/sinks/dead-letter.js';
import type { Outcome } from '../../src/sinks/http-transport.js';
import { UndiciTransport } from '../../src/sinks/undici-transport.js';
import { closedPortUrl, ovsim, readJsonLines, startTestServer, tempDir, type TestServer } from './helpers.js';

interface Report {
  delivery: {
    sent: number;
    delivered: number;
    failedTotal: number;
    unsent: number;
    attempts: number;
    failed: Record<string, number>;
  };
}

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}

/** sent = delivered + failed + unsent, and the dead-letter file holds exactly the undelivered events. */
function checkAccounting(report: Report, dead: DeadLetter[]): void {
  const d = report.delivery;
  expect(d.sent + d.unsent).toBe(d.delivered + d.failedTotal + d.unsent);
  expect(dead).toHaveLength(d.failedTotal + d.unsent);
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('undici transport against a refused connection', () => {
  it('calls back once per request, and a request sent again from the callback fails cleanly too', async () => {
    const t = new UndiciTransport(await closedPortUrl(), { connections: 2, timeoutMs: 2000 });
    const body = Buffer.from('{}');
    // In a real process an exception thrown inside undici's socket callbacks ends it: catch any here.
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    // The pattern that broke undici's state: the next request dispatched from inside the failure callback.
    const outcomes = await new Promise<Outcome[]>((resolve, reject) => {
      const got: Outcome[] = [];
      const timer = setTimeout(() => reject(new Error(`only ${got.length} of 6 requests settled`)), 5000);
      const next = (o: Outcome) => {
        got.push(o);
        if (got.length < 6) return t.send(body, [], 0, next);
        clearTimeout(timer);
        resolve(got);
      };
      t.send(body, [], 0, next);
    });
    process.off('uncaughtException', onUncaught);
    await t.destroy();
    expect(uncaught).toEqual([]);
    expect(outcomes.map((o) => (o.kind === 'network' ? o.failure : o.status))).toEqual(
      Array(6).fill('refused'),
    );
  });
});

describe('ovsim load against a closed port', () => {
  const retries: Array<[string, number]> = [
    ['openvidu', 5],
    ['none', 1],
    ['1ms,2ms', 3],
    ['exp:base=1ms,max=2', 3],
  ];
  for (const [retry, attempts] of retries) {
    it(`--retry ${retry}: every event refused, dead-lettered with its ${attempts} attempt(s), reported, exit 1`, async () => {
      const dir = tempDir();
      const deadLetter = join(dir, 'dead.jsonl');
      const reportPath = join(dir, 'report.json');
      const r = await cli([
        'load',
        'basic-call',
        '--webhook-endpoint',
        await closedPortUrl(),
        '--retry',
        retry,
        '--connections',
        '4',
        '--dead-letter',
        deadLetter,
        '--report',
        reportPath,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is your endpoint running\?/);
      const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
      const dead = readJsonLines<DeadLetter>(deadLetter);
      checkAccounting(report, dead);
      expect(report.delivery.sent).toBeGreaterThan(0);
      expect(report.delivery.failed).toEqual({ refused: report.delivery.sent });
      expect(report.delivery.attempts).toBe(report.delivery.sent * attempts);
      for (const d of dead) {
        expect(d.reason).toBe('refused');
        expect(d.attempts.map((a) => a.outcome)).toEqual(Array(attempts).fill('refused'));
      }
    });
  }

  it('run --delivery load: the same, no crash, report and dead letters complete', async () => {
    const dir = tempDir();
    const deadLetter = join(dir, 'dead.jsonl');
    const reportPath = join(dir, 'report.json');
    const r = await cli([
      'run',
      'basic-call',
      '--delivery',
      'load',
      '--speed',
      'max',
      '--webhook-endpoint',
      await closedPortUrl(),
      '--dead-letter',
      deadLetter,
      '--report',
      reportPath,
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    checkAccounting(report, readJsonLines<DeadLetter>(deadLetter));
    expect(report.delivery.delivered).toBe(0);
    expect(report.delivery.failedTotal).toBeGreaterThan(0);
  });
});

describe('ovsim load when the receiver dies mid-test', () => {
  it('does not crash: counts every event, dead-letters every undelivered one, writes the report', async () => {
    let closing: Promise<void> | undefined;
    server = await startTestServer((_r, n) => {
      // Gone after 150 requests: its port refuses from then on.
      if (n === 150) closing = server!.close();
      return { status: 200 };
    });
    const dir = tempDir();
    const deadLetter = join(dir, 'dead.jsonl');
    const reportPath = join(dir, 'report.json');
    // A real process: a crash in the transport is an uncaught exception that ends it without a report.
    const r = await ovsim([
      'load',
      'default',
      '--webhook-endpoint',
      server.url,
      '--rate',
      '400/s',
      '--duration',
      '1500ms',
      '--graceful-stop',
      '0s',
      '--connections',
      '8',
      '--dead-letter',
      deadLetter,
      '--report',
      reportPath,
    ]);
    await closing;
    server = undefined;
    expect(r.stderr).not.toMatch(/AssertionError|internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    const dead = readJsonLines<DeadLetter>(deadLetter);
    checkAccounting(report, dead);
    expect(report.delivery.sent).toBeGreaterThan(400);
    expect(report.delivery.delivered).toBeGreaterThan(0);
    expect(report.delivery.delivered).toBeLessThanOrEqual(150);
    expect(report.delivery.failedTotal).toBeGreaterThan(0);
  }, 30_000);
});
