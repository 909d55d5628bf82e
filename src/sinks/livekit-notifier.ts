/**
 * LiveKit's webhook delivery, faithfully (livekit/protocol `webhook/notifier.go`, `resource_url_notifier.go`,
 * `resource_queue.go`, `filter.go`), plus the accounting LiveKit keeps to itself.
 *
 * - Per URL, one FIFO queue and one worker per resource key (`EventKey`: egress id, else ingress id, else room name,
 *   else participant identity, else track sid, else `default`): a room's events keep their order; an egress's or an
 *   ingress's travel apart and may overtake them.
 * - `Enqueue` refuses an event when `MaxDepth` (200) events already wait in its queue (the one being sent does not
 *   count). `DefaultNotifier.QueueNotify` returns on the first URL that refuses: the URLs after it never get the event.
 * - The worker drops an event that waited more than `MaxAge` (30 s) when its turn comes.
 * - A send retries as `livekit-http.ts` says; a 4xx is "sent".
 * - `include_events` wins over `exclude_events`.
 * - LiveKit's receiver is never told of a drop; ovsim counts every event per URL: `offered` = `sent` + `failed` +
 *   the drops by reason (`queue-full`, `age`, `earlier-url-full`, `closed`) once drained.
 */
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import {
  LIVEKIT_RETRY_POLICY,
  LivekitPoster,
  type PosterOptions,
  type RetryPolicy,
  type SendResult,
} from './livekit-http.js';

export type DropReason = 'queue-full' | 'age' | 'earlier-url-full' | 'closed';

/** What happened to one event at one URL (LiveKit's `WebhookInfo`, with the drops it never reports outward). */
export interface DeliveryRecord {
  readonly url: string;
  readonly key: string;
  readonly event: WebhookEvent;
  readonly outcome: 'sent' | 'failed' | 'dropped';
  readonly reason?: DropReason;
  readonly send?: SendResult;
  /** ms the event waited in its queue before its send began (or before it was dropped for age). */
  readonly queuedMs?: number;
}

export interface UrlReport {
  readonly url: string;
  offered: number;
  sent: number;
  failed: number;
  dropped: Record<DropReason, number>;
  filtered: number;
  attempts: number;
}

export interface LivekitNotifierOptions extends PosterOptions {
  readonly urls: readonly string[];
  /** `MaxAge`, default 30 000 ms. */
  readonly maxAgeMs?: number;
  /** `MaxDepth`, default 200. */
  readonly maxDepth?: number;
  readonly retry?: RetryPolicy;
  readonly includeEvents?: readonly string[];
  readonly excludeEvents?: readonly string[];
  /** Builds the body bytes and headers of one event, once per send (the same for every retry). */
  readonly encode: (event: WebhookEvent) => { body: Uint8Array; headers: readonly string[] };
  /** Called once per event and URL when its fate is known. */
  readonly onRecord?: (record: DeliveryRecord) => void;
  /** Wall clock, ms; injectable for tests. */
  readonly now?: () => number;
}

/** `http://…: offered 12, sent 10, failed 1, dropped 1 (queue-full 1)` */
export function formatUrlReport(u: UrlReport): string {
  const drops = Object.entries(u.dropped).filter(([, n]) => n > 0);
  const dropped = drops.reduce((n, [, k]) => n + k, 0);
  return (
    `${u.url}: offered ${u.offered}, sent ${u.sent}, failed ${u.failed}, dropped ${dropped}` +
    (drops.length > 0 ? ` (${drops.map(([k, n]) => `${k} ${n}`).join(', ')})` : '') +
    (u.filtered > 0 ? `, filtered ${u.filtered}` : '')
  );
}

/** `webhook.EventKey`. */
export function eventKey(event: WebhookEvent): string {
  if (event.egressInfo !== undefined) return event.egressInfo.egressId ?? '';
  if (event.ingressInfo !== undefined) return event.ingressInfo.ingressId ?? '';
  if (event.room !== undefined) return event.room.name ?? '';
  if (event.participant !== undefined) return event.participant.identity ?? '';
  if (event.track !== undefined) return event.track.sid ?? '';
  return 'default';
}

/** `FilterParams.IsAllowed`. */
export function isAllowed(
  name: string,
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): boolean {
  if (include.length > 0) return include.includes(name);
  if (exclude.length > 0) return !exclude.includes(name);
  return true;
}

interface Item {
  readonly event: WebhookEvent;
  readonly queuedAt: number;
}

interface Queue {
  readonly items: Item[];
  running: boolean;
}

/** One URL's `ResourceURLNotifier`. */
class UrlNotifier {
  readonly report: UrlReport;
  private readonly queues = new Map<string, Queue>();
  private readonly poster: LivekitPoster;
  private readonly workers = new Set<Promise<void>>();

