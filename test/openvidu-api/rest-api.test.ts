/**
 * The fake OpenVidu's REST API over plain HTTP: OpenVidu's statuses for every documented error case, the simulated
 * clients' policies and manual moves, and the Pro media node API. Worlds are paused unless a test needs time to flow,
 * so what happens is decided by the requests alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientPolicy } from '../../src/server/openvidu-api/index.js';
import { names, startFake, until, validationErrors, type FakeOpenvidu, type Json } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';
const MANUAL = { clientPolicy: parseClientPolicy('manual', 'test') };

async function paused(api = MANUAL, edition?: 'pro'): Promise<FakeOpenvidu> {
  fake = await startFake(edition ? { paused: true, edition } : { paused: true }, api);
  return fake;
}

/** A session with `n` manual clients joined (none publishing). */
async function sessionWith(f: FakeOpenvidu, id: string, n: number): Promise<Json[]> {
  expect((await f.call('POST', `${API}/sessions`, { customSessionId: id })).status).toBe(200);
  const out: Json[] = [];
  for (let i = 0; i < n; i++) {
    const c = await f.call('POST', `${API}/sessions/${id}/connection`, { data: `user${i}` });
    expect(c.status).toBe(200);
    expect((await f.call('POST', `/api/clients/${c.body.connectionId}/join`)).status).toBe(200);
    out.push(c.body);
  }
  return out;
}

describe('authentication and errors', () => {
  it("answers 401 without the secret, with OpenVidu's error body", async () => {
    const f = await paused();
    const r = await fetch(`${f.url}${API}/sessions`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ status: 401, error: 'Unauthorized', path: `${API}/sessions` });
    // SessionRestController.getSession: `new ResponseEntity<>(HttpStatus.NOT_FOUND)`, an empty body.
    expect(await f.call('GET', `${API}/sessions/nope`)).toEqual({ status: 404, body: '' });
    // No handler: Spring Boot's error body.
    const unknown = await f.call('GET', `${API}/nothing-here`);
    expect(unknown).toMatchObject({
      status: 404,
      body: { status: 404, error: 'Not Found', path: `${API}/nothing-here` },
    });
    expect((await f.call('POST', `${API}/sessions`, '{"customSessionId":')).status).toBe(400);
  });
});

