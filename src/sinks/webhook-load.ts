/**
 * Concurrent WebHook delivery for load tests: `connections` requests in flight at once, while the events of one
 * session never overtake each other (a session is served by one request at a time, its events queued in order,
 * including while one of them waits for a retry). Sessions waiting for a connection are served first come, first
 * served.
 *
 * Each event's latency runs from its intended send time (given by the caller: the rate plan or the pacing) to the
 * answer that settled it, retries included — so a slow consumer shows in the figures instead of slowing the plan.
 */
import { randomUUID } from 'node:crypto';
import { ByteBuffer } from '../model/byte-writer.js';
import type { CdrEvent, EventName } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';
import type { AttemptRecord, DeadLetterFile } from './dead-letter.js';
import { DeliveryStats } from './delivery-stats.js';
import type { DeliveryTag } from './delivery-tag.js';
import { outcomeClass, type Outcome, type Transport } from './http-transport.js';
import { openviduRequestHeaders } from './webhook-openvidu.js';
import type { WebhookHeader } from '../config/openvidu-config.js';
import type { WebhookSigner } from './webhook-signing.js';

/** When to try again. `delayMs(n)` is the wait before attempt n+1 after attempt n failed; `undefined` = give up. */
export interface RetryPolicy {
  readonly name: string;
  /** Whether a failure of this class is worth another attempt. */
  retryable(outcome: { kind: 'status'; status: number } | { kind: 'network' }): boolean;
  delayMs(failedAttempt: number, random: () => number): number | undefined;
}

export interface LoadDeliveryOptions {
  readonly transport: Transport;
  /** Requests in flight at most; default 1. */
  readonly connections?: number;
  readonly profile: Profile;
  readonly events: ReadonlySet<EventName>;
  readonly headers: readonly WebhookHeader[];
  readonly retry: RetryPolicy;
  /**
   * Scale of retry waits on the wall clock: 1 waits the delays as given; 0 runs them on virtual time (they are recorded
   * but not waited, as with `--speed max`). Default 1.
   */
  readonly retryTimeScale?: number;
  /** Success statuses; default only 200, as OpenVidu. */
  readonly success?: ((status: number) => boolean) | undefined;
  readonly signer?: WebhookSigner | undefined;
  readonly deadLetter?: DeadLetterFile | undefined;
  /** Random numbers for jitter; default Math.random. */
  readonly random?: () => number;
  /** Called once per event when its fate is settled (tests, progress). */
  readonly onSettled?: ((event: CdrEvent, delivered: boolean) => void) | undefined;
  /** Called for every failed attempt with its class (`refused`, `status 500`, …): early warnings. */
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
}

/** One session's events not yet settled, in order: `items[head]` is being served or waits for a connection. */
interface SessionQueue {
  readonly key: string;
  readonly items: Item[];
  head: number;
  /** A request of the session is in flight. */
  busy: boolean;
}

interface Item {
  readonly event: CdrEvent;
  /** Its session's queue. */
  readonly queue: SessionQueue;
  /** The body, serialized at submission: a view of the delivery's body buffer, never overwritten. */
  readonly body: Uint8Array;
  readonly id: string;
  /** performance.now() ms the event should have been sent. */
  readonly intendedAt: number;
  /** Failed attempts, created at the first failure (most events have none). */
  attempts: AttemptRecord[] | undefined;
  /** Attempts made so far. */
  tries: number;
  /** The lane of the request in flight and when it started (performance.now ms). */
  lane: number;
  started: number;
  /** Told of every request and of the end (the chaos layer's deliveries). */
  readonly tag: DeliveryTag | undefined;
}

export class LoadDelivery {
  readonly stats = new DeliveryStats();
  private readonly o: LoadDeliveryOptions;
  private readonly connections: number;
  private readonly baseHeaders: readonly string[];
  private readonly success: (status: number) => boolean;
  private readonly random: () => number;
  /** Per session: its events not yet settled, the head being served or waiting for a retry. */
  private readonly bySession = new Map<string, SessionQueue>();
  /** Sessions whose head waits for a connection. */
  private ready: SessionQueue[] = [];
  private readyHead = 0;
  private active = 0;
  /** Lanes (connection numbers) with no request in flight. */
  private readonly freeLanes: number[] = [];
  private queuedItems = 0;
  private aborted = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  /** Largest retry delay recorded on virtual time (ms), for the report. */
  virtualRetryMs = 0;

