/** `serve --log`: each request with the events it caused; everything else as its own cascade, never a request's. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { serveLog } from '../../src/cli/serve-log.js';
import type { LoggedCascade, LoggedRequest, ServerLog } from '../../src/server/request-log.js';
import { startFake, until, type FakeOpenvidu } from '../openvidu-api/helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function collector() {
  const requests: LoggedRequest[] = [];
  const cascades: LoggedCascade[] = [];
  const refusals: string[] = [];
  const log: ServerLog = {
    request: (r) => requests.push(r),
    cascade: (c) => cascades.push(c),
    refused: (_at, m) => refusals.push(m),
  };
  return { log, requests, cascades, refusals };
}

describe('the request log', () => {
  it("gives a request the events of its actions, and a simulated client's later moves to no request", async () => {
    const c = collector();
    fake = await startFake({ log: c.log, speed: 50 });
    expect((await fake.call('POST', '/openvidu/api/sessions', { customSessionId: 'S1' })).status).toBe(200);
    // The connection's simulated client joins 1–3 virtual seconds later: the pacing timer that runs the join is
    // armed inside this request, which must not make the join this request's.
    const conn = await fake.call('POST', '/openvidu/api/sessions/S1/connection', {});
    expect(conn.status).toBe(200);
    await until(() => c.cascades.some((x) => x.events.some((e) => e.name === 'participantJoined')));
    expect((await fake.call('GET', '/openvidu/api/sessions/NOPE')).status).toBe(404);
    expect((await fake.call('DELETE', '/openvidu/api/sessions/S1')).status).toBe(204);
    await until(() => c.requests.length === 4);

    const summary = c.requests.map((r) => [r.method, r.url, r.status, r.events.map((e) => e.name)]);
    expect(summary).toEqual([
      ['POST', '/openvidu/api/sessions', 200, ['sessionCreated']],
      ['POST', '/openvidu/api/sessions/S1/connection', 200, []],
      ['GET', '/openvidu/api/sessions/NOPE', 404, []],
      [
        'DELETE',
        '/openvidu/api/sessions/S1',
        204,
        expect.arrayContaining(['participantLeft', 'sessionDestroyed']),
      ],
    ]);
    const join = c.cascades.find((x) => x.events.some((e) => e.name === 'participantJoined'))!;
    expect(join.cause).toBe(`client ${(conn.body as { connectionId: string }).connectionId} join`);
    // every event is logged once, under a request or a cascade
    const logged = [...c.requests.flatMap((r) => r.events), ...c.cascades.flatMap((x) => x.events)];
    expect(logged.map((e) => e.seq).sort((a, b) => a - b)).toEqual(fake.entries.map((e) => e.seq));
  });
});

describe('the request log while a request waits for the simulation', () => {
  it("leaves a timer's cascade out of the waiting request, though the timer was armed inside it", async () => {
    const c = collector();
    fake = await startFake({ log: c.log, speed: 50 });
    await fake.call('POST', '/openvidu/api/sessions', { customSessionId: 'R1' });
    await fake.call('POST', '/openvidu/api/sessions/R1/connection', {});
    await until(() => fake!.entries.some((e) => e.name === 'webrtcConnectionCreated'));
    // OpenVidu answers a recording start once the recorder is up: the request waits while a timer starts it.
    const start = await fake.call('POST', '/openvidu/api/recordings/start', { session: 'R1' });
    expect(start.status).toBe(200);
    await until(() => c.requests.some((r) => r.url === '/openvidu/api/recordings/start'));
    const request = c.requests.find((r) => r.url === '/openvidu/api/recordings/start')!;
    const started = c.cascades.find((x) => x.events.some((e) => e.name === 'recordingStatusChanged'));
    expect(started?.cause).toMatch(/^timer /);
    expect(request.events.map((e) => e.name)).not.toContain('recordingStatusChanged');
  });
});

describe('serve --log-format json', () => {
  it('prints one JSON object per request, with the WebHook body of each event', async () => {
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, stderrIsTTY: false };
    fake = await startFake({ log: serveLog(io, 'json'), paused: true });
    await fake.call('POST', '/openvidu/api/sessions', { customSessionId: 'S2' });
    await until(() => out.includes('\n'));
    const line = JSON.parse(out.split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      type: 'request',
      method: 'POST',
      url: '/openvidu/api/sessions',
      status: 200,
    });
    expect(Object.keys(line)).toEqual(['time', 'type', 'method', 'url', 'status', 'ms', 'events']);
    expect(line['events']).toEqual([
      {
        event: 'sessionCreated',
        timestamp: expect.any(Number),
        sessionId: 'S2',
        body: expect.objectContaining({ sessionId: 'S2', event: 'sessionCreated' }),
      },
    ]);
  });

  it('prints readable lines in text form: the request, then its events under it', async () => {
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, stderrIsTTY: false };
    fake = await startFake({ log: serveLog(io, 'text'), paused: true });
    await fake.call('POST', '/openvidu/api/sessions', { customSessionId: 'S3' });
    await until(() => out.includes('sessionCreated'));
    expect(out).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} {2}POST \/openvidu\/api\/sessions {2}200 {2}[\d.]+ ms\n {14}→ sessionCreated S3\n$/,
    );
  });
});
