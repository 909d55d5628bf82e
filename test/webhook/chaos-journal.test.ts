/**
 * A chaos run's journal accounts for every request the receiver counted, exactly: `ovsim run … --chaos … --journal`
 * against ovsim's own receiver (the one `ovsim receive` runs, in-process, misbehaving as told), for each preset and
 * for a spec with every fault. The OpenVidu sender makes one request at a time, so the journal's requests and the
 * receiver's are the same sequence: same bodies (by digest), same answers, in the same order.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { WebhookReceiver, type ReceivedRequest } from '../../src/server/receiver.js';
import { SVIX_RETRY_MS } from '../../src/sinks/chaos-spec.js';
import {
  JournalRecord,
  type JournalAttempt,
  type JournalEnd,
  type JournalFault,
  type JournalUnsent,
} from '../../src/sinks/journal-schema.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from './helpers.js';

interface Journal {
  readonly records: JournalRecord[];
  readonly faults: JournalFault[];
  readonly attempts: JournalAttempt[];
  readonly unsent: JournalUnsent[];
  readonly end: JournalEnd;
}

function readJournal(file: string): Journal {
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JournalRecord.parse(JSON.parse(l)));
  const of = <K extends JournalRecord['kind']>(kind: K) =>
    records.filter((r): r is Extract<JournalRecord, { kind: K }> => r.kind === kind);
  expect(records[0]?.kind).toBe('run');
  const end = records.at(-1);
  if (end?.kind !== 'end') throw new Error('the journal has no end record');
  return { records, faults: of('fault'), attempts: of('attempt'), unsent: of('unsent'), end };
}

const digest = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 16);

/** Plays `default` at max speed through a receiver answering as told; returns what each side saw. */
async function rehearse(
  chaos: string,
  receiver: { failRate?: number; failStatus?: number; dropRate?: number } = {},
  extra: string[] = [],
  command: 'run' | 'load' = 'run',
) {
  const received: ReceivedRequest[] = [];
  const r = new WebhookReceiver({
    validate: false,
    random: seedrandom('receiver'),
    onRequest: (q) => received.push(q),
    ...receiver,
  });
  const url = await r.start();
  const file = join(tempDir('ovsim-journal-'), 'journal.jsonl');
  try {
    const run = await cli(
      command,
      'default',
      '--speed',
      'max',
      '--webhook-endpoint',
      url,
      '--chaos',
      chaos,
      '--journal',
      file,
      ...(command === 'run' ? ['--timeout', '2s'] : []),
      ...extra,
    );
    return { run, received, journal: readJournal(file), file };
  } finally {
    await r.stop();
  }
}

/** The receiver's answer as the journal writes it. */
const answerOf = (q: ReceivedRequest) => (q.answer === 'dropped' ? { error: 'reset' } : { status: q.answer });

function expectExactAccount(j: Journal, received: readonly ReceivedRequest[]): void {
  expect(j.attempts.map((a) => [a.event.digest, a.response])).toEqual(
    received.map((q) => [digest(q.body), answerOf(q)]),
  );
  expect(j.end.requests).toBe(received.length);
  expect(j.end.delivered + j.end.undelivered + j.end.dropped).toBe(j.end.events);
  expect(j.end.unsent).toBe(j.unsent.length);
  // Every copy planned went out at least once, or is accounted as never sent.
  const copies = new Set(j.attempts.map((a) => `${a.event.seq}/${a.copy}`));
  for (const u of j.unsent) copies.add(`${u.event.seq}/${u.copy}`);
  expect(copies.size).toBe(j.end.deliveries);
  const dropped = new Set(j.faults.filter((f) => f.fault === 'drop').map((f) => f.event.seq));
  expect(dropped.size).toBe(j.end.dropped);
  for (const a of j.attempts) expect(dropped.has(a.event.seq)).toBe(false);
  const duplicates = j.faults.filter((f) => f.fault === 'duplicate');
  for (const d of duplicates) expect(copies.has(`${d.event.seq}/${d.copy ?? -1}`)).toBe(true);
  expect(j.end.deliveries).toBe(j.end.events - j.end.dropped + duplicates.length);
}