  constructor(options: LoadDeliveryOptions) {
    this.o = options;
    this.connections = Math.max(1, options.connections ?? 1);
    this.baseHeaders = openviduRequestHeaders(options.headers);
    this.success = options.success ?? ((s) => s === 200);
    this.random = options.random ?? Math.random;
    for (let lane = this.connections - 1; lane >= 0; lane--) this.freeLanes.push(lane);
    this.laneItem = new Array<Item | undefined>(this.connections).fill(undefined);
    this.laneDone = Array.from({ length: this.connections }, (_, lane) => (o: Outcome) => {
      const item = this.laneItem[lane]!;
      this.laneItem[lane] = undefined;
      this.settleAttempt(item, o);
    });
  }

  /** The item in flight on each lane, and each lane's callback (made once: no closure per request). */
  private readonly laneItem: (Item | undefined)[];
  private readonly laneDone: ((o: Outcome) => void)[];

  /** Events submitted and not yet settled. */
  get backlog(): number {
    return this.queuedItems;
  }

  /**
   * Submits an event due at `intendedAt` (performance.now ms). Filtered events are counted and skipped. A `tag` is told
   * of every request and of the end, and gives a signed delivery its `webhook-id`.
   */
  submit(event: CdrEvent, intendedAt: number, tag?: DeliveryTag): void {
    this.stats.events++;
    if (!this.o.events.has(event.name) || !this.o.profile.has(event.name)) {
      this.stats.filtered++;
      tag?.settled('filtered', 'OPENVIDU_WEBHOOK_EVENTS');
      return;
    }
    // Serialized now, while the event just produced is still in the caches: measured, serializing it when its turn
    // came (seconds later, after thousands of others) cost several times more. The backlog is bounded by the caller
    // (load mode: maxBacklog), and so are the bodies it holds.
    this.bodies.begin();
    this.o.profile.writeWebhook(event, this.bodies, false);
    const key = event.data.sessionId ?? '';
    let queue = this.bySession.get(key);
    const fresh = queue === undefined;
    queue ??= { key, items: [], head: 0, busy: false };
    const item: Item = {
      event,
      queue,
      body: this.bodies.piece(),
      id: this.o.signer ? (tag?.messageId ?? `msg_${randomUUID()}`) : '',
      intendedAt,
      attempts: undefined,
      tries: 0,
      lane: -1,
      started: 0,
      tag,
    };
    if (this.aborted) {
      this.stats.unsent++;
      if (tag?.settled('unsent', 'unsent: shut down') !== false) this.deadLetter(item, 'unsent: shut down');
      return;
    }
    this.queuedItems++;
    queue.items.push(item);
    if (!fresh) return;
    this.bySession.set(key, queue);
    this.ready.push(queue);
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.queuedItems === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Lets what is queued, in flight or waiting for a retry settle, then closes the transport. Without a deadline it
   * waits as long as that takes, unless `limitDrain` sets one meanwhile (a signal while the backlog drains); once the
   * deadline passes, the rest is given up (`abort`).
   */
  async shutdown(deadlineMs?: number): Promise<void> {
    if (deadlineMs !== undefined) this.limitDrain(deadlineMs);
    await this.idle();
    clearTimeout(this.drainTimer);
    await this.o.transport.destroy();
  }

  /** Gives up what has not settled `ms` from now (a sooner deadline replaces a later one). */
  limitDrain(ms: number): void {
    const at = performance.now() + ms;
    if (at >= this.drainDeadline) return;
    this.drainDeadline = at;
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => void this.abort(), Math.max(0, ms));
  }

  private drainDeadline = Infinity;
  private drainTimer: NodeJS.Timeout | undefined;

