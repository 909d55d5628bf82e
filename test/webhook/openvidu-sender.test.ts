import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { EVENT_NAMES } from '../../src/model/catalogue.js';
import { Profile } from '../../src/model/profile.js';
import { DeadLetterFile, type DeadLetter } from '../../src/sinks/dead-letter.js';
import { OpenviduWebhookSender, openviduRequestHeaders } from '../../src/sinks/webhook-openvidu.js';
import { startTestServer, tempDir, type Answer, type TestServer } from './helpers.js';

const profile = new Profile('2.32');
const created = (i: number): CdrEvent => ({
  name: 'sessionCreated',
  data: { sessionId: `ses_${i}`, uniqueSessionId: `ses_${i}_${1000 + i}`, timestamp: 1000 + i },
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function sendAll(answer: (n: number) => Answer, events: CdrEvent[], deadLetter?: DeadLetterFile) {
  server = await startTestServer((_r, n) => answer(n));
  const sender = new OpenviduWebhookSender({
    endpoint: server.url,
    headers: [],
    events: new Set(EVENT_NAMES),
    profile,
    timeoutMs: 2_000,
    deadLetter,
  });
  for (const e of events) void sender.enqueue(e);
  await sender.idle();
  await sender.shutdown(0);
  return sender.stats.report();
}

describe("OpenVidu's WebHook sender", () => {
  it.each([500, 204, 201, 404])(
    'does not retry an HTTP %i: exactly one request, counted as failed',
    async (status) => {
      const r = await sendAll(() => ({ status }), [created(1)]);
      expect(server!.count).toBe(1);
      expect(r.failed).toEqual({ [`status ${status}`]: 1 });
      expect(r.delivered).toBe(0);
      expect(r.attempts).toBe(1);
    },
  );

  it('tries a connection closed without an answer exactly 5 times, then drops it', async () => {
    const dir = tempDir();
    const dl = new DeadLetterFile(join(dir, 'dead.jsonl'));
    const r = await sendAll(() => 'destroy', [created(1)], dl);
    dl.close();
    expect(server!.count).toBe(5);
    expect(r.attempts).toBe(5);
    expect(r.failed).toEqual({ reset: 1 });
    const lines = readFileSync(join(dir, 'dead.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0]!) as DeadLetter;
    expect(d.attempts.map((a) => a.outcome)).toEqual(['reset', 'reset', 'reset', 'reset', 'reset']);
    expect(d.body).toBe(profile.serializeWebhook(created(1)));
  });

  it('delivers after a network error on the 4th attempt, in FIFO order', async () => {
    const r = await sendAll(
      (n) => (n <= 3 ? 'destroy' : { status: 200 }),
      [created(1), created(2), created(3)],
    );
    expect(r.delivered).toBe(3);
    expect(r.attempts).toBe(6);
    expect(r.retried).toBe(1);
    expect(server!.received.map((x) => (JSON.parse(x.body) as { sessionId: string }).sessionId)).toEqual([
      'ses_1',
      'ses_2',
      'ses_3',
    ]);
  });

  it('counts a refused connection after 5 attempts', async () => {
    server = await startTestServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const sender = new OpenviduWebhookSender({
      endpoint: url,
      headers: [],
      events: new Set(EVENT_NAMES),
      profile,
    });
    void sender.enqueue(created(1));
    await sender.idle();
    expect(sender.stats.report().failed).toEqual({ refused: 1 });
    expect(sender.stats.attempts).toBe(5);
  });

  it('writes Content-Type over a configured one in its slot, and appends it otherwise', () => {
    expect(openviduRequestHeaders([{ name: 'A', value: '1' }])).toEqual([
      'A',
      '1',
      'Content-Type',
      'application/json',
    ]);
    expect(
      openviduRequestHeaders([
        { name: 'content-type', value: 'text/plain' },
        { name: 'B', value: '2' },
      ]),
    ).toEqual(['Content-Type', 'application/json', 'B', '2']);
  });

  it('gives up the queue at the drain deadline, counting and dead-lettering every unsent event', async () => {
    const dir = tempDir();
    const dl = new DeadLetterFile(join(dir, 'dead.jsonl'));
    server = await startTestServer(() => ({ status: 200, delayMs: 400 }));
    const sender = new OpenviduWebhookSender({
      endpoint: server.url,
      headers: [],
      events: new Set(EVENT_NAMES),
      profile,
      deadLetter: dl,
    });
    for (let i = 0; i < 10; i++) void sender.enqueue(created(i));
    await sender.shutdown(100);
    dl.close();
    const r = sender.stats.report();
    expect(r.delivered + r.failedTotal + r.unsent).toBe(10);
    expect(r.unsent).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, 'dead.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(r.failedTotal + r.unsent);
  });
});
