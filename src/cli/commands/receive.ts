import type { Argv } from 'yargs';
import { OvsimError } from '../../errors.js';
import {
  formatReceived,
  formatReceiverStats,
  parseFailRate,
  WebhookReceiver,
} from '../../server/receiver.js';
import { parseEventList } from '../../validate/event-filter.js';
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
  readonly validate: boolean;
  /** The sender's OPENVIDU_WEBHOOK_EVENTS (a,b or ["a","b"]); default: inferred from what arrives. */
  readonly events?: string | undefined;
  readonly maxBodySize?: string | undefined;
}

function receiveBuilder(y: Argv): Argv<ReceiveArgs> {
  return y
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
      describe: 'whsec_… secret: verify Standard Webhooks signatures',
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
  const events = o.events === undefined ? undefined : parseEventList(o.events);
  const receiver = new WebhookReceiver({
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
        }) + '\n',
      );
    },
  });
  const url = await receiver.start();
  io.stderr(`ovsim: receiving WebHooks on ${url} (Ctrl-C prints statistics and quits)\n`);
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

export const receiveCommand = defineCommand<ReceiveArgs>({
  command: 'receive',
  describe:
    'receive WebHooks: print them, check the lifecycle and signatures, answer with chosen statuses/delays/drops',
  builder: receiveBuilder,
  run: (a, io) => runReceive(a, io),
});
