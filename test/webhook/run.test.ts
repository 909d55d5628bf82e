import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { render } from '../golden/render.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

/** `ovsim generate default --format <format>`. */
const generated = (format: 'cdr' | 'webhook') => render('default', format);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ovsim run --delivery openvidu', () => {
  it('POSTs, at --speed max, exactly the bodies of generate --format webhook, and writes the same CDR lines', async () => {
    server = await startTestServer();
    const dir = tempDir();
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: {
        OPENVIDU_CDR: 'true',
        OPENVIDU_CDR_PATH: dir,
        OPENVIDU_WEBHOOK: 'true',
        OPENVIDU_WEBHOOK_ENDPOINT: server.url,
      },
    });
    const result = await startRun({ scenario, settings, config, speed: 'max' }).done;
    const expected = await generated('webhook');
    expect(server.received.map((r) => r.body + '\n').join('')).toBe(expected);
    expect(result.delivery?.delivered).toBe(expected.split('\n').length - 1);
    expect(result.delivery?.failedTotal).toBe(0);
    expect(readdirSync(dir)).toEqual([`CDR.${nameOf(settings.start)}.log`]);
    expect(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')).toBe(await generated('cdr'));
  });

  it("sends the configured headers first, in order, then Content-Type, then HttpClient's own; filters events", async () => {
    server = await startTestServer();
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: {
        OPENVIDU_WEBHOOK: 'true',
        OPENVIDU_WEBHOOK_ENDPOINT: server.url,
        OPENVIDU_WEBHOOK_HEADERS:
          '["X-Zeta: 1","Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU","X-Alpha: 2"]',
        OPENVIDU_WEBHOOK_EVENTS: '[sessionCreated, sessionDestroyed]',
      },
    });
    const result = await startRun({ scenario, settings, config, speed: 'max' }).done;
    const names = server.received.map((r) => (JSON.parse(r.body) as { event: string }).event);
    expect(new Set(names)).toEqual(new Set(['sessionCreated', 'sessionDestroyed']));
    expect(result.delivery?.filtered).toBe(result.summary.events - names.length);
    const first = server.received[0]!;
    const headerNames = first.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(headerNames).toEqual([
      'X-Zeta',
      'Authorization',
      'X-Alpha',
      'Content-Type',
      'Content-Length',
      'Host',
      'Connection',
      'User-Agent',
      'Accept-Encoding',
    ]);
    expect(first.rawHeaders[7]).toBe('application/json');
    expect(first.rawHeaders[9]).toBe(String(Buffer.byteLength(first.body)));
  });
});

function nameOf(start: number): string {
  const iso = new Date(start).toISOString();
  return `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '-')}`;
}

describe('ovsim run (command line)', () => {
  it('prints where the CDR file went and a delivery summary', async () => {
    server = await startTestServer();
    const dir = tempDir();
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), stderrIsTTY: false };
    const code = await runCli(
      [
        'run',
        'default',
        '--speed',
        'max',
        '--cdr-path',
        dir,
        '--webhook-endpoint',
        server.url,
        '--webhook-header',
        'Authorization: Basic eA==',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`CDR file: ${join(dir, 'CDR.2024-01-01_00-00-00.log')}`);
    expect(stderr).toMatch(/WebHook: sent \d+, delivered \d+, failed 0/);
    expect(server.received[0]!.rawHeaders.slice(0, 2)).toEqual(['Authorization', 'Basic eA==']);
  });

  it('--delivery load delivers the same bodies, concurrently', async () => {
    server = await startTestServer();
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, stderrIsTTY: false };
    const code = await runCli(
      [
        'run',
        'default',
        '--speed',
        'max',
        '--delivery',
        'load',
        '--connections',
        '8',
        '--webhook-endpoint',
        server.url,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('latency ms (from intended send time)');
    const expected = (await generated('webhook')).trimEnd().split('\n').sort();
    expect(server.received.map((r) => r.body).sort()).toEqual(expected);
  });
});
