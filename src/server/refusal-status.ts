/**
 * The HTTP status of each refusal reason: what OpenVidu's REST API answers when it refuses the same thing (and the
 * page's control API alike). The one place refusals become HTTP; the engine only says why (model/refusals.ts).
 */
import type { RefusalReason } from '../model/refusals.js';
import { ActionRefused } from '../engine/engine.js';

export const REFUSAL_STATUS: { readonly [R in RefusalReason]: number } = {
  'server-stopped': 503,
  'needs-pro': 400,
  'needs-enterprise': 400,
  'not-found': 404,
  'handle-in-use': 409,
  'session-id-in-use': 409,
  'connection-id-in-use': 409,
  'invalid-argument': 400,
  'no-media-node': 503,
  'node-unavailable': 409,
  'ipcam-publishes-on-join': 409,
  'already-publishing': 409,
  'not-connected': 409,
  'role-cannot-publish': 401,
  'ipcam-cannot-unpublish': 405,
  'not-publishing': 409,
  'ipcam-cannot-subscribe': 409,
  'self-subscription': 409,
  'different-sessions': 409,
  'already-subscribed': 409,
  'not-subscribed': 409,
  'already-recording': 409,
  'no-participants': 406,
  'recording-without-media': 422,
  'still-starting': 406,
  'recording-not-started': 409,
  'recording-stuck': 500,
  'connection-lost': 409,
  'not-in-session': 409,
  'recipient-not-in-session': 406,
  'ipcam-cannot-signal': 409,
  'nobody-to-signal': 406,
  'no-stream': 409,
  'already-broadcasting': 409,
  'not-broadcasting': 409,
  'master-node-registered': 409,
  'illegal-transition': 409,
  'patch-not-allowed': 409,
  'node-not-removable': 409,
  'node-hosts-sessions': 409,
  'node-not-running': 409,
  'node-already-crashed': 409,
};

/** The HTTP status an error is answered with: a refusal's by its reason, any other OvsimError's its own. */
export function httpStatusOf(err: { readonly status: number }): number {
  return err instanceof ActionRefused ? REFUSAL_STATUS[err.reason] : err.status;
}
