/**
 * `ovsim serve --server openvidu3`: a bundled lk-* scenario played live at max speed shows LiveKit's rooms,
 * participants, tracks and egresses on the feed and in the state, sends signed LiveKit webhooks (checked by the real
 * livekit-server-sdk WebhookReceiver), and refuses the OpenVidu 2 REST API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver } from 'livekit-server-sdk';
import { WebSocket } from 'ws';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { LiveSimulation } from '../../src/server/live-simulation.js';
import type { LivekitPageView } from '../../src/server/livekit-view-types.js';
import { bodiesOf } from '../ov3/helpers.js';
import { cli } from '../cli/run-cli.js';
import { startOvsim, type Running } from '../cli/spawn-ovsim.js';
import { startReceiver, type Receiver } from '../sinks/livekit-receiver.js';
import { createServer } from '../../src/server/create-server.js';
import { attachLivekitSink } from '../../src/server/live-livekit-sink.js';
import { WebhookPanel } from '../../src/server/webhook-panel.js';
import type { Json } from './helpers.js';

const KEY = 'APIserveTest';
const API_SECRET = 'serveTestSecret0123456789abcdefghijklmnopqrs';
const SECRET = 'Serve3_Secret';
const AUTH = `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`;
const T0 = Date.parse('2024-01-01T00:00:00.000Z');

let running: Running | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  running?.child.kill('SIGKILL');
  running = undefined;
  await receiver?.close();
  receiver = undefined;
});

async function poll<T>(f: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const v = await f();
    if (v !== undefined) return v;
  }
  throw new Error('condition not met in time');
}

describe('ovsim serve --server openvidu3', () => {
  it('plays lk-recorder-participant as LiveKit: feed, state, signed webhooks, no OpenVidu 2 REST API', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    running = startOvsim([
      'serve',
      'lk-recorder-participant',
      '--server',
      'openvidu3',
      '--port',
      '0',
      '--secret',
      SECRET,
      '--speed',
      'max',
      '--start',
      '2024-01-01T00:00:00Z',
      '--api-key',
      KEY,
      '--api-secret',
      API_SECRET,
      '--webhook-endpoint',
      receiver.url,
      '--log',
    ]);
    const url = (await running.waitForStderr(/ovsim serve: (http:\/\/127\.0\.0\.1:\d+)\//, 20_000))[1]!;
    expect(running.stderr()).toMatch(/OpenVidu 3 \(LiveKit 1\.\d+\.\d+\)/);
    expect(running.stderr()).toContain('no OpenVidu 2 REST API');

    const state = async (): Promise<Json> =>
      (await fetch(`${url}/api/state`, { headers: { authorization: AUTH } })).json();
    const done = await poll(async () => {
      const s = await state();
      return s.livekit?.events.some((e: Json) => e.event === 'room_finished') ? s : undefined;
    });
    expect(done.server).toEqual({ kind: 'openvidu3', livekitVersion: expect.stringMatching(/^1\./) });
    const lk = done.livekit as LivekitPageView;
    // The page's events are the bytes generate writes for the scenario, in the order the server made them.
    const expected = await bodiesOf(await readScenario('lk-recorder-participant'), {
      server: 'openvidu3',
      start: T0,
    });
    expect(lk.events.map((e) => e.body)).toEqual(expected);
    for (const e of lk.events) {
      expect(e.id).toMatch(/^EV_[1-9A-HJ-NP-Za-km-z]{12}$/);
      expect(JSON.parse(e.body)).toMatchObject({ event: e.event, id: e.id });
    }
    const [room] = lk.world.rooms;
    expect(lk.world.rooms).toHaveLength(1);
    expect(room).toMatchObject({ sid: expect.stringMatching(/^RM_/), state: 'finished' });
    expect(lk.world.participants.map((p) => [p.identity, p.kind, p.state])).toEqual([
      ['teacher', 'STANDARD', 'DISCONNECTED'],
      ['pupil', 'STANDARD', 'DISCONNECTED'],
      [expect.stringMatching(/^EG_/), 'EGRESS', 'DISCONNECTED'],
    ]);
    for (const p of lk.world.participants) expect(p.sid).toMatch(/^PA_/);
    expect(lk.world.tracks.map((t) => [t.type, t.source, t.published])).toEqual([
      ['AUDIO', 'MICROPHONE', false],
      ['VIDEO', 'CAMERA', false],
    ]);
    for (const t of lk.world.tracks) expect(t.sid).toMatch(/^TR_/);
    expect(lk.world.tracks[1]!.layers.length).toBeGreaterThan(1);
    expect(lk.world.egresses).toEqual([
      expect.objectContaining({
        egressId: expect.stringMatching(/^EG_/),
        request: 'roomComposite',
        statuses: ['EGRESS_STARTING', 'EGRESS_ACTIVE', 'EGRESS_ENDING', 'EGRESS_COMPLETE'],
        ended: true,
      }),
    ]);

    // The feed's hello brings the same view.
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/feed`, { headers: { authorization: AUTH } });
    const hello = await new Promise<Json>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.once('error', reject);
    });
    ws.close();
    expect(hello.type).toBe('hello');
    expect(hello.state.server.kind).toBe('openvidu3');
    expect(hello.livekit.events.map((e: Json) => e.body)).toEqual(expected);

    // The take-home download holds the LiveKit bodies; there is no CDR file.
    const download = await fetch(`${url}/api/download/webhook`, { headers: { authorization: AUTH } });
    expect(download.headers.get('x-ovsim-events')).toBe(`1-${expected.length}`);
    expect(await download.text()).toBe(expected.map((b) => `${b}\n`).join(''));
    expect((await fetch(`${url}/api/download/cdr`, { headers: { authorization: AUTH } })).status).toBe(404);

    // OpenVidu 3 has no OpenVidu 2 REST API.
    const rest = await fetch(`${url}/openvidu/api/sessions`, { headers: { authorization: AUTH } });
    expect(rest.status).toBe(404);
    const body = (await rest.json()) as Json;
    expect(body.status).toBe(404);
    expect(body.message).toContain("LiveKit's server API");

    // Every event reaches the endpoint signed as LiveKit signs it; the panel counts them.
    await poll(() => (receiver!.arrivals.length === expected.length ? true : undefined));
    const sdk = new WebhookReceiver(KEY, API_SECRET);
    for (const a of receiver.arrivals) {
      expect(a.headers['content-type']).toBe('application/webhook+json');
      const event = await sdk.receive(a.body, a.headers.authorization);
      expect(event.event).toBe((JSON.parse(a.body) as Json).event);
    }
    await expect(
      new WebhookReceiver(KEY, `${API_SECRET}x`).receive(
        receiver.arrivals[0]!.body,
        receiver.arrivals[0]!.headers.authorization,
      ),
    ).rejects.toThrow();
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
    const panel = await poll(async () => {
      const w = (await state()).webhook;
      return w.delivered === expected.length ? w : undefined;
    });
    expect(panel).toMatchObject({ configured: true, failed: 0 });
    expect(panel.recent[0]).toMatchObject({ ok: true, outcome: '200', attempt: 1 });

    running.child.kill('SIGTERM');
    const exited = await running.exited;
    expect(exited.code).toBe(0);
    // --log prints LiveKit's events, one line each, in the order the server made them
    const logged = [...exited.stdout.matchAll(/^\d\d:\d\d:\d\d\.\d{3} {2}· (\w+) (\S+)/gm)];
    expect(logged.map((m) => m[1])).toEqual(lk.events.map((e) => e.event));
    expect(logged[0]![2]).toBe(room!.name);
  }, 40_000);

  it('refuses what OpenVidu 3 does not have (exit 2)', async () => {
    const yaml = await cli('serve', 'lk-fast-reconnect', '--livekit-config', 'livekit.yaml', '--dry-run');
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain('serve takes the LiveKit delivery from --webhook-endpoint');
    const cdr = await cli('serve', '--server', 'openvidu3', '--cdr-path', '/tmp/x', '--dry-run');
    expect(cdr.code).toBe(2);
    expect(cdr.stderr).toContain('--cdr-path');
    const unsigned = await cli(
      'serve',
      '--server',
      'openvidu3',
      '--webhook-endpoint',
      'http://127.0.0.1:9/',
      '--dry-run',
    );
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toContain('--api-key');
    const v2 = await cli('serve', 'basic-call', '--dry-run');
    expect(v2.stderr).toMatch(/OpenVidu 2\.\d+ ce/);
    expect(v2.stderr).toContain('OpenVidu REST API at /openvidu/api');
  });
});

describe('the LiveKit view of a live simulation', () => {
  it('marks the late participant_left of a fast reconnect, and OpenVidu 2 runs carry no LiveKit field', async () => {
    const scenario = await readScenario('lk-fast-reconnect');
    const sim = new LiveSimulation({ server: 'openvidu3', seed: 1, start: T0, paused: true }, scenario);
    const seen: string[] = [];
    sim.onLivekitEvent((e) => seen.push(e.event ?? ''));
    const patches = [];
    for (let b = sim.step(); b; b = sim.step()) if (b.livekit) patches.push(b.livekit);
    // each cascade carries only the records its events changed
    const lastJoin = patches
      .filter((p) => p.events.map((e) => e.event).join() === 'participant_joined')
      .at(-1)!;
    expect(lastJoin.world.participants.map((p) => [p.identity, p.state])).toEqual([['bob', 'ACTIVE']]);
    expect(lastJoin.world.rooms).toHaveLength(1);
    expect([lastJoin.world.tracks, lastJoin.world.egresses]).toEqual([[], []]);
    const lk = sim.livekit()!;
    expect(seen).toEqual(lk.events.map((e) => e.event));
    const lefts = lk.events.filter((e) => e.event === 'participant_left');
    expect(lefts.map((e) => [e.subject, e.notes])).toEqual([
      ['bob', ['late-left-after-reconnect']],
      ['bob', []],
      ['alice', []],
    ]);
    const bobs = lk.world.participants.filter((p) => p.identity === 'bob');
    expect(bobs.map((p) => p.disconnectReason)).toEqual(['DUPLICATE_IDENTITY', 'CLIENT_INITIATED']);
    sim.close();

    const v2 = new LiveSimulation({ seed: 1, start: T0, paused: true }, scenario);
    expect(v2.livekit()).toBeUndefined();
    expect('server' in v2.state()).toBe(false);
    expect(Object.keys(v2.step()!)).toEqual(['id', 'at', 'cause', 'events', 'world']);
    v2.close();
  });
});

describe("serve's LiveKit sender", () => {
  it('counts a 4xx as LiveKit does (sent, never retried) and shows it on the panel as refused', async () => {
    receiver = await startReceiver((a) => ({ status: a.body.includes('"room_started"') ? 404 : 200 }));
    const panel = new WebhookPanel(receiver.url);
    const server = createServer({
      port: 0,
      secret: SECRET,
      server: 'openvidu3',
      scenario: await readScenario('lk-fast-reconnect'),
      seed: 1,
      start: T0,
      paused: true,
      webhook: panel,
    });
    const sink = attachLivekitSink(server.simulation, {
      url: receiver.url,
      apiKey: KEY,
      apiSecret: API_SECRET,
      panel,
      livekit: server.simulation.livekitProfile!,
    });
    try {
      while (server.simulation.step()) {
        // every step and timer
      }
      const events = server.simulation.livekit()!.events;
      await poll(() => (panel.status().recent.length === events.length ? true : undefined));
      const status = panel.status();
      expect(status).toMatchObject({ delivered: events.length - 1, failed: 1 });
      const refused = status.recent.find((d) => !d.ok)!;
      expect(refused).toMatchObject({ event: 'room_started', outcome: '404', attempt: 1, seq: 1 });
      // one POST per event: the 404 was not retried
      expect(receiver.arrivals).toHaveLength(events.length);
      const sdk = new WebhookReceiver(KEY, API_SECRET);
      for (const a of receiver.arrivals) await sdk.receive(a.body, a.headers.authorization);
      // per room, in the order the server made them
      expect(receiver.arrivals.map((a) => a.body)).toEqual(events.map((e) => e.body));
    } finally {
      await sink.close(1000);
      await server.close();
    }
  });
});
