/**
 * One LiveKit webhook send with its retries, as livekit/protocol's `ResourceURLNotifier.send` does it through
 * hashicorp/go-retryablehttp v0.7.8 with its defaults (`client.go`): `RetryMax` 4 (five attempts), waits
 * `RetryWaitMin·2^n` (1 s, 2 s, 4 s, 8 s) capped at `RetryWaitMax` 30 s, or the `Retry-After` of a 429 or 503;
 * retried on a connection error, 429, and any 5xx but 501; every other answer (4xx, 501, 2xx) ends the send as
 * sent — LiveKit counts a 4xx as delivered. The body and the JWT are built once: every retry carries the same bytes.
 */
import { Pool } from 'undici';
import type { AttemptRecord } from './dead-letter.js';

export interface RetryPolicy {
  /** Retries after the first attempt; default 4. */
  readonly retryMax: number;
  /** Default 1000 ms. */
  readonly retryWaitMinMs: number;
  /** Default 30 000 ms. */
  readonly retryWaitMaxMs: number;
}

export const LIVEKIT_RETRY_POLICY: RetryPolicy = {
  retryMax: 4,
  retryWaitMinMs: 1000,
  retryWaitMaxMs: 30_000,
};

/** What one attempt came to. */
export type AttemptOutcome =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'network'; readonly message: string };

export interface SendResult {
  /** `sent`: an answer that ends the send without error (2xx, 3xx, 4xx, 501); `failed`: retries exhausted. */
  readonly result: 'sent' | 'failed';
  readonly attempts: number;
  readonly last: AttemptOutcome;
  /** Every attempt, for the dead-letter file. */
  readonly history: readonly AttemptRecord[];
}

/** An outcome's class as ovsim reports failures: `status 500`, or the connection error's code. */
export function outcomeClass(o: AttemptOutcome): string {
  return o.kind === 'network' ? o.message : `status ${o.status}`;
}

/** `baseRetryPolicy`: whether go-retryablehttp tries again after this outcome. */
export function shouldRetry(o: AttemptOutcome): boolean {
  if (o.kind === 'network') return true;
  return o.status === 429 || o.status === 0 || (o.status >= 500 && o.status !== 501);
}

/** `DefaultBackoff` for retry number `n` (0-based). */
export function backoffMs(policy: RetryPolicy, n: number, o: AttemptOutcome, nowMs: number): number {
  if (o.kind === 'status' && (o.status === 429 || o.status === 503) && o.retryAfter !== undefined) {
    const after = parseRetryAfter(o.retryAfter, nowMs);
    if (after !== undefined) return after;
  }
  const wait = 2 ** n * policy.retryWaitMinMs;
  return Number.isFinite(wait) && wait <= policy.retryWaitMaxMs ? wait : policy.retryWaitMaxMs;
}

/** `parseRetryAfterHeader`: whole seconds, or an HTTP date (a past date waits 0). */
export function parseRetryAfter(header: string, nowMs: number): number | undefined {
  if (/^-?\d+$/.test(header)) {
    const s = Number(header);
    return s < 0 ? undefined : s * 1000;
  }
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface PosterOptions {
  /**
   * Per-attempt limit, ms. LiveKit sets none (`ClientTimeout` unset): a receiver that never answers holds its
   * resource's queue for good. ovsim bounds it; default 300 000 (the JWT's validity).
   */
  readonly requestTimeoutMs?: number;
  /** Concurrent connections to the URL's origin; default 256. */
  readonly connections?: number;
}

/** POSTs to one URL through an undici Pool, with LiveKit's retries. */
export class LivekitPoster {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    private readonly policy: RetryPolicy,
    options: PosterOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const u = new URL(url);
    this.path = u.pathname + u.search;
    this.timeoutMs = options.requestTimeoutMs ?? 300_000;
    this.pool = new Pool(u.origin, {
      connections: options.connections ?? 256,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: Math.min(this.timeoutMs, 30_000) },
    });
  }

  /** Sends until an answer ends it or the retries run out; never rejects. */
  async send(body: Uint8Array, headers: readonly string[], signal?: AbortSignal): Promise<SendResult> {
    const history: AttemptRecord[] = [];
    for (let n = 0; ; n++) {
      const at = new Date().toISOString();
      const t0 = performance.now();
      const last = await this.attempt(body, headers);
      history.push({ n: n + 1, at, outcome: outcomeClass(last), ms: Math.round(performance.now() - t0) });
      const attempts = n + 1;
      if (!shouldRetry(last)) return { result: 'sent', attempts, last, history };
      if (n >= this.policy.retryMax || signal?.aborted) return { result: 'failed', attempts, last, history };
      await sleep(backoffMs(this.policy, n, last, this.now()), signal);
    }
  }

  private async attempt(body: Uint8Array, headers: readonly string[]): Promise<AttemptOutcome> {
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: headers as string[],
        body,
      });
      await res.body.dump();
      const retryAfter = res.headers['retry-after'];
      return typeof retryAfter === 'string'
        ? { kind: 'status', status: res.statusCode, retryAfter }
        : { kind: 'status', status: res.statusCode };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      return { kind: 'network', message: err.code ?? err.message ?? String(e) };
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
