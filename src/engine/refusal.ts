/**
 * Refusals: a command OpenVidu would refuse, with the reason code of the rule it breaks (model/refusals.ts). The
 * engine only says why; each edge decides how to answer (the server's table maps reasons to HTTP statuses).
 */
import { OvsimError, withoutStack } from '../errors.js';
import type { RefusalReason } from '../model/refusals.js';
import type { Action } from '../model/commands.js';

/** Thrown inside a step by `Step.refuse`; the driver turns it into an ActionRefused naming the command. */
export class Refusal extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.name = 'Refusal';
    this.reason = reason;
  }
}

/** An action OpenVidu would refuse; `origin` is what the caller attached (e.g. the scenario step). */
export class ActionRefused extends OvsimError {
  readonly reason: RefusalReason;
  readonly origin: unknown;
  readonly action: Action;
  constructor(action: Action, origin: unknown, refusal: Refusal) {
    super(refusal.reason === 'not-found' ? 'NOT_FOUND' : 'REFUSED', refusal.message);
    this.name = 'ActionRefused';
    this.reason = refusal.reason;
    this.origin = origin;
    this.action = action;
  }
}

/** The refusal of `action` (made without a stack trace: a generated run meets thousands). */
export function actionRefused(action: Action, origin: unknown, refusal: Refusal): ActionRefused {
  return withoutStack(() => new ActionRefused(action, origin, refusal));
}
