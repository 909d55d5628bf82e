/**
 * A WebHook receiver for demos and tests (`ovsim receive`): records what arrives, checks the lifecycle live with the
 * validator's rules, verifies Standard Webhooks signatures, and answers as told — a status, a delay, a share of
 * failures or of dropped connections — to rehearse a sender's failure handling.
 */
import http from 'node:http';
import { listenOn } from './listen.js';
import { OvsimError } from '../errors.js';
import { WebhookVerifier } from '../sinks/webhook-signing.js';
import { LifecycleValidator, type Diagnostic } from '../validate/index.js';

export interface ReceiverOptions {
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Status of a normal answer; default 200. */
  readonly respond?: number;
  /** Share (0..1) of requests answered with `failStatus` instead; default 0. */
  readonly failRate?: number;
  readonly failStatus?: number;
  /** Wait before answering, ms; default 0. */
  readonly delayMs?: number;
  /** Share (0..1) of requests whose connection is destroyed without an answer; default 0. */
  readonly dropRate?: number;
  /** `whsec_…`: verify Standard Webhooks signatures. */
  readonly verifySecret?: string | undefined;
  /** Check the lifecycle with the validator; default true. */
  readonly validate?: boolean;
  /** Random numbers in [0, 1) for fail/drop draws; default Math.random. */
  readonly random?: () => number;
  /** Called once per request, after its answer was decided. */
  readonly onRequest?: (r: ReceivedRequest) => void;
}

export interface ReceivedRequest {
  /** 1-based arrival number. */
  readonly n: number;
  /** Wall clock ISO 8601. */
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** Raw header names and values, in arrival order. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
  /** The body's `event`, when it is a JSON object with one. */
  readonly event: string | undefined;
  readonly sessionId: string | undefined;
  /** The status answered, or `dropped`. */
  readonly answer: number | 'dropped';
  /** `valid`, `invalid: <why>`, or `unchecked` (no --verify-secret). */
  readonly signature: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReceiverStats {
  requests: number;
  bytes: number;
  readonly byEvent: Map<string, number>;
  readonly byAnswer: Map<string, number>;
  notJson: number;
  signaturesValid: number;
  signaturesInvalid: number;
  lifecycleErrors: number;
  lifecycleWarnings: number;
}

export class WebhookReceiver {
  private readonly server: http.Server;
  private readonly o: ReceiverOptions;
  private readonly validator: LifecycleValidator | undefined;
  private readonly verifier: WebhookVerifier | undefined;
  private readonly random: () => number;
  readonly stats: ReceiverStats = {
    requests: 0,
    bytes: 0,
    byEvent: new Map(),
    byAnswer: new Map(),
    notJson: 0,
    signaturesValid: 0,
    signaturesInvalid: 0,
    lifecycleErrors: 0,
    lifecycleWarnings: 0,
  };

