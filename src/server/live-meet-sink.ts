/**
 * `serve --server meet`'s WebHook sender: OpenVidu Meet's dispatcher (the body and `X-Signature` HMAC made once per
 * event, 300 ms doubling retries, any non-2xx a failure) fed with the Meet events of the live simulation's facts,
 * rendered as `generate --server meet` renders them. Each event's fate goes to the page's WebHook panel.
 */
import type { Fact } from '../model/facts.js';
import { meetEvents, type ServerSettings } from '../model/ov3/server-wire.js';
import { MeetWebhookSender } from '../sinks/meet-webhook.js';
import type { LiveSimulation } from './live-simulation.js';
import type { WebhookPanel } from './webhook-panel.js';

export interface MeetSinkOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly panel: WebhookPanel;
  readonly server: ServerSettings;
}

export interface MeetSink {
  /** Lets the deliveries in flight finish for at most `deadlineMs`, then gives them up. */
  close(deadlineMs: number): Promise<void>;
}

export function attachMeetSink(sim: LiveSimulation, o: MeetSinkOptions): MeetSink {
  const render = meetEvents(o.server);
  const sender = new MeetWebhookSender({ urls: [o.url], apiKey: o.apiKey });
  const stop = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let seq = 0;
  const send = (fact: Fact) =>
    render(fact, (e) => {
      const n = ++seq;
      const queued = performance.now();
      const p = sender.send(e.event, e.creationDate, e.data, stop.signal).then((results) => {
        for (const r of results)
          o.panel.record({
            seq: n,
            event: e.event,
            attempt: r.attempts,
            outcome: typeof r.last === 'number' ? String(r.last) : r.last,
            ok: typeof r.last === 'number' && r.last >= 200 && r.last < 300,
            latencyMs: Math.round((performance.now() - queued) * 10) / 10,
          });
      });
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    });
  const remove = sim.addSink((batch) => {
    for (const fact of batch.facts ?? []) send(fact);
  });
  return {
    async close(deadlineMs) {
      remove();
      const timer = setTimeout(() => stop.abort(), deadlineMs);
      try {
        // Bounded: nothing is added once the sink is removed, and each send ends (at the latest when aborted).
        while (inFlight.size > 0) await Promise.all([...inFlight]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
