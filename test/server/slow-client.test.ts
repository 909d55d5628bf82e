import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { AUTH, startServer, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Opens the feed over a raw socket, completes the handshake, then stops reading: a stalled browser. */
async function stalledClient(url: string): Promise<net.Socket> {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    'GET /api/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `Authorization: ${AUTH}\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  socket.pause();
  return socket;
}

it('drops a client that stops reading instead of buffering for it without bound', async () => {
  running = await startServer({ feedMaxBufferedBytes: 64 * 1024 });
  const socket = await stalledClient(running.url);
  const sim = running.server.simulation;
  sim.execute({ type: 'createSession', args: { session: 's' } });
  sim.execute({ type: 'join', args: { session: 's', participant: 'p' } });
  const data = 'x'.repeat(16 * 1024);
  // Each signal is a ~35 kB feed message; the kernel's socket buffers take a few MB before the server's buffer grows.
  let sent = 0;
  for (; sent < 2000 && running.server.feed.stats().dropped === 0; sent++) {
    sim.execute({ type: 'signal', args: { session: 's', type: 'bulk', data } });
    if (sent % 20 === 0) await new Promise((r) => setImmediate(r)); // let the socket write what it can
  }
  expect(running.server.feed.stats().dropped).toBe(1);
  expect(sent).toBeLessThan(2000);
  // The connection is torn down (terminate, not a close handshake the client would never read).
  await new Promise<void>((resolve) => socket.once('close', () => resolve()).resume());
  await expect.poll(() => running!.server.feed.stats().clients).toBe(0);
  socket.destroy();
});
