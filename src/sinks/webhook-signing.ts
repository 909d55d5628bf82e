/**
 * Signed delivery with Standard Webhooks headers (beyond OpenVidu 2): `webhook-id`, `webhook-timestamp`,
 * `webhook-signature` = `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed by a `whsec_` secret.
 */
import { Webhook } from 'standardwebhooks';
import { OvsimError } from '../errors.js';

export class WebhookSigner {
  private readonly wh: Webhook;

  /** @throws OvsimError BAD_INPUT naming `option` when the secret is not `whsec_<base64>` */
  constructor(secret: string, option = '--sign-secret') {
    if (!/^whsec_[A-Za-z0-9+/]+=*$/.test(secret)) {
      throw new OvsimError(
        'BAD_INPUT',
        `${option} must be a Standard Webhooks secret: whsec_ followed by base64`,
      );
    }
    try {
      this.wh = new Webhook(secret);
    } catch (e) {
      throw new OvsimError('BAD_INPUT', `${option}: ${(e as Error).message}`);
    }
  }

  /**
   * The three headers, flat `[name, value, …]`. `id` stays the same across retries of one event (receivers
   * de-duplicate on it); the timestamp is the wall clock of this attempt (receivers reject stale ones).
   */
  headers(id: string, body: string | Uint8Array, now: Date = new Date()): string[] {
    const ts = Math.floor(now.getTime() / 1000);
    return [
      'webhook-id',
      id,
      'webhook-timestamp',
      String(ts),
      'webhook-signature',
      this.wh.sign(
        id,
        now,
        typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length),
      ),
    ];
  }
}

/** Verifies Standard Webhooks headers; returns an error message or `undefined` when valid. */
export class WebhookVerifier {
  private readonly wh: Webhook;

  constructor(secret: string, option = '--verify-secret') {
    if (!/^whsec_[A-Za-z0-9+/]+=*$/.test(secret)) {
      throw new OvsimError(
        'BAD_INPUT',
        `${option} must be a Standard Webhooks secret: whsec_ followed by base64`,
      );
    }
    this.wh = new Webhook(secret);
  }

  verify(body: string, headers: Record<string, string | string[] | undefined>): string | undefined {
    const one = (k: string) => {
      const v = headers[k];
      return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
    };
    try {
      this.wh.verify(body, {
        'webhook-id': one('webhook-id'),
        'webhook-timestamp': one('webhook-timestamp'),
        'webhook-signature': one('webhook-signature'),
      });
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }
}
