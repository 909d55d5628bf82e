import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseLenientArray, resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import type { Batch } from '../../src/engine/engine.js';
import { Profile } from '../../src/model/profile.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { CdrFileSink, cdrFileName } from '../../src/sinks/cdr-file.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      stderrIsTTY: false,
    },
  };
}

describe('graceful shutdown', () => {
  it('closes every live session with openviduServerStopped, drains the queue and reports', async () => {
    server = await startTestServer();
    const dir = tempDir();
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: {
        OPENVIDU_CDR_PATH: dir,
        OPENVIDU_CDR: 'true',
        OPENVIDU_WEBHOOK: 'true',
        OPENVIDU_WEBHOOK_ENDPOINT: server.url,
      },
    });
    let batches = 0;
    // Paced (1000×) so that the scenario is mid-way, with live sessions, when we stop.
    const handle = startRun({
      scenario,
      settings,
      config,
      speed: 1000,
      drainTimeoutMs: 5_000,
      onBatch: () => {
        if (++batches === 6) void handle.shutdown();
      },
    });
    const result = await handle.done;
    expect(result.end).toBe('shutdown');
    const bodies = server.received.map((r) => JSON.parse(r.body) as { event: string; reason?: string });
    const last = bodies[bodies.length - 1]!;
    expect(last.event).toBe('sessionDestroyed');
    expect(last.reason).toBe('openviduServerStopped');
    expect(bodies.filter((b) => b.reason === 'openviduServerStopped').length).toBeGreaterThan(1);
    expect(result.delivery!.delivered).toBe(bodies.length);
    expect(result.delivery!.unsent + result.delivery!.failedTotal).toBe(0);
    const cdr = readFileSync(result.cdrFiles[0]!, 'utf8');
    expect(cdr.trimEnd().split('\n').at(-1)).toContain('"reason":"openviduServerStopped"');
  });
});

describe('CDR file', () => {
  it('is created at startup and rolls at each virtual UTC midnight, keeping the start time in the name', () => {
    const dir = tempDir();
    const start = Date.parse('2024-03-01T23:59:58.000Z');
    const sink = new CdrFileSink({ dir, serverStart: start, profile: new Profile('2.32') });
    expect(readdirSync(dir)).toEqual(['CDR.2024-03-01_23-59-58.log']);
    const ev = (t: number, id: string): Batch => ({
      at: t,
      cause: { kind: 'timer', label: 'test' },
      events: [
        { name: 'sessionCreated', data: { sessionId: id, uniqueSessionId: `${id}_${t}`, timestamp: t } },
      ],
    });
    sink.writeBatch(ev(start + 1000, 'a'));
    sink.writeBatch(ev(start + 3000, 'b'));
    sink.writeBatch(ev(start + 86_400_000 + 5000, 'c'));
    sink.close();
    expect(readdirSync(dir).sort()).toEqual([
      'CDR.2024-03-01_23-59-58.log',
      'CDR.2024-03-02_23-59-58.log',
      'CDR.2024-03-03_23-59-58.log',
    ]);
    expect(readFileSync(join(dir, 'CDR.2024-03-01_23-59-58.log'), 'utf8')).toContain('"sessionId":"a"');
    expect(readFileSync(join(dir, 'CDR.2024-03-02_23-59-58.log'), 'utf8')).toContain('"sessionId":"b"');
    expect(readFileSync(join(dir, 'CDR.2024-03-03_23-59-58.log'), 'utf8')).toContain('"sessionId":"c"');
    expect(cdrFileName(start, start)).toBe('CDR.2024-03-01_23-59-58.log');
  });
});

describe('configuration', () => {
  it.each([
    [['--cdr', '--cdr-path', ''], 'OPENVIDU_CDR_PATH'],
    [['--webhook'], 'OPENVIDU_WEBHOOK_ENDPOINT'],
    [['--webhook-endpoint', 'not a url'], 'OPENVIDU_WEBHOOK_ENDPOINT'],
    [
      ['--webhook-endpoint', 'http://127.0.0.1:1/', '--webhook-header', 'NoColon'],
      'OPENVIDU_WEBHOOK_HEADERS',
    ],
    [['--webhook-events', 'sessionCreated,mediaServerCrashed'], 'OPENVIDU_WEBHOOK_EVENTS'],
    [['--recording-autostop-timeout', '-1'], 'OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT'],
  ])('ovsim run %j exits 2 naming %s', async (flags, property) => {
    const { out, io } = capture();
    const code = await runCli(['run', 'default', '--speed', 'max', ...flags], io);
    expect(code).toBe(2);
    expect(out.stderr).toContain(property);
  });

  it('reads an OpenVidu .env file, overridden by the environment and flags', async () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, '# OpenVidu\nOPENVIDU_CDR=maybe\nOPENVIDU_WEBHOOK_EVENTS=[sessionCreated]\n');
    const { out, io } = capture();
    expect(await runCli(['run', 'default', '--env-file', file], io)).toBe(2);
    expect(out.stderr).toContain('OPENVIDU_CDR=maybe');
    const c = resolveOpenviduConfig({
      envFile: { OPENVIDU_CDR: 'maybe', OPENVIDU_WEBHOOK_EVENTS: '[sessionCreated]' },
      env: { OPENVIDU_CDR: 'false' },
      flags: {},
    });
    expect(c.cdr).toBe(false);
    expect([...c.webhookEvents]).toEqual(['sessionCreated']);
    expect(c.origin.OPENVIDU_CDR).toBe('env');
  });

  it("has OpenVidu's defaults and parses lenient arrays", () => {
    const c = resolveOpenviduConfig({});
    expect(c).toMatchObject({
      cdr: false,
      cdrPath: '/opt/openvidu/cdr',
      webhook: false,
      recordingAutostopTimeout: undefined,
    });
    expect(c.webhookEvents.size).toBe(15);
    expect(c.webhookEvents.has('HANodeRegistered')).toBe(false);
    expect(parseLenientArray('[a, "b: c" ,d]')).toEqual(['a', 'b: c', 'd']);
    expect(parseLenientArray('[]')).toEqual([]);
    expect(parseLenientArray('a,b')).toBeUndefined();
  });
});
