import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { attachLiveSinks } from '../../src/server/live-sinks.js';
import { WebhookPanel } from '../../src/server/webhook-panel.js';
import { openFeed, startServer, T0, type Running } from './helpers.js';

let running: Running | undefined;
let endpoint: http.Server | undefined;
afterEach(async () => {
  await running?.close();
  await new Promise((r) => (endpoint ? endpoint.close(r) : r(undefined)));
  running = undefined;
  endpoint = undefined;
});

it('POSTs each event to the WebHook endpoint and shows what it answered on the panel and the feed', async () => {
  const received: string[] = [];
  endpoint = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(body);
      // The endpoint refuses participantJoined: OpenVidu drops it (no retry on a status).
      res.statusCode = body.includes('"event":"participantJoined"') ? 500 : 200;
      res.end();
    });
  });
  endpoint.listen(0, '127.0.0.1');
  await new Promise((r) => endpoint!.once('listening', r));
  const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;

  const panel = new WebhookPanel(url);
  running = await startServer({ webhook: panel });
  const config = resolveOpenviduConfig({
    flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: url },
  });
  const sim = running.server.simulation;
  const sinks = attachLiveSinks(sim, { config, panel, serverStart: T0, profile: sim.currentProfile });
  const { ws, messages } = await openFeed(running.url);

  await running.act('createSession', { session: 's' });
  await running.act('join', { session: 's', participant: 'a' });
  await sinks.webhook!.idle();
  await expect.poll(() => messages.filter((m) => m.type === 'webhook').length).toBe(2);

  const status = (await running.call('GET', '/api/webhook')).body;
  expect(status).toMatchObject({ configured: true, endpoint: url, delivered: 1, failed: 1 });
  expect(status.recent).toEqual([
    expect.objectContaining({ seq: 1, event: 'sessionCreated', attempt: 1, outcome: '200', ok: true }),
    expect.objectContaining({ seq: 2, event: 'participantJoined', attempt: 1, outcome: '500', ok: false }),
  ]);
  // What the endpoint got is the event's WebHook body in the log, byte for byte.
  const log = (await running.call('GET', '/api/events')).body.events;
  expect(received).toEqual(log.map((e: { webhook: string }) => e.webhook));
  ws.close();
  await sinks.close(1000);
});
