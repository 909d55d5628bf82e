/**
 * Load mode's transport: N undici Clients, one keep-alive connection each, driven through undici's low-level
 * `dispatch`: no response stream, no promise and no handler allocated per request on the hot path (`send`).
 *
 * The handler speaks the callbacks undici 7's Client calls natively (`onConnect`, `onHeaders`, `onData`,
 * `onComplete`, `onError`), as undici's own `request()` and `stream()` do. The newer interface (`onRequestStart` …
 * `onResponseError`) is adapted to those per request — a wrapper, a controller and the response headers parsed into an
 * object — which measured 1.6 µs more CPU per request here (about 8 %, bench harness, alternated rounds).
 *
 * Two rules of undici's dispatch contract shape it:
 * - A handler's error callback runs inside the Client's own error handling (a refused connection fails every queued
 *   request, then checks that its queue is empty). Dispatching again from there corrupts that state (undici asserts),
 *   so failures are handed to the caller on a microtask, once undici is done; answers are handed over at once (a
 *   request dispatched from `onComplete` is queued and written when the connection is free).
 * - undici's headers and body timeouts run on a coarse timer (about a second of resolution): they are turned off and
 *   the {@link RequestTimer} every transport shares enforces `--timeout`.
 */
import { Client } from 'undici';
import { OvsimError } from '../errors.js';
import {
  classifyNetworkError,
  statusOutcome,
  type Outcome,
  type Transport,
  type TransportOptions,
} from './http-transport.js';
import { DeadlineSweeper, RequestTimer, timeoutError } from './request-timer.js';

export class UndiciTransport implements Transport {
  private readonly origin: string;
  private readonly path: string;
  private readonly timeoutMs: number;
  private readonly clients: Client[];
  /** One handler per lane, re-armed for each request (load mode keeps one request in flight per lane). */
  private readonly handlers: PostHandler[];
  /** Handlers made for requests beyond one per lane (`post`), until they settle. */
  private readonly extra = new Set<PostHandler>();
  private next = 0;
  private destroyed = false;
  /** Checks every request's deadline (`--timeout`). */
  readonly sweeper = new DeadlineSweeper();

  constructor(endpoint: string, options: TransportOptions = {}) {
    const url = new URL(endpoint);
    this.origin = url.origin;
    this.path = url.pathname + url.search;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const connections = options.connections ?? 1;
    if (!(connections >= 1)) throw new OvsimError('BAD_INPUT', `--connections must be at least 1`);
    this.clients = Array.from({ length: connections }, () => this.makeClient());
    this.handlers = this.clients.map((_, lane) => new PostHandler(this, lane, this.timeoutMs, false));
  }

  post(body: Uint8Array, headers: readonly string[]): Promise<Outcome> {
    const lane = this.next;
    this.next = (lane + 1) % this.clients.length;
    return new Promise<Outcome>((resolve) => this.send(body, headers, lane, resolve));
  }

  send(body: Uint8Array, headers: readonly string[], lane: number, done: (outcome: Outcome) => void): void {
    const i = lane % this.clients.length;
    let handler = this.handlers[i]!;
    if (handler.busy) {
      // Several requests on one lane (`post`): each gets its own handler; undici queues them on the connection.
      handler = new PostHandler(this, i, this.timeoutMs, true);
      this.extra.add(handler);
    }
    handler.begin(done);
    if (this.destroyed) {
      handler.onError(Object.assign(new Error('shut down'), { code: 'OVSIM_ABORTED' }));
      return;
    }
    handler.dispatching = true;
    this.clients[i]!.dispatch(
      { method: 'POST', path: this.path, headers: headers as string[], body },
      handler,
    );
    handler.dispatching = false;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await Promise.all(this.clients.map((c) => c.destroy().catch(() => undefined)));
    for (const h of this.handlers) h.timer.dispose();
    for (const h of this.extra) h.timer.dispose();
  }

  /** A one-off handler settled. */
  release(handler: PostHandler): void {
    this.extra.delete(handler);
  }

  /**
   * A request ran out of time before undici began writing it (still connecting): the lane's Client is replaced and
   * the old one destroyed with the timeout, which fails what it had queued.
   */
  resetLane(lane: number, reason: Error): void {
    const old = this.clients[lane]!;
    this.clients[lane] = this.makeClient();
    void old.destroy(reason).catch(() => undefined);
  }

  private makeClient(): Client {
    return new Client(this.origin, {
      pipelining: 1,
      // OpenVidu trusts any certificate (spec §5). undici's connect timeout is a backstop only: ours fires first.
      connect: { timeout: this.timeoutMs + 1000, rejectUnauthorized: false },
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
    });
  }
}

/** Keeps the status, ignores the body, calls back once per request. */
class PostHandler {
  private status = 0;
  private done: ((o: Outcome) => void) | undefined;
  /** undici's abort for the request being written (undefined while it waits for its connection). */
  private abort: ((reason?: Error) => void) | undefined;
  /** Set while `Client.dispatch` runs: a request written at once needs no second window for its connection. */
  dispatching = false;
  readonly timer: RequestTimer;

  constructor(
    private readonly transport: UndiciTransport,
    private readonly lane: number,
    timeoutMs: number,
    private readonly oneOff: boolean,
  ) {
    this.timer = new RequestTimer(timeoutMs, transport.sweeper, () => this.expire());
  }

  get busy(): boolean {
    return this.done !== undefined;
  }

  begin(done: (o: Outcome) => void): void {
    this.status = 0;
    this.done = done;
    this.abort = undefined;
    this.timer.start();
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    // Connected (and about to be written) after a wait: the read window starts now, as HttpClient's would.
    if (!this.dispatching) this.timer.start();
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    this.timer.progress();
    return true;
  }

  onData(): boolean {
    this.timer.progress();
    return true;
  }

  onComplete(): void {
    this.finish(statusOutcome(this.status));
  }

  onError(e: Error): void {
    const outcome: Outcome = { kind: 'network', failure: classifyNetworkError(e), message: e.message };
    // Deferred: undici is still inside its error handling (see the module comment).
    queueMicrotask(() => this.finish(outcome));
  }

  private expire(): void {
    const reason = timeoutError(this.timer.ms);
    if (this.abort !== undefined) this.abort(reason);
    else this.transport.resetLane(this.lane, reason);
  }

  private finish(o: Outcome): void {
    const done = this.done;
    if (done === undefined) return;
    // Disarmed before calling back: the callback may re-arm this handler for the lane's next request.
    this.done = undefined;
    this.abort = undefined;
    this.timer.stop();
    if (this.oneOff) {
      this.timer.dispose();
      this.transport.release(this);
    }
    done(o);
  }
}
