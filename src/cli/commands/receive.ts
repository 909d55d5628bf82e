import { readLivekitConfig, type LivekitWebhookConfig } from '../../config/livekit-config.js';
import { LIVEKIT_EVENT_NAMES } from '../../model/livekit/webhook-event.js';
import type { Argv } from 'yargs';
import { OvsimError } from '../../errors.js';
import {
  formatReceived,
  formatReceiverStats,
  parseFailRate,
  WebhookReceiver,
} from '../../server/receiver.js';
import { parseServerEvents } from '../../validate/server-events.js';
import { parseServerOption, withServerOption, type ServerKind } from '../options.js';
import { DEFAULT_MAX_LINE_BYTES, parseByteSize } from '../../validate/line-reader.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';
import { parseDurationOption } from '../openvidu-options.js';

export interface ReceiveArgs {
  readonly port: number;
  readonly host: string;
  readonly jsonl: boolean;
  readonly respond: number;
  readonly failRate?: string | undefined;
  readonly delay?: string | undefined;
  readonly dropRate?: number | undefined;
  readonly verifySecret?: string | undefined;
  /** openvidu2 (default), openvidu3, openvidu3-v2compat, meet. */
  readonly server?: string | undefined;
  /** LiveKit's API key and secret (default LIVEKIT_API_KEY, LIVEKIT_API_SECRET), or Meet's API key. */
  readonly apiKey?: string | undefined;
  readonly apiSecret?: string | undefined;
  readonly livekitConfig?: string | undefined;
  readonly validate: boolean;
  /** The sender's OPENVIDU_WEBHOOK_EVENTS (a,b or ["a","b"]); default: inferred from what arrives. */
  readonly events?: string | undefined;
  readonly maxBodySize?: string | undefined;
}