describe('sessions', () => {
  it('creates, lists, refuses duplicates and bad bodies, closes', async () => {
    const f = await paused();
    const created = await f.call('POST', `${API}/sessions`, {
      customSessionId: 'Room-1',
      recordingMode: 'MANUAL',
      defaultRecordingProperties: { outputMode: 'INDIVIDUAL', name: '' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 'Room-1',
      object: 'session',
      sessionId: 'Room-1',
      mediaMode: 'ROUTED',
      recordingMode: 'MANUAL',
      customSessionId: 'Room-1',
      defaultRecordingProperties: { outputMode: 'INDIVIDUAL', hasAudio: true, hasVideo: true },
      connections: { numberOfElements: 0, content: [] },
      recording: false,
      broadcasting: false,
    });
    expect((await f.call('POST', `${API}/sessions`, { customSessionId: 'Room-1' })).status).toBe(409);
    expect((await f.call('POST', `${API}/sessions`, { customSessionId: 'bad id!' })).status).toBe(400);
    expect((await f.call('POST', `${API}/sessions`, { mediaMode: 'P2P' })).status).toBe(400);
    expect(
      (await f.call('POST', `${API}/sessions`, { defaultRecordingProperties: { frameRate: 'x' } })).status,
    ).toBe(400);
    const random = await f.call('POST', `${API}/sessions`);
    expect(random.body.id).toMatch(/^ses_[A-Z][A-Za-z0-9]{9}$/);
    const all = await f.call('GET', `${API}/sessions`);
    expect(all.body.numberOfElements).toBe(2);
    expect((await f.call('DELETE', `${API}/sessions/Room-1`)).status).toBe(204);
    expect((await f.call('DELETE', `${API}/sessions/Room-1`)).status).toBe(404);
    // A never-joined session closed by REST logs its sessionDestroyed (sessionClosedByServer).
    expect(names(f.entries)).toEqual(['sessionCreated', 'sessionCreated', 'sessionDestroyed']);
    // The id is free again: a new session with it is another session.
    expect((await f.call('POST', `${API}/sessions`, { customSessionId: 'Room-1' })).status).toBe(200);
  });
});

describe('connections and streams', () => {
  it("answers OpenVidu's statuses and reflects pending and active connections", async () => {
    const f = await paused();
    expect((await f.call('POST', `${API}/sessions/nope/connection`, {})).status).toBe(404);
    await f.call('POST', `${API}/sessions`, { customSessionId: 'S' });
    expect((await f.call('POST', `${API}/sessions/S/connection`, { role: 'KING' })).status).toBe(400);
    expect((await f.call('POST', `${API}/sessions/S/connection`, { data: 42 })).status).toBe(400);
    expect((await f.call('POST', `${API}/sessions/S/connection`, { type: 'IPCAM' })).status).toBe(400);
    const sub = await f.call('POST', `${API}/sessions/S/connection`, {
      data: 'd',
      role: 'SUBSCRIBER',
      kurentoOptions: { allowedFilters: [] },
    });
    // Token.toJsonAsParticipant: publishers and subscribers are null; KurentoOptions.toJson drops an empty filter list.
    expect(sub.body).toMatchObject({
      object: 'connection',
      status: 'pending',
      serverData: 'd',
      role: 'SUBSCRIBER',
      activeAt: null,
      kurentoOptions: {},
      publishers: null,
      subscribers: null,
    });
    // Updating a connection is OpenVidu Pro's: CE's SessionRestController has no PATCH.
    expect(
      (await f.call('PATCH', `${API}/sessions/S/connection/${sub.body.id}`, { role: 'PUBLISHER' })).status,
    ).toBe(405);
    expect((await f.call('DELETE', `${API}/sessions/S/connection/${sub.body.id}`)).status).toBe(204);
    const c = await f.call('POST', `${API}/sessions/S/connection`, { data: 'd' });
    const id = c.body.connectionId as string;
    expect((await f.call('GET', `${API}/sessions/nope/connection/${id}`)).status).toBe(400);
    expect((await f.call('GET', `${API}/sessions/S/connection/con_nope`)).status).toBe(404);
    // Pending connections show only when asked for (GET …/connection lists them unless told not to).
    expect((await f.call('GET', `${API}/sessions/S`)).body.connections.numberOfElements).toBe(0);
    expect(
      (await f.call('GET', `${API}/sessions/S?pendingConnections=true`)).body.connections.numberOfElements,
    ).toBe(1);
    expect((await f.call('GET', `${API}/sessions/S/connection`)).body.numberOfElements).toBe(1);
    expect(
      (await f.call('GET', `${API}/sessions/S/connection?pendingConnections=false`)).body.numberOfElements,
    ).toBe(0);

    await f.call('POST', `/api/clients/${id}/join`, { platform: 'Chrome 120 on Linux', clientData: 'me' });
    await f.call('POST', `/api/clients/${id}/publish`, { videoSource: 'SCREEN' });
    const active = await f.call('GET', `${API}/sessions/S/connection/${id}`);
    expect(active.body).toMatchObject({
      status: 'active',
      platform: 'Chrome 120 on Linux',
      clientData: 'me',
      role: 'PUBLISHER',
    });
    const streamId = active.body.publishers[0].streamId as string;
    expect(streamId).toMatch(/^str_SCR_/);
    expect(active.body.publishers[0].mediaOptions).toMatchObject({
      typeOfVideo: 'SCREEN',
      hasAudio: true,
      hasVideo: true,
    });

    expect((await f.call('DELETE', `${API}/sessions/nope/stream/${streamId}`)).status).toBe(400);
    expect((await f.call('DELETE', `${API}/sessions/S/stream/str_nope`)).status).toBe(404);
    expect((await f.call('DELETE', `${API}/sessions/S/stream/${streamId}`)).status).toBe(204);
    expect((await f.call('DELETE', `${API}/sessions/S/connection/con_nope`)).status).toBe(404);
    expect((await f.call('DELETE', `${API}/sessions/nope/connection/${id}`)).status).toBe(400);
    expect((await f.call('DELETE', `${API}/sessions/S/connection/${id}`)).status).toBe(204);
    expect(names(f.entries)).toEqual([
      'sessionCreated',
      'participantJoined',
      'webrtcConnectionCreated',
      'webrtcConnectionDestroyed',
      'participantLeft',
      'sessionDestroyed',
    ]);
    expect(validationErrors(f.entries, 'webhook')).toEqual([]);
  });

  it("a deleted pending connection's client never joins (its move is skipped when due)", async () => {
    const f = await paused({ clientPolicy: parseClientPolicy({ join: '1s' }, 'test') });
    await f.call('POST', `${API}/sessions`, { customSessionId: 'S' });
    const c = await f.call('POST', `${API}/sessions/S/connection`, {});
    expect((await f.call('DELETE', `${API}/sessions/S/connection/${c.body.connectionId}`)).status).toBe(204);
    // Stepping runs every queued move: none produces an event.
    for (let i = 0; i < 5; i++) await f.call('POST', '/api/step');
    expect(names(f.entries)).toEqual(['sessionCreated']);
  });
});

describe('legacy tokens', () => {
  it('POST /tokens makes a pending connection and answers the Token object', async () => {
    const f = await paused();
    expect((await f.call('POST', `${API}/tokens`, {})).status).toBe(400);
    expect((await f.call('POST', `${API}/tokens`, { session: 'nope' })).status).toBe(404);
    await f.call('POST', `${API}/sessions`, { customSessionId: 'T' });
    const t = await f.call('POST', `${API}/tokens`, { session: 'T', role: 'SUBSCRIBER', data: 'x' });
    expect(t.body).toMatchObject({ session: 'T', role: 'SUBSCRIBER', data: 'x' });
    expect(t.body).not.toHaveProperty('record'); // Token.toJson has none (and newToken drops the parameter)
    expect(t.body.id).toBe(t.body.token);
    expect(t.body.token).toMatch(/\?sessionId=T&token=tok_/);
    const c = await f.call('GET', `${API}/sessions/T/connection/${t.body.connectionId}`);
    expect(c.body).toMatchObject({ status: 'pending', token: t.body.token });
  });
});

describe('recordings and signals', () => {
  it('answers 400/404/406/409/422 as OpenVidu', async () => {
    const f = await paused();
    expect((await f.call('POST', `${API}/recordings/start`, {})).status).toBe(400);
    expect((await f.call('POST', `${API}/recordings/start`, { session: 'nope' })).status).toBe(404);
    await f.call('POST', `${API}/sessions`, { customSessionId: 'Empty' });
    expect((await f.call('POST', `${API}/recordings/start`, { session: 'Empty' })).status).toBe(406);
    await sessionWith(f, 'R', 1);
    expect(
      (await f.call('POST', `${API}/recordings/start`, { session: 'R', resolution: '4000x720' })).status,
    ).toBe(422);
    expect((await f.call('POST', `${API}/recordings/start`, { session: 'R', frameRate: 500 })).status).toBe(
      422,
    );
    expect(
      (await f.call('POST', `${API}/recordings/start`, { session: 'R', hasAudio: false, hasVideo: false }))
        .status,
    ).toBe(422);
    expect(
      (await f.call('POST', `${API}/recordings/start`, { session: 'R', outputMode: 'MOSAIC' })).status,
    ).toBe(400);

    // Paused, a composed recording stays `starting`: stopping it is refused with 406.
    const started = await f.call('POST', `${API}/recordings/start`, { session: 'R', outputMode: 'COMPOSED' });
    expect(started.body).toMatchObject({
      id: 'R',
      status: 'starting',
      outputMode: 'COMPOSED',
      resolution: '1280x720',
      url: null,
    });
    expect((await f.call('POST', `${API}/recordings/stop/R`)).status).toBe(406);
    expect((await f.call('POST', `${API}/recordings/start`, { session: 'R' })).status).toBe(409);
    await until(
      async () =>
        (await f.call('POST', '/api/step')).body.batch?.events?.[0]?.name === 'recordingStatusChanged',
      2000,
    );
    expect((await f.call('GET', `${API}/recordings/R`)).body.status).toBe('started');
    expect((await f.call('GET', `${API}/sessions/R`)).body.recording).toBe(true);
    expect((await f.call('DELETE', `${API}/recordings/R`)).status).toBe(409);
    expect((await f.call('POST', `${API}/recordings/stop/nope`)).status).toBe(404);
    expect((await f.call('GET', `${API}/recordings/nope`)).status).toBe(404);
    const stopped = await f.call('POST', `${API}/recordings/stop/R`);
    expect(stopped).toMatchObject({ status: 200, body: { status: 'stopped' } }); // paused: answered before processing
    expect((await f.call('POST', `${API}/recordings/stop/R`)).status).toBe(404);
    expect((await f.call('GET', `${API}/recordings`)).body).toMatchObject({ count: 1, items: [{ id: 'R' }] });
    expect((await f.call('DELETE', `${API}/recordings/R`)).status).toBe(204);
    expect((await f.call('GET', `${API}/recordings`)).body).toEqual({ count: 0, items: [] });
  });

  it('sends signals and refuses bad ones', async () => {
    const f = await paused();
    const [a] = await sessionWith(f, 'S', 2);
    expect((await f.call('POST', `${API}/signal`, { to: [] })).status).toBe(400);
    expect((await f.call('POST', `${API}/signal`, { session: 'S', to: 'all' })).status).toBe(400);
    expect((await f.call('POST', `${API}/signal`, { session: 'nope' })).status).toBe(404);
    expect((await f.call('POST', `${API}/signal`, { session: 'S', to: ['con_nope'] })).status).toBe(406);
    await f.call('POST', `${API}/sessions`, { customSessionId: 'Empty' });
    expect((await f.call('POST', `${API}/signal`, { session: 'Empty' })).status).toBe(406);
    expect(
      (await f.call('POST', `${API}/signal`, { session: 'S', to: [a.connectionId], data: 'x' })).status,
    ).toBe(200);
    const sig = JSON.parse(f.entries.at(-1)?.webhook ?? '{}');
    expect(sig).toMatchObject({
      event: 'signalSent',
      from: null,
      to: [a.connectionId],
      type: null,
      data: 'x',
    });
  });
});

describe('simulated clients', () => {
  it('manual clients move only when told, and refuse moves out of order', async () => {
    const f = await paused();
    await f.call('POST', `${API}/sessions`, { customSessionId: 'M' });
    const c = await f.call('POST', `${API}/sessions/M/connection`, {});
    const id = c.body.connectionId as string;
    expect((await f.call('POST', `/api/clients/${id}/publish`)).status).toBe(409);
    expect((await f.call('POST', `/api/clients/${id}/dance`)).status).toBe(404);
    expect((await f.call('POST', `/api/clients/con_nope/join`)).status).toBe(404);
    expect((await f.call('GET', '/api/clients')).body.clients).toMatchObject([
      { connectionId: id, status: 'pending', mode: 'manual' },
    ]);
    expect((await f.call('POST', `/api/clients/${id}/join`)).body.client.status).toBe('active');
    expect((await f.call('POST', `/api/clients/${id}/join`)).status).toBe(409);
    expect(
      (await f.call('POST', `/api/clients/${id}/leave`, { reason: 'networkDisconnect' })).body.client.status,
    ).toBe('gone');
    const left = JSON.parse(f.entries.find((e) => e.name === 'participantLeft')?.webhook ?? '{}');
    expect(left.reason).toBe('networkDisconnect');
    expect(names(f.entries).at(-1)).toBe('sessionDestroyed');
  });

  it('policies: per server, per session (header) and per connection; bad ones are 400 naming the field', async () => {
    fake = await startFake({}, MANUAL);
    const f = fake;
    expect((await f.call('PUT', '/api/client-policy', { join: 'soon' })).status).toBe(400);
    const bad = await f.call('POST', `${API}/sessions`, {}, { 'x-ovsim-client-policy': '{"stay":"x"}' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('x-ovsim-client-policy.stay');
    // This session's clients join at once, do not publish, stay 2 s and drop off the network.
    const policy = JSON.stringify({
      mode: 'auto',
      join: '0s',
      publish: false,
      stay: '2s',
      leaveReason: 'networkDisconnect',
    });
    await f.call('POST', `${API}/sessions`, { customSessionId: 'Auto' }, { 'x-ovsim-client-policy': policy });
    await f.call('POST', `${API}/sessions/Auto/connection`, {});
    await until(() => names(f.entries).includes('sessionDestroyed'), 5000);
    const bodies = f.entries.map((e) => JSON.parse(e.webhook ?? '{}'));
    expect(bodies.map((b) => b.event)).toEqual([
      'sessionCreated',
      'participantJoined',
      'participantLeft',
      'sessionDestroyed',
    ]);
    expect(bodies[2]).toMatchObject({ reason: 'networkDisconnect', duration: 2 });
    expect(bodies[3]).toMatchObject({ reason: 'lastParticipantLeft' });
    // Per connection: in a session of manual clients, this one comes by itself.
    await f.call('POST', `${API}/sessions`, { customSessionId: 'Mixed' });
    await f.call('POST', `${API}/sessions/Mixed/connection`, {});
    const auto = await f.call(
      'POST',
      `${API}/sessions/Mixed/connection`,
      {},
      { 'x-ovsim-client-policy': '{"mode":"auto","join":"0s"}' },
    );
    await until(
      async () => (await f.call('GET', `${API}/sessions/Mixed`)).body.connections.numberOfElements === 1,
      5000,
    );
    const mixed = await f.call('GET', `${API}/sessions/Mixed?pendingConnections=true`);
    expect(mixed.body.connections.content.map((c: Json) => [c.id === auto.body.id, c.status])).toEqual([
      [true, 'active'],
      [false, 'pending'],
    ]);
    expect((await f.call('GET', '/api/client-policy')).body.server.mode).toBe('manual');
    expect((await f.call('PUT', '/api/client-policy', JSON.stringify('auto'))).body.server.mode).toBe('auto');
    expect(validationErrors(f.entries, 'cdr')).toEqual([]);
  });
});

describe('config and Pro media nodes', () => {
  it('GET /config tells the version; media nodes are a Pro API', async () => {
    const f = await paused();
    const config = (await f.call('GET', `${API}/config`)).body;
    expect(config).toMatchObject({ VERSION: '2.32.1', OPENVIDU_RECORDING: true });
    expect(config).not.toHaveProperty('OPENVIDU_EDITION');
    expect((await f.call('GET', `${API}/media-nodes`)).status).toBe(404);
  });

  it("lists, launches, patches and removes media nodes with OpenVidu's statuses", async () => {
    const f = await paused(MANUAL, 'pro');
    await f.call('POST', '/api/step'); // the cluster boots
    const list = await f.call('GET', `${API}/media-nodes`);
    expect(list.body.numberOfElements).toBe(1);
    const first = list.body.content[0];
    expect(first).toMatchObject({ object: 'mediaNode', status: 'running', connected: true });
    expect((await f.call('GET', `${API}/health`)).body).toEqual({ status: 'UP' });

    const launched = await f.call('POST', `${API}/media-nodes`, {});
    expect(launched.body).toMatchObject({ object: 'mediaNode', status: 'launching' });
    const id = launched.body.id as string;
    expect((await f.call('PATCH', `${API}/media-nodes/${id}`, {})).status).toBe(400);
    expect((await f.call('PATCH', `${API}/media-nodes/${id}`, { status: 'running' })).status).toBe(400);
    expect((await f.call('PATCH', `${API}/media-nodes/${id}`, { status: 'launching' })).status).toBe(204);
    expect((await f.call('PATCH', `${API}/media-nodes/${id}`, { status: 'canceled' })).body.status).toBe(
      'canceled',
    );
    expect((await f.call('GET', `${API}/media-nodes/media_nope`)).status).toBe(404);

    await sessionWith(f, 'OnNode', 1);
    expect((await f.call('GET', `${API}/sessions/OnNode`)).body.mediaNodeId).toBe(first.id);
    // Pro updates a connection (PATCH); a bad role is 400.
    const pending = await f.call('POST', `${API}/sessions/OnNode/connection`, { role: 'SUBSCRIBER' });
    const cid = pending.body.id as string;
    expect((await f.call('PATCH', `${API}/sessions/OnNode/connection/${cid}`, { role: 'ROOT' })).status).toBe(
      400,
    );
    const patched = await f.call('PATCH', `${API}/sessions/OnNode/connection/${cid}`, {
      role: 'PUBLISHER',
      record: false,
    });
    expect(patched.body).toMatchObject({ role: 'PUBLISHER', record: false, status: 'pending' });
    expect((await f.call('DELETE', `${API}/sessions/OnNode/connection/${cid}`)).status).toBe(204);
    const withSessions = await f.call('GET', `${API}/media-nodes/${first.id}?sessions=true`);
    expect(withSessions.body.sessions.map((s: Json) => s.id)).toEqual(['OnNode']);
    expect((await f.call('DELETE', `${API}/media-nodes/${first.id}?deletion-strategy=sometime`)).status).toBe(
      400,
    );
    expect((await f.call('DELETE', `${API}/media-nodes/${first.id}`)).status).toBe(409);
    expect(
      (await f.call('DELETE', `${API}/media-nodes/${first.id}?deletion-strategy=when-no-sessions`)).status,
    ).toBe(202);
    expect((await f.call('DELETE', `${API}/sessions/OnNode`)).status).toBe(204);
    const reasons = f.entries
      .map((e) => JSON.parse(e.webhook ?? '{}'))
      .filter((b) => b.event === 'mediaNodeStatusChanged');
    expect(reasons.map((b) => b.newStatus)).toContain('terminated');
    expect(validationErrors(f.entries, 'webhook')).toEqual([]);
  });
});
