import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import {
  ArrivalSchedule,
  NO_RETRY,
  parseRate,
  parseRetry,
  parseStages,
} from '../../src/runtime/load-plan.js';
import { startLoad } from '../../src/runtime/load.js';
import { replicaBatches } from '../../src/runtime/replicas.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import type { DeadLetter } from '../../src/sinks/dead-letter.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sessionOf = (body: string) => (JSON.parse(body) as { sessionId: string }).sessionId;

describe('load mode', () => {
  it('keeps every session in order under 16 concurrent connections', async () => {
    server = await startTestServer((_r, n) => ({ status: 200, delayMs: (n * 7) % 5 }));
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: server.url },
    });
    const handle = startLoad({
      scenario,
      settings,
      config,
      connections: 16,
      replicas: 12,
      lanes: 6,
      retry: NO_RETRY,
    });
    const result = await handle.done;
    const expected = new Map<string, string[]>();
    for (const b of replicaBatches(scenario, settings, { replicas: 12, lanes: 6 })) {
      for (const e of b.events) {
        const body = settings.profile.serializeWebhook(e)!;
        const list = expected.get(e.data.sessionId!) ?? [];
        list.push(body);
        expected.set(e.data.sessionId!, list);
      }
    }
    const got = new Map<string, string[]>();
    for (const r of server.received) {
      const list = got.get(sessionOf(r.body)) ?? [];
      list.push(r.body);
      got.set(sessionOf(r.body), list);
    }
    expect(got.size).toBe(24);
    expect(got).toEqual(expected);
    expect(result.delivery.delivered).toBe(server.received.length);
    expect(result.delivery.latencyMs.count).toBe(result.delivery.delivered);
  });

  it('accounts for every undelivered event in the dead-letter file, with its attempts', async () => {
    // Every 3rd request fails with 503, every 5th connection is dropped: a retry list of two delays then gives up.
    server = await startTestServer((_r, n) =>
      n % 5 === 0 ? 'destroy' : n % 3 === 0 ? { status: 503 } : { status: 200 },
    );
    const dir = tempDir();
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: server.url },
    });
    const result = await startLoad({
      scenario,
      settings,
      config,
      connections: 4,
      replicas: 3,
      retry: parseRetry('1ms,2ms'),
      deadLetterPath: join(dir, 'dead.jsonl'),
    }).done;
    const r = result.delivery;
    expect(r.delivered + r.failedTotal + r.unsent).toBe(r.sent);
    expect(r.failedTotal).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, 'dead.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DeadLetter);
    expect(lines).toHaveLength(r.failedTotal + r.unsent);
    for (const d of lines) {
      expect(d.attempts).toHaveLength(3);
      expect(d.attempts.every((a) => a.outcome === 'status 503' || a.outcome === 'reset')).toBe(true);
    }
    expect(r.attempts).toBe(server.count);
  });

  it('ovsim load reports, writes JSON and exits 1 over a threshold', async () => {
    server = await startTestServer((_r, n) => (n % 2 === 0 ? { status: 500 } : { status: 200 }));
    const dir = tempDir();
    const report = join(dir, 'report.json');
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, stderrIsTTY: false };
    const code = await runCli(
      [
        'load',
        'default',
        '--webhook-endpoint',
        server.url,
        '--rate',
        '2000/s',
        '--connections',
        '4',
        '--retry',
        'none',
        '--report',
        report,
        '--max-failure-rate',
        '10%',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(stdout).toContain('FAILED thresholds');
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      delivery: { sent: number; failed: Record<string, number> };
      thresholds: { passed: boolean };
    };
    expect(json.thresholds.passed).toBe(false);
    expect(json.delivery.failed['status 500']).toBeGreaterThan(0);
  });
});

describe('load plans', () => {
  it('spaces arrivals of a constant rate and of ramps', () => {
    const constant = new ArrivalSchedule(1000, [], 1000);
    expect(constant.total).toBe(1000);
    expect(constant.timeOf(500)).toBeCloseTo(500);
    expect(constant.timeOf(1000)).toBeUndefined();
    const ramp = new ArrivalSchedule(0, [{ durationMs: 10_000, perSecond: 100 }]);
    expect(ramp.total).toBe(500); // (0 + 100)/2 × 10 s
    expect(ramp.timeOf(125)).toBeCloseTo(5000); // a quarter of the arrivals by the middle
    const times = Array.from({ length: 500 }, (_, i) => ramp.timeOf(i)!);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });

  it('parses rates, stages and retry schedules', () => {
    expect(parseRate('500/s')).toEqual({ perSecond: 500, unit: 'events' });
    expect(parseRate('60/m').perSecond).toBe(1);
    expect(parseRate('5sessions/s').unit).toBe('sessions');
    expect(parseStages('30s:100/s,1m:1000/s').map((s) => s.durationMs)).toEqual([30_000, 60_000]);
    const exp = parseRetry('exp:base=200ms,max=3');
    expect([1, 2, 3, 4].map((n) => exp.delayMs(n, () => 0))).toEqual([200, 400, 800, undefined]);
    expect(exp.retryable({ kind: 'status', status: 404 })).toBe(false);
    expect(exp.retryable({ kind: 'status', status: 503 })).toBe(true);
    const jittered = parseRetry('exp:base=1s,jitter').delayMs(1, () => 0.5);
    expect(jittered).toBe(750);
    expect(() => parseRetry('sometimes')).toThrow(/--retry/);
  });
});
