/**
 * The senders of `ovsim run` for the OpenVidu 3 servers that do not speak OpenVidu 2: LiveKit's notifier (per-room
 * queues, retries, JWT) and OpenVidu Meet's dispatcher (HMAC, 300 ms doubling). Each renders a run's facts with its
 * wire renderer, hands the events to the sink from src/sinks, and keeps ovsim's own account in a DeliveryReport:
 * what LiveKit counts as sent but a consumer refused (a 4xx), and what it drops without telling anyone, are failures
 * here.
 */
import type { Fact } from '../model/facts.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import { livekitEvents, meetEvents, type ServerSettings } from '../model/ov3/server-wire.js';
import { DeliveryStats, type DeliveryReport } from '../sinks/delivery-stats.js';
import { livekitEncoder } from '../sinks/livekit-encoder.js';
import { LivekitNotifier, type DeliveryRecord } from '../sinks/livekit-notifier.js';
import { MeetWebhookSender, type MeetDelivery } from '../sinks/meet-webhook.js';
import type { RunSummary } from './summary.js';

/** A run's OpenVidu 3 sender: facts in, a delivery report out. */
export interface Ov3Sender {
  /** Renders and queues a batch's facts; a promise when the caller should wait (max speed, too much in flight). */
  take(facts: readonly Fact[], summary: RunSummary): void | Promise<void>;
  /** Waits for every event's fate, unless `limitDrain` or `abort` cut it short. */
  shutdown(): Promise<void>;
  /** Gives up what is not delivered `ms` from now. */
  limitDrain(ms: number): void;
  /** Gives up at once. */
  abort(): Promise<void>;
  report(): DeliveryReport;
}

export interface Ov3SenderOptions {
  readonly server: ServerSettings;
  readonly url: string;
  /** Events in flight or queued beyond which `take` asks the caller to wait; Infinity on the wall clock. */
  readonly highWaterMark: number;
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
}

/** Back-pressure shared by both senders: waiters released once the backlog halves. */
class Backlog {
  private waiters: Array<() => void> = [];
  constructor(
    private readonly stats: DeliveryStats,
    private readonly highWaterMark: number,
  ) {}

  wait(): void | Promise<void> {
    if (this.stats.pending <= this.highWaterMark) return;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  settled(): void {
    if (this.waiters.length === 0 || this.stats.pending > this.highWaterMark / 2) return;
    const list = this.waiters;
    this.waiters = [];
    for (const resolve of list) resolve();
  }
}

/** LiveKit (`--server openvidu3`): LivekitNotifier over one URL, signed with the API key's secret. */
export class LivekitRunSender implements Ov3Sender {
  private readonly stats = new DeliveryStats();
  private readonly render: (fact: Fact, emit: (e: WebhookEvent) => void) => void;
  private readonly notifier: LivekitNotifier;
  private readonly queuedAt = new WeakMap<WebhookEvent, number>();
  private readonly backlog: Backlog;
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: Ov3SenderOptions,
    credentials: { readonly apiKey: string; readonly apiSecret: string },
  ) {
    this.render = livekitEvents(o.server);
    this.backlog = new Backlog(this.stats, o.highWaterMark);
    this.notifier = new LivekitNotifier({
      urls: [o.url],
      encode: livekitEncoder({ ...credentials, spaceAfterComma: o.server.livekit.spaceAfterComma }),
      onRecord: (r) => this.record(r),
    });
  }

  take(facts: readonly Fact[], summary: RunSummary): void | Promise<void> {
    for (const fact of facts)
      this.render(fact, (e) => {
        summary.count(e.event ?? '', fact.at);
        this.stats.events++;
        this.queuedAt.set(e, performance.now());
        this.notifier.notify(e);
      });
    return this.backlog.wait();
  }

  private record(r: DeliveryRecord): void {
    if (r.outcome === 'dropped') {
      if (r.reason === 'closed') this.stats.unsent++;
      else this.stats.countFailure(`dropped: ${r.reason ?? 'unknown'}`);
    } else {
      const send = r.send!;
      this.stats.sent++;
      this.stats.attempts += send.attempts;
      if (send.attempts > 1) this.stats.retried++;
      const cls = send.last.kind === 'network' ? send.last.message : `status ${send.last.status}`;
      for (let i = 1; i < send.attempts; i++) this.stats.countFailedAttempt(cls);
      const ok = send.last.kind === 'status' && send.last.status >= 200 && send.last.status < 300;
      if (ok) {
        this.stats.delivered++;
        const at = this.queuedAt.get(r.event);
        if (at !== undefined) this.stats.recordLatency(performance.now() - at);
      } else {
        // A 4xx ends LiveKit's send as "sent"; the consumer refused it all the same.
        this.stats.countFailure(cls);
        this.stats.countFailedAttempt(cls);
        this.o.onAttemptFailed?.(cls);
      }
    }
    this.backlog.settled();
  }

  async shutdown(): Promise<void> {
    await this.notifier.close(false);
    clearTimeout(this.drainTimer);
  }

  limitDrain(ms: number): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => void this.notifier.close(true), Math.max(0, ms));
  }

  async abort(): Promise<void> {
    clearTimeout(this.drainTimer);
    await this.notifier.close(true);
  }

  report(): DeliveryReport {
    return this.stats.report();
  }
}

/** OpenVidu Meet (`--server meet`): every event dispatched at once, each retrying on its own. */
export class MeetRunSender implements Ov3Sender {
  private readonly stats = new DeliveryStats();
  private readonly render;
  private readonly sender: MeetWebhookSender;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly backlog: Backlog;
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: Ov3SenderOptions,
    apiKey: string,
  ) {
    this.render = meetEvents(o.server);
    this.backlog = new Backlog(this.stats, o.highWaterMark);
    this.sender = new MeetWebhookSender({ urls: [o.url], apiKey });
  }

  take(facts: readonly Fact[], summary: RunSummary): void | Promise<void> {
    for (const fact of facts)
      this.render(fact, (e) => {
        summary.count(e.event, e.creationDate);
        this.stats.events++;
        if (this.stop.signal.aborted) {
          this.stats.unsent++;
          return;
        }
        const at = performance.now();
        const p = this.sender
          .send(e.event, e.creationDate, e.data, this.stop.signal)
          .then((results) => this.record(results, at));
        const tracked = p.finally(() => this.inFlight.delete(tracked));
        this.inFlight.add(tracked);
      });
    return this.backlog.wait();
  }

  private record(results: readonly MeetDelivery[], at: number): void {
    for (const r of results) {
      this.stats.sent++;
      this.stats.attempts += r.attempts;
      if (r.attempts > 1) this.stats.retried++;
      const cls = typeof r.last === 'number' ? `status ${r.last}` : r.last;
      const failedAttempts = r.result === 'sent' ? r.attempts - 1 : r.attempts;
      for (let i = 0; i < failedAttempts; i++) this.stats.countFailedAttempt(cls);
      if (r.result === 'sent') {
        this.stats.delivered++;
        this.stats.recordLatency(performance.now() - at);
      } else {
        this.stats.countFailure(cls);
        this.o.onAttemptFailed?.(cls);
      }
    }
    this.backlog.settled();
  }

  async shutdown(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    clearTimeout(this.drainTimer);
  }

  limitDrain(ms: number): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => this.stop.abort(), Math.max(0, ms));
  }

  async abort(): Promise<void> {
    clearTimeout(this.drainTimer);
    this.stop.abort();
    await this.shutdown();
  }

  report(): DeliveryReport {
    return this.stats.report();
  }
}
