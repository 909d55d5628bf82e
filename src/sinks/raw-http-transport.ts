/**
 * A minimal HTTP/1.1 client for load mode: N keep-alive sockets, one request per socket at a time, each request
 * written with a single `write` (head and body in one buffer) and the answer parsed just enough to know its status
 * and where it ends. It writes the head exactly as OpenVidu's HttpClient does (headers given, then Content-Length,
 * Host, Connection: Keep-Alive, User-Agent, Accept-Encoding), so load mode is as faithful on the wire as the
 * OpenVidu sender — and about twice as fast as undici's general-purpose client on small requests.
 *
 * Plain `http:` only (https endpoints use the undici transport).
 */
import net from 'node:net';
import {
  apacheTrailingHeaders,
  classifyNetworkError,
  type Outcome,
  type Transport,
  type TransportOptions,
} from './http-transport.js';

interface Pending {
  readonly data: Buffer;
  readonly resolve: (o: Outcome) => void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** One keep-alive connection and the parse state of the answer it waits for. */
class Connection {
  socket: net.Socket | undefined;
  current: Pending | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private status = 0;
  /** Bytes of body still expected (-1: head not parsed; -2: chunked; -3: until close). */
  private remaining = -1;
  private closeAfter = false;
  private ended = false;

  constructor(
    private readonly transport: RawHttpTransport,
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  send(p: Pending): void {
    this.current = p;
    this.status = 0;
    this.remaining = -1;
    this.closeAfter = false;
    this.buf = Buffer.alloc(0);
    if (!this.socket || this.socket.destroyed) this.open();
    this.socket!.write(p.data);
  }

  /** Closes the socket; a request still waiting for its answer fails (aborted). */
  destroy(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    this.fail(Object.assign(new Error('shut down'), { code: 'OVSIM_ABORTED' }));
  }

  private open(): void {
    this.ended = false;
    const s = net.connect({ host: this.host, port: this.port, noDelay: true });
    s.setTimeout(this.timeoutMs, () =>
      s.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'OVSIM_TIMEOUT' })),
    );
    // Events of a socket this connection already let go of are ignored: it may carry a new request by then.
    s.on('data', (chunk: Buffer) => {
      if (this.socket === s) this.onData(chunk);
    });
    s.on('end', () => {
      if (this.socket !== s) return;
      this.ended = true;
      if (this.current && this.remaining === -3) this.complete();
      s.destroy();
    });
    s.on('error', (e) => {
      if (this.socket === s) this.fail(e);
    });
    s.on('close', () => {
      if (this.socket === s) this.fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    });
    this.socket = s;
  }

  private fail(e: Error): void {
    const p = this.current;
    if (!p) return;
    this.current = undefined;
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    p.resolve({ kind: 'network', failure: classifyNetworkError(e), message: e.message });
    this.transport.release(this);
  }

  private onData(chunk: Buffer): void {
    if (!this.current) return; // unsolicited bytes: ignored (the socket is reset on the next failure)
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    // Bounded: each round consumes a head, a body or a chunk, or waits for more bytes.
    for (let guard = 0; guard < 10_000 && this.current; guard++) {
      if (this.remaining === -1) {
        const end = this.buf.indexOf(CRLFCRLF);
        if (end < 0) return;
        const head = this.buf.subarray(0, end).toString('latin1');
        this.buf = this.buf.subarray(end + 4);
        this.parseHead(head);
        if (this.status >= 100 && this.status < 200) {
          this.remaining = -1; // interim answer (100 Continue): the real one follows
          continue;
        }
      }
      if (this.remaining >= 0) {
        if (this.buf.length < this.remaining) return;
        this.buf = this.buf.subarray(this.remaining);
        this.complete();
        return;
      }
      if (this.remaining === -2) {
        if (!this.skipChunks()) return;
        this.complete();
        return;
      }
      return; // -3: read until the server closes
    }
  }

  private parseHead(head: string): void {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    this.status = m ? Number(m[1]) : 0;
    let length: number | undefined;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const c = line.indexOf(':');
      if (c < 0) continue;
      const name = line.slice(0, c).trim().toLowerCase();
      const value = line
        .slice(c + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding' && value.includes('chunked')) chunked = true;
      else if (name === 'connection' && value === 'close') this.closeAfter = true;
    }
    const bodiless = this.status === 204 || this.status === 304;
    this.remaining = bodiless ? 0 : chunked ? -2 : length !== undefined && length >= 0 ? length : -3;
    if (this.remaining === -3) this.closeAfter = true;
  }

  /** Consumes complete chunks; true once the terminating chunk and trailers are read. */
  private skipChunks(): boolean {
    for (let guard = 0; guard < 100_000; guard++) {
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) return false;
      const size = parseInt(this.buf.subarray(0, eol).toString('latin1'), 16);
      if (!(size >= 0)) {
        this.fail(Object.assign(new Error('bad chunked encoding'), { code: 'OVSIM_PROTOCOL' }));
        return false;
      }
      if (size === 0) {
        const end = this.buf.indexOf(CRLFCRLF, eol);
        if (end < 0 && this.buf.indexOf('\r\n', eol + 2) !== eol + 2) return false;
        this.buf = this.buf.subarray(end < 0 ? eol + 4 : end + 4);
        return true;
      }
      if (this.buf.length < eol + 2 + size + 2) return false;
      this.buf = this.buf.subarray(eol + 2 + size + 2);
    }
    return false;
  }

  private complete(): void {
    const p = this.current;
    if (!p) return;
    this.current = undefined;
    if (this.closeAfter || this.ended) {
      const s = this.socket;
      this.socket = undefined;
      s?.destroy();
    }
    p.resolve({ kind: 'status', status: this.status });
    this.transport.release(this);
  }
}

