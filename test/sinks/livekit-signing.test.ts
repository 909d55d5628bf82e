import { WebhookReceiver } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { marshalWebhookEvent } from '../../src/model/livekit/protojson-writer.js';
import {
  bodySha256,
  goJsonString,
  livekitWebhookHeaders,
  signLivekitWebhook,
  verifyLivekitWebhook,
} from '../../src/sinks/livekit-signing.js';
import { EXAMPLES } from '../model/livekit/examples.js';

const KEY = 'APIx7Kq2Vw9Lm3N';
const SECRET = 'sEcReT-0123456789abcdefghijklmnopqrstuvwxyz';

function decode(part: string): string {
  return Buffer.from(part, 'base64url').toString('utf8');
}

describe('LiveKit webhook signing', () => {
  it('builds the JWT as golang-jwt writes tokenClaims: header, claim order, 5-minute expiry, sha256 of the body', () => {
    const body = marshalWebhookEvent(EXAMPLES.room_started!);
    const token = signLivekitWebhook(body, KEY, SECRET, 1767225600999);
    const [h, p] = token.split('.') as [string, string, string];
    expect(decode(h)).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(decode(p)).toBe(
      `{"iss":"${KEY}","exp":1767225900,"nbf":1767225600,"iat":1767225600,"sha256":"${bodySha256(body)}"}`,
    );
    expect(bodySha256(body)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(token).not.toMatch(/[=+/]/);
    expect(livekitWebhookHeaders(token)).toEqual([
      'Authorization',
      token,
      'content-type',
      'application/webhook+json',
      'User-Agent',
      'LiveKit',
    ]);
  });

  it('escapes the issuer as Go encoding/json does (HTML-safe)', () => {
    expect(goJsonString('a<b>&"\\\n\b\u0001\u2028é')).toBe(
      '"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\b\\u0001\\u2028é"',
    );
  });

  for (const spaced of [false, true]) {
    it(`is accepted by the real livekit-server-sdk WebhookReceiver for every event (${spaced ? 'spaced' : 'compact'} bodies)`, async () => {
      const receiver = new WebhookReceiver(KEY, SECRET);
      for (const [name, event] of Object.entries(EXAMPLES)) {
        const body = marshalWebhookEvent(event, { spaceAfterComma: spaced });
        const received = await receiver.receive(body, signLivekitWebhook(body, KEY, SECRET, Date.now()));
        expect(received.event, name).toBe(name);
        expect(received.id).toBe(event.id);
      }
    });
  }

  it('is refused by WebhookReceiver when the body changes by one space, the secret differs or Bearer is prefixed', async () => {
    const body = marshalWebhookEvent(EXAMPLES.participant_joined!);
    const token = signLivekitWebhook(body, KEY, SECRET, Date.now());
    const receiver = new WebhookReceiver(KEY, SECRET);
    await expect(
      receiver.receive(marshalWebhookEvent(EXAMPLES.participant_joined!, { spaceAfterComma: true }), token),
    ).rejects.toThrow(/sha256/);
    await expect(
      new WebhookReceiver(KEY, 'other-secret-0123456789abcdefghijk').receive(body, token),
    ).rejects.toThrow();
    await expect(receiver.receive(body, `Bearer ${token}`)).rejects.toThrow();
  });

  it('verifies as webhook.Receive does: issuer names the key, 1-minute leeway, constant-time checksum', () => {
    const body = marshalWebhookEvent(EXAMPLES.track_published!);
    const at = 1767225602000;
    const token = signLivekitWebhook(body, KEY, SECRET, at);
    const keys = new Map([[KEY, SECRET]]);
    expect(verifyLivekitWebhook(body, token, keys, at)).toEqual({ ok: true, apiKey: KEY });
    expect(verifyLivekitWebhook(body, token, keys, at + 360_000)).toEqual({ ok: true, apiKey: KEY });
    const fail = (b: string, t: string | undefined, now: number, k = keys) => {
      const r = verifyLivekitWebhook(b, t, k, now);
      return r.ok ? 'ok' : r.failure;
    };
    expect(fail(body, token, at + 360_001)).toBe('expired');
    expect(fail(body, token, at - 60_001)).toBe('not-yet-valid');
    expect(fail(body, undefined, at)).toBe('no-auth-header');
    expect(fail(body, 'Bearer x', at)).toBe('malformed-token');
    expect(fail(body, token, at, new Map([['other', SECRET]]))).toBe('unknown-key');
    expect(fail(body, token, at, new Map([[KEY, 'nope']]))).toBe('bad-signature');
    expect(fail(`${body} `, token, at)).toBe('checksum-mismatch');
    const [h, , s] = token.split('.') as [string, string, string];
    const noExp = Buffer.from(`{"iss":"${KEY}","sha256":"${bodySha256(body)}"}`).toString('base64url');
    expect(fail(body, `${h}.${noExp}.${s}`, at)).toBe('bad-signature');
  });
});
