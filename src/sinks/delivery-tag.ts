/**
 * What a WebHook sender tells about one delivery it was handed with a tag: every request it made, and how the delivery
 * ended. The chaos layer (chaos-stage.ts) tags each copy and retry it hands over, to journal every request and to
 * retry on its own schedule; deliveries without a tag are the sender's business alone.
 */
import type { Outcome } from './http-transport.js';

/** One request of a tagged delivery. */
export interface AttemptReport {
  /** The sender's attempt number for this hand-over, 1-based (OpenVidu's sender retries network errors at once). */
  readonly n: number;
  /** performance.now() ms when the request started. */
  readonly startedAt: number;
  /** Its duration, ms. */
  readonly ms: number;
  readonly outcome: Outcome;
  /** The answer is a success by the sender's rule (200, or any 2xx). */
  readonly accepted: boolean;
  /** The sender makes no further request for this hand-over. */
  readonly last: boolean;
}

/**
 * How a hand-over ended: answered with a success, given up after its last request, never sent (the sender stopped
 * first), or never meant to be sent (the event filter).
 */
export type DeliveryFate = 'delivered' | 'failed' | 'unsent' | 'filtered';

export interface DeliveryTag {
  /** The Standard Webhooks `webhook-id` of a signed delivery: every copy and retry of an event has the same. */
  readonly messageId: string;
  /** Called after every request, before `settled`. */
  attempted(a: AttemptReport): void;
  /**
   * Called exactly once per hand-over; `reason` is the last request's class (`status 500`) or why it never went.
   * Returns whether the delivery ends here: false when the chaos layer sends it again (then it is not dead-lettered).
   */
  settled(fate: DeliveryFate, reason: string): boolean;
}