  /** @throws OvsimError BAD_INPUT for out-of-range rates or a bad secret */
  constructor(options: ReceiverOptions = {}) {
    this.o = options;
    for (const [name, v] of [
      ['--fail-rate', options.failRate],
      ['--drop-rate', options.dropRate],
    ] as const) {
      if (v !== undefined && !(v >= 0 && v <= 1))
        throw new OvsimError('BAD_INPUT', `${name} must be between 0 and 1`);
    }
    this.validator = options.validate === false ? undefined : new LifecycleValidator();
    this.verifier =
      options.verifySecret === undefined ? undefined : new WebhookVerifier(options.verifySecret);
    this.random = options.random ?? Math.random;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  /** Listens; resolves with the URL (`http://host:port/`). */
  async start(): Promise<string> {
    const a = await listenOn(this.server, this.o.port ?? 0, this.o.host ?? '127.0.0.1');
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}/`;
  }

  /** Closes the server and every connection. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Lifecycle validator summary (undefined when validation is off). */
  validatorSummary() {
    return this.validator?.summary();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 16 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const s = this.stats;
      const n = ++s.requests;
      s.bytes += size;
      const body = Buffer.concat(chunks).toString('utf8');
      let event: string | undefined;
      let sessionId: string | undefined;
      let diagnostics: Diagnostic[] = [];
      try {
        const parsed = JSON.parse(body) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          const o = parsed as Record<string, unknown>;
          event = typeof o.event === 'string' ? o.event : undefined;
          sessionId = typeof o.sessionId === 'string' ? o.sessionId : undefined;
        }
      } catch {
        s.notJson++;
      }
      if (event) s.byEvent.set(event, (s.byEvent.get(event) ?? 0) + 1);
      if (this.validator) {
        diagnostics = this.validator.push(body, n, 'webhook');
        for (const d of diagnostics) {
          if (d.severity === 'error') s.lifecycleErrors++;
          else s.lifecycleWarnings++;
        }
      }
      let signature = 'unchecked';
      if (this.verifier) {
        const why = this.verifier.verify(body, req.headers as Record<string, string | string[] | undefined>);
        signature = why === undefined ? 'valid' : `invalid: ${why}`;
        if (why === undefined) s.signaturesValid++;
        else s.signaturesInvalid++;
      }
      const drop = (this.o.dropRate ?? 0) > 0 && this.random() < (this.o.dropRate ?? 0);
      const fail = !drop && (this.o.failRate ?? 0) > 0 && this.random() < (this.o.failRate ?? 0);
      const answer: number | 'dropped' = drop
        ? 'dropped'
        : fail
          ? (this.o.failStatus ?? 500)
          : (this.o.respond ?? 200);
      s.byAnswer.set(String(answer), (s.byAnswer.get(String(answer)) ?? 0) + 1);
      this.o.onRequest?.({
        n,
        at: new Date().toISOString(),
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body,
        event,
        sessionId,
        answer,
        signature,
        diagnostics,
      });
      const reply = () => {
        if (answer === 'dropped') req.socket.destroy();
        else res.writeHead(answer, { 'Content-Length': '0' }).end();
      };
      if (this.o.delayMs) setTimeout(reply, this.o.delayMs);
      else reply();
    });
  }
}

/** Parses `--fail-rate 0.1:500` (share:status; status defaults to 500). */
export function parseFailRate(text: string): { rate: number; status: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*(?::\s*(\d{3}))?\s*$/.exec(text);
  const rate = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!m || !(rate >= 0 && rate <= 1)) {
    throw new OvsimError('BAD_INPUT', `--fail-rate "${text}" must be SHARE[:STATUS], e.g. 0.1:500 or 5%:503`);
  }
  return { rate, status: m[3] ? Number(m[3]) : 500 };
}

/** `#12 participantJoined ses_… → 200` with the lifecycle findings below it. */
export function formatReceived(r: ReceivedRequest): string {
  const sig = r.signature === 'unchecked' ? '' : ` signature ${r.signature}`;
  const head = `#${r.n} ${r.at.slice(11, 23)} ${r.event ?? `${r.method} ${r.path} (${r.body.length} bytes)`}${
    r.sessionId ? ` ${r.sessionId}` : ''
  } → ${r.answer}${sig}`;
  return [head, ...r.diagnostics.map((d) => `   ${d.severity}: ${d.rule}: ${d.message}`)].join('\n') + '\n';
}

/** End-of-run statistics. */
export function formatReceiverStats(s: ReceiverStats): string {
  const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return (
    [
      `received ${s.requests} requests (${s.bytes} bytes); events: ${list(s.byEvent)}`,
      `answered: ${list(s.byAnswer)}; not JSON: ${s.notJson}`,
      `signatures: ${s.signaturesValid} valid, ${s.signaturesInvalid} invalid`,
      `lifecycle: ${s.lifecycleErrors} errors, ${s.lifecycleWarnings} warnings`,
    ].join('\n') + '\n'
  );
}
