/**
 * Why a simulated server refuses a command: one code per rule of OpenVidu's behaviour. The engine refuses with a
 * reason and a message for people; how a reason is answered on a wire (an HTTP status of the fake REST API, an exit
 * code of a scenario run) is the business of the edge that answers (src/server/refusal-status.ts).
 */
/** Every reason the engine refuses a command for (an ActionRefused's `reason`). */
export const REFUSAL_REASONS = [
  /** The server was stopped (`stopServer`): nothing more is possible. */
  'server-stopped',
  /** The command needs OpenVidu Pro (or Enterprise). */
  'needs-pro',
  /** The command needs OpenVidu Enterprise. */
  'needs-enterprise',
  /** No such entity, or no longer. */
  'not-found',
  /** A scenario handle already names a live or closed entity. */
  'handle-in-use',
  'session-id-in-use',
  'connection-id-in-use',
  /** A field that cannot be used as given (an RTSP URI on a WebRTC connection, a stream with neither audio nor video). */
  'invalid-argument',
  /** No media node can host a session. */
  'no-media-node',
  /** A pinned media node is not running. */
  'node-unavailable',
  'ipcam-publishes-on-join',
  'already-publishing',
  /** A participant whose media never connects (`join.connects: false`) cannot publish. */
  'not-connected',
  /** A SUBSCRIBER may not publish. */
  'role-cannot-publish',
  'ipcam-cannot-unpublish',
  'not-publishing',
  'ipcam-cannot-subscribe',
  'self-subscription',
  'different-sessions',
  'already-subscribed',
  'not-subscribed',
  'already-recording',
  /** Recording and broadcasting need someone connected. */
  'no-participants',
  /** A recording with neither audio nor video. */
  'recording-without-media',
  /** A recording cannot be stopped while its recorder is starting. */
  'still-starting',
  /** A recording that is not `started` cannot be stopped. */
  'recording-not-started',
  /** A recording stuck in `started` (its recorder hung, OpenVidu#433): OpenVidu's stop fails with 500. */
  'recording-stuck',
  /** A participant whose network dropped cannot act until OpenVidu evicts it. */
  'connection-lost',
  /** A signal's sender is not in the session. */
  'not-in-session',
  /** A signal's recipient is not in the session. */
  'recipient-not-in-session',
  'ipcam-cannot-signal',
  'nobody-to-signal',
  /** A filter needs a published stream. */
  'no-stream',
  'already-broadcasting',
  'not-broadcasting',
  'master-node-registered',
  /** A media node status change OpenVidu's status diagram does not have. */
  'illegal-transition',
  /** A status the REST API does not accept from the node's current one. */
  'patch-not-allowed',
  'node-not-removable',
  'node-hosts-sessions',
  'node-not-running',
  'node-already-crashed',
] as const;

/** Why a command was refused: one rule of OpenVidu's behaviour. */
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
