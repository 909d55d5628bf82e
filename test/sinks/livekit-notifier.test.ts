import { WebhookReceiver } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../src/model/livekit/webhook-event.js';
import { livekitEncoder } from '../../src/sinks/livekit-encoder.js';
import {
  backoffMs,
  LIVEKIT_RETRY_POLICY,
  parseRetryAfter,
  shouldRetry,
} from '../../src/sinks/livekit-http.js';
import {
  eventKey,
  isAllowed,
  LivekitNotifier,
  type DeliveryRecord,
  type LivekitNotifierOptions,
  type UrlReport,
} from '../../src/sinks/livekit-notifier.js';
import { startReceiver, type Answer, type Arrival, type Receiver } from './livekit-receiver.js';

const KEY = 'APIloopback';
const SECRET = 'loopback-secret-0123456789abcdefghijkl';
/** LiveKit's schedule scaled down 100×: 10, 20, 40, 80 ms. */
const FAST = { retryMax: 4, retryWaitMinMs: 10, retryWaitMaxMs: 300 };

let open: Array<Receiver | LivekitNotifier> = [];
afterEach(async () => {
  for (const o of open) await ('arrivals' in o ? o.close() : o.close(true));
  open = [];
});

let seq = 0;
function roomEvent(room: string, event = 'participant_joined'): WebhookEvent {
  return {
    event,
    room: { sid: 'RM_xxxxxxxxxxxx', name: room },
    participant: { identity: `p${seq}` },
    id: `EV_${String(seq++).padStart(12, '0')}`,
    createdAt: 1767225600n,
  };
}
function egressEvent(egressId: string, event = 'egress_updated'): WebhookEvent {
  return {
    event,
    room: { name: 'A' },
    egressInfo: { egressId, roomName: 'A' },
    id: `EV_${String(seq++).padStart(12, '0')}`,
    createdAt: 1767225600n,
  };
}

async function receiver(answer: (a: Arrival, i: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  open.push(r);
  return r;
}

function notifier(
  urls: string[],
  extra: Partial<LivekitNotifierOptions> = {},
  records: DeliveryRecord[] = [],
): LivekitNotifier {
  const n = new LivekitNotifier({
    urls,
    retry: FAST,
    encode: livekitEncoder({ apiKey: KEY, apiSecret: SECRET }),
    onRecord: (r) => records.push(r),
    ...extra,
  });
  open.push(n);
  return n;
}

function balanced(r: UrlReport): boolean {
  const dropped = Object.values(r.dropped).reduce((a, b) => a + b, 0);
  return r.sent + r.failed + dropped === r.offered;
}

const idOf = (a: Arrival) => (JSON.parse(a.body) as { id: string }).id;

describe('LiveKit retry policy (go-retryablehttp v0.7.8 defaults)', () => {
  it('retries connection errors, 429 and 5xx but 501; waits 1, 2, 4, 8 s capped at 30 s; honours Retry-After on 429/503', () => {
    expect([500, 502, 503, 504, 429].every((s) => shouldRetry({ kind: 'status', status: s }))).toBe(true);
    expect(
      [200, 204, 301, 400, 401, 404, 413, 501].some((s) => shouldRetry({ kind: 'status', status: s })),
    ).toBe(false);
    expect(shouldRetry({ kind: 'network', message: 'ECONNREFUSED' })).toBe(true);
    const s500 = { kind: 'status', status: 500 } as const;
    expect([0, 1, 2, 3, 5, 6].map((n) => backoffMs(LIVEKIT_RETRY_POLICY, n, s500, 0))).toEqual([
      1000, 2000, 4000, 8000, 30000, 30000,
    ]);
    expect(backoffMs(LIVEKIT_RETRY_POLICY, 0, { kind: 'status', status: 503, retryAfter: '7' }, 0)).toBe(
      7000,
    );
    expect(backoffMs(LIVEKIT_RETRY_POLICY, 0, { kind: 'status', status: 500, retryAfter: '7' }, 0)).toBe(
      1000,
    );
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('-1', 0)).toBeUndefined();
  });

  it('keys events as webhook.EventKey and filters as FilterParams (include wins)', () => {
    expect(eventKey(egressEvent('EG_1'))).toBe('EG_1');
    expect(eventKey({ ingressInfo: { ingressId: 'IN_1' }, room: { name: 'A' } })).toBe('IN_1');
    expect(eventKey(roomEvent('A'))).toBe('A');
    expect(eventKey({ participant: { identity: 'bob' }, track: { sid: 'TR_1' } })).toBe('bob');
    expect(eventKey({ track: { sid: 'TR_1' } })).toBe('TR_1');
    expect(eventKey({})).toBe('default');
    expect(isAllowed('room_started', ['room_started'], ['room_started'])).toBe(true);
    expect(isAllowed('room_finished', [], ['room_finished'])).toBe(false);
  });
});