  /** Gives up everything not yet delivered (counted unsent, dead-lettered) and aborts requests in flight. */
  async abort(): Promise<void> {
    this.aborted = true;
    clearTimeout(this.drainTimer);
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const [key, q] of this.bySession) {
      // The head of a session being served is settled by its own request; the rest never went out.
      for (const item of q.items.splice(q.head + (q.busy ? 1 : 0))) {
        if (item.tries > 0) this.stats.countFailure('aborted');
        else this.stats.unsent++;
        this.queuedItems--;
        const reason = item.tries > 0 ? 'aborted' : 'unsent: shut down';
        if (item.tag?.settled(item.tries > 0 ? 'failed' : 'unsent', reason) !== false)
          this.deadLetter(item, reason);
      }
      if (q.items.length === q.head) this.bySession.delete(key);
    }
    this.ready = [];
    this.readyHead = 0;
    await this.o.transport.destroy();
    this.checkIdle();
    await this.idle();
  }

  /** Where bodies are serialized: each a view that stays valid (the buffer only moves on, see ByteBuffer). */
  private readonly bodies = new ByteBuffer(256 * 1024);

  private pump(): void {
    while (this.active < this.connections && this.readyHead < this.ready.length && !this.aborted) {
      const queue = this.ready[this.readyHead++]!;
      if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      const item = queue.items[queue.head];
      if (!item) continue;
      this.active++;
      queue.busy = true;
      this.attempt(item);
    }
  }

  /** Sends `item` on a free lane; its outcome comes back through `settleAttempt`. */
  private attempt(item: Item): void {
    const n = ++item.tries;
    const body = item.body;
    const headers = this.o.signer
      ? [...this.baseHeaders, ...this.o.signer.headers(item.id, body)]
      : this.baseHeaders;
    if (n === 1) this.stats.sent++;
    if (n === 2) this.stats.retried++;
    this.stats.attempts++;
    const lane = this.freeLanes.pop()!;
    item.lane = lane;
    item.started = performance.now();
    this.laneItem[lane] = item;
    const transport = this.o.transport;
    if (transport.send) transport.send(body, headers, lane, this.laneDone[lane]!);
    else void transport.post(body, headers).then(this.laneDone[lane]);
  }

  private settleAttempt(item: Item, outcome: Outcome): void {
    const now = performance.now();
    const queue = item.queue;
    this.freeLanes.push(item.lane);
    this.active--;
    queue.busy = false;
    const ok = outcome.kind === 'status' && this.success(outcome.status);
    const cls = this.aborted && outcome.kind === 'network' ? 'aborted' : outcomeClass(outcome);
    const delay =
      ok || this.aborted || !this.o.retry.retryable(outcome.kind === 'status' ? outcome : { kind: 'network' })
        ? undefined
        : this.o.retry.delayMs(item.tries, this.random);
    item.tag?.attempted({
      n: item.tries,
      startedAt: item.started,
      ms: now - item.started,
      outcome,
      accepted: ok,
      last: ok || delay === undefined,
    });
    if (ok) {
      this.stats.delivered++;
      this.stats.recordLatency(now - item.intendedAt);
      item.tag?.settled('delivered', cls);
      this.settle(item, true);
      return;
    }
    // Only failed attempts are recorded: a delivered event never reaches the dead-letter file.
    (item.attempts ??= []).push({
      n: item.tries,
      at: new Date(performance.timeOrigin + item.started).toISOString(),
      outcome: cls,
      ms: round3(now - item.started),
    });
    this.stats.countFailedAttempt(cls);
    this.o.onAttemptFailed?.(cls);
    if (delay === undefined) {
      this.stats.countFailure(cls);
      // A delivery the chaos layer sends again is not dead yet.
      if (item.tag?.settled('failed', cls) !== false) this.deadLetter(item, cls);
      this.settle(item, false);
      return;
    }
    // The session stays busy while its head waits: later events of the session must not overtake it.
    const wait = delay * (this.o.retryTimeScale ?? 1);
    if (wait <= 0) {
      this.virtualRetryMs = Math.max(this.virtualRetryMs, delay);
      this.requeueHead(queue);
      return;
    }
    const t = setTimeout(() => {
      this.retryTimers.delete(t);
      this.requeueHead(queue);
    }, wait);
    this.retryTimers.add(t);
  }

  private requeueHead(queue: SessionQueue): void {
    this.ready.push(queue);
    this.pump();
    this.checkIdle();
  }

  private settle(item: Item, delivered: boolean): void {
    const q = item.queue;
    if (q.items[q.head] === item) q.head++;
    this.queuedItems--;
    if (q.head < q.items.length) {
      // Drop the settled ones now and then, not at every event (a long session queue is not copied each time).
      if (q.head > 64 && q.head * 2 > q.items.length) {
        q.items.splice(0, q.head);
        q.head = 0;
      }
      this.ready.push(q);
    } else {
      q.items.length = 0;
      q.head = 0;
      this.bySession.delete(q.key);
    }
    this.o.onSettled?.(item.event, delivered);
    this.pump();
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.queuedItems > 0 || this.active > 0) return;
    const list = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of list) resolve();
  }

  private deadLetter(item: Item, reason: string): void {
    this.o.deadLetter?.write({
      event: item.event.name,
      sessionId: item.event.data.sessionId,
      timestamp: item.event.data.timestamp,
      reason,
      attempts: item.attempts ?? [],
      body: Buffer.from(item.body.buffer, item.body.byteOffset, item.body.length).toString('utf8'),
    });
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
