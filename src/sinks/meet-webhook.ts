/**
 * OpenVidu Meet's webhook delivery (`webhook-dispatcher.service.ts`, `config/internal-config.ts`): the body and its
 * signature are computed once per event; every registered URL gets it concurrently, each retrying on its own:
 * `fetchWithRetry(retries = 5, delay = 300)` tries once and then up to five more times after 300, 600, 1200, 2400
 * and 4800 ms (six attempts); any non-2xx answer, network error or the 5 s abort counts as a failure.
 * Headers: `Content-Type: application/json`, `X-Timestamp: <creationDate ms>`, `X-Signature: hex(HMAC-SHA256(api
 * key, "<timestamp>.<body>"))`. Sent with undici's `fetch`, the implementation behind Node's global `fetch` that the
 * Meet backend calls, so the request head is the one Node writes.
 */
import { createHmac } from 'node:crypto';
import { fetch } from 'undici';
import type { MeetEventName, MeetWebhookPayload } from '../model/meet/meet-types.js';
import { meetWebhookBody } from '../model/meet/meet-body.js';
import type { AttemptRecord } from './dead-letter.js';

export interface MeetSenderOptions {
  readonly urls: readonly string[];
  /** The deployment's first API key: the HMAC secret. */
  readonly apiKey: string;
  /** `WEBHOOK_RETRY_ATTEMPTS`, default 5 (retries after the first attempt). */
  readonly retries?: number;
  /** `WEBHOOK_RETRY_INITIAL_DELAY`, default 300 ms, doubling. */
  readonly initialDelayMs?: number;
  /** `WEBHOOK_REQUEST_TIMEOUT`, default 5000 ms per attempt. */
  readonly timeoutMs?: number;
}

export interface MeetDelivery {
  readonly url: string;
  readonly result: 'sent' | 'failed';
  readonly attempts: number;
  /** The last attempt: an HTTP status, or the error's code (`ECONNREFUSED`, `timeout`, …). */
  readonly last: number | string;
  /** Every attempt, for the dead-letter file. */
  readonly history: readonly AttemptRecord[];
}

/** `generateWebhookSignature`. */
export function meetSignature(apiKey: string, timestamp: number, body: string): string {
  return createHmac('sha256', apiKey).update(`${timestamp}.${body}`).digest('hex');
}

/** The request headers, in the object's order (`fetch` itself sends them lower-cased and sorted). */
export function meetHeaders(apiKey: string, timestamp: number, body: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Timestamp': timestamp.toString(),
    'X-Signature': meetSignature(apiKey, timestamp, body),
  };
}

export class MeetWebhookSender {
  readonly counts = { events: 0, sent: 0, failed: 0, attempts: 0 };

  constructor(private readonly o: MeetSenderOptions) {}

  /**
   * Delivers one event to every URL; resolves when each has succeeded or run out of retries, or when `signal` aborts
   * (ovsim giving up: the attempt in flight is cut and no retry follows). Never rejects.
   */
  async send(
    event: MeetEventName,
    creationDate: number,
    data: MeetWebhookPayload,
    signal?: AbortSignal,
  ): Promise<MeetDelivery[]> {
    this.counts.events++;
    const body = meetWebhookBody(event, creationDate, data);
    const headers = meetHeaders(this.o.apiKey, creationDate, body);
    const results = await Promise.all(this.o.urls.map((url) => this.deliver(url, body, headers, signal)));
    for (const r of results) {
      this.counts[r.result]++;
      this.counts.attempts += r.attempts;
    }
    return results;
  }

  private async deliver(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<MeetDelivery> {
    let delay = this.o.initialDelayMs ?? 300;
    const history: AttemptRecord[] = [];
    const tries = 1 + (this.o.retries ?? 5);
    for (let attempt = 1; ; attempt++) {
      const at = new Date().toISOString();
      const t0 = performance.now();
      const last = await this.attempt(url, body, headers, signal);
      const outcome = typeof last === 'number' ? `status ${last}` : last;
      history.push({ n: attempt, at, outcome, ms: Math.round(performance.now() - t0) });
      if (typeof last === 'number' && last >= 200 && last < 300)
        return { url, result: 'sent', attempts: attempt, last, history };
      if (attempt >= tries || signal?.aborted === true)
        return { url, result: 'failed', attempts: attempt, last, history };
      await sleep(delay, signal);
      delay *= 2;
    }
  }

  private async attempt(
    url: string,
    body: string,
    headers: Record<string, string>,
    stop: AbortSignal | undefined,
  ): Promise<number | string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.timeoutMs ?? 5000);
    const signal = stop === undefined ? controller.signal : AbortSignal.any([controller.signal, stop]);
    try {
      if (stop?.aborted === true) return 'aborted';
      const res = await fetch(url, { method: 'POST', headers, body, signal });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (e) {
      if (stop?.aborted === true) return 'aborted';
      if ((e as Error).name === 'AbortError') return 'timeout';
      // undici's fetch rejects every network error as "fetch failed"; the cause names it (ECONNREFUSED, …).
      const cause = (e as { cause?: { code?: unknown } }).cause;
      return typeof cause?.code === 'string' ? cause.code : ((e as Error).message ?? String(e));
    } finally {
      clearTimeout(timer);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
