/**
 * The reference consumer of examples/participant-minutes, end to end on its real SQLite database (a file): ovsim
 * plays a scenario through its WebHook sender — in order, or misbehaving as `--chaos` says — over loopback to the
 * consumer, writes the ground truth and the delivery journal, and `ovsim score` GETs the consumer's view. In order
 * both versions pass; duplicated or reordered, the naive version fails and the fixed one passes — and each divergence
 * carries the journal entries that caused it and the command that reproduces the delivery.
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../examples/participant-minutes/app.js';
import { runScore } from '../../src/cli/commands/score.js';
import type { Divergence } from '../../src/score/divergence.js';
import { cli } from '../cli/run-cli.js';

let dir: string;
let runs = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ovsim-consumer-'));
});

interface Outcome {
  /** `ovsim run`'s exit code, and `ovsim score`'s. */
  run: number;
  code: number;
  kinds: string[];
  divergences: Divergence[];
  reproduce: string | null;
  requests: number;
}

/**
 * Plays `default` at max speed to a fresh consumer with `chaos`, then scores its view against the run's truth, with
 * the journal (and the side effects it reports, when `effects`); stops it.
 */
async function rehearse(version: 'naive' | 'fixed', chaos: string, effects = false): Promise<Outcome> {
  const n = ++runs;
  const truth = join(dir, `truth-${n}.json`);
  const journal = join(dir, `journal-${n}.jsonl`);
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    stderrIsTTY: false,
  };
  let endCount: () => void = () => undefined;
  const counted = new Promise<void>((resolve) => (endCount = resolve));
  let consumerUrl = '';
  const args = {
    truth,
    journal,
    format: 'json' as const,
    ...(effects ? { effectsPort: 0, secret: 'S3cret' } : {}),
    get actual() {
      return `${consumerUrl}/usage`;
    },
  };
  // With an effects count, score listens first (its URL configures the consumer) and reads the view once told the
  // delivery is over; else it runs after the delivery.
  const scoring = effects ? runScore(args, io, {}, counted) : undefined;
  let effectsUrl: string | undefined;
  for (let i = 0; effects && i < 200 && !effectsUrl; i++) {
    effectsUrl = /to (http:\S+\/effects)/.exec(stderr)?.[1];
    if (!effectsUrl) await new Promise((r) => setTimeout(r, 10));
  }
  if (effects) expect(effectsUrl).toBeDefined();
  const c = createConsumer({
    version,
    database: join(dir, `${version}-${n}.db`),
    effects: effectsUrl ? { url: effectsUrl, secret: 'S3cret' } : undefined,
  });
  const server: Server = c.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  consumerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const played = await cli(
      'run',
      'default',
      '--speed',
      'max',
      '--webhook-endpoint',
      `${consumerUrl}/webhook`,
      '--chaos',
      chaos,
      '--journal',
      journal,
      '--truth',
      truth,
    );
    expect(played.stderr).toMatch(/wrote the ground truth of the run/);
    endCount();
    const code = await (scoring ?? runScore(args, io, {}));
    const doc = JSON.parse(stdout) as { divergences: Divergence[]; reproduce: string | null };
    expect(c.unreported).toEqual([]);
    return {
      run: played.code,
      code,
      kinds: [...new Set(doc.divergences.map((d) => d.kind))].sort(),
      divergences: doc.divergences,
      reproduce: doc.reproduce,
      requests: Number(/(\d+) requests/.exec(played.stderr)?.[1] ?? NaN),
    };
  } finally {
    endCount();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    c.close();
  }
}

describe('the reference consumer (examples/participant-minutes) rehearsed with ovsim run --chaos', () => {
  it("in order, once (OpenVidu 2's own sender): both versions pass ovsim score", async () => {
    for (const version of ['naive', 'fixed'] as const) {
      const o = await rehearse(version, 'openvidu2');
      expect([version, o.run, o.code, o.kinds, o.requests]).toEqual([version, 0, 0, [], 65]);
    }
  });

  it('duplicated deliveries: the naive version double-counts minutes and side effects; the fixed one passes', async () => {
    const naive = await rehearse('naive', 'dup=0.3', true);
    expect(naive.requests).toBeGreaterThan(65);
    expect(naive.code).toBe(1);
    expect(naive.kinds).toEqual(expect.arrayContaining(['minutes-overcounted', 'duplicate-effect']));
    // The evidence: the duplicate of that participant's own join or leave, first; and how to see it again.
    const over = naive.divergences.find((d) => d.kind === 'minutes-overcounted')!;
    const first = over.evidence?.journal[0];
    expect(first).toMatchObject({
      kind: 'fault',
      fault: 'duplicate',
      event: { participantId: over.participantId },
    });
    expect(over.evidence?.reproduce).toBe(naive.reproduce);
    expect(naive.reproduce).toMatch(
      /^ovsim run default --seed 2024 .*--speed max --chaos dup=0\.3 --webhook-endpoint http/,
    );
    const fixed = await rehearse('fixed', 'dup=0.3', true);
    expect([fixed.run, fixed.code, fixed.kinds]).toEqual([0, 0, []]);
  });

  it('reordered deliveries: the naive version keeps people online and loses minutes; the fixed one passes', async () => {
    const naive = await rehearse('naive', 'reorder=16');
    expect(naive.code).toBe(1);
    expect(naive.kinds).toEqual(expect.arrayContaining(['participant-still-online', 'minutes-lost']));
    const online = naive.divergences.find((d) => d.kind === 'participant-still-online')!;
    expect(online.evidence?.journal.some((e) => e.kind === 'fault' && e.fault === 'reorder')).toBe(true);
    const fixed = await rehearse('fixed', 'reorder=16');
    expect([fixed.run, fixed.code, fixed.kinds]).toEqual([0, 0, []]);
  });

  it('the stripe preset (at least once, unordered): the naive version fails, the fixed one passes', async () => {
    const naive = await rehearse('naive', 'stripe', true);
    expect(naive.code).toBe(1);
    expect(naive.divergences.length).toBeGreaterThan(0);
    for (const d of naive.divergences)
      expect(d.evidence?.reproduce).toMatch(/--chaos dup=0\.05,.*retry=stripe/);
    const fixed = await rehearse('fixed', 'stripe', true);
    expect([fixed.run, fixed.code, fixed.kinds]).toEqual([0, 0, []]);
  });
});
