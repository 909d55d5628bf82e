/**
 * How `ovsim receive` authenticates a request, per server imitated:
 * - OpenVidu 2 (and OpenVidu 3's v2-compatibility module): Standard Webhooks signatures (`--verify-secret`);
 * - LiveKit: the `Authorization` JWT (HS256, `iss` = the API key, `exp`, the `sha256` claim = base64 SHA-256 of the
 *   exact body, no `Bearer `), as `webhook.Receive` checks it (src/sinks/livekit-signing.ts);
 * - OpenVidu Meet: `X-Signature` = hex HMAC-SHA256 of `"<X-Timestamp>.<body>"` keyed by the API key, and an
 *   `X-Timestamp` under 2 minutes old, as Meet's own verification snippets check it.
 * It also points out the headers a faithful sender of that server always sends (`request-headers`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ServerKind } from '../model/servers.js';
import { OvsimError } from '../errors.js';
import {
  LIVEKIT_WEBHOOK_CONTENT_TYPE,
  verifyLivekitWebhook,
  type LivekitAuthFailure,
} from '../sinks/livekit-signing.js';
import { WebhookVerifier } from '../sinks/webhook-signing.js';

export interface AuthOptions {
  readonly server: ServerKind;
  /** `whsec_…`: Standard Webhooks (OpenVidu 2 senders). */
  readonly verifySecret?: string | undefined;
  /** LiveKit's API key and secret, or Meet's API key. */
  readonly apiKey?: string | undefined;
  readonly apiSecret?: string | undefined;
}

/** The verdict on one request: `valid`, `invalid: <why>` or `unchecked`, and header findings. */
export interface AuthResult {
  readonly signature: string;
  readonly headerProblems: readonly string[];
}

export type Authenticator = (body: string, headers: IncomingHttpHeaders, nowMs: number) => AuthResult;

const LIVEKIT_FAILURES: Readonly<Record<LivekitAuthFailure, string>> = {
  'no-auth-header': 'no Authorization header',
  'malformed-token': 'the Authorization header is not a JWT',
  'unknown-key': 'the token is signed for another API key (iss)',
  'bad-algorithm': 'the token is not HS256',
  'bad-signature': 'the token is not signed with the API secret',
  expired: 'the token has expired (exp, 1 minute of leeway)',
  'not-yet-valid': 'the token is not valid yet (nbf/iat, 1 minute of leeway)',
  'no-expiry': 'the token has no exp',
  'checksum-mismatch':
    'the sha256 claim is not the SHA-256 of the body (changed in transit, or re-serialized before signing)',
};

/**
 * The authenticator of `o.server`.
 * @throws OvsimError `BAD_INPUT` for credentials that do not belong to the server (or half of a key pair)
 */
export function authenticator(o: AuthOptions): Authenticator {
  const { server, verifySecret, apiKey, apiSecret } = o;
  if (server === 'openvidu3' || server === 'meet') {
    if (verifySecret !== undefined) {
      throw new OvsimError(
        'BAD_INPUT',
        `--verify-secret checks Standard Webhooks signatures (OpenVidu 2 senders); --server ${server} signs with ${server === 'meet' ? '--api-key' : '--api-key and --api-secret'}`,
      );
    }
  } else if (apiKey !== undefined || apiSecret !== undefined) {
    throw new OvsimError(
      'BAD_INPUT',
      `--api-key/--api-secret are for --server openvidu3 or meet; --server ${server} senders sign with --verify-secret (Standard Webhooks) or a header`,
    );
  }
  if (server === 'openvidu3') return livekitAuthenticator(apiKey, apiSecret);
  if (server === 'meet') return meetAuthenticator(apiKey, apiSecret);
  const verifier = verifySecret === undefined ? undefined : new WebhookVerifier(verifySecret);
  return (body, headers) => {
    if (verifier === undefined) return { signature: 'unchecked', headerProblems: [] };
    const why = verifier.verify(body, headers as Record<string, string | string[] | undefined>);
    return { signature: why === undefined ? 'valid' : `invalid: ${why}`, headerProblems: [] };
  };
}

