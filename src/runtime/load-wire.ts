/**
 * What a load test sends, and through which sender: the wire of the server imitated.
 *
 * - OpenVidu 2 (and OpenVidu 3 PRO's v2-compatibility module, which sends OpenVidu 2 bodies): load's concurrent
 *   sender (LoadDelivery), with `--chaos`/`--journal` in front of it;
 * - OpenVidu 3 (LiveKit) and OpenVidu Meet: their own senders (ov3-senders.ts) — LiveKit's per-resource queues,
 *   retry schedule and silent drops, Meet's HMAC dispatcher — fed at the plan's rate.
 *
 * LoadRun paces items and never looks inside them; the wire turns each engine batch into its items (once per batch,
 * in order: the OpenVidu 3 renderers keep state) and owns the sinks that record their fate.
 */
import { OvsimError } from '../errors.js';
import type { Batch } from '../engine/engine.js';
import type { CdrEvent } from '../model/catalogue.js';
import { livekitEvents, meetEvents, v2compatEvent } from '../model/ov3/server-wire.js';
import { Profile } from '../model/profile.js';
import { DEFAULT_VERSION } from '../model/version.js';
import { NO_CHAOS, retriesScheduled, type ChaosSpec } from '../sinks/chaos-spec.js';
import { ChaosStage, type ChaosReport } from '../sinks/chaos-stage.js';
import { DeadLetterFile } from '../sinks/dead-letter.js';
import type { DeliveryReport } from '../sinks/delivery-stats.js';
import type { UrlReport } from '../sinks/livekit-notifier.js';
import type { JournalFile } from '../sinks/journal-file.js';
import { openJournal } from '../sinks/journal-header.js';
import { UndiciTransport } from '../sinks/undici-transport.js';
import { LoadDelivery, type RetryPolicy } from '../sinks/webhook-load.js';
import { WebhookSigner } from '../sinks/webhook-signing.js';
import { NO_RETRY, OPENVIDU_RETRY } from './load-plan.js';
import type { LoadOptions, LoadProgressSource, LoadResult } from './load-types.js';
import { LivekitRunSender, MeetRunSender, type Ov3Sender } from './ov3-senders.js';

export interface LoadWire<T> {
  /** The items a batch sends, in order. Call once per batch, in the order the batches come. */
  items(batch: Batch): readonly T[];
  /** Queues one item due at `due` (wall, performance.now()); `at`: its instant on the chaos plan's clock. */
  submit(item: T, due: number, at: number): void;
  /** Items not yet settled: in the sender, and held by the chaos plan. */
  readonly backlog: number;
  readonly progress: LoadProgressSource;
  /** Largest retry delay taken on virtual time instead of waited (speed max), ms. */
  readonly virtualRetryMs: number;
  /** Gives up what is not settled `ms` from now. */
  limitDrain(ms: number): void;
  /** Gives up everything not delivered at once. */
  abort(): Promise<void>;
  /** Waits for every item's fate (within `limitDrain`'s deadline once set). */
  finish(): Promise<void>;
  /** Closes the files (journal, dead letters) once the test is over. */
  close(end: LoadResult['end']): void;
  report(): DeliveryReport;
  chaos(): ChaosReport | undefined;
  readonly deadLetter: DeadLetterFile | undefined;
  readonly journalPath: string | undefined;
  /** LiveKit: per-URL counts. */
  urlReports(): UrlReport[] | undefined;
}

/** A fresh counter of the items of batches (the dry run that sizes a session), independent of the wire's state. */
export type ItemCounter = (batch: Batch) => number;

/**
 * Opens the wire of `o.settings.server`: its sinks, and its sender.
 * @throws OvsimError BAD_INPUT when the dead-letter file, the journal or the secret cannot be used
 */
export function openLoadWire(
  o: LoadOptions,
  planned: boolean,
  onFailure: (f: OvsimError) => void,
): LoadWire<unknown> {
  const deadLetter = o.deadLetterPath === undefined ? undefined : new DeadLetterFile(o.deadLetterPath);
  if (deadLetter) deadLetter.onFailure = onFailure;
  try {
    const kind = o.settings.server.kind;
    if (kind === 'openvidu3' || kind === 'meet')
      return new Ov3Wire(openOv3LoadSender(o, deadLetter), deadLetter) as LoadWire<unknown>;
    return new Ov2Wire(o, planned, deadLetter, onFailure) as LoadWire<unknown>;
  } catch (e) {
    deadLetter?.close();
    throw e;
  }
}

