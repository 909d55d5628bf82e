import { Profile } from '../../model/profile.js';
import { toV2Compat } from '../../model/v2compat.js';
import { DEFAULT_VERSION } from '../../model/version.js';
import type { Argv } from 'yargs';
import {
  resolveOpenviduConfig,
  type OpenviduConfig,
  type PropertySource,
} from '../../config/openvidu-config.js';
import { checkOpenviduSecret } from '../../config/openvidu-secret.js';
import { OvsimError } from '../../errors.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { readScenario } from '../../scenario/read-scenario.js';
import { DEFAULT_SECRET, checkExposure } from '../../server/auth.js';
import { DEFAULT_HOST, DEFAULT_PORT, createServer, type OvsimServer } from '../../server/create-server.js';
import { openviduApiMounts, parseClientPolicy, type ClientPolicy } from '../../server/openvidu-api/index.js';
import type { ServerMount } from '../../server/create-server.js';
import type { StateView } from '../../server/live-simulation.js';
import { MAX_SPEED } from '../../server/live-simulation.js';
import { attachLiveSinks } from '../../server/live-sinks.js';
import { WebhookPanel } from '../../server/webhook-panel.js';
import { attachLivekitSink } from '../../server/live-livekit-sink.js';
import { attachMeetSink } from '../../server/live-meet-sink.js';
import { openvidu3NoRestMount } from '../../server/openvidu3-no-rest.js';
import { DEFAULT_SERVER, type ServerKind } from '../../model/servers.js';
import {
  senderCredentials,
  withApiKeyOptions,
  type ApiKeyFlags,
  type SenderCredentials,
} from '../api-key-options.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';
import { serveLog, type ServeLogFormat } from '../serve-log.js';
import { livekitServeLog } from '../serve-livekit-log.js';
import {
  parseEditionOption,
  parseStartOption,
  parseVersionOption,
  serverOverrides,
  withServerOptions,
  withSimulationOptions,
  type ServerFlags,
} from '../options.js';

export interface ServeOptions extends ServerFlags, ApiKeyFlags {
  readonly scenario?: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly secret?: string | undefined;
  readonly speed: string;
  readonly paused: boolean;
  readonly seed?: string | undefined;
  readonly start?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly edition?: string | undefined;
  readonly webhookEndpoint?: string | undefined;
  readonly cdrPath?: string | undefined;
  readonly clientPolicy?: string | undefined;
  readonly publicUrl?: string | undefined;
  readonly dryRun: boolean;
  readonly log: boolean;
  readonly logFormat: ServeLogFormat;
}

export function serveBuilder(y: Argv): Argv<ServeOptions> {
  const base = y
    .positional('scenario', {
      type: 'string',
      describe: 'scenario file or bundled name to load at start (default: an empty world)',
    })
    .option('host', {
      type: 'string',
      default: DEFAULT_HOST,
      describe: 'address to listen on (0.0.0.0 needs a secret)',
    })
    .option('port', {
      type: 'number',
      default: DEFAULT_PORT,
      describe: 'port to listen on (0 = any free port)',
    })
    .option('secret', {
      type: 'string',
      describe: `Basic auth secret of user OPENVIDUAPP (default: OPENVIDU_SECRET, else ${DEFAULT_SECRET}, loopback only)`,
    })
    .option('speed', {
      type: 'string',
      default: '1',
      describe: 'virtual time speed: realtime, a factor such as 10, or max',
    })
    .option('paused', { type: 'boolean', default: false, describe: 'start with virtual time paused' });
  const withServer = withApiKeyOptions(withServerOptions(withSimulationOptions(base, 'now'))).hide(
    'livekit-config',
  );
  return withServer
    .option('webhook-endpoint', {
      type: 'string',
      describe:
        'POST every event there as OpenVidu does (default: OPENVIDU_WEBHOOK_ENDPOINT; none); with --server ' +
        'openvidu3, LiveKit webhooks signed with --api-key/--api-secret; meet, Meet webhooks signed with --api-key; ' +
        "openvidu3-v2compat, the module's degraded OpenVidu 2 bodies",
    })
    .option('cdr-path', {
      type: 'string',
      describe: 'write OpenVidu CDR files in this folder (default: OPENVIDU_CDR_PATH when OPENVIDU_CDR=true)',
    })
    .option('client-policy', {
      type: 'string',
      describe:
        'what simulated clients do with tokens made through the OpenVidu REST API (OpenVidu 2 only: --server ' +
        'openvidu3 mounts no OpenVidu REST API, /openvidu/api answers 404): auto, manual, or a JSON policy ' +
        `such as '{"join":"1s..3s","publish":true,"stay":"exp:5m"}' (default auto: join in 1-3 s, publish, stay)`,
    })
    .option('public-url', {
      type: 'string',
      describe: 'base of tokens, e.g. wss://my.openvidu.ip (default: wss:// + the Host of the request)',
    })
    .option('dry-run', {
      type: 'boolean',
      default: false,
      describe: 'check the options and print what would run, then exit',
    })
    .option('log', {
      type: 'boolean',
      default: false,
      describe: 'print each HTTP request with the events it caused, and every other event, on stdout',
    })
    .option('log-format', {
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      describe: 'of --log: readable lines, or one JSON object per request and per cascade of events',
    })
    .check((a) => {
      if (!Number.isInteger(a.port) || (a.port as number) < 0 || (a.port as number) > 65535) {
        throw new OvsimError('BAD_INPUT', `--port ${String(a.port)} must be an integer from 0 to 65535`);
      }
      return true;
    }) as unknown as Argv<ServeOptions>;
}

