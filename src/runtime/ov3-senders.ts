/**
 * The senders for the OpenVidu 3 servers that do not speak OpenVidu 2: LiveKit's notifier (per-resource queues,
 * retries, JWT) and OpenVidu Meet's dispatcher (HMAC, 300 ms doubling), for `ovsim run` and `ovsim load`. Each
 * renders a run's facts with its wire renderer, hands the events to the sink from src/sinks, and keeps ovsim's own
 * account in a DeliveryReport: what LiveKit counts as sent but a consumer refused (a 4xx), and what it drops without
 * telling anyone, are failures here, and with a dead-letter file each one is written there with its body.
 */
import type { Fact } from '../model/facts.js';
import { marshalWebhookEvent } from '../model/livekit/protojson-writer.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import { meetWebhookBody } from '../model/meet/meet-body.js';
import { livekitEvents, meetEvents, type ServerSettings } from '../model/ov3/server-wire.js';
import type { MeetEvent } from '../model/ov3/meet-renderer.js';
import type { AttemptRecord, DeadLetterFile } from '../sinks/dead-letter.js';
import { DeliveryStats, type DeliveryReport } from '../sinks/delivery-stats.js';
import { livekitEncoder } from '../sinks/livekit-encoder.js';
import { outcomeClass } from '../sinks/livekit-http.js';
import {
  isAllowed,
  LivekitNotifier,
  type DeliveryRecord,
  type UrlReport,
} from '../sinks/livekit-notifier.js';
import { MeetWebhookSender, type MeetDelivery } from '../sinks/meet-webhook.js';
import type { RunSummary } from './summary.js';

/** An OpenVidu 3 sender: facts rendered to its events, each queued with the instant it was due. */
export interface Ov3Sender<E = unknown> {
  readonly stats: DeliveryStats;
  /** Requests queued or in flight (load's backlog). */
  readonly backlog: number;
  /** Renders one fact into this server's events (stateful: each fact of a run once, in order). */
  render(fact: Fact, emit: (e: E) => void): void;
  /** The event's name, as the summary counts it. */
  nameOf(e: E): string;
  /** Queues one rendered event; its latency runs from `due` (performance.now()). */
  submit(e: E, due: number): void;
  /** `ovsim run`: renders and queues a batch's facts; a promise when the caller should wait (too much in flight). */
  take(facts: readonly Fact[], summary: RunSummary): void | Promise<void>;
  /** Waits for every event's fate, unless `limitDrain` or `abort` cut it short. */
  shutdown(): Promise<void>;
  /** Gives up what is not delivered `ms` from now. */
  limitDrain(ms: number): void;
  /** Gives up at once. */
  abort(): Promise<void>;
  report(): DeliveryReport;
  /** LiveKit: per-URL counts. */
  urlReports?(): UrlReport[];
}

export interface Ov3SenderOptions {
  readonly server: ServerSettings;
  readonly url: string;
  /** Events in flight or queued beyond which `take` asks the caller to wait; Infinity on the wall clock. */
  readonly highWaterMark: number;
  readonly onAttemptFailed?: ((outcomeClass: string) => void) | undefined;
  /** Every event not delivered, with its body and attempts. */
  readonly deadLetter?: DeadLetterFile | undefined;
  /** The answers that count as delivered; default any 2xx. */
  readonly success?: ((status: number) => boolean) | undefined;
  /** Concurrent connections to the consumer (LiveKit's pool); default the sink's own. */
  readonly connections?: number | undefined;
  /** Per-attempt limit, ms; default the server's own (LiveKit none — ovsim 300 s; Meet 5 s). */
  readonly timeoutMs?: number | undefined;
  /** LiveKit's `webhook:` block beyond the URL (`--livekit-config`): more URLs, the event filter, the queue limits. */
  readonly livekit?: LivekitDeliverySettings | undefined;
}

/** What `livekit.yaml` says of the notifier. */
export interface LivekitDeliverySettings {
  /** Every URL gets each event on queues of its own; default `[url]`. */
  readonly urls?: readonly string[] | undefined;
  readonly includeEvents?: readonly string[] | undefined;
  readonly excludeEvents?: readonly string[] | undefined;
  readonly maxAgeMs?: number | undefined;
  readonly maxDepth?: number | undefined;
}

