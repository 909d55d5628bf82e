/**
 * The bytes and headers livekit-server sends for one event: the protojson body (in the build's spacing variant)
 * and, signed at send time, the `Authorization` JWT with `content-type` and `User-Agent`.
 */
import { marshalWebhookEvent } from '../model/livekit/protojson-writer.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import { livekitWebhookHeaders, signLivekitWebhook } from './livekit-signing.js';

export interface LivekitEncoderOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The `detrand` variant of the imitated build; default false (`,"`). */
  readonly spaceAfterComma?: boolean;
  /** Wall clock for the JWT times, ms. */
  readonly now?: () => number;
}

export function livekitEncoder(
  o: LivekitEncoderOptions,
): (event: WebhookEvent) => { body: Uint8Array; headers: readonly string[] } {
  const now = o.now ?? Date.now;
  return (event) => {
    const body = new TextEncoder().encode(
      marshalWebhookEvent(event, { spaceAfterComma: o.spaceAfterComma ?? false }),
    );
    return { body, headers: livekitWebhookHeaders(signLivekitWebhook(body, o.apiKey, o.apiSecret, now())) };
  };
}