describe('the delivery journal accounts for every request the receiver counted', () => {
  it('openvidu2: in order; a 500 is dropped without a retry, a reset connection retried at once', async () => {
    const { run, received, journal } = await rehearse('openvidu2', { failRate: 0.15, dropRate: 0.1 });
    expectExactAccount(journal, received);
    expect(run.code).toBe(1);
    const failed = journal.attempts.filter((a) => a.result === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) expect(a.response).toEqual({ status: 500 });
    const resets = journal.attempts.filter((a) => 'error' in a.response);
    expect(resets.length).toBeGreaterThan(0);
    for (const a of resets) expect(a.result).toBe('retry');
    // In order: the first request of each event follows the run.
    const firsts = journal.attempts.filter((a) => a.attempt === 1).map((a) => a.event.seq);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    expect(journal.end.undelivered).toBe(failed.length);
    expect(run.stderr).toMatch(new RegExp(`${failed.length} of 65 event\\(s\\) not delivered`));
  });

  it("svix: every failure is retried with the same body on Svix's schedule until it is accepted", async () => {
    const { run, received, journal } = await rehearse('svix', { failRate: 0.3, failStatus: 503 });
    expectExactAccount(journal, received);
    expect([run.code, journal.end.undelivered, journal.end.delivered]).toEqual([0, 0, 65]);
    const retries = journal.faults.filter((f) => f.fault === 'retry');
    expect(retries.length).toBe(received.filter((q) => q.answer === 503).length);
    for (const f of retries) expect(f.delayMs).toBe(SVIX_RETRY_MS[(f.attempt ?? 0) - 2]);
    for (const a of journal.attempts)
      expect(a.result).toBe('status' in a.response && a.response.status === 503 ? 'retry' : 'delivered');
  });

  it('stripe: duplicated and out of order, every copy journaled', async () => {
    const { run, received, journal } = await rehearse('stripe,dup=0.3');
    expectExactAccount(journal, received);
    expect(run.code).toBe(0);
    expect(journal.end.deliveries).toBeGreaterThan(70);
    const firsts = journal.attempts.filter((a) => a.copy === 0).map((a) => a.event.seq);
    expect(firsts).not.toEqual([...firsts].sort((a, b) => a - b));
  });

  it('every fault at once: drops, duplicates, delays, windows, stalls, ignored answers and retries', async () => {
    const spec = 'drop=0.1,dup=0.2x2,delay=exp:3s,reorder=6,stall=0.05:20s,noack=0.2,retry=1s/1s/1s';
    const { run, received, journal } = await rehearse(spec, { failRate: 0.1 });
    expectExactAccount(journal, received);
    const kinds = new Set(journal.faults.map((f) => f.fault));
    expect([...kinds].sort()).toEqual(
      ['delay', 'drop', 'duplicate', 'noack', 'reorder', 'retry', 'stall', 'stalled'].sort(),
    );
    // An ignored answer is a request the receiver accepted, and the same body goes again.
    for (const f of journal.faults.filter((x) => x.fault === 'noack')) {
      const first = journal.attempts.find((a) => a.event.seq === f.event.seq && a.copy === f.copy);
      if (first?.response && 'status' in first.response && first.response.status === 200) {
        expect(first.result).toBe('ignored');
        const again = journal.attempts.filter((a) => a.event.seq === f.event.seq && a.copy === f.copy);
        expect(again.length).toBeGreaterThan(1);
      }
    }
    expect(run.stderr).toMatch(/ovsim: chaos: 65 events → \d+ deliveries/);
    // Each line is valid against the published schema.
    const validate = new Ajv2020({ strict: false }).compile(
      JSON.parse(readFileSync('schema/journal.schema.json', 'utf8')) as object,
    );
    for (const r of journal.records) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the plan of faults is the same, byte for byte, for the same seed; another seed plans another', async () => {
    const spec = 'drop=0.1,dup=0.2,delay=exp:2s,reorder=5,stall=0.05:5s,noack=0.1';
    const planned = (j: Journal) =>
      j.faults
        .filter((f) => f.fault !== 'retry')
        .map((f) => JSON.stringify(f))
        .join('\n');
    const a = await rehearse(spec);
    const b = await rehearse(spec);
    const c = await rehearse(spec, {}, ['--seed', '99']);
    expect(planned(a.journal).length).toBeGreaterThan(1000);
    expect(planned(b.journal)).toBe(planned(a.journal));
    expect(planned(c.journal)).not.toBe(planned(a.journal));
    // At --speed max the hand-overs follow the plan exactly: the request order is the same too.
    const order = (j: Journal) => j.attempts.map((x) => `${x.event.seq}/${x.copy}/${x.attempt}`);
    expect(order(b.journal)).toEqual(order(a.journal));
  });

  it('load: concurrent deliveries of three replicas, every request accounted for (as a multiset)', async () => {
    const { run, received, journal } = await rehearse(
      'stripe,dup=0.2,drop=0.05',
      { failRate: 0.2 },
      ['--replicas', '3', '--connections', '4'],
      'load',
    );
    const key = (d: string, r: unknown) => `${d} ${JSON.stringify(r)}`;
    expect(journal.attempts.map((a) => key(a.event.digest, a.response)).sort()).toEqual(
      received.map((q) => key(digest(q.body), answerOf(q))).sort(),
    );
    expect(journal.end.events).toBe(3 * 65);
    expect(journal.end.requests).toBe(received.length);
    expect(journal.end.delivered + journal.end.dropped).toBe(journal.end.events);
    expect(journal.faults.filter((f) => f.fault === 'retry').length).toBe(
      received.filter((q) => q.answer === 500).length,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^chaos: 195 events → \d+ deliveries/m);
  });
});
