/**
 * The commands the engine takes, as zod schemas: a scenario step's action, a click on the page, a REST call of the
 * fake OpenVidu API and a generated session's plan are all one of these. The TypeScript types are inferred from them
 * (`Action`, `ActionOf<'join'>`), the scenario parser and the control API validate with them, and
 * `npm run docs:generate` turns them into the JSON Schema of scenario files (`schema/scenario.schema.json`) and the
 * reference `docs/scenario-format.md`.
 */
import { z } from 'zod';
import { Duration } from './duration.js';
import { OUTPUT_MODES, RECORDING_LAYOUTS } from './wire-values.js';

/** A handle: the name a scenario gives an entity (`s1`, `alice`, `r1`). */
export const Handle = z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'a handle is letters, digits, _ . : or -');

export const OutputMode = z.enum(OUTPUT_MODES);
export const RecordingLayout = z.enum(RECORDING_LAYOUTS);
export const Resolution = z
  .string()
  .regex(/^\d{2,5}x\d{2,5}$/, 'a resolution is WIDTHxHEIGHT, e.g. 1280x720');

const RecordingOptions = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_\-~]+$/, 'a recording name is letters, digits, _ - or ~')
    .optional(),
  outputMode: OutputMode.optional(),
  hasAudio: z.boolean().optional(),
  hasVideo: z.boolean().optional(),
  resolution: Resolution.optional(),
  frameRate: z.number().int().min(1).max(120).optional(),
  recordingLayout: RecordingLayout.optional(),
  customLayout: z.string().optional(),
  /**
   * What processing ends in: `ready` (default) or `failed`; `limit-reached` also fails on OpenVidu 2 and is an egress
   * that hit its time limit on OpenVidu 3.
   */
  outcome: z.enum(['ready', 'failed', 'limit-reached']).optional(),
  /** The recorder hangs (OpenVidu#433): stopping it by REST fails (500); it ends `failed` with its session. */
  stuck: z.boolean().optional(),
  /** How many times `ready` is logged (OpenVidu Pro 2.22 logged it 2–5 times, OpenVidu#747). */
  readyCount: z.number().int().min(1).max(5).optional(),
});

/** Free-form metadata: a string is sent verbatim, anything else is JSON-stringified as openvidu-browser does. */
const Metadata = z.union([
  z.string(),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
  z.number(),
  z.boolean(),
]);