/** Runs `ovsim serve` until SIGINT/SIGTERM; throws OvsimError on bad input (exit 2). */
export async function runServe(
  o: ServeOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const secret = serveSecret(o, env);
  checkExposure(o.host, secret);
  const parsedSpeed = parseSpeed(o.speed);
  const speed = parsedSpeed === 'max' ? MAX_SPEED : Math.min(parsedSpeed, MAX_SPEED);
  const lk = serverOverrides(o);
  const scenario = o.scenario === undefined ? undefined : await readScenario(o.scenario);
  const kind = serveServerKind(lk.server ?? scenario?.openvidu.server ?? DEFAULT_SERVER, o);
  const config = resolveOpenviduConfig({ flags: sinkFlags(o, env), env });
  const credentials =
    ((kind === 'openvidu3' || kind === 'meet') && config.webhook) ||
    o.apiKey !== undefined ||
    o.apiSecret !== undefined
      ? senderCredentials(kind, o, env)
      : undefined;
  const clientPolicy =
    o.clientPolicy === undefined ? undefined : parseClientPolicy(o.clientPolicy, '--client-policy');
  // OpenVidu 3 and Meet (which runs on it): the LiveKit page, no OpenVidu 2 REST API.
  const v3 = kind === 'openvidu3' || kind === 'meet';

  const webhook = new WebhookPanel(
    config.webhook ? config.webhookEndpoint : undefined,
    panelNote(kind, config.webhook),
  );
  const server = createServer({
    host: o.host,
    port: o.port,
    secret,
    scenario,
    seed: o.seed,
    start: parseStartOption(o.start),
    version: parseVersionOption(o.openviduVersion),
    edition: parseEditionOption(o.edition),
    server: kind,
    livekitVersion: lk.livekitVersion,
    jsonSpacing: lk.jsonSpacing,
    speed,
    // Time starts once the sinks and the log listen: a scenario's first steps are due at once, and their events
    // would otherwise be emitted before anything records them.
    paused: true,
    webhook,
    recordingAutostopTimeout: config.recordingAutostopTimeout,
    sessionsGarbageInterval: config.sessionsGarbageInterval,
    sessionsGarbageThreshold: config.sessionsGarbageThreshold,
    // OpenVidu 3 logs LiveKit's events (below), not OpenVidu 2's.
    log: o.log && !v3 ? serveLog(io, o.logFormat) : undefined,
    mounts: v3 ? [openvidu3NoRestMount()] : openvidu2Mounts(config, clientPolicy, o.publicUrl),
  });
  if (o.log && v3) server.simulation.onLivekitEvent(livekitServeLog(io, o.logFormat));
  const state = server.simulation.state();
  const what = describeServe(
    state,
    `speed ${speed}${o.paused ? ', paused' : ''}`,
    config,
    kind === 'openvidu3' || kind === 'meet'
      ? { kind, apiKey: credentials?.kind === 'none' ? undefined : credentials?.apiKey }
      : { kind, clientPolicy },
  );
  if (o.dryRun) {
    io.stderr(`ovsim serve (dry run): would listen on ${o.host}:${o.port}; ${what}\n`);
    await server.close();
    return EXIT.OK;
  }
  const attachSinks = () => serveSinks(server, config, webhook, credentials, state.clock.virtualNow, kind);
  return serveUntilStopped(
    server,
    attachSinks,
    o.paused,
    io,
    (url) =>
      `ovsim serve: ${url}/ (user OPENVIDUAPP${secret === DEFAULT_SECRET ? `, secret ${DEFAULT_SECRET}` : ''})\n` +
      `ovsim serve: ${what}\novsim serve: Ctrl+C stops\n`,
  );
}

