/**
 * A WebHook receiver for demos and tests (`ovsim receive`): records what arrives, checks the lifecycle live with the
 * validator's rules for the server imitated, verifies signatures (Standard Webhooks for OpenVidu 2 senders, LiveKit's
 * JWT, Meet's HMAC: receiver-auth.ts), and answers as told — a status, a delay, a share of failures or of dropped
 * connections — to rehearse a sender's failure handling. Whatever arrives, it stays up: a body that is not JSON (or
 * nests deeper than the validator reads) is answered 400, one over the size limit 413 without being kept; for
 * LiveKit and Meet, as their documented endpoints do, a request whose signature fails is answered 401.
 */
import http from 'node:http';
import { listenOn } from './listen.js';
import type { ServerKind } from '../model/servers.js';
import { OvsimError } from '../errors.js';
import {
  createStreamValidator,
  formatFilter,
  type Diagnostic,
  type StreamSummary,
  type StreamValidator,
} from '../validate/index.js';
import { authenticator, type Authenticator } from './receiver-auth.js';
import { decodeUtf8, DEFAULT_MAX_LINE_BYTES } from '../validate/line-reader.js';
import { nestsDeeperThan } from '../validate/raw-json.js';

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
  /** The server whose webhooks arrive: how they are checked and signed. Default `openvidu2`. */
  readonly server?: ServerKind;
  /** `whsec_…`: verify Standard Webhooks signatures (OpenVidu 2 senders). */
  readonly verifySecret?: string | undefined;
  /** LiveKit's API key and secret (the JWT), or Meet's API key (the HMAC). */
  readonly apiKey?: string | undefined;
  readonly apiSecret?: string | undefined;
  /** The clock the LiveKit token's expiry is checked against; default Date.now. */
  readonly now?: () => number;
  /** Check the lifecycle with the validator; default true. */
  readonly validate?: boolean;
  /** The event types the sender sends (its OPENVIDU_WEBHOOK_EVENTS); default: inferred from what arrives. */
  readonly events?: readonly string[];
  /** Largest body kept and checked, bytes; a larger one is answered 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
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
  /** The body as text; empty when it was over the size limit (not kept). */
  readonly body: string;
  /** The body parsed, when it is JSON nested no deeper than the validator reads; undefined otherwise. */
  readonly json: unknown;
  /** The body's `event`, when it is a JSON object with one. */
  readonly event: string | undefined;
  /** What the event is about: the sessionId (OpenVidu 2), the room name (LiveKit), the room id (Meet). */
  readonly sessionId: string | undefined;
  /** The status answered, or `dropped`. */
  readonly answer: number | 'dropped';
  /** `valid`, `invalid: <why>`, or `unchecked` (no secret or key given). */
  readonly signature: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReceiverStats {
  requests: number;
  bytes: number;
  readonly byEvent: Map<string, number>;
  readonly byAnswer: Map<string, number>;
  /** Bodies that are not a JSON object (answered 400). */
  notJson: number;
  /** Bodies over the size limit (answered 413). */
  tooLarge: number;
  signaturesValid: number;
  signaturesInvalid: number;
  lifecycleErrors: number;
  lifecycleWarnings: number;
}

