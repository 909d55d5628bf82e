/**
 * OpenVidu's protection, reproduced: HTTP Basic auth with user `OPENVIDUAPP` and the secret on everything the server
 * serves — the page, the APIs and the WebSocket feed. Browsers cannot set headers on a WebSocket, so the page asks an
 * authenticated endpoint for a short-lived single-use feed token and connects with `?token=…`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OvsimError } from '../errors.js';

/** The user name OpenVidu expects. */
export const OPENVIDU_USER = 'OPENVIDUAPP';
/** OpenVidu's default secret: fine on a laptop, refused on an exposed address. */
export const DEFAULT_SECRET = 'MY_SECRET';
/** How long a feed token stays valid, ms. */
export const FEED_TOKEN_TTL_MS = 60_000;
/** Feed tokens outstanding at most (older ones are forgotten first). */
const MAX_FEED_TOKENS = 1_000;

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Refuses the default secret on an address other machines can reach (OpenVidu's own rule for production). */
export function checkExposure(host: string, secret: string): void {
  if (secret === '') throw new OvsimError('BAD_INPUT', '--secret must not be empty');
  if (secret === DEFAULT_SECRET && !isLoopbackHost(host)) {
    throw new OvsimError(
      'BAD_INPUT',
      `--host ${host} is reachable from other machines: set a secret with --secret or OPENVIDU_SECRET ` +
        `(the default ${DEFAULT_SECRET} is only accepted on 127.0.0.1/localhost)`,
    );
  }
}

export class Authenticator {
  private readonly expected: Buffer;
  private readonly tokens = new Map<string, number>();

  /**
   * @param secret the OpenVidu secret
   * @param wallNow wall clock for token expiry, ms; Date.now by default
   */
  constructor(
    secret: string,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.expected = Buffer.from(`Basic ${Buffer.from(`${OPENVIDU_USER}:${secret}`).toString('base64')}`);
  }

  /** Whether an `Authorization` header carries `OPENVIDUAPP` and the secret. */
  checkHeader(header: string | undefined): boolean {
    if (header === undefined) return false;
    const given = Buffer.from(header.trim());
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }

  /**
   * Express middleware: 401 with a Basic challenge unless authenticated (the browser then prompts). Typed with
   * Node's own request and response, which Express's extend, so the published types need no Express types.
   */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    if (this.checkHeader(req.headers.authorization)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="ovsim", charset="UTF-8"');
    next(
      new OvsimError(
        'BAD_INPUT',
        `authentication required: HTTP Basic auth as ${OPENVIDU_USER} with the secret`,
        { status: 401 },
      ),
    );
  };

  /** A single-use token for one WebSocket connection, valid FEED_TOKEN_TTL_MS. */
  issueFeedToken(): { token: string; expiresInMs: number } {
    const now = this.wallNow();
    for (const [t, exp] of this.tokens)
      if (exp <= now || this.tokens.size >= MAX_FEED_TOKENS) this.tokens.delete(t);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, now + FEED_TOKEN_TTL_MS);
    return { token, expiresInMs: FEED_TOKEN_TTL_MS };
  }

  /** Whether a WebSocket upgrade request is authenticated: the Basic header, or a feed token (consumed). */
  checkUpgrade(req: IncomingMessage): boolean {
    if (this.checkHeader(req.headers.authorization)) return true;
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    if (!token) return false;
    const exp = this.tokens.get(token);
    this.tokens.delete(token);
    return exp !== undefined && exp > this.wallNow();
  }
}
