/**
 * The side-effect counter of `ovsim score --effects-port`: a consumer POSTs `{"effect":"charge:ses_x"}` to
 * `/effects` each time it performs a side effect, and each effect performed more than once is a duplicate, as
 * `webhook-replay` judges a handler. `POST /done` tells ovsim the delivery is over. Protected like every ovsim server:
 * HTTP Basic auth as OPENVIDUAPP with the secret, on 127.0.0.1 by default; bodies and the number of distinct effects
 * are bounded, and whatever arrives is answered, never a crash.
 */
import http from 'node:http';
import { Authenticator, checkExposure } from './auth.js';
import { listenOn } from './listen.js';

export interface EffectsCounterOptions {
  readonly secret: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Distinct effects kept at most; more are answered 429 and counted as refused. Default 1 000 000. */
  readonly maxEffects?: number;
}

/** Longest body read, bytes; an effect name is at most MAX_EFFECT_CHARS. */
const MAX_BODY_BYTES = 4096;
const MAX_EFFECT_CHARS = 512;

export class EffectsCounter {
  /** Times each effect was reported, in order of first report. */
  readonly counts = new Map<string, number>();
  /** Requests refused: bad body (400), unauthorized (401), too many distinct effects (429), other paths. */
  refused = 0;
  private readonly server: http.Server;
  private readonly auth: Authenticator;
  private readonly maxEffects: number;
  private signalDone: () => void = () => undefined;
  /** Resolves when a consumer POSTs /done. */
  readonly done = new Promise<void>((resolve) => (this.signalDone = resolve));

  /** @throws OvsimError BAD_INPUT for a default secret on an exposed address */
  constructor(private readonly o: EffectsCounterOptions) {
    checkExposure(o.host ?? '127.0.0.1', o.secret);
    this.auth = new Authenticator(o.secret);
    this.maxEffects = o.maxEffects ?? 1_000_000;
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Listens; resolves with the effects URL (`http://127.0.0.1:PORT/effects`). */
  async start(): Promise<string> {
    const a = await listenOn(this.server, this.o.port ?? 0, this.o.host ?? '127.0.0.1');
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}/effects`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const answer = (status: number, body?: object) => {
      if (status >= 400) this.refused++;
      const text = body === undefined ? '' : JSON.stringify(body);
      const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(text) };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="ovsim", charset="UTF-8"';
      res.writeHead(status, headers).end(text);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (!this.auth.checkHeader(req.headers.authorization))
        return answer(401, { error: 'HTTP Basic auth as OPENVIDUAPP with the secret required' });
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path === '/done') {
        this.signalDone();
        return answer(202, { effects: this.counts.size });
      }
      if (req.method !== 'POST' || path !== '/effects')
        return answer(404, { error: 'POST {"effect":"…"} to /effects, or POST /done' });
      if (size > MAX_BODY_BYTES) return answer(413, { error: `a body is at most ${MAX_BODY_BYTES} bytes` });
      const effect = effectOf(Buffer.concat(chunks).toString('utf8'));
      if (effect === undefined)
        return answer(400, {
          error: `the body must be {"effect":"<name>"}, a name of 1 to ${MAX_EFFECT_CHARS} characters`,
        });
      const known = this.counts.get(effect);
      if (known === undefined && this.counts.size >= this.maxEffects)
        return answer(429, { error: `more than ${this.maxEffects} distinct effects` });
      const count = (known ?? 0) + 1;
      this.counts.set(effect, count);
      answer(200, { effect, count });
    });
    req.on('error', () => res.destroy());
  }
}

function effectOf(body: string): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const effect = (v as Record<string, unknown>)['effect'];
    return typeof effect === 'string' && effect.length > 0 && effect.length <= MAX_EFFECT_CHARS
      ? effect
      : undefined;
  } catch {
    return undefined;
  }
}
