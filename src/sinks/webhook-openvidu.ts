/**
 * The WebHook sender of OpenVidu 2.32 (spec §5), reproduced on the wire:
 * - one FIFO worker, one request at a time, in CDR order (a slow endpoint delays every later event);
 * - the OPENVIDU_WEBHOOK_EVENTS filter applied when the event's turn comes, not when it is queued;
 * - body = the flat event object with `event` last, UTF-8; headers: the configured ones in order, then
 *   `Content-Type: application/json` (replacing a configured Content-Type in place, as HttpClient's setHeader does),
 *   then HttpClient's own Content-Length, Host, Connection, User-Agent, Accept-Encoding;
 * - 10 s connect and read timeouts; up to 5 attempts back to back on network errors only;
 * - only HTTP 200 is a success; any other status is dropped at once, without retry.
 * `--chaos` may change the last two (`retry=`, `accept=`): it then tags each delivery to journal every request.
 *
 * OpenVidu logs and forgets what it drops; ovsim counts it (`stats`) and writes it to the dead-letter file.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookHeader } from '../config/openvidu-config.js';
import type { CdrEvent, EventName } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';
import type { AttemptRecord, DeadLetterFile } from './dead-letter.js';
import { DeliveryStats } from './delivery-stats.js';
import type { DeliveryTag } from './delivery-tag.js';
import { outcomeClass, WireExactTransport, type Transport } from './http-transport.js';
import type { WebhookSigner } from './webhook-signing.js';

/** HttpClient's retry handler: retry while executionCount < 5. */
export const OPENVIDU_MAX_ATTEMPTS = 5;

export interface OpenviduSenderOptions {
  /** OPENVIDU_WEBHOOK_ENDPOINT. */
  readonly endpoint: string;
  /** OPENVIDU_WEBHOOK_HEADERS, in order. */
  readonly headers: readonly WebhookHeader[];
  /** OPENVIDU_WEBHOOK_EVENTS. */
  readonly events: ReadonlySet<EventName>;
  readonly profile: Profile;
  /** Default: a WireExactTransport on the endpoint with `timeoutMs`. */
  readonly transport?: Transport;
  /** Connect and read timeouts, ms; default 10 000. */
  readonly timeoutMs?: number;
  readonly deadLetter?: DeadLetterFile | undefined;
  /** Adds Standard Webhooks signature headers after Content-Type (not an OpenVidu 2 feature). */
  readonly signer?: WebhookSigner | undefined;
  /**
   * Queue length above which `enqueue` returns a promise that resolves once the queue is half empty; default
   * unbounded (OpenVidu's executor queue is). `--speed max` sets it so a fast engine cannot fill the memory.
   */
  readonly highWaterMark?: number;
  /** Called for every failed attempt with its class (`refused`, `status 204`, …): early warnings. */
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
  /**
   * Attempts per event on network errors, back to back; default {@link OPENVIDU_MAX_ATTEMPTS}. 1 when the chaos layer
   * retries on its own schedule.
   */
  readonly maxAttempts?: number | undefined;
  /** Whether a status is a success; default only 200, as OpenVidu. */
  readonly success?: ((status: number) => boolean) | undefined;
}

/**
 * The request headers OpenVidu's sender sets, flat `[name, value, …]`: the configured ones, then Content-Type —
 * appended, or written over the first configured Content-Type in its slot (HttpClient `HeaderGroup.updateHeader`).
 */
export function openviduRequestHeaders(configured: readonly WebhookHeader[]): string[] {
  const out: string[] = [];
  let replaced = false;
  for (const h of configured) {
    if (!replaced && h.name.toLowerCase() === 'content-type') {
      out.push('Content-Type', 'application/json');
      replaced = true;
    } else {
      out.push(h.name, h.value);
    }
  }
  if (!replaced) out.push('Content-Type', 'application/json');
  return out;
}

interface Queued {
  readonly event: CdrEvent;
  /** Wall time (performance.now ms) the event was logged: latency is measured from here. */
  readonly queuedAt: number;
  /** Told of every request and of the end (the chaos layer's deliveries). */
  readonly tag: DeliveryTag | undefined;
}