/** OpenVidu 2's REST API, with the OpenVidu properties it reports (GET /openvidu/api/config). */
function openvidu2Mounts(
  config: OpenviduConfig,
  clientPolicy: ClientPolicy | undefined,
  publicUrl: string | undefined,
): ServerMount[] {
  return openviduApiMounts({
    clientPolicy,
    publicUrl,
    config: {
      OPENVIDU_CDR: config.cdr,
      OPENVIDU_CDR_PATH: config.cdrPath,
      OPENVIDU_WEBHOOK: config.webhook,
      OPENVIDU_WEBHOOK_ENDPOINT: config.webhookEndpoint,
      OPENVIDU_WEBHOOK_HEADERS: config.webhookHeaders.map((h) => `${h.name}: ${h.value}`),
      OPENVIDU_WEBHOOK_EVENTS: [...config.webhookEvents],
      OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: config.recordingAutostopTimeout ?? 120,
      OPENVIDU_SESSIONS_GARBAGE_INTERVAL: config.sessionsGarbageInterval ?? 900,
      OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: config.sessionsGarbageThreshold ?? 3600,
    },
  });
}

/**
 * What the banner and the dry run say is served: OpenVidu 3's LiveKit build and signing key, or OpenVidu 2's
 * version, REST API clients and CDR folder.
 */
