/** A real HTTP server on 127.0.0.1:0 recording every request, answering as each test tells it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Received {
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly url: string;
}

export type Answer = { status: number; delayMs?: number } | 'destroy';

export interface TestServer {
  readonly url: string;
  readonly received: Received[];
  /** Requests that reached the server, including destroyed ones. */
  count: number;
  close(): Promise<void>;
}

export async function startTestServer(
  answer: (r: Received, n: number) => Answer = () => ({ status: 200 }),
): Promise<TestServer> {
  const received: Received[] = [];
  const state = { count: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
      };
      state.count++;
      const a = answer(r, state.count);
      if (a === 'destroy') {
        req.socket.destroy();
        return;
      }
      received.push(r);
      const send = () => res.writeHead(a.status, { 'Content-Length': '0' }).end();
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    get count() {
      return state.count;
    },
    set count(v) {
      state.count = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function tempDir(prefix = 'ovsim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