const any2xx = (status: number) => status >= 200 && status < 300;

/** Back-pressure and accounting shared by both senders: waiters released once the backlog halves. */
abstract class Ov3SenderBase<E> implements Ov3Sender<E> {
  readonly stats = new DeliveryStats();
  private waiters: Array<() => void> = [];
  protected drainTimer: NodeJS.Timeout | undefined;

  constructor(protected readonly o: Ov3SenderOptions) {}

  abstract render(fact: Fact, emit: (e: E) => void): void;
  abstract nameOf(e: E): string;
  abstract submit(e: E, due: number): void;
  abstract shutdown(): Promise<void>;
  abstract limitDrain(ms: number): void;
  abstract abort(): Promise<void>;

  get backlog(): number {
    return this.stats.pending;
  }

  take(facts: readonly Fact[], summary: RunSummary): void | Promise<void> {
    for (const fact of facts)
      this.render(fact, (e) => {
        summary.count(this.nameOf(e), fact.at);
        this.submit(e, performance.now());
      });
    if (this.stats.pending <= this.o.highWaterMark) return;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  report(): DeliveryReport {
    return this.stats.report();
  }

  /** One send's end: counted, its latency kept when it was delivered, else dead-lettered. */
  protected settle(
    e: E,
    due: number,
    s: { attempts: number; cls: string; status?: number | undefined; history: readonly AttemptRecord[] },
  ): void {
    const stats = this.stats;
    stats.sent++;
    stats.attempts += s.attempts;
    if (s.attempts > 1) stats.retried++;
    for (let i = 1; i < s.attempts; i++) stats.countFailedAttempt(s.history[i - 1]?.outcome ?? s.cls);
    if (s.status !== undefined && (this.o.success ?? any2xx)(s.status)) {
      stats.delivered++;
      stats.recordLatency(performance.now() - due);
    } else {
      stats.countFailure(s.cls);
      stats.countFailedAttempt(s.cls);
      this.o.onAttemptFailed?.(s.cls);
      this.deadLetter(e, s.cls, s.history);
    }
    this.settled();
  }

  /** An event given up before it was sent: `closed` (ovsim stopped) is unsent, any other drop a failure. */
  protected dropped(e: E, reason: string, unsent: boolean): void {
    if (unsent) this.stats.unsent++;
    else this.stats.countFailure(reason);
    this.deadLetter(e, unsent ? `unsent: ${reason}` : reason, []);
    this.settled();
  }

  protected abstract letterOf(e: E): { sessionId: string | undefined; timestamp: number; body: string };

  private deadLetter(e: E, reason: string, attempts: readonly AttemptRecord[]): void {
    const d = this.o.deadLetter;
    if (d === undefined) return;
    d.write({ event: this.nameOf(e), reason, attempts, ...this.letterOf(e) });
  }

  private settled(): void {
    if (this.waiters.length === 0 || this.stats.pending > this.o.highWaterMark / 2) return;
    const list = this.waiters;
    this.waiters = [];
    for (const resolve of list) resolve();
  }
}

/**
 * LiveKit (`--server openvidu3`): LivekitNotifier over its URLs, signed with the API key's secret. With several URLs
 * each URL's copy of an event is one delivery in the report (LiveKit sends, retries and drops them apart).
 */
export class LivekitRunSender extends Ov3SenderBase<WebhookEvent> {
  private readonly renderer: (fact: Fact, emit: (e: WebhookEvent) => void) => void;
  private readonly notifier: LivekitNotifier;
  private readonly urls: readonly string[];
  /** Due instant and virtual time of each queued event (the notifier hands the event back). */
  private readonly queued = new WeakMap<WebhookEvent, { due: number; at: number }>();

