/** A loopback receiver for the LiveKit delivery tests: scripted answers, every arrival recorded. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  readonly at: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
}

/** What to answer: a status (after a delay), or `drop` to destroy the socket without answering. */
export type Answer =
  { status: number; delayMs?: number; headers?: Record<string, string> } | 'drop' | Promise<number>;

export interface Receiver {
  readonly url: string;
  readonly arrivals: Arrival[];
  close(): Promise<void>;
}

export async function startReceiver(answer: (arrival: Arrival, index: number) => Answer): Promise<Receiver> {
  const arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrival = {
        at: Date.now(),
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
        rawHeaders: req.rawHeaders,
      };
      arrivals.push(arrival);
      const a = answer(arrival, arrivals.length - 1);
      if (a === 'drop') return void req.socket.destroy();
      if (a instanceof Promise) return void a.then((status) => res.writeHead(status).end());
      setTimeout(() => res.writeHead(a.status, a.headers).end(), a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/livekit/webhook`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