/** Counts what a batch sends under `o`'s server, with renderers of its own. */
export function itemCounter(o: LoadOptions): ItemCounter {
  const kind = o.settings.server.kind;
  if (kind === 'openvidu3' || kind === 'meet') {
    const render = kind === 'meet' ? meetEvents(o.settings.server) : livekitEvents(o.settings.server);
    return (batch) => {
      let n = 0;
      for (const fact of batch.facts ?? []) render(fact, () => n++);
      return n;
    };
  }
  const events = ov2Events(o);
  return (batch) => events(batch).filter((e) => o.config.webhookEvents.has(e.name)).length;
}

/** The OpenVidu 2 events a batch sends: its own, or those the v2-compatibility module makes of its facts. */
function ov2Events(o: LoadOptions): (batch: Batch) => readonly CdrEvent[] {
  const server = o.settings.server;
  const profile = wireProfile(o);
  if (server.kind !== 'openvidu3-v2compat') return (b) => b.events.filter((e) => profile.has(e.name));
  return (b) => {
    const out: CdrEvent[] = [];
    for (const fact of b.facts ?? []) {
      const e = v2compatEvent(server, fact);
      if (e && profile.has(e.name)) out.push(e);
    }
    return out;
  };
}

/** The profile of the OpenVidu 2 bodies: the v2-compatibility module writes those of the last 2.x release. */
function wireProfile(o: LoadOptions): Profile {
  return o.settings.server.kind === 'openvidu3-v2compat'
    ? new Profile(DEFAULT_VERSION, o.settings.profile.edition)
    : o.settings.profile;
}

/** The sender's own retry under `--chaos`: none when the chaos layer retries on its schedule (or `retry=none`). */
function senderRetry(retry: RetryPolicy, spec: ChaosSpec | undefined): RetryPolicy {
  if (spec === undefined) return retry;
  if (retriesScheduled(spec.retry) || spec.retry.kind === 'none') return NO_RETRY;
  return spec.retry.kind === 'openvidu' ? OPENVIDU_RETRY : retry;
}

function acceptOf(accept: '200' | '2xx'): (status: number) => boolean {
  return accept === '2xx' ? (s) => s >= 200 && s < 300 : (s) => s === 200;
}

/** OpenVidu 2 bodies through load's sender, with the chaos stage in front when asked. */
class Ov2Wire implements LoadWire<CdrEvent> {
  readonly items: (batch: Batch) => readonly CdrEvent[];
  readonly delivery: LoadDelivery;
  private readonly stage: ChaosStage | undefined;
  private readonly journal: JournalFile | undefined;

  constructor(
    o: LoadOptions,
    planned: boolean,
    readonly deadLetter: DeadLetterFile | undefined,
    onFailure: (f: OvsimError) => void,
  ) {
    const connections = Math.max(1, o.connections ?? 50);
    const signer = o.signSecret === undefined ? undefined : new WebhookSigner(o.signSecret);
    this.journal = o.journal ? openJournal(o.journal.path, o.journal.header) : undefined;
    if (this.journal) this.journal.onFailure = onFailure;
    // `--journal` without `--chaos`: every request journaled, nothing injected.
    const spec = o.chaos ?? (this.journal ? NO_CHAOS : undefined);
    // undici Clients, one keep-alive connection per lane (TLS trusting any certificate, as OpenVidu does).
    const transport =
      o.transport ??
      new UndiciTransport(o.config.webhookEndpoint, { connections, timeoutMs: o.timeoutMs ?? 10_000 });
    const speed = o.speed ?? 'max';
    const profile = wireProfile(o);
    const delivery = new LoadDelivery({
      transport,
      connections,
      profile,
      events: o.config.webhookEvents,
      headers: o.config.webhookHeaders,
      retry: senderRetry(o.retry, spec),
      retryTimeScale: !planned && speed === 'max' ? 0 : 1,
      signer,
      deadLetter,
      success: spec?.accept === undefined ? o.success : acceptOf(spec.accept),
      onSettled: o.onSettled,
      onAttemptFailed: o.onAttemptFailed,
    });
    this.delivery = delivery;
    this.stage = spec
      ? new ChaosStage({
          spec,
          seed: String(o.settings.seed),
          profile,
          events: o.config.webhookEvents,
          send: (event, tag, intendedAt) => delivery.submit(event, intendedAt, tag),
          // A rate plan's clock is the wall clock; a paced test's, virtual time.
          scale: planned ? 1 : speed === 'max' ? 0 : 1 / speed,
          journal: this.journal,
        })
      : undefined;
    this.items = ov2Events(o);
  }

