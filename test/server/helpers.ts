import { WebSocket } from 'ws';
import { createServer, type OvsimServer, type ServerOptions } from '../../src/server/create-server.js';

/** Parsed JSON as the tests read it: the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const SECRET = 'test-secret';
export const AUTH = `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`;
export const T0 = Date.parse('2024-01-01T00:00:00.000Z');

export interface Running {
  server: OvsimServer;
  url: string;
  /** JSON request with auth; returns status and parsed body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json }>;
  act(type: string, args: unknown): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

/** A JSON client of a test server: auth header, JSON body in, status and parsed body (or text) out. */
export function jsonCaller(url: string): Running['call'] {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: AUTH, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const r = await fetch(url + path, init);
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // empty, or not JSON (the page)
    }
    return { status: r.status, body: parsed };
  };
}

/** A real server on 127.0.0.1:0, paused at T0 unless told otherwise. */
export async function startServer(options: ServerOptions = {}): Promise<Running> {
  const server = createServer({ port: 0, secret: SECRET, seed: 1, start: T0, paused: true, ...options });
  const { url } = await server.listen();
  const call = jsonCaller(url);
  return {
    server,
    url,
    call,
    act: (type, args) => call('POST', '/api/actions', { type, args }),
    close: () => server.close(),
  };
}

/** Opens the feed with the Basic header and collects its messages. */
export async function openFeed(url: string, headers: Record<string, string> = { authorization: AUTH }) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/feed`, { headers });
  const messages: Json[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages };
}

/** Polls `f` every 10 ms until it returns a truthy value, for at most `ms`. */
export async function until<T>(f: () => T, ms = 5000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