  constructor(
    url: string,
    private readonly o: LivekitNotifierOptions,
    private readonly abort: AbortSignal,
  ) {
    this.poster = new LivekitPoster(url, o.retry ?? LIVEKIT_RETRY_POLICY, o, o.now);
    this.report = {
      url,
      offered: 0,
      sent: 0,
      failed: 0,
      dropped: { 'queue-full': 0, age: 0, 'earlier-url-full': 0, closed: 0 },
      filtered: 0,
      attempts: 0,
    };
  }

  /** `QueueNotify`: false when the queue refused the event (the caller stops fanning it out). */
  enqueue(event: WebhookEvent, now: number, closed: boolean): boolean {
    if (!isAllowed(event.event ?? '', this.o.includeEvents, this.o.excludeEvents)) {
      this.report.filtered++;
      return true;
    }
    this.report.offered++;
    const key = eventKey(event);
    if (closed) return (this.drop(event, key, 'closed'), false);
    let q = this.queues.get(key);
    if (q === undefined) this.queues.set(key, (q = { items: [], running: false }));
    if (q.items.length >= (this.o.maxDepth ?? 200)) return (this.drop(event, key, 'queue-full'), false);
    q.items.push({ event, queuedAt: now });
    if (!q.running) this.start(key, q);
    return true;
  }

  /** Counts an event this URL never saw because an earlier URL's queue was full. */
  skip(event: WebhookEvent): void {
    if (!isAllowed(event.event ?? '', this.o.includeEvents, this.o.excludeEvents))
      return void this.report.filtered++;
    this.report.offered++;
    this.drop(event, eventKey(event), 'earlier-url-full');
  }

  private start(key: string, q: Queue): void {
    q.running = true;
    const worker = this.work(key, q).finally(() => this.workers.delete(worker));
    this.workers.add(worker);
  }

  private async work(key: string, q: Queue): Promise<void> {
    const now = this.o.now ?? Date.now;
    for (let item = q.items.shift(); item !== undefined; item = q.items.shift()) {
      if (this.abort.aborted) {
        this.drop(item.event, key, 'closed');
        continue;
      }
      const queuedMs = now() - item.queuedAt;
      if (queuedMs > (this.o.maxAgeMs ?? 30_000)) {
        this.drop(item.event, key, 'age', queuedMs);
        continue;
      }
      const { body, headers } = this.o.encode(item.event);
      const send = await this.poster.send(body, headers, this.abort);
      this.report.attempts += send.attempts;
      this.report[send.result]++;
      this.o.onRecord?.({
        url: this.report.url,
        key,
        event: item.event,
        outcome: send.result,
        send,
        queuedMs,
      });
    }
    q.running = false;
    if (this.queues.get(key) === q) this.queues.delete(key);
  }

  private drop(event: WebhookEvent, key: string, reason: DropReason, queuedMs?: number): void {
    this.report.dropped[reason]++;
    const base = { url: this.report.url, key, event, outcome: 'dropped', reason } as const;
    this.o.onRecord?.(queuedMs === undefined ? base : { ...base, queuedMs });
  }

  async drain(): Promise<void> {
    while (this.workers.size > 0) await Promise.all([...this.workers]);
  }

  close(): Promise<void> {
    return this.poster.close();
  }
}

/** `DefaultNotifier` over several URLs, each with its own queues. */
export class LivekitNotifier {
  private readonly notifiers: UrlNotifier[];
  private readonly abort = new AbortController();
  private closed = false;

  constructor(private readonly options: LivekitNotifierOptions) {
    this.notifiers = options.urls.map((u) => new UrlNotifier(u, options, this.abort.signal));
  }

  /**
   * Queues `event` on every URL in order. The caller sets `id` and `createdAt` (LiveKit's `NotifyEvent` assigns them
   * just before). Returns false when a URL refused it (the later URLs then never see it, as in LiveKit).
   */
  notify(event: WebhookEvent): boolean {
    const now = (this.options.now ?? Date.now)();
    if (this.closed) {
      for (const n of this.notifiers) n.enqueue(event, now, true);
      return false;
    }
    for (let i = 0; i < this.notifiers.length; i++) {
      if (!this.notifiers[i]!.enqueue(event, now, false)) {
        for (const later of this.notifiers.slice(i + 1)) later.skip(event);
        return false;
      }
    }
    return true;
  }

  /** Waits until every queue is empty (`Stop(false)` drains). */
  async drain(): Promise<void> {
    await Promise.all(this.notifiers.map((n) => n.drain()));
  }

  /**
   * Stops: `force` drops what waits and cuts retry waits short (`Stop(true)`), otherwise drains first. Events
   * notified afterwards are dropped as `closed`.
   */
  async close(force = false): Promise<void> {
    this.closed = true;
    if (force) this.abort.abort();
    await this.drain();
    await Promise.all(this.notifiers.map((n) => n.close()));
  }

  /** Per-URL counts. */
  reports(): UrlReport[] {
    return this.notifiers.map((n) => structuredClone(n.report));
  }
}
