import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WireExactTransport, type Transport } from '../../src/sinks/http-transport.js';
import { UndiciTransport } from '../../src/sinks/undici-transport.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
let server: http.Server | undefined;
let seen: string[][] = [];

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  seen = [];
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.rawHeaders);
      handler(req, res, ++n);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const makers: Array<[string, (url: string, timeoutMs?: number) => Transport]> = [
  ['wire-exact', (u, t) => new WireExactTransport(u, { timeoutMs: t ?? 2000 })],
  ['undici', (u, t) => new UndiciTransport(u, { connections: 2, timeoutMs: t ?? 2000 })],
];
const body = Buffer.from('{"a":"é"}');

describe.each(makers)('%s transport', (name, make) => {
  it('reads chunked bodies, Connection: close answers and keeps going', async () => {
    const url = await serve((_req, res, n) => {
      if (n % 3 === 1) {
        res.writeHead(200);
        res.write('part one,');
        res.end('part two');
      } else if (n % 3 === 2) {
        res.writeHead(201, { Connection: 'close', 'Content-Length': '2' }).end('ok');
      } else {
        res.writeHead(500, { 'Content-Length': '0' }).end();
      }
    });
    const t = make(url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const o = await t.post(body, ['Content-Type', 'application/json']);
      statuses.push(o.kind === 'status' ? o.status : -1);
    }
    await t.destroy();
    expect(statuses).toEqual([200, 201, 500, 200, 201, 500]);
  });

  it('classifies a dropped connection, a refused one and a timeout', async () => {
    const url = await serve((req, res, n) => {
      if (n === 1) req.socket.destroy();
      else setTimeout(() => res.writeHead(200, { 'Content-Length': '0' }).end(), 1500);
    });
    const t = make(url, 300);
    const dropped = await t.post(body, []);
    const late = await t.post(body, []);
    await t.destroy();
    expect(dropped).toMatchObject({ kind: 'network', failure: 'reset' });
    expect(late).toMatchObject({ kind: 'network', failure: 'timeout' });
    const gone = make('http://127.0.0.1:1/');
    expect(await gone.post(body, [])).toMatchObject({ kind: 'network', failure: 'refused' });
    await gone.destroy();
  });

  it('honours a 300 ms timeout to the millisecond timer: gives up before a 700 ms answer comes', async () => {
    let answered = false;
    const url = await serve((_req, res) =>
      setTimeout(() => {
        answered = true;
        res.writeHead(200, { 'Content-Length': '0' }).end();
      }, 700),
    );
    const t = make(url, 300);
    const outcome = await t.post(body, []);
    // Ordering, not a wall-clock figure: undici's own timers (about 1 s of resolution) let the answer win.
    const answeredFirst = answered;
    await t.destroy();
    expect(outcome).toMatchObject({ kind: 'network', failure: 'timeout' });
    expect(answeredFirst).toBe(false);
  });

  it('times out a connection that never completes (a TLS endpoint that never answers the handshake)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const t = make(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`, 200);
    try {
      const [first, second] = await Promise.all([t.post(body, []), t.post(body, [])]);
      expect(first).toMatchObject({ kind: 'network', failure: 'timeout' });
      expect(second).toMatchObject({ kind: 'network', failure: 'timeout' });
    } finally {
      await t.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  if (name !== 'undici') {
    it("writes OpenVidu's header order", async () => {
      const url = await serve((_req, res) => res.writeHead(200, { 'Content-Length': '0' }).end());
      const t = make(url);
      await t.post(body, ['X-One', '1', 'Content-Type', 'application/json']);
      await t.destroy();
      expect(seen[0]!.filter((_, i) => i % 2 === 0)).toEqual([
        'X-One',
        'Content-Type',
        'Content-Length',
        'Host',
        'Connection',
        'User-Agent',
        'Accept-Encoding',
      ]);
      expect(seen[0]![5]).toBe(String(body.length));
    });
  }
});
