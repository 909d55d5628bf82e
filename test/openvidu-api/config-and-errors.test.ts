/**
 * `GET /openvidu/api/config` (ConfigRestController of OpenVidu 2.32.1), the bodies of refusals
 * (SessionRestController: empty, or `generateErrorResponse`'s JSON; Spring Boot's when no handler answers), and the
 * clock the REST API shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientPolicy } from '../../src/server/openvidu-api/index.js';
import { AUTH, startFake, T0, type FakeOpenvidu, type Json } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';
const MANUAL = { clientPolicy: parseClientPolicy('manual', 'test') };

async function raw(f: FakeOpenvidu, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { authorization: AUTH, 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(f.url + path, init);
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), text };
}

// ConfigRestController.java getConfig(), v2.32.1, with CDR and WebHook off and recording on.
const CONFIG = [
  'VERSION',
  'DOMAIN_OR_PUBLIC_IP',
  'HTTPS_PORT',
  'OPENVIDU_PUBLICURL',
  'OPENVIDU_CDR',
  'OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH',
  'OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH',
  'OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH',
  'OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH',
  'OPENVIDU_STREAMS_FORCED_VIDEO_CODEC',
  'OPENVIDU_STREAMS_ALLOW_TRANSCODING',
  'OPENVIDU_WEBRTC_SIMULCAST',
  'OPENVIDU_SESSIONS_GARBAGE_INTERVAL',
  'OPENVIDU_SESSIONS_GARBAGE_THRESHOLD',
  'OPENVIDU_RECORDING',
  'OPENVIDU_RECORDING_VERSION',
  'OPENVIDU_RECORDING_PATH',
  'OPENVIDU_RECORDING_PUBLIC_ACCESS',
  'OPENVIDU_RECORDING_NOTIFICATION',
  'OPENVIDU_RECORDING_CUSTOM_LAYOUT',
  'OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT',
  'OPENVIDU_WEBHOOK',
];

describe('GET /config (ConfigRestController.getConfig)', () => {
  it('CE: the full version, no edition, the keys of getConfig in its order', async () => {
    fake = await startFake({ paused: true }, MANUAL);
    const r = await raw(fake, 'GET', `${API}/config`);
    const json = JSON.parse(r.text) as Json;
    expect(Object.keys(json)).toEqual(CONFIG);
    const port = Number(new URL(fake.url).port);
    expect(json).toMatchObject({
      VERSION: '2.32.1',
      DOMAIN_OR_PUBLIC_IP: '127.0.0.1',
      HTTPS_PORT: port,
      OPENVIDU_PUBLICURL: fake.url,
      OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 1000,
      OPENVIDU_STREAMS_FORCED_VIDEO_CODEC: 'MEDIA_SERVER_PREFERRED',
      OPENVIDU_RECORDING_PATH: '/opt/openvidu/recordings/',
      OPENVIDU_RECORDING_NOTIFICATION: 'publisher_moderator',
    });
  });

  it('CDR and WebHook keys appear only when enabled, each after its switch', async () => {
    fake = await startFake(
      { paused: true },
      {
        ...MANUAL,
        config: {
          OPENVIDU_CDR: true,
          OPENVIDU_CDR_PATH: '/var/cdr',
          OPENVIDU_WEBHOOK: true,
          OPENVIDU_WEBHOOK_ENDPOINT: 'http://127.0.0.1:7777/hook',
          OPENVIDU_WEBHOOK_HEADERS: ['Authorization: Basic abc'],
          OPENVIDU_WEBHOOK_EVENTS: ['sessionCreated'],
        },
      },
    );
    const json = JSON.parse((await raw(fake, 'GET', `${API}/config`)).text) as Json;
    const keys = Object.keys(json);
    expect(keys.slice(4, 6)).toEqual(['OPENVIDU_CDR', 'OPENVIDU_CDR_PATH']);
    expect(keys.slice(-4)).toEqual([
      'OPENVIDU_WEBHOOK',
      'OPENVIDU_WEBHOOK_ENDPOINT',
      'OPENVIDU_WEBHOOK_HEADERS',
      'OPENVIDU_WEBHOOK_EVENTS',
    ]);
    expect(json['OPENVIDU_CDR_PATH']).toBe('/var/cdr/'); // OpenviduConfig.asWritableFileSystemPath appends the "/"
    expect(json['OPENVIDU_WEBHOOK_EVENTS']).toEqual(['sessionCreated']);
  });

  it('the sub-paths answer their plain values; Pro tells its edition', async () => {
    fake = await startFake(
      { paused: true, edition: 'pro' },
      { ...MANUAL, publicUrl: 'wss://my.openvidu.io' },
    );
    expect(await raw(fake, 'GET', `${API}/config/openvidu-version`)).toMatchObject({
      status: 200,
      text: '2.32.1',
      type: 'text/plain;charset=UTF-8',
    });
    expect((await raw(fake, 'GET', `${API}/config/openvidu-publicurl`)).text).toBe('https://my.openvidu.io/');
    expect(await raw(fake, 'GET', `${API}/config/openvidu-recording`)).toMatchObject({
      text: 'true',
      type: 'application/json',
    });
    expect((await raw(fake, 'GET', `${API}/config/openvidu-recording-path`)).text).toBe(
      '/opt/openvidu/recordings/',
    );
    expect((await raw(fake, 'GET', `${API}/config/openvidu-cdr`)).text).toBe('false');
    const json = JSON.parse((await raw(fake, 'GET', `${API}/config`)).text) as Json;
    expect(Object.keys(json).slice(0, 2)).toEqual(['VERSION', 'OPENVIDU_EDITION']);
    expect(json).toMatchObject({
      OPENVIDU_EDITION: 'pro',
      DOMAIN_OR_PUBLIC_IP: 'my.openvidu.io',
      HTTPS_PORT: 443,
      OPENVIDU_PUBLICURL: 'https://my.openvidu.io',
    });
  });
});

type Shape = 'empty' | { java: string } | 'spring';

describe('error bodies (SessionRestController, v2.32.1)', () => {
  it('empty where the Java answers new ResponseEntity<>(status), JSON where it calls generateErrorResponse', async () => {
    fake = await startFake({ paused: true }, MANUAL);
    const f = fake;
    await raw(f, 'POST', `${API}/sessions`, { customSessionId: 'Idle' });
    await raw(f, 'POST', `${API}/sessions`, { customSessionId: 'S' });
    const c = JSON.parse((await raw(f, 'POST', `${API}/sessions/S/connection`, {})).text) as Json;
    await f.call('POST', `/api/clients/${c.id}/join`, {});
    const cases: Array<[string, string, unknown, number, Shape]> = [
      ['GET', '/sessions/nope', undefined, 404, 'empty'],
      ['DELETE', '/sessions/nope', undefined, 404, 'empty'],
      ['POST', '/sessions', { customSessionId: 'S' }, 409, 'empty'],
      ['POST', '/sessions', { mediaMode: 'P2P' }, 400, { java: '/sessions' }],
      ['POST', '/sessions', '{"customSessionId":', 400, 'spring'],
      ['POST', '/sessions/nope/connection', {}, 404, 'empty'],
      ['POST', '/sessions/S/connection', { role: 'KING' }, 400, { java: '/sessions/S/connection' }],
      [
        'POST',
        '/sessions/S/connection',
        { type: 'IPCAM', rtspUri: 'ftp://cam/1' },
        400,
        { java: '/sessions/S/connection' },
      ],
      ['GET', '/sessions/nope/connection/con_x', undefined, 400, 'empty'],
      ['GET', '/sessions/S/connection/con_x', undefined, 404, 'empty'],
      ['GET', '/sessions/nope/connection', undefined, 404, 'empty'],
      ['PATCH', `/sessions/S/connection/${String(c.id)}`, { role: 'SUBSCRIBER' }, 405, 'spring'],
      ['DELETE', '/sessions/S/connection/con_x', undefined, 404, 'empty'],
      ['DELETE', '/sessions/nope/stream/str_x', undefined, 400, 'empty'],
      ['DELETE', '/sessions/Idle/stream/str_x', undefined, 404, 'empty'],
      ['DELETE', '/sessions/S/stream/str_x', undefined, 404, 'empty'],
      ['POST', '/recordings/start', {}, 400, { java: '/recordings/start' }],
      ['POST', '/recordings/start', { session: 'nope' }, 404, 'empty'],
      ['POST', '/recordings/start', { session: 'Idle' }, 406, 'empty'],
      ['POST', '/recordings/start', { session: 'S', frameRate: 500 }, 422, { java: '/sessions' }],
      ['POST', '/recordings/start', { session: 'S', outputMode: 'MOSAIC' }, 400, { java: '/sessions' }],
      ['POST', '/recordings/start', { session: 'S', name: 'a b' }, 400, { java: '/sessions' }],
      ['POST', '/recordings/stop/nope', undefined, 404, 'empty'],
      ['GET', '/recordings/nope', undefined, 404, 'empty'],
      ['DELETE', '/recordings/nope', undefined, 404, 'empty'],
      ['POST', '/tokens', {}, 400, { java: '/tokens' }],
      ['POST', '/tokens', { session: 'nope' }, 404, { java: '/tokens' }],
      ['POST', '/tokens', { session: 'S', role: 'KING' }, 400, { java: '/sessions/S/connection' }],
      ['POST', '/signal', {}, 400, { java: '/signal' }],
      ['POST', '/signal', { session: 'S', to: 'all' }, 400, { java: '/signal' }],
      ['POST', '/signal', { session: 'nope' }, 404, 'empty'],
      ['POST', '/signal', { session: 'Idle' }, 406, 'empty'],
      ['POST', '/signal', { session: 'S', to: ['con_nope'] }, 406, { java: '/signal' }],
      ['GET', '/media-nodes', undefined, 404, 'spring'],
      ['GET', '/nothing-here', undefined, 404, 'spring'],
    ];
    for (const [method, path, body, status, shape] of cases) {
      const r = await raw(f, method, API + path, body);
      const what = `${method} ${path} ${JSON.stringify(body) ?? ''}`;
      expect(r.status, what).toBe(status);
      if (shape === 'empty') {
        expect(r.text, what).toBe('');
        continue;
      }
      expect(r.type, what).toBe('application/json');
      const json = JSON.parse(r.text) as Json;
      if (shape === 'spring') {
        // Spring Boot's DefaultErrorAttributes: an ISO timestamp, no message.
        expect(Object.keys(json), what).toEqual(['timestamp', 'status', 'error', 'path']);
        expect(json.timestamp, what).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
        expect(json.path, what).toBe(API + path);
      } else {
        // SessionRestController.generateErrorResponse: its own path, not always the request's.
        expect(Object.keys(json), what).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
        expect(json, what).toMatchObject({ status, path: API + shape.java });
        expect(typeof json.timestamp, what).toBe('number');
      }
    }
    // The session-not-found message of the Token API is OpenVidu's own.
    expect(JSON.parse((await raw(f, 'POST', `${API}/tokens`, { session: 'nope' })).text).message).toBe(
      'Session nope not found',
    );
  });
});

describe('the REST API clock', () => {
  it("is the simulation's virtual clock: createdAt equals the CDR timestamp, even at --speed", async () => {
    fake = await startFake({ speed: 500 }, MANUAL);
    const created = JSON.parse(
      (await raw(fake, 'POST', `${API}/sessions`, { customSessionId: 'Clock' })).text,
    ) as Json;
    const event = JSON.parse(fake.entries.find((e) => e.name === 'sessionCreated')?.webhook ?? '{}') as Json;
    expect(created.createdAt).toBe(event.timestamp);
    expect(created.createdAt).toBeGreaterThanOrEqual(T0);
    // An error body's timestamp is on the same clock.
    const err = JSON.parse((await raw(fake, 'POST', `${API}/sessions`, { mediaMode: 'P2P' })).text) as Json;
    expect(err.timestamp).toBeGreaterThanOrEqual(created.createdAt);
    expect(err.timestamp).toBeLessThan(Date.parse('2024-06-01T00:00:00Z'));
  });
});