export class RawHttpTransport implements Transport {
  private readonly url: URL;
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly waiting: Pending[] = [];
  private waitingHead = 0;
  private destroyed = false;

  constructor(endpoint: string, options: TransportOptions = {}) {
    this.url = new URL(endpoint);
    const n = Math.max(1, options.connections ?? 1);
    const port = Number(this.url.port || 80);
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    for (let i = 0; i < n; i++) {
      const c = new Connection(this, host, port, options.timeoutMs ?? 10_000);
      this.all.push(c);
      this.idle.push(c);
    }
  }

  post(body: Buffer, headers: readonly string[]): Promise<Outcome> {
    const { prefix, suffix } = this.headOf(headers);
    const length = String(body.length);
    // One buffer, one write: head (from the cached parts around Content-Length's value) and body.
    const data = Buffer.allocUnsafe(prefix.length + length.length + suffix.length + body.length);
    let at = prefix.copy(data, 0);
    at += data.write(length, at, 'latin1');
    at += suffix.copy(data, at);
    body.copy(data, at);
    return new Promise<Outcome>((resolve) => {
      if (this.destroyed) {
        resolve({ kind: 'network', failure: 'other', message: 'transport destroyed' });
        return;
      }
      const p = { data, resolve };
      const c = this.idle.pop();
      if (c) c.send(p);
      else this.waiting.push(p);
    });
  }

  private lastHeaders: readonly string[] | undefined;
  private lastHead: { prefix: Buffer; suffix: Buffer } | undefined;

  /**
   * The request head around the Content-Length value, cached for the last header list seen (the same array on every
   * request unless signatures make each list unique).
   */
  private headOf(headers: readonly string[]): { prefix: Buffer; suffix: Buffer } {
    if (headers === this.lastHeaders && this.lastHead) return this.lastHead;
    const all = [...headers, ...apacheTrailingHeaders(this.url, 0)];
    let prefix = `POST ${this.url.pathname}${this.url.search} HTTP/1.1\r\n`;
    let suffix = '';
    let seenLength = false;
    for (let i = 0; i + 1 < all.length; i += 2) {
      if (!seenLength && all[i] === 'Content-Length') {
        prefix += 'Content-Length: ';
        seenLength = true;
        suffix = '\r\n';
        continue;
      }
      const line = `${all[i]}: ${all[i + 1]}\r\n`;
      if (seenLength) suffix += line;
      else prefix += line;
    }
    this.lastHeaders = headers;
    this.lastHead = { prefix: Buffer.from(prefix, 'latin1'), suffix: Buffer.from(suffix + '\r\n', 'latin1') };
    return this.lastHead;
  }

  /** A connection finished its request: give it the next waiting one. */
  release(c: Connection): void {
    if (this.destroyed) return;
    if (this.waitingHead < this.waiting.length) {
      const p = this.waiting[this.waitingHead++]!;
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      c.send(p);
    } else {
      this.idle.push(c);
    }
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (; this.waitingHead < this.waiting.length; this.waitingHead++) {
      this.waiting[this.waitingHead]!.resolve({ kind: 'network', failure: 'other', message: 'shut down' });
    }
    this.waiting.length = 0;
    for (const c of this.all) c.destroy();
  }
}