export class OpenviduWebhookSender {
  readonly stats = new DeliveryStats();
  private readonly transport: Transport;
  private readonly profile: Profile;
  private readonly events: ReadonlySet<EventName>;
  private readonly baseHeaders: readonly string[];
  private readonly deadLetter: DeadLetterFile | undefined;
  private readonly signer: WebhookSigner | undefined;
  private readonly highWaterMark: number;
  private readonly onAttemptFailed: ((outcomeClass: string) => void) | undefined;
  private readonly maxAttempts: number;
  private readonly success: (status: number) => boolean;
  private readonly queue: Queued[] = [];
  private head = 0;
  private working = false;
  private aborted = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(options: OpenviduSenderOptions) {
    this.transport =
      options.transport ??
      new WireExactTransport(options.endpoint, { timeoutMs: options.timeoutMs ?? 10_000 });
    this.profile = options.profile;
    this.events = options.events;
    this.baseHeaders = openviduRequestHeaders(options.headers);
    this.deadLetter = options.deadLetter;
    this.signer = options.signer;
    this.highWaterMark = options.highWaterMark ?? Infinity;
    this.onAttemptFailed = options.onAttemptFailed;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? OPENVIDU_MAX_ATTEMPTS);
    this.success = options.success ?? ((status) => status === 200);
  }

  /** Events waiting for their turn (not counting the one in flight). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /**
   * Queues an event; returns a promise only when the queue is over its high-water mark. A `tag` is told of every
   * request and of the end, and gives a signed delivery its `webhook-id`.
   */
  enqueue(event: CdrEvent, tag?: DeliveryTag): void | Promise<void> {
    this.stats.events++;
    if (this.aborted) {
      this.giveUp({ event, queuedAt: performance.now(), tag }, [], 'unsent: shut down', true);
      return;
    }
    this.queue.push({ event, queuedAt: performance.now(), tag });
    if (!this.working) void this.work();
    if (this.queued > this.highWaterMark) return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void> {
    if (!this.working && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Lets the queue drain, then closes the transport. Without a deadline it waits as long as that takes, unless
   * `limitDrain` sets one meanwhile (a signal while the queue drains); once the deadline passes, the request in flight
   * is aborted and the rest given up (counted as unsent and dead-lettered). Resolves once every event's fate is
   * recorded.
   */
  async shutdown(deadlineMs?: number): Promise<void> {
    if (deadlineMs !== undefined) this.limitDrain(deadlineMs);
    await this.idle();
    clearTimeout(this.drainTimer);
    await this.transport.destroy();
  }

  /** Gives up what has not been delivered `ms` from now (a sooner deadline replaces a later one). */
  limitDrain(ms: number): void {
    const at = performance.now() + ms;
    if (at >= this.drainDeadline) return;
    this.drainDeadline = at;
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => void this.abort(), Math.max(0, ms));
  }

  private drainDeadline = Infinity;
  private drainTimer: NodeJS.Timeout | undefined;

  /** Stops at once: the request in flight is aborted, every queued event is recorded as unsent. */
  async abort(): Promise<void> {
    this.aborted = true;
    clearTimeout(this.drainTimer);
    for (; this.head < this.queue.length; this.head++) {
      const q = this.queue[this.head];
      if (q) this.giveUp(q, [], 'unsent: shut down', true);
    }
    this.queue.length = 0;
    this.head = 0;
    await this.transport.destroy();
    await this.idle();
  }

  private async work(): Promise<void> {
    this.working = true;
    try {
      while (this.head < this.queue.length && !this.aborted) {
        const q = this.queue[this.head++]!;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        if (this.drainWaiters.length > 0 && this.queued <= this.highWaterMark / 2) this.release('drain');
        await this.deliver(q);
      }
    } finally {
      this.working = false;
      this.release('drain');
      this.release('idle');
    }
  }

  private release(which: 'idle' | 'drain'): void {
    const list = which === 'idle' ? this.idleWaiters : this.drainWaiters;
    if (which === 'idle') this.idleWaiters = [];
    else this.drainWaiters = [];
    for (const resolve of list) resolve();
  }

  private async deliver(q: Queued): Promise<void> {
    const { event, tag } = q;
    if (!this.events.has(event.name)) {
      this.stats.filtered++;
      tag?.settled('filtered', 'OPENVIDU_WEBHOOK_EVENTS');
      return;
    }
    const text = this.profile.serializeWebhook(event);
    if (text === undefined) {
      this.stats.filtered++;
      tag?.settled('filtered', 'not a WebHook event');
      return;
    }
    const body = Buffer.from(text, 'utf8');
    const id = this.signer ? (tag?.messageId ?? `msg_${randomUUID()}`) : '';
    const attempts: AttemptRecord[] = [];
    this.stats.sent++;
    for (let n = 1; n <= this.maxAttempts; n++) {
      const headers = this.signer
        ? [...this.baseHeaders, ...this.signer.headers(id, text)]
        : this.baseHeaders;
      const startedAt = performance.now();
      const at = new Date().toISOString();
      this.stats.attempts++;
      if (n === 2) this.stats.retried++;
      const outcome = await this.transport.post(body, headers);
      const ms = performance.now() - startedAt;
      const cls = this.aborted && outcome.kind === 'network' ? 'aborted' : outcomeClass(outcome);
      attempts.push({ n, at, outcome: cls, ms: round3(ms) });
      const accepted = outcome.kind === 'status' && this.success(outcome.status);
      // Statuses are final; network errors are retried at once, up to 5 attempts, unless we are shutting down.
      const last = accepted || outcome.kind === 'status' || this.aborted || n === this.maxAttempts;
      tag?.attempted({ n, startedAt, ms, outcome, accepted, last });
      if (accepted) {
        this.stats.delivered++;
        this.stats.recordLatency(performance.now() - q.queuedAt);
        tag?.settled('delivered', cls);
        return;
      }
      this.stats.countFailedAttempt(cls);
      this.onAttemptFailed?.(cls);
      if (last) {
        this.giveUp(q, attempts, cls, false, text);
        return;
      }
    }
  }

  private giveUp(q: Queued, attempts: AttemptRecord[], reason: string, unsent: boolean, body?: string): void {
    const { event, tag } = q;
    if (unsent) {
      // Filtered events are not undelivered: OpenVidu would never have sent them.
      if (!this.events.has(event.name) || this.profile.serializeWebhook(event) === undefined) {
        this.stats.filtered++;
        tag?.settled('filtered', 'OPENVIDU_WEBHOOK_EVENTS');
        return;
      }
      this.stats.unsent++;
    } else {
      this.stats.countFailure(reason);
    }
    // A delivery the chaos layer sends again is not dead yet.
    if (tag && !tag.settled(unsent ? 'unsent' : 'failed', reason)) return;
    this.deadLetter?.write({
      event: event.name,
      sessionId: event.data.sessionId,
      timestamp: event.data.timestamp,
      reason,
      attempts,
      body: body ?? this.profile.serializeWebhook(event) ?? '',
    });
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
