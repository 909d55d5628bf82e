/**
 * The top level of a scenario file: its name, seed, start and the simulated server's settings (`openvidu:`), as zod
 * schemas. Steps are commands (model/commands.ts), validated one by one by the parser to locate problems.
 */
import { z } from 'zod';
import { Handle } from '../model/commands.js';
import { Duration } from '../model/duration.js';
import { explainInstant, JAVA_INT_MAX } from '../model/time-bounds.js';
import { parseVersion } from '../model/version.js';
import { SERVERS } from '../model/servers.js';
import { parseLivekitVersion } from '../model/ov3/livekit-profile.js';

/** OpenVidu reads its timeouts as Java ints (seconds); `abort` keeps zod from adding its safe-integer issue. */
const javaIntSeconds = () => z.number().max(JAVA_INT_MAX, { abort: true }).int();

/** ovsim simulates at most this many media nodes (as `mediaNodes`). */
const MAX_NODES = 100;

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
  server: z.enum(SERVERS).optional(),
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
  /** OPENVIDU_SESSIONS_GARBAGE_INTERVAL, seconds; 0 = no garbage collector of non-active sessions. */
  sessionsGarbageInterval: javaIntSeconds().nonnegative().optional(),
  /** OPENVIDU_SESSIONS_GARBAGE_THRESHOLD, seconds. */
  sessionsGarbageThreshold: javaIntSeconds().nonnegative().optional(),
  /** Log every recording's `ready` 2–5 times, as OpenVidu Pro 2.22 did (OpenVidu#747); default: only in Pro 2.22. */
  repeatReady: z.boolean().optional(),
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
