/**
 * One validator per server imitated (`--server`): OpenVidu 2's CDR and WebHook rules (also for OpenVidu 3's
 * v2-compatibility module, with its restrictions), LiveKit's webhooks, or OpenVidu Meet's. They read lines the same
 * way and report the same diagnostics; each has its own summary.
 */
import type { ServerKind } from '../model/servers.js';
import { LivekitValidator, type LivekitSummary } from './livekit/livekit-validator.js';
import { MeetValidator, type MeetSummary } from './meet/meet-validator.js';
import type { Diagnostic } from './rules.js';
import { LifecycleValidator, type Summary, type ValidatorOptions } from './validate-lines.js';

/** A summary of any server's stream: `server` tells them apart (absent for OpenVidu 2). */
export type StreamSummary = Summary | LivekitSummary | MeetSummary;

export interface StreamValidator {
  push(line: string, lineNo: number, file: string, invalidUtf8?: string): Diagnostic[];
  pushTooLong(lineNo: number, file: string, bytes: number, limit: number, flag?: string): Diagnostic[];
  noteEmptyInput(file: string): Diagnostic[];
  finish(): Diagnostic[];
  summary(): StreamSummary;
}

export interface StreamValidatorOptions extends Omit<ValidatorOptions, 'server'> {
  /** The server whose stream it is; default `openvidu2`. */
  readonly server?: ServerKind;
}

/** @throws OvsimError `BAD_INPUT` for a version option the server does not have. */
export function createStreamValidator(opts: StreamValidatorOptions = {}): StreamValidator {
  const { server = 'openvidu2', ...rest } = opts;
  if (server === 'openvidu2' || server === 'openvidu3-v2compat')
    return new LifecycleValidator({ ...rest, server });
  const common = {
    ...(rest.events !== undefined ? { events: rest.events } : {}),
    ...(rest.destroyedMemory !== undefined ? { memory: rest.destroyedMemory } : {}),
    ...(rest.inputStartToleranceMs !== undefined
      ? { inputStartToleranceMs: rest.inputStartToleranceMs }
      : {}),
  };
  return server === 'openvidu3' ? new LivekitValidator(common) : new MeetValidator(common);
}
