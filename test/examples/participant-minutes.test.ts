/**
 * The reference consumer of examples/participant-minutes, end to end on its real SQLite database (a file): WebHooks
 * from `ovsim generate` POSTed over loopback, its view GET by `ovsim score`. Delivered in order once, both versions
 * pass; duplicated or reordered (the example's own driver stands in for sender-side chaos until it exists), the
 * naive version fails and the fixed one passes — and the side effects it reports are counted.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../examples/participant-minutes/app.js';
import { deliver, planDelivery, type DeliveryPlan } from '../../examples/participant-minutes/deliver.js';
import { runScore } from '../../src/cli/commands/score.js';
import { generateWithTruth } from '../truth/helpers.js';

let dir: string;
let truthFile: string;
let bodies: string[];

beforeAll(async () => {
  const run = await generateWithTruth('demo-random', '--set', 'duration=6m');
  truthFile = run.truthFile;
  bodies = readFileSync(run.hooksFile, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  dir = mkdtempSync(join(tmpdir(), 'ovsim-consumer-'));
});

interface Outcome {
  code: number;
  kinds: string[];
  statuses: number[];
  sessions: number;
}

/** Delivers the run to a fresh consumer, scores its view (optionally counting its side effects), stops it. */
async function rehearse(version: 'naive' | 'fixed', plan: DeliveryPlan, effects = false): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    stderrIsTTY: false,
  };
  const database = join(dir, `${version}-${plan.duplicate ?? 0}-${plan.reorder ?? 1}-${effects}.db`);
  let endCount: () => void = () => undefined;
  const counted = new Promise<void>((resolve) => (endCount = resolve));
  let effectsUrl: string | undefined;
  let consumerUrl = '';
  const consumer = (url: string | undefined) =>
    createConsumer({ version, database, effects: url ? { url, secret: 'S3cret' } : undefined });
  let c = effects ? undefined : consumer(undefined);
  let server: Server | undefined;
  const listen = async () => {
    c ??= consumer(effectsUrl);
    const s = c.app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    server = s;
    consumerUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  // The view's URL is known once the consumer listens, after score's effects endpoint (its URL configures it).
  const args = {
    truth: truthFile,
    format: 'json' as const,
    ...(effects ? { effectsPort: 0, secret: 'S3cret' } : {}),
    get actual() {
      return `${consumerUrl}/usage`;
    },
  };
  // With an effects count, score listens first and reads the view once told the delivery is over; else it runs after.
  const scoring = effects ? runScore(args, io, {}, counted) : undefined;
  if (effects) {
    for (let i = 0; i < 200 && !effectsUrl; i++) {
      effectsUrl = /to (http:\S+\/effects)/.exec(stderr)?.[1];
      if (!effectsUrl) await new Promise((r) => setTimeout(r, 10));
    }
    expect(effectsUrl).toBeDefined();
  }
  await listen();
  try {
    const statuses = await deliver(planDelivery(bodies, plan), `${consumerUrl}/webhook`);
    endCount();
    const code = await (scoring ?? runScore(args, io, {}));
    const doc = JSON.parse(stdout) as { divergences: { kind: string }[] };
    expect(c?.unreported).toEqual([]);
    const rows = (c as ReturnType<typeof consumer>).ledger.usage().sessions.length;
    return {
      code,
      kinds: [...new Set(doc.divergences.map((d) => d.kind))].sort(),
      statuses,
      sessions: rows,
    };
  } finally {
    endCount();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    c?.close();
  }
}

const allAccepted = (o: Outcome) => o.statuses.every((s) => s === 200);

describe('the reference consumer (examples/participant-minutes) rehearsed against the truth', () => {
  it('in order, once: both versions pass ovsim score', async () => {
    for (const version of ['naive', 'fixed'] as const) {
      const o = await rehearse(version, {});
      expect(o.statuses.length).toBe(bodies.length);
      expect(allAccepted(o)).toBe(true);
      expect(o.sessions).toBeGreaterThan(1);
      expect([version, o.code, o.kinds]).toEqual([version, 0, []]);
    }
  });

  it('duplicated deliveries: the naive version double-counts minutes and side effects; the fixed one passes', async () => {
    const plan = { duplicate: 0.2, seed: '1' };
    const naive = await rehearse('naive', plan, true);
    expect(naive.statuses.length).toBeGreaterThan(bodies.length);
    expect(allAccepted(naive)).toBe(true);
    expect(naive.code).toBe(1);
    expect(naive.kinds).toEqual(expect.arrayContaining(['minutes-overcounted', 'duplicate-effect']));
    const fixed = await rehearse('fixed', plan, true);
    expect(allAccepted(fixed)).toBe(true);
    expect([fixed.code, fixed.kinds]).toEqual([0, []]);
  });

  it('reordered deliveries: the naive version keeps people online and loses minutes; the fixed one passes', async () => {
    const plan = { reorder: 32, seed: '1' };
    const naive = await rehearse('naive', plan);
    expect(naive.code).toBe(1);
    expect(naive.kinds).toEqual(expect.arrayContaining(['participant-still-online', 'minutes-lost']));
    const fixed = await rehearse('fixed', plan);
    expect(allAccepted(fixed)).toBe(true);
    expect([fixed.code, fixed.kinds]).toEqual([0, []]);
  });

  it('the delivery plan is a permutation plus copies, the same for the same seed', () => {
    const lines = Array.from({ length: 100 }, (_, i) => String(i));
    const a = planDelivery(lines, { duplicate: 0.3, reorder: 10, seed: '7' });
    expect(planDelivery(lines, { duplicate: 0.3, reorder: 10, seed: '7' })).toEqual(a);
    expect(new Set(a)).toEqual(new Set(lines));
    expect(a.length).toBeGreaterThan(110);
    expect(planDelivery(lines, {})).toEqual(lines);
    const shuffled = planDelivery(lines, { reorder: 10, seed: '7' });
    expect(shuffled).not.toEqual(lines);
    shuffled.forEach((v, i) => expect(Math.floor(Number(v) / 10)).toBe(Math.floor(i / 10)));
  });
});
