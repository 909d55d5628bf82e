import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer } from '../../src/server/create-server.js';
import { AUTH, openFeed, startServer, type Json, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const names = (r: { body: Json }) => r.body.batch.events.map((e: { name: string }) => e.name);

describe('authentication', () => {
  it('refuses the page, the API and the feed without the secret, with a Basic challenge', async () => {
    running = await startServer();
    for (const path of ['/', '/api/state', '/app.js', '/api/nope']) {
      const r = await fetch(running.url + path);
      expect(r.status, path).toBe(401);
      expect(r.headers.get('www-authenticate'), path).toMatch(/^Basic realm="ovsim"/);
    }
    const wrong = await fetch(`${running.url}/api/state`, {
      headers: { authorization: `Basic ${Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const ws = new WebSocket(`${running.url.replace('http', 'ws')}/api/feed`);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('serves the page with the secret, and lets the feed in with a single-use token', async () => {
    running = await startServer();
    const page = await running.call('GET', '/');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<script type="module" src="app.js">');
    const { body } = await running.call('POST', '/api/feed-token');
    const feedUrl = `${running.url.replace('http', 'ws')}/api/feed?token=${body.token}`;
    const first = new WebSocket(feedUrl);
    await new Promise((resolve, reject) => (first.once('open', resolve), first.once('error', reject)));
    first.close();
    const again = new WebSocket(feedUrl);
    const status = await new Promise<number>((resolve) => {
      again.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      again.once('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('refuses the default secret on a non-loopback host', () => {
    expect(() => createServer({ host: '0.0.0.0', port: 0 })).toThrow(/OPENVIDU_SECRET/);
    expect(() => createServer({ host: '0.0.0.0', port: 0, secret: 's3cret' }).close()).not.toThrow();
  });
});

describe('every action through the API', () => {
  it('runs each CE action and answers with its cascade', async () => {
    running = await startServer();
    const ok = async (type: string, args: unknown) => {
      const r = await running!.act(type, args);
      expect(r.status, `${type} ${JSON.stringify(r.body)}`).toBe(200);
      return names(r);
    };
    expect(
      await ok('createSession', { session: 's1', autoSubscribe: false, customSessionId: 'Workshop' }),
    ).toEqual(['sessionCreated']);
    expect(await ok('join', { session: 's1', participant: 'alice', role: 'MODERATOR' })).toEqual([
      'participantJoined',
    ]);
    expect(await ok('join', { session: 's1', participant: 'bob' })).toEqual(['participantJoined']);
    expect(await ok('publish', { participant: 'alice' })).toEqual(['webrtcConnectionCreated']);
    expect(await ok('subscribe', { participant: 'bob', to: 'alice' })).toEqual(['webrtcConnectionCreated']);
    expect(await ok('unsubscribe', { participant: 'bob', to: 'alice' })).toEqual([
      'webrtcConnectionDestroyed',
    ]);
    expect(await ok('startRecording', { session: 's1', recording: 'r1', outputMode: 'INDIVIDUAL' })).toEqual([
      'recordingStatusChanged',
    ]);
    expect(await ok('signal', { session: 's1', from: 'alice', type: 'chat', data: 'hi' })).toEqual([
      'signalSent',
    ]);
    expect(await ok('filterEvent', { participant: 'alice' })).toEqual(['filterEventDispatched']);
    expect(await ok('unpublish', { participant: 'alice' })).toEqual(['webrtcConnectionDestroyed']);
    await ok('publish', { participant: 'alice' });
    expect(await ok('forceUnpublish', { participant: 'alice', by: 'server' })).toEqual([
      'webrtcConnectionDestroyed',
    ]);
    await ok('publish', { participant: 'alice' });
    expect(await ok('leave', { participant: 'bob', reason: 'networkDisconnect' })).toEqual([
      'participantLeft',
    ]);
    await ok('join', { session: 's1', participant: 'carol' });
    expect(await ok('forceDisconnect', { participant: 'carol', by: 'user' })).toEqual(['participantLeft']);
    const stop = await running.act('stopRecording', { recording: 'r1' });
    expect(stop.status).toBe(200);
    expect(stop.body.batch.events[0].cdr).toMatch(/"status":"stopped"/);
    expect(await ok('mediaServerReconnect', {})).toContain('webrtcConnectionDestroyed');
    const close = await ok('closeSession', { session: 's1' });
    expect(close[close.length - 1]).toBe('sessionDestroyed');
    await ok('createSession', { session: 's2' });
    await ok('join', { session: 's2', participant: 'dan' });
    expect(await ok('mediaServerCrash', {})).toEqual(['participantLeft', 'sessionDestroyed']);
    await ok('createSession', { session: 's3' });
    await ok('join', { session: 's3', participant: 'erin' });
    expect(await ok('stopServer', {})).toEqual(['participantLeft', 'sessionDestroyed']);

    const state = await running.call('GET', '/api/state');
    expect(state.body.snapshot.stopped).toBe(true);
    expect(state.body.webhook.configured).toBe(false);
    // Each event carries its CDR line, WebHook body, cascade id and cause.
    const first = (await running.call('GET', '/api/events?limit=1')).body.events[0];
    expect(first).toMatchObject({
      seq: 1,
      batch: 1,
      name: 'sessionCreated',
      sessionId: 'Workshop',
      cause: { kind: 'action', type: 'createSession', origin: 'api' },
    });
    expect(JSON.parse(first.cdr)).toEqual({
      sessionCreated: JSON.parse(first.webhook.replace(/,"event":"sessionCreated"}$/, '}')),
    });
  });
});

describe('errors', () => {
  it('answers 400 naming the field, 404 for unknown entities, 409/406/503 for refusals, 413 for big bodies', async () => {
    running = await startServer({ bodyLimitBytes: 4096 });
    const err = (r: { status: number; body: Json }) => [r.status, r.body.error?.message];

    expect(err(await running.act('dance', {}))).toEqual([
      400,
      expect.stringMatching(/^type: unknown action "dance"/),
    ]);
    expect(err(await running.call('POST', '/api/actions', { args: {} }))).toEqual([
      400,
      expect.stringMatching(/^type: required/),
    ]);
    expect(err(await running.act('join', { session: 's1' }))).toEqual([
      400,
      expect.stringMatching(/^args\.participant: /),
    ]);
    expect(err(await running.act('join', { session: 's1', participant: 'a', colour: 'red' }))).toEqual([
      400,
      expect.stringMatching(/^args\.colour: unknown field of join/),
    ]);
    expect(err(await running.act('leave', { participant: 'a', reason: 'bored' }))).toEqual([
      400,
      expect.stringMatching(/^args\.reason: /),
    ]);
    expect(
      err(await running.call('POST', '/api/actions', '{"type":', { 'content-type': 'application/json' })),
    ).toEqual([400, expect.stringMatching(/^body: not valid JSON/)]);
    expect(err(await running.call('POST', '/api/actions', '[1]'))).toEqual([
      400,
      expect.stringMatching(/^body: a JSON object/),
    ]);
    expect(err(await running.call('POST', '/api/speed', { speed: 'fast' }))).toEqual([
      400,
      expect.stringMatching(/^speed: /),
    ]);
    expect(err(await running.call('POST', '/api/speed', { speed: 1e9 }))).toEqual([
      400,
      expect.stringMatching(/^speed must be/),
    ]);
    expect(err(await running.call('GET', '/api/events?limit=0'))).toEqual([
      400,
      expect.stringMatching(/^limit: /),
    ]);
    expect(err(await running.call('GET', '/api/events?type=bogus'))).toEqual([
      400,
      expect.stringMatching(/^type: unknown event/),
    ]);

    expect(err(await running.act('join', { session: 'nope', participant: 'a' }))).toEqual([
      404,
      'unknown session "nope"',
    ]);
    expect(err(await running.call('GET', '/api/sessions/nope'))).toEqual([
      404,
      expect.stringContaining('nope'),
    ]);
    expect(err(await running.call('POST', '/api/scenarios/nope/load'))).toEqual([
      404,
      expect.stringMatching(/^name: /),
    ]);
    expect((await running.call('GET', '/api/nothing-here')).status).toBe(404);

    await running.act('createSession', { session: 's1', customSessionId: 'Same' });
    expect(err(await running.act('createSession', { session: 's2', customSessionId: 'Same' }))).toEqual([
      409,
      expect.stringContaining('already exists'),
    ]);
    await running.act('join', { session: 's1', participant: 'a' });
    await running.act('publish', { participant: 'a' });
    expect((await running.act('publish', { participant: 'a' })).status).toBe(409);
    await running.act('startRecording', { session: 's1', recording: 'r1', outputMode: 'COMPOSED' });
    expect(err(await running.act('stopRecording', { recording: 'r1' }))).toEqual([
      406,
      expect.stringContaining('still starting'),
    ]);
    await running.act('stopServer', {});
    expect((await running.act('createSession', { session: 's9' })).status).toBe(503);

    const big = await running.call('POST', '/api/actions', {
      type: 'signal',
      args: { session: 's1', data: 'x'.repeat(5000) },
    });
    expect(err(big)).toEqual([413, expect.stringMatching(/^body: request body exceeds the limit of 4 kB/)]);
    const bigScenario = await running.call('POST', '/api/scenario', `steps: []\n#${'x'.repeat(5000)}`, {
      'content-type': 'application/yaml',
    });
    expect(bigScenario.status).toBe(413);
  });
});

describe('scenarios and the clock', () => {
  it('loads a bundled scenario paused and steps through it cascade by cascade', async () => {
    running = await startServer();
    const list = await running.call('GET', '/api/scenarios');
    expect(list.body.scenarios.map((s: { name: string }) => s.name)).toContain('default');
    const loaded = await running.call('POST', '/api/scenarios/default/load?seed=5');
    expect(loaded.body).toMatchObject({
      scenario: { name: 'default' },
      clock: { status: 'paused' },
      seed: '5',
    });
    const one = await running.call('POST', '/api/step');
    expect(one.body.batch.cause).toMatchObject({
      kind: 'action',
      type: 'createSession',
      origin: 'scenario',
      step: 0,
    });
    expect(one.body.batch.events.map((e: { name: string }) => e.name)).toEqual(['sessionCreated']);
    const two = await running.call('POST', '/api/step');
    expect(two.body.batch.cause).toMatchObject({ type: 'join', step: 1 });
    expect(two.body.state.clock.status).toBe('paused');
    expect(two.body.state.clock.virtualNow).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:02Z'));

    const speed = await running.call('POST', '/api/speed', { speed: 5 });
    expect(speed.body.clock.speed).toBe(5);
    expect((await running.call('POST', '/api/resume')).body.clock.status).toBe('running');
    expect((await running.call('POST', '/api/pause')).body.clock.status).toBe('paused');
    const reset = await running.call('POST', '/api/reset');
    expect(reset.body.log).toEqual({ oldest: 0, newest: 0 });
    expect(reset.body.snapshot.sessions).toEqual([]);
  });

  it('accepts an uploaded YAML scenario and reports its problems located in the upload', async () => {
    running = await startServer();
    const yaml =
      'name: mine\nsteps:\n  - at: 0s\n    createSession: { session: a }\n  - at: 1s\n    join: { session: a, participant: p }\n';
    const ok = await running.call('POST', '/api/scenario', yaml, { 'content-type': 'application/yaml' });
    expect(ok.status).toBe(200);
    expect(ok.body.scenario).toMatchObject({ name: 'mine', steps: 2 });
    const bad = await running.call('POST', '/api/scenario', 'steps:\n  - at: 0s\n    dance: {}\n', {
      'content-type': 'application/yaml',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^upload\.yaml:3:\d+ /);
    const json = await running.call('POST', '/api/scenario', JSON.stringify({ name: 'j', steps: [] }));
    expect(json.body.scenario).toMatchObject({ name: 'j', steps: 0 });
  });

  it('pages the event log and filters it by type', async () => {
    running = await startServer();
    await running.act('createSession', { session: 's' });
    for (const p of ['a', 'b', 'c']) await running.act('join', { session: 's', participant: p });
    const page1 = await running.call('GET', '/api/events?limit=2');
    expect(page1.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(page1.body.next).toBe(2);
    const page2 = await running.call('GET', `/api/events?after=${page1.body.next}&limit=10`);
    expect(page2.body.events.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
    expect(page2.body.next).toBeNull();
    const joins = await running.call('GET', '/api/events?type=participantJoined');
    expect(joins.body.events).toHaveLength(3);
  });
});

describe('the feed', () => {
  it('sends a hello with state, then each cascade with CDR lines, WebHook bodies, cascade id and cause', async () => {
    running = await startServer();
    const { ws, messages } = await openFeed(running.url);
    await running.act('createSession', { session: 's' });
    await running.act('join', { session: 's', participant: 'a' });
    await running.call('POST', '/api/pause');
    const end = performance.now() + 5000;
    while (messages.filter((m) => m.type === 'batch').length < 2 && performance.now() < end) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(messages[0]).toMatchObject({ type: 'hello', state: { clock: { status: 'paused' } }, events: [] });
    const batches = messages.filter((m) => m.type === 'batch');
    expect(batches.map((m) => m.batch.id)).toEqual([1, 2]);
    const join = batches[1].batch;
    expect(join.cause).toMatchObject({
      kind: 'action',
      type: 'join',
      args: { session: 's', participant: 'a' },
    });
    expect(join.events[0]).toMatchObject({ name: 'participantJoined', batch: 2, seq: 2 });
    expect(join.events[0].cdr).toMatch(/^\{"participantJoined":\{/);
    expect(join.events[0].webhook).toMatch(/"event":"participantJoined"\}$/);
    expect(batches[1].state.snapshot.sessions[0].participants[0].handle).toBe('a');
    ws.close();
  });

  it('replays recent events to a late client', async () => {
    running = await startServer();
    await running.act('createSession', { session: 's' });
    const { ws, messages } = await openFeed(running.url, { authorization: AUTH });
    const end = performance.now() + 5000;
    while (messages.length === 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(messages[0].events.map((e: { name: string }) => e.name)).toEqual(['sessionCreated']);
    ws.close();
  });
});