  submit(e: CdrEvent, due: number, at: number): void {
    if (this.stage) void this.stage.offer(e, at, due);
    else this.delivery.submit(e, due);
  }

  get backlog(): number {
    return this.delivery.backlog + (this.stage?.held ?? 0);
  }

  get progress(): LoadProgressSource {
    return this.delivery;
  }

  get virtualRetryMs(): number {
    return this.delivery.virtualRetryMs;
  }

  get journalPath(): string | undefined {
    return this.journal?.path;
  }

  limitDrain(ms: number): void {
    this.stage?.limitDrain(ms);
    this.delivery.limitDrain(ms);
  }

  async abort(): Promise<void> {
    this.stage?.abort();
    await this.delivery.abort();
  }

  async finish(): Promise<void> {
    await this.stage?.finish();
    await this.delivery.shutdown();
  }

  close(end: LoadResult['end']): void {
    this.stage?.close(end);
    this.deadLetter?.close();
  }

  report(): DeliveryReport {
    return this.delivery.stats.report();
  }

  chaos(): ChaosReport | undefined {
    return this.stage?.report();
  }

  urlReports(): undefined {
    return undefined;
  }
}

/** LiveKit's notifier or Meet's dispatcher, fed item by item at the plan's due times. */
class Ov3Wire<E> implements LoadWire<E> {
  readonly journalPath = undefined;

  constructor(
    private readonly sender: Ov3Sender<E>,
    readonly deadLetter: DeadLetterFile | undefined,
  ) {}

  items(batch: Batch): readonly E[] {
    const out: E[] = [];
    for (const fact of batch.facts ?? []) this.sender.render(fact, (e) => out.push(e));
    return out;
  }

  submit(e: E, due: number): void {
    this.sender.submit(e, due);
  }

  get backlog(): number {
    return this.sender.backlog;
  }

  get progress(): LoadProgressSource {
    return this.sender;
  }

  get virtualRetryMs(): number {
    return 0;
  }

  limitDrain(ms: number): void {
    this.sender.limitDrain(ms);
  }

  abort(): Promise<void> {
    return this.sender.abort();
  }

  finish(): Promise<void> {
    return this.sender.shutdown();
  }

  close(): void {
    this.deadLetter?.close();
  }

  report(): DeliveryReport {
    return this.sender.report();
  }

  chaos(): undefined {
    return undefined;
  }

  urlReports(): UrlReport[] | undefined {
    return this.sender.urlReports?.();
  }
}

/**
 * The OpenVidu 3 sender of a load test: its own retry schedule and signature, load's connections, timeout and success
 * statuses. @throws OvsimError BAD_INPUT when its credentials are missing
 */
function openOv3LoadSender(o: LoadOptions, deadLetter: DeadLetterFile | undefined): Ov3Sender<unknown> {
  const kind = o.settings.server.kind;
  const options = {
    server: o.settings.server,
    url: o.config.webhookEndpoint,
    highWaterMark: Infinity,
    onAttemptFailed: o.onAttemptFailed,
    deadLetter,
    success: o.success,
    connections: Math.max(1, o.connections ?? 50),
    timeoutMs: o.timeoutMs,
    livekit: o.livekit,
  };
  const c = o.credentials;
  if (kind === 'meet') {
    if (c?.apiKey === undefined) throw new OvsimError('BAD_INPUT', '--server meet: the API key is missing');
    return new MeetRunSender(options, c.apiKey) as Ov3Sender<unknown>;
  }
  if (c?.apiSecret === undefined)
    throw new OvsimError('BAD_INPUT', '--server openvidu3: the API key and secret are missing');
  return new LivekitRunSender(options, { apiKey: c.apiKey, apiSecret: c.apiSecret }) as Ov3Sender<unknown>;
}