  constructor(o: Ov3SenderOptions, credentials: { readonly apiKey: string; readonly apiSecret: string }) {
    super(o);
    this.renderer = livekitEvents(o.server);
    const lk = o.livekit ?? {};
    this.urls = lk.urls !== undefined && lk.urls.length > 0 ? lk.urls : [o.url];
    this.notifier = new LivekitNotifier({
      urls: this.urls,
      ...(lk.includeEvents === undefined ? {} : { includeEvents: lk.includeEvents }),
      ...(lk.excludeEvents === undefined ? {} : { excludeEvents: lk.excludeEvents }),
      ...(lk.maxAgeMs === undefined ? {} : { maxAgeMs: lk.maxAgeMs }),
      ...(lk.maxDepth === undefined ? {} : { maxDepth: lk.maxDepth }),
      encode: livekitEncoder({ ...credentials, spaceAfterComma: o.server.livekit.spaceAfterComma }),
      onRecord: (r) => this.record(r),
      ...(o.connections === undefined ? {} : { connections: o.connections }),
      ...(o.timeoutMs === undefined ? {} : { requestTimeoutMs: o.timeoutMs }),
    });
  }

  render(fact: Fact, emit: (e: WebhookEvent) => void): void {
    this.renderer(fact, (e) => {
      this.queued.set(e, { due: 0, at: fact.at });
      emit(e);
    });
  }

  nameOf(e: WebhookEvent): string {
    return e.event ?? '';
  }

  submit(e: WebhookEvent, due: number): void {
    this.stats.events += this.urls.length;
    const lk = this.o.livekit;
    if (!isAllowed(e.event ?? '', lk?.includeEvents, lk?.excludeEvents)) {
      this.stats.filtered += this.urls.length;
      return;
    }
    this.queued.set(e, { due, at: this.queued.get(e)?.at ?? 0 });
    this.notifier.notify(e);
  }

  /** Per URL: offered, sent, failed and LiveKit's silent drops. */
  urlReports(): UrlReport[] {
    return this.notifier.reports();
  }

  private record(r: DeliveryRecord): void {
    if (r.outcome === 'dropped') return this.dropped(r.event, `dropped: ${r.reason}`, r.reason === 'closed');
    const send = r.send!;
    const status = send.last.kind === 'status' ? send.last.status : undefined;
    const due = this.queued.get(r.event)?.due ?? performance.now();
    this.settle(r.event, due, {
      attempts: send.attempts,
      cls: outcomeClass(send.last),
      status,
      history: send.history,
    });
  }

  protected letterOf(e: WebhookEvent) {
    const sessionId = e.room?.name ?? e.egressInfo?.roomName ?? e.ingressInfo?.roomName;
    const timestamp = this.queued.get(e)?.at ?? 0;
    return {
      sessionId,
      timestamp,
      body: marshalWebhookEvent(e, { spaceAfterComma: this.o.server.livekit.spaceAfterComma }),
    };
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
}

/** OpenVidu Meet (`--server meet`): every event dispatched at once, each retrying on its own. */
export class MeetRunSender extends Ov3SenderBase<MeetEvent> {
  private readonly renderer: (fact: Fact, emit: (e: MeetEvent) => void) => void;
  private readonly sender: MeetWebhookSender;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(o: Ov3SenderOptions, apiKey: string) {
    super(o);
    this.renderer = meetEvents(o.server);
    this.sender = new MeetWebhookSender({
      urls: [o.url],
      apiKey,
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    });
  }

  render(fact: Fact, emit: (e: MeetEvent) => void): void {
    this.renderer(fact, emit);
  }

  nameOf(e: MeetEvent): string {
    return e.event;
  }

  submit(e: MeetEvent, due: number): void {
    this.stats.events++;
    if (this.stop.signal.aborted) return this.dropped(e, 'closed', true);
    const p = this.sender
      .send(e.event, e.creationDate, e.data, this.stop.signal)
      .then((results) => this.record(e, results, due));
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private record(e: MeetEvent, results: readonly MeetDelivery[], due: number): void {
    for (const r of results) {
      const status = typeof r.last === 'number' ? r.last : undefined;
      const cls = status === undefined ? String(r.last) : `status ${status}`;
      this.settle(e, due, { attempts: r.attempts, cls, status, history: r.history });
    }
  }

  protected letterOf(e: MeetEvent) {
    return {
      sessionId: (e.data as { roomId?: string }).roomId,
      timestamp: e.creationDate,
      body: meetWebhookBody(e.event, e.creationDate, e.data),
    };
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
}
