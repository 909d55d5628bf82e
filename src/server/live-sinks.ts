/**
 * Connects the live simulation to the sinks OpenVidu has: the CDR file (OPENVIDU_CDR, OPENVIDU_CDR_PATH) and the
 * WebHook sender (OPENVIDU_WEBHOOK, OPENVIDU_WEBHOOK_ENDPOINT…), the sender's every attempt reported to the page's
 * WebHook panel through a transport that watches what the real one answers.
 */
import type { OpenviduConfig } from '../config/openvidu-config.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';
import { CdrFileSink } from '../sinks/cdr-file.js';
import { outcomeClass, WireExactTransport, type Outcome, type Transport } from '../sinks/http-transport.js';
import { OpenviduWebhookSender } from '../sinks/webhook-openvidu.js';
import type { LiveSimulation } from './live-simulation.js';
import type { WebhookPanel } from './webhook-panel.js';

export interface LiveSinksOptions {
  readonly config: OpenviduConfig;
  readonly panel: WebhookPanel;
  /** Virtual server start, ms since the epoch (names the CDR file). */
  readonly serverStart: number;
  readonly profile: Profile;
  /** Transport under the reporting wrapper; default OpenVidu's wire-exact one on the endpoint. */
  readonly transport?: Transport | undefined;
  /**
   * OpenVidu 3 PRO's v2-compatibility module: what it sends of each event (undefined: nothing), in the field set of
   * `profile` whatever version a loaded scenario names (the module writes the last 2.x release's). Default: OpenVidu 2,
   * every event as the simulation logged it.
   */
  readonly degrade?: ((event: CdrEvent) => CdrEvent | undefined) | undefined;
}

export interface LiveSinks {
  /** The CDR file being written now (a new one after a load changes the OpenVidu version or edition). */
  readonly cdr: CdrFileSink | undefined;
  /** The sender of the current OpenVidu version and edition. */
  readonly webhook: OpenviduWebhookSender | undefined;
  /** Lets the WebHook queues drain for at most `deadlineMs`, then closes the CDR file. */
  close(deadlineMs: number): Promise<void>;
}

/** Deliveries awaiting their POST, matched by body; older ones are forgotten past this many. */
const MAX_PENDING = 10_000;
/** Wall ms a replaced sender may go on delivering what was queued before the switch. */
const RETIRE_DEADLINE_MS = 10_000;

/** One OpenVidu "run": the CDR file and the sender of one version and edition. */
interface SinkSet {
  readonly profile: Profile;
  readonly cdr: CdrFileSink | undefined;
  readonly webhook: OpenviduWebhookSender | undefined;
}

/**
 * Attaches the sinks the configuration turns on. Loading a scenario (or a reset) that changes the OpenVidu version or
 * edition is a new OpenVidu server: its lines get the new field set, in a new CDR file named after the new start,
 * while the old sender drains what it already queued.
 */
export function attachLiveSinks(sim: LiveSimulation, o: LiveSinksOptions): LiveSinks {
  const pending: { text: string; seq: number }[] = [];
  const build = (profile: Profile, serverStart: number): SinkSet => {
    const cdr = o.config.cdr ? new CdrFileSink({ dir: o.config.cdrPath, serverStart, profile }) : undefined;
    let webhook: OpenviduWebhookSender | undefined;
    if (o.config.webhook) {
      const inner = o.transport ?? new WireExactTransport(o.config.webhookEndpoint, { timeoutMs: 10_000 });
      webhook = new OpenviduWebhookSender({
        endpoint: o.config.webhookEndpoint,
        headers: o.config.webhookHeaders,
        events: o.config.webhookEvents,
        profile,
        transport: new ReportingTransport(inner, o.panel, pending),
      });
    }
    return { profile, cdr, webhook };
  };
  let current = build(o.profile, o.serverStart);
  const retiring = new Set<OpenviduWebhookSender>();

  const removeSink = sim.addSink((batch, entries) => {
    current.cdr?.writeBatch(batch);
    const webhook = current.webhook;
    if (!webhook) return;
    batch.events.forEach((logged, i) => {
      const event = o.degrade ? o.degrade(logged) : logged;
      if (event === undefined) return;
      const text = o.degrade ? current.profile.serializeWebhook(event) : entries[i]?.webhook;
      if (text !== undefined && text !== null && entries[i] !== undefined) {
        pending.push({ text, seq: entries[i].seq });
        if (pending.length > MAX_PENDING) pending.shift();
      }
      void webhook.enqueue(event);
    });
  });
  const unsubscribe = sim.subscribe((m) => {
    if (m.type !== 'reset' || o.degrade) return;
    const next = sim.currentProfile;
    if (next.version === current.profile.version && next.edition === current.profile.edition) return;
    const old = current;
    // A transport given by the caller is shared by every set: only the last close may destroy it.
    current = build(next, m.state.clock.virtualNow);
    old.cdr?.close();
    const sender = old.webhook;
    if (sender && o.transport === undefined) {
      retiring.add(sender);
      void sender
        .shutdown(RETIRE_DEADLINE_MS)
        .catch(() => undefined)
        .finally(() => retiring.delete(sender));
    }
  });
  return {
    get cdr() {
      return current.cdr;
    },
    get webhook() {
      return current.webhook;
    },
    async close(deadlineMs) {
      removeSink();
      unsubscribe();
      const senders = [...retiring, ...(current.webhook ? [current.webhook] : [])];
      await Promise.all(senders.map((w) => w.shutdown(deadlineMs).catch(() => undefined)));
      current.cdr?.close();
    },
  };
}

/** Passes POSTs through and tells the panel each outcome, with the event's log seq and attempt number. */
class ReportingTransport implements Transport {
  private lastSeq = 0;
  private attempt = 0;

  constructor(
    private readonly inner: Transport,
    private readonly panel: WebhookPanel,
    private readonly pending: { text: string; seq: number }[],
  ) {}

  async post(body: Buffer, headers: readonly string[]): Promise<Outcome> {
    const text = body.toString('utf8');
    const seq = this.seqOf(text);
    this.attempt = seq !== 0 && seq === this.lastSeq ? this.attempt + 1 : 1;
    this.lastSeq = seq;
    const t0 = performance.now();
    const outcome = await this.inner.post(body, headers);
    const event = /"event":"([A-Za-z]+)"\}$/.exec(text)?.[1] ?? 'unknown';
    this.panel.record({
      seq,
      event,
      attempt: this.attempt,
      outcome: outcome.kind === 'status' ? String(outcome.status) : outcomeClass(outcome),
      ok: outcome.kind === 'status' && outcome.status === 200,
      latencyMs: Math.round((performance.now() - t0) * 10) / 10,
    });
    return outcome;
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  /** The sender posts in log order, skipping filtered events: the first pending entry with this body is it. */
  private seqOf(text: string): number {
    const i = this.pending.findIndex((p) => p.text === text);
    if (i < 0) return this.lastSeq; // a retry of the last one
    const seq = this.pending[i]!.seq;
    this.pending.splice(0, i + 1);
    return seq;
  }
}