function livekitAuthenticator(apiKey: string | undefined, apiSecret: string | undefined): Authenticator {
  if ((apiKey === undefined) !== (apiSecret === undefined) || apiKey === '' || apiSecret === '') {
    throw new OvsimError(
      'BAD_INPUT',
      'give both --api-key and --api-secret (or LIVEKIT_API_KEY and LIVEKIT_API_SECRET), or neither',
    );
  }
  const secrets = apiKey === undefined ? undefined : new Map([[apiKey, apiSecret!]]);
  return (body, headers, nowMs) => {
    const headerProblems: string[] = [];
    const type = one(headers['content-type']);
    if (type !== LIVEKIT_WEBHOOK_CONTENT_TYPE) {
      headerProblems.push(
        `content-type is ${JSON.stringify(type ?? null)}: LiveKit sends ${LIVEKIT_WEBHOOK_CONTENT_TYPE}, so that frameworks leave the body unparsed`,
      );
    }
    if (secrets === undefined) return { signature: 'unchecked', headerProblems };
    const auth = one(headers.authorization);
    if (auth !== undefined && /^Bearer\s/i.test(auth)) {
      return {
        signature:
          'invalid: "Bearer " before the token (LiveKit sends the bare JWT, and its verifiers refuse the prefix)',
        headerProblems,
      };
    }
    const v = verifyLivekitWebhook(body, auth, secrets, nowMs);
    return { signature: v.ok ? 'valid' : `invalid: ${LIVEKIT_FAILURES[v.failure]}`, headerProblems };
  };
}

function meetAuthenticator(apiKey: string | undefined, apiSecret: string | undefined): Authenticator {
  if (apiSecret !== undefined)
    throw new OvsimError('BAD_INPUT', '--server meet signs with the API key alone: drop --api-secret');
  if (apiKey === '') throw new OvsimError('BAD_INPUT', '--api-key is empty');
  return (body, headers, nowMs) => {
    const headerProblems: string[] = [];
    const timestamp = one(headers['x-timestamp']);
    const created = creationDate(body);
    if (timestamp === undefined)
      headerProblems.push("no X-Timestamp header (Meet sends the body's creationDate)");
    else if (created !== undefined && timestamp !== String(created)) {
      headerProblems.push(`X-Timestamp ${timestamp} is not the body's creationDate ${created}`);
    }
    if (apiKey === undefined) return { signature: 'unchecked', headerProblems };
    const given = one(headers['x-signature']);
    if (given === undefined) return { signature: 'invalid: no X-Signature header', headerProblems };
    if (timestamp === undefined)
      return { signature: 'invalid: no X-Timestamp header to check X-Signature with', headerProblems };
    const expected = createHmac('sha256', apiKey).update(`${timestamp}.${body}`).digest();
    const actual = /^[0-9a-f]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
    const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
    if (!ok) {
      return {
        signature: 'invalid: X-Signature is not the HMAC-SHA256 of "<X-Timestamp>.<body>" with the API key',
        headerProblems,
      };
    }
    return { signature: meetAge(timestamp, nowMs) ?? 'valid', headerProblems };
  };
}

/** Meet's verification snippets (`webhooks-snippets/*`, `maxWebhookAge`) refuse a webhook 2 minutes old or more. */
export const MEET_MAX_WEBHOOK_AGE_MS = 120_000;

/** Why a signed X-Timestamp is refused (not a number, replayed too late), or undefined. */
function meetAge(timestamp: string, nowMs: number): string | undefined {
  if (!/^\d+$/.test(timestamp))
    return `invalid: X-Timestamp ${JSON.stringify(timestamp)} is not milliseconds`;
  const age = nowMs - Number(timestamp);
  if (age < MEET_MAX_WEBHOOK_AGE_MS) return undefined;
  return `invalid: X-Timestamp is ${Math.floor(age / 1000)} s old; Meet's verification snippets refuse a webhook ${MEET_MAX_WEBHOOK_AGE_MS / 1000} s old or more (a replay)`;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function creationDate(body: string): number | undefined {
  const m = /^\{"event":"[^"\\]*","creationDate":(\d+),/.exec(body);
  return m === null ? undefined : Number(m[1]);
}
