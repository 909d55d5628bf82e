/**
 * What the page's WebHook panel shows: whether a WebHook endpoint is configured, and the last deliveries — what was
 * sent and what the endpoint answered. The sender reports into it; the feed forwards each record to the page.
 */

/** One POST to the WebHook endpoint as the page shows it. */
export interface WebhookDelivery {
  /** The event's seq in the event log. */
  readonly seq: number;
  readonly event: string;
  /** Attempt number, 1-based. */
  readonly attempt: number;
  /** `200`, `500`, `timeout`, `refused`… */
  readonly outcome: string;
  readonly ok: boolean;
  /** Wall time from send to answer, ms. */
  readonly latencyMs: number;
}

export interface WebhookStatus {
  readonly configured: boolean;
  readonly endpoint: string | null;
  /** Why it is not configured, or what to set. */
  readonly note: string;
  readonly delivered: number;
  readonly failed: number;
  readonly recent: readonly WebhookDelivery[];
}

/** Deliveries kept for the panel. */
const RECENT = 200;

export class WebhookPanel {
  private readonly recent: WebhookDelivery[] = [];
  private delivered = 0;
  private failed = 0;
  private readonly listeners = new Set<(d: WebhookDelivery) => void>();

  /** @param endpoint the WebHook URL, or undefined when none is configured */
  constructor(
    private readonly endpoint: string | undefined,
    private readonly note = endpoint
      ? 'Each event is POSTed to the endpoint as OpenVidu does.'
      : 'No WebHook endpoint configured: start ovsim serve with --webhook-endpoint URL (or OPENVIDU_WEBHOOK_ENDPOINT).',
  ) {}

  status(): WebhookStatus {
    return {
      configured: this.endpoint !== undefined,
      endpoint: this.endpoint ?? null,
      note: this.note,
      delivered: this.delivered,
      failed: this.failed,
      recent: [...this.recent],
    };
  }

  /** Records one delivery attempt and tells the listeners (the feed). */
  record(d: WebhookDelivery): void {
    if (d.ok) this.delivered++;
    else this.failed++;
    this.recent.push(d);
    if (this.recent.length > RECENT) this.recent.shift();
    for (const l of this.listeners) l(d);
  }

  onDelivery(listener: (d: WebhookDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