function describeServe(
  state: StateView,
  pace: string,
  config: OpenviduConfig,
  server:
    | { readonly kind: 'openvidu3' | 'meet'; readonly apiKey: string | undefined }
    | {
        readonly kind: 'openvidu2' | 'openvidu3-v2compat';
        readonly clientPolicy: ClientPolicy | undefined;
      },
): string {
  const run = `scenario ${state.scenario.name} (${state.scenario.steps} steps)`;
  if (server.kind === 'openvidu2' || server.kind === 'openvidu3-v2compat')
    return (
      `${run}, ${
        server.kind === 'openvidu2'
          ? `OpenVidu ${state.openvidu.version} ${state.openvidu.edition}`
          : `OpenVidu 3 PRO's v2-compatibility module (LiveKit underneath; OpenVidu 2 WebHook bodies of ${DEFAULT_VERSION}, degraded)`
      }, ${pace}; ` +
      `OpenVidu REST API at /openvidu/api (clients: ${server.clientPolicy?.mode ?? 'auto'}); ` +
      `WebHook: ${config.webhook ? config.webhookEndpoint : 'off'}; CDR: ${config.cdr ? config.cdrPath : 'off'}`
    );
  const lk = `LiveKit ${state.server?.livekitVersion ?? ''}`;
  const apiKey = 'apiKey' in server ? (server.apiKey ?? '') : '';
  if (server.kind === 'meet')
    return (
      `${run}, OpenVidu Meet (on OpenVidu 3, ${lk}: the page shows its rooms), ${pace}; no OpenVidu 2 REST API ` +
      `(/openvidu/api answers 404); WebHook: ${config.webhook ? `${config.webhookEndpoint} (Meet, X-Signature of API key ${apiKey})` : 'off'}`
    );
  return (
    `${run}, OpenVidu 3 (${lk}), ${pace}; ` +
    "no OpenVidu 2 REST API (OpenVidu 3 uses LiveKit's server API: /openvidu/api answers 404); " +
    `WebHook: ${config.webhook ? `${config.webhookEndpoint} (LiveKit, signed by API key ${apiKey})` : 'off'}`
  );
}

/** What serve stops at the end: the sinks of either server. */
interface ServeSinks {
  close(deadlineMs: number): Promise<void>;
}

/** LiveKit's notifier for OpenVidu 3, else OpenVidu 2's CDR file and WebHook sender (each only when configured). */
function serveSinks(
  server: OvsimServer,
  config: OpenviduConfig,
  panel: WebhookPanel,
  credentials: SenderCredentials | undefined,
  serverStart: number,
  kind: ServeKind,
): ServeSinks {
  if (credentials?.kind === 'livekit' && config.webhook)
    return attachLivekitSink(server.simulation, {
      url: config.webhookEndpoint,
      apiKey: credentials.apiKey,
      apiSecret: credentials.apiSecret,
      panel,
      livekit: server.simulation.livekitProfile!,
    });
  if (credentials?.kind === 'meet' && config.webhook)
    return attachMeetSink(server.simulation, {
      url: config.webhookEndpoint,
      apiKey: credentials.apiKey,
      panel,
      server: { kind: 'meet', livekit: server.simulation.livekitProfile! },
    });
  const current = server.simulation.currentProfile;
  if (kind === 'openvidu3-v2compat')
    return attachLiveSinks(server.simulation, {
      config,
      panel,
      serverStart,
      // The module writes the last 2.x release's bodies, whatever version a scenario names.
      profile: new Profile(DEFAULT_VERSION, current.edition),
      degrade: (e) => toV2Compat(e),
    });
  return attachLiveSinks(server.simulation, { config, panel, serverStart, profile: current });
}

/** What serve imitates. */
type ServeKind = ServerKind;

/**
 * The server serve imitates: OpenVidu 2, OpenVidu 3 (LiveKit), or OpenVidu 3 PRO's v2-compatibility module (the
 * OpenVidu 2 page and REST API over LiveKit's behaviour, its degraded WebHook bodies). Meet has its wire in generate
 * and run, not on the page yet: refused rather than played as something else.
 * @throws OvsimError BAD_INPUT
 */
function serveServerKind(kind: ServerKind, o: ServeOptions): ServeKind {
  if (o.livekitConfig !== undefined)
    throw new OvsimError(
      'BAD_INPUT',
      '--livekit-config: serve takes the LiveKit delivery from --webhook-endpoint and --api-key/--api-secret ' +
        '(livekit.yaml is read by run, load and receive)',
    );
  const from = o.server === undefined ? `the scenario's openvidu.server ${kind}` : `--server ${kind}`;
  if (kind === 'openvidu3-v2compat' && o.cdrPath !== undefined)
    throw new OvsimError(
      'BAD_INPUT',
      `--cdr-path: ${from} writes no CDR file (the module sends WebHooks only); drop it, or use --server openvidu2`,
    );
  if (kind === 'openvidu3' || kind === 'meet') {
    const v2Only = [
      ['--cdr-path', o.cdrPath],
      ['--client-policy', o.clientPolicy],
      ['--public-url', o.publicUrl],
    ].filter(([, v]) => v !== undefined);
    if (v2Only.length > 0)
      throw new OvsimError(
        'BAD_INPUT',
        `${v2Only.map(([f]) => f).join(', ')}: ${from} has no CDR file and no OpenVidu 2 REST API; ` +
          'drop them, or use --server openvidu2',
      );
  }
  return kind;
}

function v2compatPanelNote(configured: boolean): string {
  return configured
    ? 'Each event is POSTed as OpenVidu 3 PRO\'s v2-compatibility module does: its eight OpenVidu 2 events only, no INBOUND connections, location "unknown", videoFramerate 30, the reasons it can tell apart; the page\'s log shows the full OpenVidu 2 events the simulation made.'
    : 'No WebHook endpoint configured: start ovsim serve --server openvidu3-v2compat with --webhook-endpoint URL (V2COMPAT_OPENVIDU_WEBHOOK_ENDPOINT).';
}

