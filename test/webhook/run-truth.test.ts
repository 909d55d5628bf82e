/**
 * `run --truth` and `load --truth`: the ground truth of the events the engine produced, folded as `generate --truth`
 * folds it, whatever the delivery did to them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTruth } from '../../src/score/read-inputs.js';
import { cli } from '../cli/run-cli.js';
import { startTestServer, tempDir } from './helpers.js';

interface LeftBody {
  event: string;
  uniqueSessionId: string;
  participantId: string;
  startTime: number;
  timestamp: number;
  duration: number;
}

describe('the ground truth of run and load', () => {
  it('run --truth writes the bytes generate --truth writes, with or without chaos on the way', async () => {
    const dir = tempDir('ovsim-run-truth-');
    const server = await startTestServer();
    try {
      const generated = await cli(
        'generate',
        'default',
        '--out',
        join(dir, 'g.jsonl'),
        '--truth',
        join(dir, 'g.json'),
      );
      expect(generated.code).toBe(0);
      const plain = await cli(
        'run',
        'default',
        '--speed',
        'max',
        '--webhook-endpoint',
        server.url,
        '--truth',
        join(dir, 'r.json'),
      );
      expect(plain.code).toBe(0);
      expect(plain.stderr).toMatch(/wrote the ground truth of the run to .*r\.json/);
      const chaotic = await cli(
        'run',
        'default',
        '--speed',
        'max',
        '--webhook-endpoint',
        server.url,
        '--chaos',
        'drop=0.3,dup=0.3,reorder=8',
        '--truth',
        join(dir, 'c.json'),
      );
      expect(chaotic.code).toBe(0);
      const g = readFileSync(join(dir, 'g.json'), 'utf8');
      expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe(g);
      expect(readFileSync(join(dir, 'c.json'), 'utf8')).toBe(g);
    } finally {
      await server.close();
    }
  });

  it("load --truth: each replica's sessions are sessions of their own, and each participantLeft delivered agrees", async () => {
    const dir = tempDir('ovsim-load-truth-');
    const server = await startTestServer();
    try {
      const r = await cli(
        'load',
        'default',
        '--replicas',
        '3',
        '--connections',
        '4',
        '--webhook-endpoint',
        server.url,
        '--truth',
        join(dir, 't.json'),
      );
      expect(r.code).toBe(0);
      const truth = await readTruth(join(dir, 't.json'));
      const single = await cli(
        'generate',
        'default',
        '--truth',
        join(dir, 'one.json'),
        '--out',
        join(dir, 'one.jsonl'),
      );
      expect(single.code).toBe(0);
      const one = await readTruth(join(dir, 'one.json'));
      expect(truth.sessions.length).toBe(3 * one.sessions.length);
      expect(new Set(truth.sessions.map((s) => s.uniqueSessionId)).size).toBe(truth.sessions.length);
      expect(truth.billing.participants).toBe(3 * one.billing.participants);
      const left = server.received
        .map((q) => JSON.parse(q.body) as LeftBody)
        .filter((b) => b.event === 'participantLeft');
      const byKey = new Map(left.map((b) => [`${b.uniqueSessionId}/${b.participantId}`, b]));
      let checked = 0;
      for (const s of truth.sessions)
        for (const p of s.participants) {
          const b = byKey.get(`${s.uniqueSessionId}/${p.participantId}`);
          expect(b, `${s.uniqueSessionId}/${p.participantId}`).toBeDefined();
          expect([b!.startTime, b!.timestamp, b!.duration]).toEqual([
            p.joinedAt,
            p.leftAt,
            Math.trunc(p.connectedSeconds),
          ]);
          checked++;
        }
      expect(checked).toBe(left.length);
    } finally {
      await server.close();
    }
  });

  it('refuses --truth on the file of another output, and --chaos without a WebHook (exit 2)', async () => {
    const dir = tempDir('ovsim-truth-refused-');
    const same = join(dir, 'x.json');
    const r = await cli(
      'run',
      'default',
      '--speed',
      'max',
      '--webhook-endpoint',
      'http://127.0.0.1:9/',
      '--truth',
      same,
      '--journal',
      same,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--truth .*x\.json is also --journal: give each output a file of its own/);
    const off = await cli('run', 'default', '--speed', 'max', '--cdr-path', dir, '--chaos', 'dup=0.1');
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/--chaos acts on the WebHook sender, which is off/);
    const bad = await cli(
      'run',
      'default',
      '--webhook-endpoint',
      'http://127.0.0.1:9/',
      '--chaos',
      'dup=0.1,reorder=0',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--chaos "dup=0.1,reorder=0": reorder=0 \(column 9\)/);
    const gen = await cli('run', 'demo-random', '--webhook-endpoint', 'http://127.0.0.1:9/');
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/has a generate: block, which ovsim run does not play/);
  });
});
