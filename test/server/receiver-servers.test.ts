/**
 * `ovsim receive --server openvidu3` and `--server meet` over HTTP on 127.0.0.1: a delivery signed as the server signs
 * it is accepted and checked; a forged, altered or replayed one is refused 401 — what the consumers people copy
 * answer (Meet's own `webhooks-snippets` handlers answer 401 to a failed `isWebhookEventValid`; LiveKit's
 * `WebhookReceiver.receive` throws and the endpoint rejects the request, which LiveKit counts as sent, never retries)
 * — kept out of the lifecycle check, and counted in the summary. The real `livekit-server-sdk` signs and judges the
 * LiveKit cases alongside ovsim.
 */
import { createHmac } from 'node:crypto';
import { AccessToken, WebhookReceiver as LivekitSdkReceiver } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceive } from './receive-cli.js';
import { WebhookReceiver, type ReceivedRequest } from '../../src/server/receiver.js';
import { bodySha256, signLivekitWebhook } from '../../src/sinks/livekit-signing.js';
import { LkStream } from '../validate/livekit/stream-builder.js';
import { MeetStream } from '../validate/meet/meet-stream.js';

const KEY = 'APIdEv7Kq2Lx';
const SECRET = 'sEcReT-0f-th1s-dEpl0yment-32chars!';
const MEET_KEY = 'meet-api-key-7c1f';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

/** The JWT as the real SDK makes one for a webhook: the body's sha256 claim, 5 minutes of validity. */
async function sdkToken(body: string, secret = SECRET): Promise<string> {
  const at = new AccessToken(KEY, secret, { ttl: '5m' });
  at.sha256 = bodySha256(body);
  return at.toJwt();
}

const lk = (authorization: string) => ({
  Authorization: authorization,
  'Content-Type': 'application/webhook+json',
});

/** Whether the real SDK's WebhookReceiver accepts the delivery. */
async function sdkAccepts(body: string, authorization: string): Promise<boolean> {
  return new LivekitSdkReceiver(KEY, SECRET).receive(body, authorization).then(
    () => true,
    () => false,
  );
}

function meetHeaders(body: string, timestamp: number, key = MEET_KEY): Record<string, string> {
  const ts = String(timestamp);
  return {
    'Content-Type': 'application/json',
    'X-Timestamp': ts,
    'X-Signature': createHmac('sha256', key).update(`${ts}.${body}`).digest('hex'),
  };
}

/** A room with one participant, as LiveKit sends it. */
function livekitRoom(): string[] {
  const s = new LkStream();
  const room = s.newRoom('daily');
  const alice = s.newParticipant('alice');
  s.roomStarted(room);
  s.tick().joined(room, alice);
  s.tick(30).left(room, alice);
  s.tick(20).roomFinished(room);
  return s.lines;
}

describe('ovsim receive --server openvidu3', () => {
  it('accepts what LiveKit signs, refuses 401 a foreign secret, an altered body, a Bearer prefix, an expired token', async () => {
    const seen: ReceivedRequest[] = [];
    let clock = Date.now();
    receiver = new WebhookReceiver({
      server: 'openvidu3',
      apiKey: KEY,
      apiSecret: SECRET,
      now: () => clock,
      onRequest: (r) => seen.push(r),
    });
    const url = await receiver.start();
    const [started, joined, left, finished] = livekitRoom() as [string, string, string, string];

    const good = await sdkToken(started);
    expect(await sdkAccepts(started, good)).toBe(true);
    expect(await post(url, started, lk(good))).toBe(200);

    const foreign = await sdkToken(joined, 'another-secret-of-this-deployment!');
    expect(await sdkAccepts(joined, foreign)).toBe(false);
    expect(await post(url, joined, lk(foreign))).toBe(401);

    const altered = joined.replace('"identity":"alice"', '"identity":"mallory"');
    const forJoined = await sdkToken(joined);
    expect(await sdkAccepts(altered, forJoined)).toBe(false);
    expect(await post(url, altered, lk(forJoined))).toBe(401);

    expect(await post(url, joined, lk(`Bearer ${forJoined}`))).toBe(401);
    expect(await post(url, joined, lk(forJoined))).toBe(200);

    // Ten minutes later the token (5 minutes, 1 minute of leeway) has expired: a replay.
    clock += 10 * 60_000;
    expect(await post(url, left, lk(forJoined))).toBe(401);
    const fresh = signLivekitWebhook(left, KEY, SECRET, clock);
    expect(await post(url, left, lk(fresh))).toBe(200);
    expect(await post(url, finished, lk(signLivekitWebhook(finished, KEY, SECRET, clock)))).toBe(200);

    expect(seen.map((r) => [r.answer, r.signature])).toEqual([
      [200, 'valid'],
      [401, 'invalid: the token is not signed with the API secret'],
      [
        401,
        'invalid: the sha256 claim is not the SHA-256 of the body (changed in transit, or re-serialized before signing)',
      ],
      [
        401,
        'invalid: "Bearer " before the token (LiveKit sends the bare JWT, and its verifiers refuse the prefix)',
      ],
      [200, 'valid'],
      [401, 'invalid: the token has expired (exp, 1 minute of leeway)'],
      [200, 'valid'],
      [200, 'valid'],
    ]);
    // The refused deliveries never reached the lifecycle check: the accepted four are one clean room.
    expect(seen.flatMap((r) => r.diagnostics)).toEqual([]);
    expect(receiver.stats).toMatchObject({
      requests: 8,
      signaturesValid: 4,
      signaturesInvalid: 4,
      lifecycleErrors: 0,
    });
    expect([...receiver.stats.byAnswer]).toEqual([
      ['200', 4],
      ['401', 4],
    ]);
  });

  it('a content type other than application/webhook+json is a request-headers warning, still accepted', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({
      server: 'openvidu3',
      apiKey: KEY,
      apiSecret: SECRET,
      onRequest: (r) => seen.push(r),
    });
    const url = await receiver.start();
    const [started] = livekitRoom() as [string];
    const token = await sdkToken(started);
    expect(await post(url, started, { Authorization: token, 'Content-Type': 'application/json' })).toBe(200);
    expect(seen[0]!.diagnostics.map((d) => [d.severity, d.rule, d.message])).toEqual([
      [
        'warning',
        'request-headers',
        'content-type is "application/json": LiveKit sends application/webhook+json, so that frameworks leave the body unparsed',
      ],
    ]);
    expect(receiver.stats).toMatchObject({ signaturesValid: 1, lifecycleWarnings: 1 });
  });
});