function meetPanelNote(configured: boolean): string {
  return configured
    ? "Each Meet event is POSTed as OpenVidu Meet's dispatcher does: signed (X-Timestamp, X-Signature HMAC of the API key), retried at 300 ms doubling on any non-2xx; the page shows the LiveKit rooms underneath."
    : 'No WebHook endpoint configured: start ovsim serve --server meet with --webhook-endpoint URL and --api-key KEY.';
}

/** The WebHook panel's note for the server imitated (OpenVidu 2's default note: undefined). */
function panelNote(kind: ServeKind, configured: boolean): string | undefined {
  if (kind === 'openvidu3') return livekitPanelNote(configured);
  if (kind === 'meet') return meetPanelNote(configured);
  return kind === 'openvidu3-v2compat' ? v2compatPanelNote(configured) : undefined;
}

function livekitPanelNote(configured: boolean): string {
  return configured
    ? 'Each LiveKit event is POSTed as OpenVidu 3 does: signed (Authorization JWT), one FIFO queue per room, egress and ingress apart; retried on network errors and 5xx, while a 4xx counts as sent for LiveKit (shown here as refused).'
    : 'No WebHook endpoint configured: start ovsim serve --server openvidu3 with --webhook-endpoint URL and --api-key/--api-secret (or LIVEKIT_API_KEY/LIVEKIT_API_SECRET).';
}

/** `--secret`, else OPENVIDU_SECRET, else the default; checked as OpenVidu checks OPENVIDU_SECRET. */
function serveSecret(o: ServeOptions, env: NodeJS.ProcessEnv): string {
  if (o.secret !== undefined) return checkOpenviduSecret(o.secret, '--secret');
  const fromEnv = env['OPENVIDU_SECRET'];
  return fromEnv === undefined ? DEFAULT_SECRET : checkOpenviduSecret(fromEnv, 'OPENVIDU_SECRET');
}

/**
 * Listens (a port in use is bad input, and then no CDR file is created), attaches the sinks, lets virtual time flow
 * unless `paused`, and serves until SIGINT/SIGTERM.
 */
async function serveUntilStopped(
  server: OvsimServer,
  attachSinks: () => ServeSinks,
  paused: boolean,
  io: CliIo,
  banner: (url: string) => string,
): Promise<number> {
  let address;
  try {
    address = await server.listen();
  } catch (e) {
    await server.close();
    throw e;
  }
  const sinks = attachSinks();
  if (!paused) server.simulation.resume();
  io.stderr(banner(address.url));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stderr('ovsim serve: stopping\n');
  await server.close();
  await sinks.close(5_000);
  return EXIT.OK;
}

/** The flags that set OpenVidu properties: an endpoint or a CDR folder given anywhere turns its sink on. */
function sinkFlags(o: ServeOptions, env: NodeJS.ProcessEnv): PropertySource {
  const flags: Record<string, string> = {};
  if (o.webhookEndpoint !== undefined) flags['OPENVIDU_WEBHOOK_ENDPOINT'] = o.webhookEndpoint;
  const endpoint = o.webhookEndpoint ?? env['OPENVIDU_WEBHOOK_ENDPOINT'] ?? '';
  if (endpoint.trim() !== '' && env['OPENVIDU_WEBHOOK'] === undefined) flags['OPENVIDU_WEBHOOK'] = 'true';
  if (o.cdrPath !== undefined) {
    flags['OPENVIDU_CDR_PATH'] = o.cdrPath;
    flags['OPENVIDU_CDR'] = 'true';
  }
  return flags;
}

export const serveCommand = defineCommand<ServeOptions>({
  command: 'serve [scenario]',
  describe:
    'workshop mode and fake OpenVidu: a live simulation with a web page, a control API, a WebSocket feed and the OpenVidu 2 REST API (--server openvidu3 or meet: LiveKit rooms and their webhooks, no REST API)',
  builder: serveBuilder,
  run: (o, io) => runServe(o, io),
});