/** The zod schema of each scenario action's fields, by action name: what scenario files, the control API and the engine accept. */
export const actionSchemas = {
  createSession: z.strictObject({
    session: Handle,
    customSessionId: z
      .string()
      .regex(
        /^[a-zA-Z0-9_-]+$/,
        'a custom session id is letters, digits, _ or - (OpenVidu answers 400 otherwise)',
      )
      .optional(),
    recordingMode: z.enum(['MANUAL', 'ALWAYS']).optional(),
    defaultRecording: RecordingOptions.optional(),
    autoSubscribe: z.boolean().optional(),
    /** Pro: the handle of the media node to place the session on (least loaded otherwise). */
    mediaNode: Handle.optional(),
  }),
  join: z.strictObject({
    session: Handle,
    participant: Handle,
    clientData: Metadata.optional(),
    serverData: Metadata.nullable().optional(),
    platform: z.string().optional(),
    ip: z.string().nullable().optional(),
    location: z.string().optional(),
    role: z.enum(['PUBLISHER', 'SUBSCRIBER', 'MODERATOR']).optional(),
    type: z.enum(['WEBRTC', 'IPCAM']).optional(),
    rtspUri: z.string().optional(),
    adaptativeBitrate: z.boolean().optional(),
    networkCache: z.number().int().nonnegative().optional(),
    onlyPlayWithSubscribers: z.boolean().optional(),
    /** Custom connection id (OpenVidu's `openviduCustomConnectionId` development feature). */
    customConnectionId: z.string().optional(),
    /** OpenVidu 3: the token's identity (default the handle); two participants of one identity replace each other. */
    identity: z.string().min(1).optional(),
    /** false: the client's media never connects (ICE fails); it gives up after 15 s unless it leaves first. */
    connects: z.boolean().optional(),
  }),
  /**
   * The client reconnects: a new connection `as` with the same identity joins, and the stale one is dropped
   * `dropOldAfter` later (its server noticing the old connection is gone).
   */
  reconnect: z.strictObject({
    participant: Handle,
    as: Handle,
    dropOldAfter: Duration.optional(),
  }),
  publish: z.strictObject({
    participant: Handle,
    videoSource: z.enum(['CAMERA', 'SCREEN', 'CUSTOM']).optional(),
    audio: z.boolean().optional(),
    video: z.boolean().optional(),
    frameRate: z.number().int().min(-1).max(240).optional(),
    dimensions: Resolution.optional(),
  }),
  unpublish: z.strictObject({ participant: Handle }),
  forceUnpublish: z.strictObject({ participant: Handle, by: z.enum(['user', 'server']).optional() }),
  subscribe: z.strictObject({ participant: Handle, to: Handle }),
  unsubscribe: z.strictObject({ participant: Handle, to: Handle }),
  leave: z.strictObject({
    participant: Handle,
    reason: z.enum(['disconnect', 'networkDisconnect']).optional(),
    /**
     * How OpenVidu learns of a `networkDisconnect`: `socketClosed` (default: the client's websocket closed, logged
     * at once) or `pingTimeout` (the network vanished: logged when OpenVidu's ping watchdog gives up, 10–15 s later).
     */
    detection: z.enum(['socketClosed', 'pingTimeout']).optional(),
  }),
  /**
   * The participant's network flaps (OpenVidu#195): each time, its connection is lost (OpenVidu evicts it 10–15 s
   * later, `networkDisconnect`) and the client rejoins 1–3 s after the drop with a new connection, publishing again.
   */
  flap: z.strictObject({
    participant: Handle,
    /** How many drops; default 1. */
    times: z.number().int().min(1).max(100).optional(),
    /** Time between two drops; default 30s, at least 5s. */
    every: Duration.pipe(z.number().min(5000, 'every is at least 5s')).optional(),
  }),
  forceDisconnect: z.strictObject({ participant: Handle, by: z.enum(['user', 'server']).optional() }),
  startRecording: RecordingOptions.extend({ session: Handle, recording: Handle.optional() }),
  stopRecording: z.strictObject({ recording: Handle }),
  signal: z.strictObject({
    session: Handle,
    from: Handle.optional(),
    to: z.array(Handle).optional(),
    type: z.string().optional(),
    data: z.string().optional(),
  }),
  filterEvent: z.strictObject({
    participant: Handle,
    filterType: z.string().optional(),
    eventType: z.string().optional(),
    data: z.string().optional(),
  }),
  closeSession: z.strictObject({ session: Handle }),
  mediaServerReconnect: z.strictObject({
    /** Pro: the media node whose media server restarted (every node's sessions otherwise). */
    node: Handle.optional(),
  }),
  mediaServerCrash: z.strictObject({ node: Handle.optional() }),
  stopServer: z.strictObject({}),

  // Pro and Enterprise: media nodes (REST /openvidu/api/media-nodes), faults, broadcasts, HA master nodes.
  /** Launches a new media node (`launching`, then `running` after its launch delay, or `failed`). */
  launchMediaNode: z.strictObject({
    node: Handle,
    /** Seconds from `launching` to `running`; default drawn between 30 and 90 (a cloud instance booting). */
    launchDelay: Duration.optional(),
    /** The launch ends in `failed` instead of `running`. */
    fail: z.boolean().optional(),
  }),
  /** REST PATCH of a media node's status: only OpenVidu's allowed targets from the current status. */
  setMediaNodeStatus: z.strictObject({
    node: Handle,
    status: z.enum(['canceled', 'launching', 'waiting-idle-to-terminate', 'running', 'terminating']),
  }),
  /** REST DELETE of a media node with a deletion strategy (default `if-no-sessions`, as OpenVidu). */
  removeMediaNode: z.strictObject({
    node: Handle,
    strategy: z.enum(['now', 'if-no-sessions', 'when-no-sessions']).optional(),
  }),
  /** The node stops answering; `recoverAfter` brings it back (within the reconnection timeout → `nodeRecovered`). */
  crashMediaNode: z.strictObject({ node: Handle, recoverAfter: Duration.optional() }),
  startBroadcast: z.strictObject({ session: Handle, broadcastUrl: z.string().optional() }),
  stopBroadcast: z.strictObject({ session: Handle }),
  /** Enterprise HA: a master node joins the cluster. */
  registerMasterNode: z.strictObject({ node: Handle, ip: z.string().optional() }),
  /** Enterprise HA: a master node leaves the cluster. */
  deregisterMasterNode: z.strictObject({
    node: Handle,
    reason: z.enum(['mediaNodeStatusTerminated', 'nodeCrashed']).optional(),
  }),
} as const;

/** The name of a scenario action (`createSession`, `join`, …). */
export type ActionName = keyof typeof actionSchemas;
/** Every action name, in the order of the schema. */
export const ACTION_NAMES = Object.keys(actionSchemas) as ActionName[];

/** The fields of one action, as the engine receives them (durations already in ms). */
export type ActionOf<N extends ActionName> = z.output<(typeof actionSchemas)[N]>;

/** A command for the engine: one action with its fields. */
export type Action = { [N in ActionName]: { readonly type: N; readonly args: ActionOf<N> } }[ActionName];
