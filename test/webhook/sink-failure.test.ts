/**
 * A sink that cannot be written (a full disk; /dev/full here) ends `run` and `load` with the file named, a report and
 * exit 1 — never a crash, never a silent exit 0.
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { cdrFileName } from '../../src/sinks/cdr-file.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

const FULL = '/dev/full';

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

interface Report {
  end: string;
  failure?: string;
  exitCode: number;
  delivery: { sent: number; delivered: number; failedTotal: number; unsent: number };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.skipIf(!existsSync(FULL))('a dead-letter file that cannot be written', () => {
  it('ends ovsim load at once: exit 1, the file named, the report written, every event counted', async () => {
    server = await startTestServer(() => ({ status: 500 }));
    const report = join(tempDir(), 'report.json');
    const r = await cli([
      'load',
      'default',
      '--webhook-endpoint',
      server.url,
      '--rate',
      '200/s',
      '--duration',
      '5s',
      '--retry',
      'none',
      '--connections',
      '2',
      '--dead-letter',
      FULL,
      '--report',
      report,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--dead-letter \/dev\/full: write failed after 0 record\(s\) \(ENOSPC/);
    expect(r.stdout).toContain('end: failed');
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.end).toBe('failed');
    expect(json.failure).toContain('/dev/full');
    expect(json.exitCode).toBe(1);
    const d = json.delivery;
    expect(d.sent + d.unsent).toBe(d.delivered + d.failedTotal + d.unsent);
    // Stopped at the first failure, not after the plan's 1 000 events.
    expect(d.sent).toBeLessThan(1000);
  });

  it('ends ovsim run at once (no uncaught ENOSPC): exit 1, the file named, the report written', async () => {
    server = await startTestServer(() => ({ status: 500 }));
    const report = join(tempDir(), 'report.json');
    const r = await cli([
      'run',
      'default',
      '--speed',
      'max',
      '--webhook-endpoint',
      server.url,
      '--dead-letter',
      FULL,
      '--report',
      report,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: --dead-letter \/dev\/full: write failed after 0 record\(s\) \(ENOSPC/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.end).toBe('failed');
    expect(json.exitCode).toBe(1);
  });
});

describe.skipIf(!existsSync(FULL))('a CDR file that cannot be written', () => {
  it('ends ovsim run: exit 1 naming the file, the report written', async () => {
    const dir = tempDir();
    // The first CDR file of the run is a link to a full device.
    const cdrFile = join(
      dir,
      cdrFileName(Date.parse('2024-01-01T00:00:00.000Z'), Date.parse('2024-01-01T00:00:00.000Z')),
    );
    symlinkSync(FULL, cdrFile);
    const report = join(tempDir(), 'report.json');
    const r = await cli(['run', 'default', '--speed', 'max', '--cdr-path', dir, '--report', report]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(cdrFile);
    expect(r.stderr).toMatch(/ENOSPC|no space/i);
    expect(r.stderr).not.toContain('internal error');
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.end).toBe('failed');
  });
});
