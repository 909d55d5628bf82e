import type { Argv } from 'yargs';
import { resolveOpenviduConfig, type PropertySource } from '../../config/openvidu-config.js';
import { checkOpenviduSecret } from '../../config/openvidu-secret.js';
import { OvsimError } from '../../errors.js';
import { parseSpeed } from '../../runtime/pacing.js';
import { readScenario } from '../../scenario/read-scenario.js';
import type { Scenario } from '../../scenario/scenario.js';
import { DEFAULT_SECRET, checkExposure } from '../../server/auth.js';
import { DEFAULT_HOST, DEFAULT_PORT, createServer, type OvsimServer } from '../../server/create-server.js';
import { openviduApiMounts, parseClientPolicy } from '../../server/openvidu-api/index.js';
import { MAX_SPEED } from '../../server/live-simulation.js';
import { attachLiveSinks, type LiveSinks } from '../../server/live-sinks.js';
import { WebhookPanel } from '../../server/webhook-panel.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';
import { serveLog, type ServeLogFormat } from '../serve-log.js';
import {
  parseEditionOption,
  parseStartOption,
  parseVersionOption,
  withSimulationOptions,
} from '../options.js';

export interface ServeOptions {
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
  return withSimulationOptions(base, 'now')
    .option('webhook-endpoint', {
      type: 'string',
      describe: 'POST every event there as OpenVidu does (default: OPENVIDU_WEBHOOK_ENDPOINT; none)',
    })
    .option('cdr-path', {
      type: 'string',
      describe: 'write OpenVidu CDR files in this folder (default: OPENVIDU_CDR_PATH when OPENVIDU_CDR=true)',
    })
    .option('client-policy', {
      type: 'string',
      describe:
        'what simulated clients do with tokens made through the OpenVidu REST API: auto, manual, or a JSON policy ' +
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
  const scenario = o.scenario === undefined ? undefined : await readScenario(o.scenario);
  const config = resolveOpenviduConfig({ flags: sinkFlags(o, env), env });
  const clientPolicy =
    o.clientPolicy === undefined ? undefined : parseClientPolicy(o.clientPolicy, '--client-policy');

  const webhook = new WebhookPanel(config.webhook ? config.webhookEndpoint : undefined);
  const server = createServer({
    host: o.host,
    port: o.port,
    secret,
    scenario,
    seed: o.seed,
    start: parseStartOption(o.start),
    version: parseVersionOption(o.openviduVersion),
    edition: parseEditionOption(o.edition),
    speed,
    // Time starts once the sinks and the log listen: a scenario's first steps are due at once, and their events
    // would otherwise be emitted before anything records them.
    paused: true,
    webhook,
    recordingAutostopTimeout: config.recordingAutostopTimeout,
    sessionsGarbageInterval: config.sessionsGarbageInterval,
    sessionsGarbageThreshold: config.sessionsGarbageThreshold,
    log: o.log ? serveLog(io, o.logFormat) : undefined,
    mounts: openviduApiMounts({
      clientPolicy,
      publicUrl: o.publicUrl,
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
    }),
  });
  const state = server.simulation.state();
  const what =
    `scenario ${state.scenario.name} (${state.scenario.steps} steps), OpenVidu ${state.openvidu.version} ` +
    `${state.openvidu.edition}, speed ${speed}${o.paused ? ', paused' : ''}; ` +
    `OpenVidu REST API at /openvidu/api (clients: ${clientPolicy?.mode ?? 'auto'}); ` +
    `WebHook: ${config.webhook ? config.webhookEndpoint : 'off'}; CDR: ${config.cdr ? config.cdrPath : 'off'}`;
  if (scenario) warnOpenvidu2Only(scenario, io);
  if (o.dryRun) {
    io.stderr(`ovsim serve (dry run): would listen on ${o.host}:${o.port}; ${what}\n`);
    await server.close();
    return EXIT.OK;
  }
  const attachSinks = () =>
    attachLiveSinks(server.simulation, {
      config,
      panel: webhook,
      serverStart: state.clock.virtualNow,
      profile: server.simulation.currentProfile,
    });
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

/** serve imitates OpenVidu 2 only: a scenario naming an OpenVidu 3 server is told that it plays as OpenVidu 2. */
function warnOpenvidu2Only(scenario: Scenario, io: CliIo): void {
  const named = scenario.openvidu.server;
  if (named === undefined || named === 'openvidu2') return;
  io.stderr(
    `ovsim serve: ${scenario.name} names openvidu.server ${named}; serve imitates OpenVidu 2 only (not ` +
      `OpenVidu 3 yet): it plays as OpenVidu 2 (ovsim generate/run ${scenario.name} shows it as ${named})\n`,
  );
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
  attachSinks: () => LiveSinks,
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
    'workshop mode and fake OpenVidu: a live simulation with a web page, a control API, a WebSocket feed and the OpenVidu 2 REST API',
  builder: serveBuilder,
  run: (o, io) => runServe(o, io),
});
