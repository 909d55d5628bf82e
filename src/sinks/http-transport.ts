/**
 * HTTP POST transports for WebHook delivery and the classification of their outcomes.
 *
 * - `WireExactTransport` (node:http, one keep-alive socket by default): writes the request head byte for byte as
 *   OpenVidu's Apache HttpClient 4.5.14 does (spec §5): custom headers, Content-Type, Content-Length, Host,
 *   Connection: Keep-Alive, User-Agent, Accept-Encoding, in that order and that case. Used by `--delivery openvidu`.
 *   (undici cannot do this: it always writes `host` and `connection` first, in lower case.)
 * - `UndiciTransport` (undici-transport.ts): the fast path for load mode.
 *
 * Both enforce `--timeout` with the same {@link RequestTimer}.
 */
import http from 'node:http';
import https from 'node:https';
import { DeadlineSweeper, RequestTimer, timeoutError } from './request-timer.js';

/** A network failure's class, as reports and dead letters name it. */
export type NetworkFailure = 'timeout' | 'refused' | 'reset' | 'other';

/** What one POST attempt came to. `status` is any HTTP answer (success is the caller's call: OpenVidu wants 200). */
export type Outcome =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'network'; readonly failure: NetworkFailure; readonly message: string };

/** The failure class of an outcome that is not a success: `status 500`, `timeout`, `refused`, `reset`, `other`. */
export function outcomeClass(o: Outcome): string {
  return o.kind === 'status' ? `status ${o.status}` : o.failure;
}

export interface Transport {
  /** POSTs `body` with `headers` (flat `[name, value, …]`, in wire order); never rejects. */
  post(body: Uint8Array, headers: readonly string[]): Promise<Outcome>;
  /**
   * The same POST in callback form, on connection `lane` (0 … connections − 1) when the transport keeps one per lane:
   * load mode's hot path, without a promise per request. `done` is called exactly once.
   */
  send?(body: Uint8Array, headers: readonly string[], lane: number, done: (outcome: Outcome) => void): void;
  /** Aborts requests in flight and closes sockets. */
  destroy(): Promise<void>;
}

export interface TransportOptions {
  /** Connect timeout and read (socket idle) timeout, ms; default 10 000 (OpenVidu 2.18+). */
  readonly timeoutMs?: number;
  /** Concurrent connections; default 1. */
  readonly connections?: number;
}

/** Maps a Node/undici error to a failure class. */
export function classifyNetworkError(e: unknown): NetworkFailure {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? '';
  switch (code) {
    case 'ETIMEDOUT':
    case 'OVSIM_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'reset';
    default:
      if (/socket hang up|other side closed/i.test(err?.message ?? '')) return 'reset';
      return 'other';
  }
}

/** The `User-Agent` of OpenVidu 2.32's HttpClient on its JDK 25 image. */
export const OPENVIDU_USER_AGENT = 'Apache-HttpClient/4.5.14 (Java/25.0.1)';

/**
 * The request head HttpClient writes after the configured headers: Content-Length, Host (port omitted when default),
 * Connection, User-Agent, Accept-Encoding. Flat `[name, value, …]`.
 */
export function apacheTrailingHeaders(url: URL, contentLength: number): string[] {
  return [
    'Content-Length',
    String(contentLength),
    'Host',
    url.host,
    'Connection',
    'Keep-Alive',
    'User-Agent',
    OPENVIDU_USER_AGENT,
    'Accept-Encoding',
    'gzip,deflate',
  ];
}

/** node:http with an explicit header list: the head is written exactly as given. */
export class WireExactTransport implements Transport {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly sweeper = new DeadlineSweeper();

  constructor(endpoint: string, options: TransportOptions = {}) {
    this.url = new URL(endpoint);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const agentOptions = { keepAlive: true, maxSockets: options.connections ?? 1 };
    // OpenVidu trusts any certificate and skips the host name check (spec §5).
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({
            ...agentOptions,
            rejectUnauthorized: false,
            checkServerIdentity: () => undefined,
          })
        : new http.Agent(agentOptions);
  }

  post(body: Uint8Array, headers: readonly string[]): Promise<Outcome> {
    const mod = this.url.protocol === 'https:' ? https : http;
    const all = [...headers, ...apacheTrailingHeaders(this.url, body.length)];
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const done = (o: Outcome) => {
        if (settled) return;
        settled = true;
        timer.dispose();
        this.inFlight.delete(req);
        resolve(o);
      };
      const req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port || undefined,
          path: this.url.pathname + this.url.search,
          method: 'POST',
          agent: this.agent,
          headers: all as string[],
          setHost: false,
        },
        (res) => {
          timer.progress();
          // The body is read and ignored, as HttpClient's EntityUtils.consume does.
          res.on('data', () => timer.progress());
          res.on('end', () => done({ kind: 'status', status: res.statusCode ?? 0 }));
          res.on('error', (e) =>
            done({ kind: 'network', failure: classifyNetworkError(e), message: e.message }),
          );
        },
      );
      // Connect timeout, then read timeout from the moment the connection is up (HttpClient's two timeouts).
      const timer = new RequestTimer(this.timeoutMs, this.sweeper, () =>
        req.destroy(timeoutError(this.timeoutMs)),
      );
      timer.start();
      req.once('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => timer.start());
      });
      this.inFlight.add(req);
      req.on('error', (e) => done({ kind: 'network', failure: classifyNetworkError(e), message: e.message }));
      req.end(body);
    });
  }

  async destroy(): Promise<void> {
    for (const req of this.inFlight)
      req.destroy(Object.assign(new Error('shut down'), { code: 'OVSIM_ABORTED' }));
    this.agent.destroy();
  }
}

/** One frozen outcome per status code: the common answers allocate nothing. */
const statusOutcomes = new Map<number, Outcome>();
export function statusOutcome(status: number): Outcome {
  let o = statusOutcomes.get(status);
  if (o === undefined) {
    o = Object.freeze({ kind: 'status', status });
    if (statusOutcomes.size < 1000) statusOutcomes.set(status, o);
  }
  return o;
}
