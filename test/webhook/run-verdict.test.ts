/**
 * `ovsim run` is a fixture driver: it fails (exit 1) when an event was not delivered and says why; it refuses what it
 * would silently ignore (exit 2).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { closedPortUrl, startTestServer, tempDir, type TestServer } from './helpers.js';

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

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ovsim run: failures are loud', () => {
  it('exits 1 when the endpoint answers 204, saying OpenVidu 2 counts only 200', async () => {
    server = await startTestServer(() => ({ status: 204 }));
    const r = await cli('run', 'basic-call', '--speed', 'max', '--webhook-endpoint', server.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'status 204 ×14: your endpoint answered 204; OpenVidu 2 counts only 200 as delivered',
    );
    expect(r.stderr).toContain('FAILED: 14 of 14 event(s) not delivered');
    // Warned at the first such answer, before the summary.
    const warning = r.stderr.indexOf('warning: your endpoint answered 204');
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(r.stderr.indexOf('basic-call: completed'));
  });

  it('warns at the first refused connection and exits 1', async () => {
    const url = await closedPortUrl();
    const r = await cli('run', 'basic-call', '--speed', 'max', '--webhook-endpoint', url);
    expect(r.code).toBe(1);
    const warning = r.stderr.indexOf(`warning: ${url} refused the connection: is your endpoint running?`);
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(r.stderr.indexOf('basic-call: completed'));
    expect(r.stderr).toContain('refused ×14');
  });

  it('--max-failure-rate tolerates what it allows; the report holds the verdict', async () => {
    server = await startTestServer((_r, n) => ({ status: n === 3 ? 500 : 200 }));
    const report = join(tempDir(), 'run.json');
    const tolerant = await cli(
      'run',
      'basic-call',
      '--speed',
      'max',
      '--webhook-endpoint',
      server.url,
      '--max-failure-rate',
      '10%',
      '--report',
      report,
    );
    expect(tolerant.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      delivery: { delivered: number; failed: Record<string, number> };
      thresholds: { passed: boolean };
      exitCode: number;
    };
    expect(json.delivery).toMatchObject({ delivered: 13, failed: { 'status 500': 1 } });
    expect(json).toMatchObject({ thresholds: { passed: true }, exitCode: 0 });
    server.count = 0;
    const strict = await cli('run', 'basic-call', '--speed', 'max', '--webhook-endpoint', server.url);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('FAILED: 1 of 14 event(s) not delivered');
    expect(strict.stderr).toContain('status 500 ×1: your endpoint answered 500');
  });
});

describe('ovsim run refuses what it would ignore (exit 2)', () => {
  const loadOnly: string[][] = [
    ['--rate', '100/s', '--duration', '1s'],
    ['--stages', '1s:10/s'],
    ['--replicas', '2'],
    ['--lanes', '2'],
    ['--connections', '4'],
    ['--retry', 'none'],
    ['--accept', '2xx'],
    ['--graceful-stop', '1s'],
    ['--metrics', 'm.jsonl'],
  ];
  for (const flags of loadOnly) {
    it(`${flags.filter((f) => f.startsWith('--')).join(' ')} without --delivery load`, async () => {
      const r = await cli('run', 'basic-call', '--cdr-path', tempDir(), ...flags);
      expect(r.code).toBe(2);
      for (const f of flags.filter((x) => x.startsWith('--'))) expect(r.stderr).toContain(f);
      expect(r.stderr).toContain('load delivery only');
    });
  }

  it('neither a CDR file nor a WebHook: nothing to play to', async () => {
    const r = await cli('run', 'basic-call');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to play to');
  });

  it('load refuses the CDR flags (load delivery writes no CDR file)', async () => {
    const r = await cli(
      'load',
      'basic-call',
      '--webhook-endpoint',
      await closedPortUrl(),
      '--cdr-path',
      tempDir(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cdr-path: load delivery writes no CDR file');
  });
});