describe('ovsim receive --server meet', () => {
  it('accepts what Meet signs, refuses 401 another key, an altered body, a timestamp 2 minutes old', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({ server: 'meet', apiKey: MEET_KEY, onRequest: (r) => seen.push(r) });
    const url = await receiver.start();
    const s = new MeetStream();
    s.now = Date.now() - 5000;
    const started = s.started();
    const p = s.tick(1000).participant('alice');
    const joined = s.joined(p);
    const left = s.tick(2000).left(p);
    const creation = (body: string) => (JSON.parse(body) as { creationDate: number }).creationDate;

    expect(await post(url, started, meetHeaders(started, creation(started)))).toBe(200);
    expect(await post(url, joined, meetHeaders(joined, creation(joined), 'not-the-key'))).toBe(401);
    const altered = joined.replace('"role":"speaker"', '"role":"moderator"');
    expect(await post(url, altered, { ...meetHeaders(joined, creation(joined)) })).toBe(401);
    expect(await post(url, joined, meetHeaders(joined, creation(joined)))).toBe(200);
    // A correctly signed body whose X-Timestamp is 2 minutes old: a replay, as Meet's snippets judge it.
    const replayed = s.tick(1000).ended();
    const old = Date.now() - 121_000;
    expect(await post(url, replayed, meetHeaders(replayed, old))).toBe(401);
    expect(await post(url, left, meetHeaders(left, creation(left)))).toBe(200);

    expect(seen.map((r) => r.answer)).toEqual([200, 401, 401, 200, 401, 200]);
    expect(seen[1]!.signature).toBe(
      'invalid: X-Signature is not the HMAC-SHA256 of "<X-Timestamp>.<body>" with the API key',
    );
    expect(seen[2]!.signature).toBe(seen[1]!.signature);
    expect(seen[4]!.signature).toMatch(
      /^invalid: X-Timestamp is 12\d s old; Meet's verification snippets refuse a webhook 120 s old or more \(a replay\)$/,
    );
    // The replay's X-Timestamp is not its creationDate either: said as a header finding.
    expect(seen[4]!.diagnostics.map((d) => d.rule)).toEqual(['request-headers']);
    expect(seen.filter((r) => r.answer === 200).flatMap((r) => r.diagnostics)).toEqual([]);
    expect(receiver.stats).toMatchObject({ signaturesValid: 3, signaturesInvalid: 3, lifecycleErrors: 0 });
  });

  it('ovsim receive prints the refusals in its summary and exits 1', async () => {
    const rx = await startReceive({ jsonl: true, server: 'meet', apiKey: MEET_KEY });
    const url = rx.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const s = new MeetStream();
    s.now = Date.now() - 1000;
    const body = s.started();
    const ts = (JSON.parse(body) as { creationDate: number }).creationDate;
    expect(await post(url, body, meetHeaders(body, ts))).toBe(200);
    expect(await post(url, body, meetHeaders(body, ts, 'wrong'))).toBe(401);
    expect(await rx.stop()).toBe(1);
    const stdout = rx.stdout();
    const stderr = rx.stderr();
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { answer: number }).answer),
    ).toEqual([200, 401]);
    expect(stderr).toContain('answered: 200 1, 401 1;');
    expect(stderr).toContain('signatures: 1 valid, 1 invalid');
    expect(stderr).toContain('lifecycle: 0 errors, 0 warnings');
  });

  it('ovsim receive --server openvidu3 with every delivery valid exits 0', async () => {
    const rx = await startReceive({ server: 'openvidu3', apiKey: KEY, apiSecret: SECRET });
    for (const body of livekitRoom()) expect(await post(rx.url, body, lk(await sdkToken(body)))).toBe(200);
    expect(await rx.stop()).toBe(0);
    expect(rx.stderr()).toContain('signatures: 4 valid, 0 invalid');
    expect(rx.stderr()).toContain('lifecycle: 0 errors, 0 warnings');
  });
});