export class WebhookReceiver {
  private readonly server: http.Server;
  private readonly o: ReceiverOptions;
  private readonly validator: StreamValidator | undefined;
  private readonly auth: Authenticator;
  private readonly kind: ServerKind;
  private readonly random: () => number;
  readonly stats: ReceiverStats = {
    requests: 0,
    bytes: 0,
    byEvent: new Map(),
    byAnswer: new Map(),
    notJson: 0,
    tooLarge: 0,
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
    this.kind = options.server ?? 'openvidu2';
    this.auth = authenticator({
      server: this.kind,
      verifySecret: options.verifySecret,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
    });
    this.validator =
      options.validate === false
        ? undefined
        : createStreamValidator({
            server: this.kind,
            ...(options.events === undefined ? {} : { events: options.events }),
          });
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

  /**
   * Ends the validation (call once, after {@link stop}): checks still waiting for an event type that never
   * arrived are skipped; returns what the end of input reports (counted in the statistics) and the summary.
   */
  endValidation(): { diagnostics: Diagnostic[]; summary: StreamSummary | undefined } {
    const diagnostics = this.validator?.finish() ?? [];
    for (const d of diagnostics) {
      if (d.severity === 'error') this.stats.lifecycleErrors++;
      else this.stats.lifecycleWarnings++;
    }
    return { diagnostics, summary: this.validator?.summary() };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const max = this.o.maxBodyBytes ?? DEFAULT_MAX_LINE_BYTES;
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
      else chunks = []; // over the limit: only counted from here on
    });
    req.on('end', () => {
      const s = this.stats;
      const n = ++s.requests;
      s.bytes += size;
      const tooLarge = size > max;
      const read = tooLarge ? undefined : decodeUtf8(Buffer.concat(chunks));
      chunks = [];
      const body = read?.text ?? '';
      const fields = read === undefined ? undefined : jsonFields(body, this.kind);
      if (tooLarge) s.tooLarge++;
      else if (fields === undefined) s.notJson++;
      if (fields?.event) s.byEvent.set(fields.event, (s.byEvent.get(fields.event) ?? 0) + 1);
      const { signature, headerProblems } = this.verify(req, body);
      const refused = signature.startsWith('invalid') && (this.kind === 'openvidu3' || this.kind === 'meet');
      // A refused delivery is not part of the stream the consumer processes (Meet retries it; LiveKit gives up).
      const checked = refused && fields !== undefined ? [] : this.check(n, size, max, read);
      const diagnostics = [...checked, ...this.headerFindings(n, headerProblems)];
      const answer = tooLarge ? 413 : fields === undefined ? 400 : refused ? 401 : this.draw();
      s.byAnswer.set(String(answer), (s.byAnswer.get(String(answer)) ?? 0) + 1);
      this.o.onRequest?.({
        n,
        at: new Date().toISOString(),
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body,
        json: fields?.json,
        event: fields?.event,
        sessionId: fields?.sessionId,
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

  /** The lifecycle findings of one request (none when validation is off). */
  private check(n: number, size: number, max: number, read: Body | undefined): Diagnostic[] {
    if (this.validator === undefined) return [];
    const diagnostics =
      read === undefined
        ? this.validator.pushTooLong(n, 'webhook', size, max, '--max-body-size')
        : this.validator.push(read.text, n, 'webhook', read.invalidUtf8);
    for (const d of diagnostics) {
      if (d.severity === 'error') this.stats.lifecycleErrors++;
      else this.stats.lifecycleWarnings++;
    }
    return diagnostics;
  }

  /** `valid`, `invalid: <why>` or `unchecked`, counted, and what the headers reveal about the sender. */
  private verify(
    req: http.IncomingMessage,
    body: string,
  ): { signature: string; headerProblems: readonly string[] } {
    const r = this.auth(body, req.headers, (this.o.now ?? Date.now)());
    if (r.signature === 'valid') this.stats.signaturesValid++;
    else if (r.signature !== 'unchecked') this.stats.signaturesInvalid++;
    return r;
  }

  /** Header findings as warnings of this request (`request-headers`). */
  private headerFindings(n: number, problems: readonly string[]): Diagnostic[] {
    if (this.validator === undefined) return [];
    this.stats.lifecycleWarnings += problems.length;
    return problems.map((message) => ({
      file: 'webhook',
      line: n,
      rule: 'request-headers',
      message,
      severity: 'warning',
    }));
  }

  /** The answer to a well-formed body: dropped, the failure status or the normal one, as the rates draw. */
  private draw(): number | 'dropped' {
    const drop = (this.o.dropRate ?? 0) > 0 && this.random() < (this.o.dropRate ?? 0);
    if (drop) return 'dropped';
    const fail = (this.o.failRate ?? 0) > 0 && this.random() < (this.o.failRate ?? 0);
    return fail ? (this.o.failStatus ?? 500) : (this.o.respond ?? 200);
  }
}

interface Body {
  readonly text: string;
  readonly invalidUtf8: string | undefined;
}

/**
 * The parsed body, its `event` and what it is about (the OpenVidu 2 sessionId, the LiveKit room name, the Meet room
 * id), or undefined when the body is not a JSON object or nests deeper than the validator reads (re-serializing
 * such a body for --jsonl would overflow the stack). A byte order mark is tolerated here; the validator reports it.
 */
function jsonFields(
  body: string,
  server: ServerKind,
): { json: unknown; event: string | undefined; sessionId: string | undefined } | undefined {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (nestsDeeperThan(text)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const inner = (key: string) =>
    typeof o[key] === 'object' && o[key] !== null ? (o[key] as Record<string, unknown>) : {};
  const subject =
    server === 'openvidu3' ? inner('room').name : server === 'meet' ? inner('data').roomId : o.sessionId;
  return {
    json,
    event: typeof o.event === 'string' ? o.event : undefined,
    sessionId: typeof subject === 'string' ? subject : undefined,
  };
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
  // A finding that waited for an event type (inferred filter) is about an earlier request: say which.
  const about = (d: Diagnostic): string => (d.line === r.n ? '' : ` (#${d.line})`);
  return (
    [head, ...r.diagnostics.map((d) => `   ${d.severity}${about(d)}: ${d.rule}: ${d.message}`)].join('\n') +
    '\n'
  );
}

/** End-of-run statistics, with what the validator inferred about the event filter when it ran. */
export function formatReceiverStats(s: ReceiverStats, lifecycle?: StreamSummary): string {
  const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return (
    [
      `received ${s.requests} requests (${s.bytes} bytes); events: ${list(s.byEvent)}`,
      `answered: ${list(s.byAnswer)}; not a JSON object: ${s.notJson}; over the size limit: ${s.tooLarge}`,
      `signatures: ${s.signaturesValid} valid, ${s.signaturesInvalid} invalid`,
      `lifecycle: ${s.lifecycleErrors} errors, ${s.lifecycleWarnings} warnings`,
      ...(lifecycle === undefined ? [] : [formatFilter(lifecycle)]),
    ].join('\n') + '\n'
  );
}
