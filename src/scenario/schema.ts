/**
 * The scenario schema: the one source of truth for scenario files and for the engine's commands.
 * The TypeScript types of actions are inferred from it (`Action`, `ActionOf<'join'>`), the parser validates with it,
 * and `npm run docs:generate` turns it into the JSON Schema of scenario files (`schema/scenario.schema.json`) and the
 * reference `docs/scenario-format.md`.
 */
import { z } from 'zod';
import { parseVersion } from '../model/version.js';
import { OUTPUT_MODES, RECORDING_LAYOUTS } from '../model/wire-values.js';
import { SERVER_KINDS } from '../model/server-kind.js';
import { parseLivekitVersion } from '../model/ov3/livekit-profile.js';
import { explainInstant, JAVA_INT_MAX, LONGEST_SPAN } from './time-bounds.js';

/** A handle: the name a scenario gives an entity (`s1`, `alice`, `r1`). */
export const Handle = z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'a handle is letters, digits, _ . : or -');

/** A duration: seconds as a number, or a string with a unit (`250ms`, `1.5s`, `2m`, `1h`). Parsed to milliseconds. */
export const Duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx): number => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(v)}" is not a duration (use 250ms, 1.5s, 2m, 1h or seconds)`,
    });
    return z.NEVER;
  }
  if (ms > LONGEST_SPAN) {
    ctx.addIssue({ code: 'custom', message: TOO_LONG(v) });
    return z.NEVER;
  }
  return ms;
});

/** Any longer duration would take an instant past year 9999 (see time-bounds.ts). */
const TOO_LONG = (v: unknown) =>
  `${typeof v === 'string' ? JSON.stringify(v) : String(v)} is too long: instants must stay between ` +
  '1970 and the end of year 9999';

/** OpenVidu reads its timeouts as Java ints (seconds); `abort` keeps zod from adding its safe-integer issue. */
const javaIntSeconds = () => z.number().max(JAVA_INT_MAX, { abort: true }).int();

/** ovsim simulates at most this many media nodes (as `mediaNodes`). */
const MAX_NODES = 100;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a duration to whole milliseconds (`1.5s`, `2m 30s`, `1h30m`, bare numbers are seconds); `undefined` if not one. */
export function parseDuration(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : undefined;
  const text = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^(?:\d+(?:\.\d+)?\s*(?:ms|s|min|m|h|d)\s*)+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)/g))
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
  return Math.round(total);
}

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

export const OpenviduConfig = z.strictObject({
  version: z
    .union([z.string(), z.number()])
    .transform(String)
    .check((ctx) => {
      try {
        parseVersion(ctx.value);
      } catch (e) {
        ctx.issues.push({ code: 'custom', message: (e as Error).message, input: ctx.value });
      }
    })
    .optional(),
  edition: z.enum(['ce', 'pro', 'enterprise']).optional(),
  /** The server imitated: OpenVidu 2 (default) or an OpenVidu 3 flavour; `--server` overrides it. */
  server: z.enum(SERVER_KINDS).optional(),
  /** OpenVidu 3: the LiveKit server underneath (`livekit.yaml`) and the build imitated. */
  livekit: z
    .strictObject({
      version: z
        .union([z.string(), z.number()])
        .transform(String)
        .check((ctx) => {
          try {
            parseLivekitVersion(ctx.value);
          } catch (e) {
            ctx.issues.push({ code: 'custom', message: (e as Error).message, input: ctx.value });
          }
        })
        .optional(),
      /** `room.departure_timeout`, seconds. */
      departureTimeout: z.number().int().min(0).max(86_400).optional(),
      /** `room.empty_timeout`, seconds. */
      emptyTimeout: z.number().int().min(0).max(86_400).optional(),
      jsonSpacing: z.enum(['compact', 'spaced']).optional(),
      egressFileResults: z.enum(['both', 'legacy-only']).optional(),
      duplicateParticipantLeft: z.boolean().optional(),
      fullRoomInWebhooks: z.boolean().optional(),
    })
    .optional(),
  /** OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, seconds. */
  recordingAutostopTimeout: javaIntSeconds().nonnegative().optional(),
  /** Pro and Enterprise: the cluster (names after OPENVIDU_PRO_CLUSTER_*). */
  cluster: z
    .strictObject({
      /** OPENVIDU_PRO_CLUSTER_ID; default a random id drawn from the seed. */
      id: z.string().optional(),
      /** OPENVIDU_PRO_CLUSTER_MEDIA_NODES: a count (default 1) or the handles of the initial nodes. */
      mediaNodes: z
        .union([z.number().int().min(0).max(MAX_NODES), z.array(Handle).max(MAX_NODES)])
        .optional(),
      /** OPENVIDU_PRO_CLUSTER_RECONNECTION_TIMEOUT, seconds; -1 = infinite. Default 3 with autoscaling, else -1. */
      reconnectionTimeout: javaIntSeconds().min(-1).optional(),
      /** Seconds between two load samples of the autoscaling; default 10. */
      loadInterval: z
        .number()
        .min(1, 'loadInterval is at least 1 second')
        .max(JAVA_INT_MAX, `loadInterval is at most ${JAVA_INT_MAX} seconds`)
        .optional(),
      autoscaling: z
        .strictObject({
          /** OPENVIDU_PRO_CLUSTER_AUTOSCALING; default false. */
          enabled: z.boolean().optional(),
          /** …_AUTOSCALING_MIN_NODES; default 1. */
          minNodes: z.number().int().min(0).max(MAX_NODES).optional(),
          /** …_AUTOSCALING_MAX_NODES; default 2. */
          maxNodes: z.number().int().min(1).max(MAX_NODES).optional(),
          /** …_AUTOSCALING_MIN_LOAD, percent; default 20. */
          minLoad: z.number().min(0).max(100).optional(),
          /** …_AUTOSCALING_MAX_LOAD, percent; default 70. */
          maxLoad: z.number().min(0).max(100).optional(),
        })
        .optional(),
    })
    .optional(),
});

const StepTime = z.object({ at: Duration.optional(), after: Duration.optional() });

const START_MESSAGE =
  'start is an ISO 8601 instant with a timezone (2024-05-10T14:23:11.000Z, 2024-05-10T16:23:11+02:00) or "now"';

/** When virtual time begins: an ISO 8601 instant with a timezone (a local time would differ per machine), or `now`. */
export const StartInstant = z
  .union([z.literal('now'), z.iso.datetime({ offset: true, error: START_MESSAGE })], {
    error: START_MESSAGE,
  })
  .check((ctx) => {
    const problem = ctx.value === 'now' ? undefined : explainInstant(globalThis.Date.parse(ctx.value));
    if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

/** The top level of a scenario file (steps are validated one by one by the parser to locate problems). */
export const ScenarioHeader = z.strictObject({
  /** The JSON Schema an editor checks the file against (JSON files cannot carry YAML's `# yaml-language-server` line). */
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  seed: z.union([z.number().int(), z.string()]).optional(),
  start: StartInstant.optional(),
  openvidu: OpenviduConfig.optional(),
  /** The random scenario generator's settings; its schema is defined by the generator, the parser passes it through. */
  generate: z.unknown().optional(),
  steps: z.array(z.unknown()).optional(),
});

export { StepTime };
export type OpenviduConfigInput = z.output<typeof OpenviduConfig>;
