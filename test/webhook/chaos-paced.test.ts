/**
 * The chaos stage off `--speed max`: paced on the wall clock (a delay waits its share of wall time), on a `load`
 * rate plan, and stopped half-way (what it still held is journaled as never sent, and counted).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { parseChaosSpec } from '../../src/sinks/chaos-spec.js';
import { JournalRecord } from '../../src/sinks/journal-schema.js';
import { cli } from '../cli/run-cli.js';
import { startTestServer, tempDir } from './helpers.js';

const digest = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 16);

function records(file: string): JournalRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JournalRecord.parse(JSON.parse(l)));
}

function attempts(rs: readonly JournalRecord[]) {
  return rs.filter((r): r is Extract<JournalRecord, { kind: 'attempt' }> => r.kind === 'attempt');
}

describe('chaos on the wall clock', () => {
  it('paced (--speed 100): a 20 s delay waits about 200 ms after its event; every request accounted for', async () => {
    const server = await startTestServer();
    const file = join(tempDir('ovsim-paced-'), 'j.jsonl');
    try {
      const r = await cli(
        'run',
        'basic-call',
        '--speed',
        '100',
        '--webhook-endpoint',
        server.url,
        '--chaos',
        'delay=20s',
        '--journal',
        file,
      );
      expect(r.code, r.stderr).toBe(0);
      const rs = records(file);
      const as = attempts(rs);
      expect(as.map((a) => a.event.digest)).toEqual(server.received.map((q) => digest(q.body)));
      // The first event's request goes ~200 ms after the run started (its delay at speed 100), not at once.
      const run = rs[0] as Extract<JournalRecord, { kind: 'run' }>;
      const wait = Date.parse(as[0]!.sentAt) - Date.parse(run.startedAt);
      expect(wait).toBeGreaterThanOrEqual(150);
      // The plan's order holds: first requests follow their planned instants.
      const dues = as.map((a) => a.event.timestamp);
      expect(dues).toEqual([...dues].sort((x, y) => x - y));
    } finally {
      await server.close();
    }
  });

  it('a load rate plan: duplicates and delays on the wall clock, every request accounted for', async () => {
    const server = await startTestServer();
    const file = join(tempDir('ovsim-rate-'), 'j.jsonl');
    try {
      const r = await cli(
        'load',
        'basic-call',
        '--rate',
        '200/s',
        '--duration',
        '1s',
        '--graceful-stop',
        '0s',
        '--webhook-endpoint',
        server.url,
        '--chaos',
        'dup=0.3,dupdelay=20ms,delay=uniform:10ms..50ms',
        '--journal',
        file,
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const rs = records(file);
      const key = (d: string) => d;
      expect(
        attempts(rs)
          .map((a) => key(a.event.digest))
          .sort(),
      ).toEqual(server.received.map((q) => key(digest(q.body))).sort());
      const end = rs.at(-1) as Extract<JournalRecord, { kind: 'end' }>;
      expect(end.kind).toBe('end');
      expect(end.requests).toBe(server.received.length);
      expect(end.deliveries).toBeGreaterThan(end.events);
      expect(end.delivered).toBe(end.events);
    } finally {
      await server.close();
    }
  });

  it('stopped half-way: what was held is journaled as never sent, and every copy is accounted for', async () => {
    const server = await startTestServer(() => ({ status: 200, delayMs: 20 }));
    const file = join(tempDir('ovsim-stop-'), 'j.jsonl');
    try {
      const scenario = await readScenario('default');
      const settings = resolveSettings(scenario, {});
      const handle = startRun({
        scenario,
        settings,
        config: resolveOpenviduConfig({
          flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: server.url },
        }),
        speed: 20,
        drainTimeoutMs: 30,
        chaos: parseChaosSpec('reorder=1000,dup=0.2'),
        journal: {
          path: file,
          header: {
            command: 'run',
            scenario: 'default',
            seed: '2024',
            start: '2024-01-01T00:00:00.000Z',
            openviduVersion: '2.32',
            edition: 'ce',
            endpoint: server.url,
            speed: '20',
            chaos: 'reorder=1000,dup=0.2',
            reproduce: 'ovsim run default',
          },
        },
      });
      await new Promise((r) => setTimeout(r, 300));
      const result = await handle.shutdown();
      expect(result.end).toBe('shutdown');
      const rs = records(file);
      const end = rs.at(-1) as Extract<JournalRecord, { kind: 'end' }>;
      expect(end).toMatchObject({ kind: 'end', end: 'shutdown' });
      const unsent = rs.filter((x) => x.kind === 'unsent');
      expect(unsent.length).toBeGreaterThan(0);
      expect(end.unsent).toBe(unsent.length);
      const copies = new Set([...attempts(rs), ...unsent].map((x) => `${x.event.seq}/${x.copy}`));
      expect(copies.size).toBe(end.deliveries);
      // Every answered request reached the receiver, and the receiver saw no request the journal lacks. A request
      // that ended in an error (aborted by the stop, reset, timed out) may or may not have reached it first.
      const as = attempts(rs);
      const answered = as.filter((a) => 'status' in a.response).length;
      expect(end.requests).toBe(as.length);
      expect(server.count).toBeGreaterThanOrEqual(answered);
      expect(server.count).toBeLessThanOrEqual(as.length);
      expect(end.delivered + end.undelivered + end.dropped).toBe(end.events);
      expect(result.chaos?.undelivered).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
