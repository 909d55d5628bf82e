import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { meetWebhookBody } from '../../src/model/meet/meet-body.js';
import type { MeetRecordingInfo } from '../../src/model/meet/meet-types.js';
import { meetHeaders, MeetWebhookSender } from '../../src/sinks/meet-webhook.js';
import { startReceiver, type Answer, type Arrival, type Receiver } from './livekit-receiver.js';

const API_KEY = 'ovmeet-apikey-0123456789';
const DATA: MeetRecordingInfo = {
  recordingId: 'r--EG_x--u',
  roomId: 'r',
  roomName: 'R',
  status: 'active',
  startDate: 1767225611862.1135,
};

let receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers) await r.close();
  receivers = [];
});
async function receiver(answer: (a: Arrival, i: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

describe('Meet webhook sender on loopback', () => {
  it('sends the body with X-Timestamp and a hex HMAC-SHA256 X-Signature over "<timestamp>.<body>"', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const sender = new MeetWebhookSender({ urls: [r.url], apiKey: API_KEY });
    const results = await sender.send('recordingUpdated', 1767225612000, DATA);
    expect(results).toMatchObject([{ url: r.url, result: 'sent', attempts: 1, last: 200 }]);
    expect(results[0]!.history.map((h) => h.outcome)).toEqual(['status 200']);
    const a = r.arrivals[0]!;
    expect(a.body).toBe(meetWebhookBody('recordingUpdated', 1767225612000, DATA));
    expect(a.headers['content-type']).toBe('application/json');
    expect(a.headers['x-timestamp']).toBe('1767225612000');
    expect(a.headers['x-signature']).toBe(
      createHmac('sha256', API_KEY).update(`1767225612000.${a.body}`).digest('hex'),
    );
    expect(a.headers['x-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(meetHeaders(API_KEY, 1, '{}'))).toEqual([
      'Content-Type',
      'X-Timestamp',
      'X-Signature',
    ]);
  });

  it('retries any non-2xx (4xx included) with a doubling delay, six attempts in all, then gives up', async () => {
    const r = await receiver((_a, i) => ({ status: i < 3 ? 404 : 204 }));
    const down = await receiver(() => ({ status: 503 }));
    const sender = new MeetWebhookSender({ urls: [r.url, down.url], apiKey: API_KEY, initialDelayMs: 10 });
    const [ok, failed] = await sender.send('recordingEnded', 1767225700000, DATA);
    expect(ok).toMatchObject({ url: r.url, result: 'sent', attempts: 4, last: 204 });
    expect(ok!.history.map((h) => h.outcome)).toEqual([
      'status 404',
      'status 404',
      'status 404',
      'status 204',
    ]);
    expect(failed).toMatchObject({ url: down.url, result: 'failed', attempts: 6, last: 503 });
    expect(failed!.history.map((h) => h.n)).toEqual([1, 2, 3, 4, 5, 6]);
    const gaps = down.arrivals.slice(1).map((a, i) => a.at - down.arrivals[i]!.at);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(10 * 2 ** i - 1));
    expect(new Set(down.arrivals.map((a) => a.headers['x-signature'])).size).toBe(1);
    expect(sender.counts).toEqual({ events: 1, sent: 1, failed: 1, attempts: 10 });
  });

  it('aborts an attempt after the timeout and counts a dropped connection as a failure', async () => {
    const r = await receiver((_a, i) =>
      i === 0 ? { status: 200, delayMs: 200 } : i === 1 ? 'drop' : { status: 200 },
    );
    const sender = new MeetWebhookSender({
      urls: [r.url],
      apiKey: API_KEY,
      initialDelayMs: 5,
      timeoutMs: 50,
    });
    const [d] = await sender.send('meetingEnded', 1767225800000, DATA);
    expect(d).toMatchObject({ url: r.url, result: 'sent', attempts: 3, last: 200 });
    expect(d!.history[0]!.outcome).toBe('timeout');
  });

  it('names a refused connection by its code, not as undici\'s "fetch failed"', async () => {
    const r = await receiver(() => ({ status: 200 }));
    await r.close();
    const sender = new MeetWebhookSender({ urls: [r.url], apiKey: API_KEY, retries: 0 });
    const [d] = await sender.send('meetingEnded', 1767225800000, DATA);
    expect(d).toMatchObject({ result: 'failed', attempts: 1, last: 'ECONNREFUSED' });
  });
});