describe('LiveKit delivery on loopback', () => {
  it('keeps each room in order while an egress overtakes a slow room queue; every delivery verifies with WebhookReceiver', async () => {
    const r = await receiver((a) => ({ status: 200, delayMs: a.body.includes('"egressInfo"') ? 0 : 25 }));
    const n = notifier([r.url]);
    const sent: WebhookEvent[] = [];
    for (let i = 0; i < 6; i++) {
      for (const e of [
        roomEvent('A'),
        roomEvent('B'),
        ...(i === 0 ? [egressEvent('EG_1', 'egress_started'), egressEvent('EG_1', 'egress_ended')] : []),
      ]) {
        n.notify(e);
        sent.push(e);
      }
    }
    await n.drain();
    const order = r.arrivals.map(idOf);
    expect(order).toHaveLength(sent.length);
    for (const key of ['A', 'B', 'EG_1']) {
      const expected = sent.filter((e) => eventKey(e) === key).map((e) => e.id);
      expect(order.filter((id) => expected.includes(id))).toEqual(expected);
    }
    // The egress events (enqueued after A's first) arrive before A's last ones: no order across resources.
    expect(order.indexOf(sent[3]!.id!)).toBeLessThan(order.indexOf(sent.at(-2)!.id!));
    const check = new WebhookReceiver(KEY, SECRET);
    for (const a of r.arrivals) {
      expect(a.headers['content-type']).toBe('application/webhook+json');
      expect(a.headers['user-agent']).toBe('LiveKit');
      expect(a.headers.authorization).not.toMatch(/^Bearer/);
      await expect(check.receive(a.body, a.headers.authorization)).resolves.toBeDefined();
    }
    expect(n.reports()[0]).toMatchObject({
      offered: sent.length,
      sent: sent.length,
      failed: 0,
      attempts: sent.length,
    });
  });

  it('retries 5xx with the same bytes and JWT, backing off 10·2^n ms; 4xx and 501 count as sent after one attempt; five 503s fail', async () => {
    const script: Record<string, number[]> = {
      a: [500, 502, 200],
      b: [404],
      c: [501],
      d: [503, 503, 503, 503, 503, 200],
    };
    const seen: Record<string, number> = {};
    const r = await receiver((a) => {
      const room = (JSON.parse(a.body) as { room: { name: string } }).room.name;
      const i = (seen[room] = (seen[room] ?? -1) + 1);
      return { status: script[room]![i] ?? 200 };
    });
    const records: DeliveryRecord[] = [];
    const n = notifier([r.url], {}, records);
    for (const room of Object.keys(script)) n.notify(roomEvent(room));
    await n.drain();
    const byRoom = (room: string) => records.find((x) => x.key === room)!;
    expect(byRoom('a')).toMatchObject({ outcome: 'sent', send: { attempts: 3, last: { status: 200 } } });
    expect(byRoom('b')).toMatchObject({ outcome: 'sent', send: { attempts: 1, last: { status: 404 } } });
    expect(byRoom('c')).toMatchObject({ outcome: 'sent', send: { attempts: 1, last: { status: 501 } } });
    expect(byRoom('d')).toMatchObject({ outcome: 'failed', send: { attempts: 5, last: { status: 503 } } });
    const a = r.arrivals.filter((x) => x.body.includes('"name":"a"'));
    expect(new Set(a.map((x) => x.body)).size).toBe(1);
    expect(new Set(a.map((x) => x.headers.authorization)).size).toBe(1);
    expect(a[1]!.at - a[0]!.at).toBeGreaterThanOrEqual(9);
    expect(a[2]!.at - a[1]!.at).toBeGreaterThanOrEqual(19);
    expect(n.reports()[0]).toMatchObject({ offered: 4, sent: 3, failed: 1, attempts: 3 + 1 + 1 + 5 });
  });

  it('retries a dropped connection and a refused one', async () => {
    const r = await receiver((_a, i) => (i === 0 ? 'drop' : { status: 200 }));
    const records: DeliveryRecord[] = [];
    const n = notifier([r.url, 'http://127.0.0.1:1/refused'], {}, records);
    n.notify(roomEvent('A'));
    await n.drain();
    expect(records.find((x) => x.url === r.url)).toMatchObject({ outcome: 'sent', send: { attempts: 2 } });
    expect(records.find((x) => x.url.endsWith('/refused'))).toMatchObject({
      outcome: 'failed',
      send: { attempts: 5, last: { kind: 'network' } },
    });
  });

  it('refuses beyond 200 waiting events per resource; a full first URL keeps the event from the later ones; the accounts balance', async () => {
    let release!: (status: number) => void;
    const gate = new Promise<number>((resolve) => (release = resolve));
    const r1 = await receiver((_a, i) => (i === 0 ? gate : { status: 200 }));
    const r2 = await receiver(() => ({ status: 200 }));
    const records: DeliveryRecord[] = [];
    const n = notifier([r1.url, r2.url], {}, records);
    const results: boolean[] = [];
    n.notify(roomEvent('A'));
    while (r1.arrivals.length === 0) await new Promise((res) => setTimeout(res, 5));
    for (let i = 0; i < 205; i++) results.push(n.notify(roomEvent('A')));
    expect(results.filter((x) => !x)).toHaveLength(5);
    expect(n.notify(roomEvent('B'))).toBe(true);
    release(200);
    await n.drain();
    const [rep1, rep2] = n.reports() as [UrlReport, UrlReport];
    expect(rep1).toMatchObject({ offered: 207, sent: 202, dropped: { 'queue-full': 5 } });
    expect(rep2).toMatchObject({ offered: 207, sent: 202, dropped: { 'earlier-url-full': 5 } });
    expect(balanced(rep1) && balanced(rep2)).toBe(true);
    expect(r2.arrivals).toHaveLength(202);
    expect(records).toHaveLength(2 * 207);
  });

  it('drops events that waited longer than MaxAge when their turn comes, counted but never sent', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 40 }));
    const records: DeliveryRecord[] = [];
    const n = notifier([r.url], { maxAgeMs: 100 }, records);
    for (let i = 0; i < 8; i++) n.notify(roomEvent('A'));
    await n.drain();
    const rep = n.reports()[0]!;
    expect(rep.dropped.age).toBeGreaterThan(0);
    expect(rep.sent).toBe(r.arrivals.length);
    expect(balanced(rep)).toBe(true);
    for (const d of records.filter((x) => x.reason === 'age')) expect(d.queuedMs).toBeGreaterThan(100);
    // What arrived is still in order: a drop leaves a gap, never a swap.
    const ids = r.arrivals.map(idOf);
    expect([...ids].sort()).toEqual(ids);
  });

  it('filters with include/exclude before queueing, and drops on every URL what is notified after close', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const r2 = await receiver(() => ({ status: 200 }));
    const n = notifier([r.url, r2.url], { excludeEvents: ['participant_left'] });
    n.notify(roomEvent('A', 'participant_left'));
    n.notify(roomEvent('A', 'participant_joined'));
    await n.close();
    expect(n.notify(roomEvent('A'))).toBe(false);
    for (const rep of n.reports())
      expect(rep).toMatchObject({
        filtered: 1,
        offered: 2,
        sent: 1,
        dropped: { closed: 1, 'earlier-url-full': 0 },
      });
    expect(r.arrivals).toHaveLength(1);
  });

  it('waits the Retry-After of a 429 instead of the exponential backoff', async () => {
    const r = await receiver((_a, i) =>
      i === 0 ? { status: 429, headers: { 'Retry-After': '0' } } : { status: 200 },
    );
    const n = notifier([r.url], { retry: { retryMax: 4, retryWaitMinMs: 5_000, retryWaitMaxMs: 30_000 } });
    n.notify(roomEvent('A'));
    await n.drain();
    expect(r.arrivals).toHaveLength(2);
    expect(r.arrivals[1]!.at - r.arrivals[0]!.at).toBeLessThan(2_000);
    expect(n.reports()[0]).toMatchObject({ sent: 1, attempts: 2 });
  });
});
