/**
 * Connects the live simulation to the sinks OpenVidu has: the CDR file (OPENVIDU_CDR, OPENVIDU_CDR_PATH) and the
 * WebHook sender (OPENVIDU_WEBHOOK, OPENVIDU_WEBHOOK_ENDPOINT…), the sender's every attempt reported to the page's
 * WebHook panel through a transport that watches what the real one answers.
 */
import type { OpenviduConfig } from '../config/openvidu-config.js';
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
}

export interface LiveSinks {
  readonly cdr: CdrFileSink | undefined;
  readonly webhook: OpenviduWebhookSender | undefined;
  /** Lets the WebHook queue drain for at most `deadlineMs`, then closes the CDR file. */
  close(deadlineMs: number): Promise<void>;
}

/** Deliveries awaiting their POST, matched by body; older ones are forgotten past this many. */
const MAX_PENDING = 10_000;

export function attachLiveSinks(sim: LiveSimulation, o: LiveSinksOptions): LiveSinks {
  const cdr = o.config.cdr
    ? new CdrFileSink({ dir: o.config.cdrPath, serverStart: o.serverStart, profile: o.profile })
    : undefined;
  let webhook: OpenviduWebhookSender | undefined;
  const pending: { text: string; seq: number }[] = [];
  if (o.config.webhook) {
    const inner = o.transport ?? new WireExactTransport(o.config.webhookEndpoint, { timeoutMs: 10_000 });
    webhook = new OpenviduWebhookSender({
      endpoint: o.config.webhookEndpoint,
      headers: o.config.webhookHeaders,
      events: o.config.webhookEvents,
      profile: o.profile,
      transport: new ReportingTransport(inner, o.panel, pending),
    });
  }
  const remove = sim.addSink((batch, entries) => {
    cdr?.writeBatch(batch);
    if (!webhook) return;
    for (const e of entries) {
      if (e.webhook === null) continue;
      pending.push({ text: e.webhook, seq: e.seq });
      if (pending.length > MAX_PENDING) pending.shift();
    }
    for (const event of batch.events) void webhook.enqueue(event);
  });
  return {
    cdr,
    webhook,
    async close(deadlineMs) {
      remove();
      await webhook?.shutdown(deadlineMs);
      cdr?.close();
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