function receiveBuilder(y: Argv): Argv<ReceiveArgs> {
  return withServerOption(
    y,
    'whose webhooks arrive, checked and verified as that server sends them: openvidu2, openvidu3 (LiveKit), openvidu3-v2compat, meet',
  )
    .option('port', { type: 'number', default: 8090, describe: 'port to listen on (0 = any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
    .option('jsonl', {
      type: 'boolean',
      default: false,
      describe: 'print one JSON line per request instead of a readable line',
    })
    .option('respond', { type: 'number', default: 200, describe: 'status of normal answers' })
    .option('fail-rate', {
      type: 'string',
      describe: 'share of requests answered with an error: SHARE[:STATUS], e.g. 0.1:500',
    })
    .option('delay', { type: 'string', describe: 'wait before answering, e.g. 50ms' })
    .option('drop-rate', {
      type: 'number',
      describe: 'share of connections destroyed without an answer, e.g. 0.05',
    })
    .option('verify-secret', {
      type: 'string',
      describe: 'whsec_… secret: verify Standard Webhooks signatures (OpenVidu 2 senders)',
    })
    .option('api-key', {
      type: 'string',
      describe:
        'openvidu3: the API key of the Authorization JWT (default: LIVEKIT_API_KEY); meet: the API key of X-Signature',
    })
    .option('api-secret', {
      type: 'string',
      describe: 'openvidu3: the API secret the JWT is signed with (default: LIVEKIT_API_SECRET)',
    })
    .option('livekit-config', {
      type: 'string',
      describe:
        "openvidu3: the sender's livekit.yaml: its webhook.api_key and secret verify the JWT, its filter_params " +
        'are the events that may arrive (flags win)',
    })
    .option('validate', {
      type: 'boolean',
      default: true,
      describe: 'check the lifecycle live (--no-validate turns it off)',
    })
    .option('events', {
      type: 'string',
      describe:
        'the sender\'s OPENVIDU_WEBHOOK_EVENTS (a,b or ["a","b"]): checks needing other types are skipped (default: the types that arrive)',
    })
    .option('max-body-size', {
      type: 'string',
      describe: `largest body kept and checked; larger ones are answered 413 (default: ${DEFAULT_MAX_LINE_BYTES / 1024 / 1024}MiB)`,
    }) as unknown as Argv<ReceiveArgs>;
}

/** Runs until SIGINT/SIGTERM (or `stop` resolves, for tests); exit 1 when lifecycle errors or bad signatures arrived. */
export async function runReceive(o: ReceiveArgs, io: CliIo, stop?: Promise<void>): Promise<number> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    throw new OvsimError('BAD_INPUT', '--port must be 0..65535');
  if (!Number.isInteger(o.respond) || o.respond < 100 || o.respond > 599)
    throw new OvsimError('BAD_INPUT', '--respond must be an HTTP status');
  const fail = o.failRate === undefined ? undefined : parseFailRate(o.failRate);
  const maxBodyBytes = o.maxBodySize === undefined ? DEFAULT_MAX_LINE_BYTES : parseByteSize(o.maxBodySize);
  if (maxBodyBytes === undefined) {
    throw new OvsimError(
      'BAD_INPUT',
      `--max-body-size "${o.maxBodySize ?? ''}" is not a size (e.g. 1MiB, 4MB, 65536)`,
    );
  }
  const server = parseServerOption(o.server);
  const lk = livekitFile(o, server);
  const events = o.events === undefined ? lk?.events : parseServerEvents(o.events, server);
  const { apiKey, apiSecret } = credentials(o, server, lk?.config);
  const keepRaw = server === 'openvidu3' || server === 'meet';
  const receiver = new WebhookReceiver({
    server,
    apiKey,
    apiSecret,
    port: o.port,
    host: o.host,
    respond: o.respond,
    ...(fail ? { failRate: fail.rate, failStatus: fail.status } : {}),
    delayMs: parseDurationOption(o.delay, '--delay', 0),
    ...(o.dropRate !== undefined ? { dropRate: o.dropRate } : {}),
    verifySecret: o.verifySecret,
    validate: o.validate,
    ...(events !== undefined ? { events } : {}),
    maxBodyBytes,
    onRequest: (r) => {
      if (!o.jsonl) return io.stdout(formatReceived(r));
      const body: unknown = r.json ?? r.body; // text when it is not a JSON object
      io.stdout(
        JSON.stringify({
          n: r.n,
          at: r.at,
          event: r.event,
          answer: r.answer,
          signature: r.signature,
          diagnostics: r.diagnostics,
          body,
          // LiveKit and Meet bodies are checked byte for byte: keep the exact bytes for ovsim validate.
          ...(keepRaw ? { raw: r.body } : {}),
        }) + '\n',
      );
    },
  });
  const url = await receiver.start();
  io.stderr(
    `ovsim: receiving ${SERVER_NAMES[server]} webhooks on ${url} (Ctrl-C prints statistics and quits)\n`,
  );
  if (server === 'openvidu3' && apiKey === undefined) {
    io.stderr(
      'ovsim: signatures not checked: give --api-key and --api-secret (or LIVEKIT_API_KEY and LIVEKIT_API_SECRET)\n',
    );
  }
  let onSignal = () => undefined as void;
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await Promise.race([signalled, ...(stop ? [stop] : [])]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await receiver.stop();
  const s = receiver.stats;
  const end = receiver.endValidation();
  for (const d of end.diagnostics)
    io.stdout(`end of input: ${d.severity} (#${d.line}): ${d.rule}: ${d.message}\n`);
  io.stderr(formatReceiverStats(s, end.summary));
  return s.lifecycleErrors > 0 || s.signaturesInvalid > 0 ? EXIT.FAILURE : EXIT.OK;
}

const SERVER_NAMES: Readonly<Record<ServerKind, string>> = {
  openvidu2: 'OpenVidu 2',
  openvidu3: 'LiveKit (OpenVidu 3)',
  'openvidu3-v2compat': 'OpenVidu 3 v2-compatibility',
  meet: 'OpenVidu Meet',
};

/**
 * The flags, else (LiveKit) the key pair of `--livekit-config`, else LIVEKIT_API_KEY and LIVEKIT_API_SECRET, as
 * LiveKit's own tools read them.
 */
function credentials(
  o: ReceiveArgs,
  server: ServerKind,
  file?: LivekitWebhookConfig,
): { apiKey: string | undefined; apiSecret: string | undefined } {
  if (server !== 'openvidu3') return { apiKey: o.apiKey, apiSecret: o.apiSecret };
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  const apiKey = o.apiKey ?? file?.apiKey ?? env('LIVEKIT_API_KEY');
  const fromFile = file !== undefined && file.apiKey === apiKey ? file.apiSecret : undefined;
  return { apiKey, apiSecret: o.apiSecret ?? fromFile ?? env('LIVEKIT_API_SECRET') };
}

/** `--livekit-config` (openvidu3 only): the file, and the events its filter lets through. @throws OvsimError */
function livekitFile(
  o: ReceiveArgs,
  server: ServerKind,
): { config: LivekitWebhookConfig; events: string[] | undefined } | undefined {
  if (o.livekitConfig === undefined) return undefined;
  if (server !== 'openvidu3')
    throw new OvsimError(
      'BAD_INPUT',
      `--livekit-config: only --server openvidu3 reads livekit.yaml (not ${server})`,
    );
  const config = readLivekitConfig(o.livekitConfig);
  const { includeEvents: inc, excludeEvents: exc } = config;
  const events =
    inc.length > 0
      ? [...inc]
      : exc.length > 0
        ? LIVEKIT_EVENT_NAMES.filter((n) => !exc.includes(n))
        : undefined;
  return { config, events };
}

export const receiveCommand = defineCommand<ReceiveArgs>({
  command: 'receive',
  describe:
    'receive WebHooks (OpenVidu 2, LiveKit, Meet): print them, check the lifecycle and signatures, answer with chosen statuses/delays/drops',
  builder: receiveBuilder,
  run: (a, io) => runReceive(a, io),
});
