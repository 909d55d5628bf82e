/**
 * What the lifecycle rules know of OpenVidu's behaviour beyond the wire layout (spec §2.2, §4, §8): which reasons
 * only a whole-session close produces, how `finalReason` maps leave reasons, and the media node status diagram.
 */

/**
 * Reasons that only a whole-session close produces (`closeSession`, spec §4.5, §4.7, §4.8): once one appears in a
 * session, every participant is being evicted with it and the session ends with it.
 */
export const SESSION_CLOSE_REASONS: ReadonlySet<string> = new Set([
  'sessionClosedByServer',
  'openviduServerStopped',
  'nodeCrashed',
  'mediaServerDisconnect',
]);

/** Leave reasons that `finalReason` maps to `lastParticipantLeft` (spec §2.2). */
export const LAST_PARTICIPANT_LEFT_REASONS: ReadonlySet<string> = new Set([
  'disconnect',
  'forceDisconnectByUser',
  'forceDisconnectByServer',
  'networkDisconnect',
]);

/**
 * Pro media node status diagram (spec §8): allowed `oldStatus → newStatus`; `null` is the entry point.
 */
export const MEDIA_NODE_TRANSITIONS: ReadonlyMap<string | null, readonly string[]> = new Map<
  string | null,
  readonly string[]
>([
  [null, ['launching']],
  ['launching', ['running', 'failed', 'canceled']],
  ['canceled', ['launching', 'terminating']],
  ['running', ['waiting-idle-to-terminate', 'terminating']],
  ['waiting-idle-to-terminate', ['running', 'terminating']],
  ['terminating', ['terminated']],
  ['failed', []],
  ['terminated', []],
]);
