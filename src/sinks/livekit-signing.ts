/**
 * LiveKit webhook authentication, as livekit/protocol builds and checks it.
 *
 * Signing (`webhook/resource_url_notifier.go` `send`, `auth/accesstoken.go` `ToJWT`, golang-jwt v5): the body's
 * SHA-256 in standard base64 with padding becomes the `sha256` claim of an HS256 JWT signed with the API secret;
 * claims are `RegisteredClaims` then `ClaimGrants` as Go's encoding/json writes the struct (`iss`, `exp` = now + 5
 * min, `nbf`, `iat`, then `sha256`; empty ones omitted), the header is the sorted map `{"alg":"HS256","typ":"JWT"}`,
 * both base64url without padding. The token goes in `Authorization` with no `Bearer `; `content-type` is
 * `application/webhook+json` and `User-Agent` `LiveKit` (`webhook/consts.go`).
 *
 * Verifying (`webhook/verifier.go` `Receive`, `auth/verifier.go`): the issuer names the key, HS256 only, `exp`
 * required, 1-minute leeway on `exp`/`nbf`/`iat`, then the claim compared in constant time with the body's hash.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `webhook.ContentType`: a custom type, so that frameworks do not parse the body before it is verified. */
export const LIVEKIT_WEBHOOK_CONTENT_TYPE = 'application/webhook+json';
/** `webhook.DefaultUserAgent` (since protocol commit 3c88d0f7; older servers sent Go's default). */
export const LIVEKIT_USER_AGENT = 'LiveKit';
/** `SetValidFor(5 * time.Minute)`. */
export const LIVEKIT_TOKEN_VALIDITY_S = 300;
/** `auth/verifier.go` `tokenLeeway`. */
export const LIVEKIT_TOKEN_LEEWAY_S = 60;

/** Standard base64 (with padding) of the SHA-256 of the body's bytes. */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The `Authorization` value livekit-server sends with `body` at `nowMs`. */
export function signLivekitWebhook(
  body: string | Uint8Array,
  apiKey: string,
  apiSecret: string,
  nowMs: number,
): string {
  if (apiKey === '' || apiSecret === '')
    throw new Error('an API key and secret are needed to sign (ErrKeysMissing)');
  const now = Math.floor(nowMs / 1000);
  const header = base64url('{"alg":"HS256","typ":"JWT"}');
  const claims = `{"iss":${goJsonString(apiKey)},"exp":${now + LIVEKIT_TOKEN_VALIDITY_S},"nbf":${now},"iat":${now},"sha256":${goJsonString(bodySha256(body))}}`;
  const signingInput = `${header}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', apiSecret).update(signingInput).digest('base64url')}`;
}

/** The request headers of one delivery, flat `[name, value, …]`, in the order `send` sets them. */
export function livekitWebhookHeaders(authorization: string): string[] {
  return [
    'Authorization',
    authorization,
    'content-type',
    LIVEKIT_WEBHOOK_CONTENT_TYPE,
    'User-Agent',
    LIVEKIT_USER_AGENT,
  ];
}

export type LivekitAuthFailure =
  | 'no-auth-header'
  | 'malformed-token'
  | 'unknown-key'
  | 'bad-algorithm'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'no-expiry'
  | 'checksum-mismatch';

export type LivekitVerification =
  | { readonly ok: true; readonly apiKey: string }
  | { readonly ok: false; readonly failure: LivekitAuthFailure; readonly apiKey?: string };

/**
 * Checks a delivery as `webhook.Receive` does: `secrets` maps API keys to secrets (one consumer may see several
 * keys: per-egress webhooks sign with their own).
 */
export function verifyLivekitWebhook(
  body: string | Uint8Array,
  authorization: string | undefined,
  secrets: ReadonlyMap<string, string>,
  nowMs: number,
): LivekitVerification {
  if (authorization === undefined || authorization === '') return { ok: false, failure: 'no-auth-header' };
  const parts = authorization.split('.');
  if (parts.length !== 3) return { ok: false, failure: 'malformed-token' };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: { iss?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { ok: false, failure: 'malformed-token' };
  }
  if (header.alg !== 'HS256') return { ok: false, failure: 'bad-algorithm' };
  const apiKey = typeof claims.iss === 'string' ? claims.iss : '';
  const secret = secrets.get(apiKey);
  if (secret === undefined || secret === '') return { ok: false, failure: 'unknown-key', apiKey };
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, failure: 'bad-signature', apiKey };
  }
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number') return { ok: false, failure: 'no-expiry', apiKey };
  if (now > claims.exp + LIVEKIT_TOKEN_LEEWAY_S) return { ok: false, failure: 'expired', apiKey };
  for (const t of [claims.nbf, claims.iat]) {
    if (typeof t === 'number' && now < t - LIVEKIT_TOKEN_LEEWAY_S)
      return { ok: false, failure: 'not-yet-valid', apiKey };
  }
  const sha = Buffer.from(bodySha256(body));
  const claimed = Buffer.from(typeof claims.sha256 === 'string' ? claims.sha256 : '');
  if (claimed.length !== sha.length || !timingSafeEqual(claimed, sha)) {
    return { ok: false, failure: 'checksum-mismatch', apiKey };
  }
  return { ok: true, apiKey };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A string as Go's encoding/json writes it: HTML-safe (`<`, `>`, `&` escaped), U+2028/U+2029 escaped. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}
