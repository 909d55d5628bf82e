/**
 * `serve --server openvidu3`'s WebHook sender: LiveKit's notifier (per-room FIFO queues, egress and ingress queues
 * apart, signed JWT, retries on network errors and 5xx, a 4xx counted as sent) fed with the live simulation's
 * LiveKit events. Each event's fate goes to the page's WebHook panel: a 4xx that LiveKit counts as sent is a refusal
 * there, and what LiveKit drops without telling anyone is shown as dropped.
 */
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import type { LivekitProfile } from '../model/ov3/livekit-profile.js';
import { livekitEncoder } from '../sinks/livekit-encoder.js';
import { LivekitNotifier, type DeliveryRecord } from '../sinks/livekit-notifier.js';
import type { LiveSimulation } from './live-simulation.js';
import type { WebhookPanel } from './webhook-panel.js';

export interface LivekitSinkOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly panel: WebhookPanel;
  readonly livekit: LivekitProfile;
}

export interface LivekitSink {
  readonly notifier: LivekitNotifier;
  /** Lets the queues drain for at most `deadlineMs`, then drops what is left. */
  close(deadlineMs: number): Promise<void>;
}

export function attachLivekitSink(sim: LiveSimulation, o: LivekitSinkOptions): LivekitSink {
  const seqs = new WeakMap<WebhookEvent, { seq: number; queued: number }>();
  const notifier = new LivekitNotifier({
    urls: [o.url],
    encode: livekitEncoder({
      apiKey: o.apiKey,
      apiSecret: o.apiSecret,
      spaceAfterComma: o.livekit.spaceAfterComma,
    }),
    onRecord: (r) => o.panel.record(deliveryOf(r, seqs.get(r.event))),
  });
  const remove = sim.onLivekitEvent((e, entry) => {
    seqs.set(e, { seq: entry.seq, queued: performance.now() });
    notifier.notify(e);
  });
  return {
    notifier,
    async close(deadlineMs) {
      remove();
      const timer = setTimeout(() => void notifier.close(true), deadlineMs);
      try {
        await notifier.close(false);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** One event's fate as the panel shows it: `seq` is the LiveKit event's, latency from queueing to the last answer. */
function deliveryOf(r: DeliveryRecord, from: { seq: number; queued: number } | undefined) {
  const latencyMs = from === undefined ? 0 : Math.round((performance.now() - from.queued) * 10) / 10;
  const base = { seq: from?.seq ?? 0, event: r.event.event ?? 'unknown', latencyMs };
  if (r.outcome === 'dropped' || r.send === undefined)
    return { ...base, attempt: 0, outcome: `dropped: ${r.reason ?? 'unknown'}`, ok: false };
  const last = r.send.last;
  const outcome = last.kind === 'status' ? String(last.status) : last.message;
  const ok = last.kind === 'status' && last.status >= 200 && last.status < 300;
  return { ...base, attempt: r.send.attempts, outcome, ok };
}
