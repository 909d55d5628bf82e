/**
 * COMPOSED_QUICK_START under OpenVidu 2.12–2.14: SessionRestController of v2.14.0 (openvidu-server, tag v2.14.0)
 * answers an output mode `OutputMode.valueOf` does not know — the mode arrived in v2.15.0 — with
 * `generateErrorResponse`: "Type error in some parameter" at "/api/recordings/start" (before the session is looked
 * up), and "RecordingMode … | Default OutputMode … | Default RecordingLayout … | MediaMode …. Some parameter is not
 * defined" at "/api/sessions".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFake, type FakeOpenvidu } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';

async function start(version: string): Promise<FakeOpenvidu> {
  fake = await startFake({ version, paused: true });
  return fake;
}

describe('POST /recordings/start with outputMode COMPOSED_QUICK_START', () => {
  it('2.14: 400 "Type error in some parameter", ahead of the session lookup (the session does not exist)', async () => {
    const f = await start('2.14');
    const r = await f.call('POST', `${API}/recordings/start`, {
      session: 'nope',
      outputMode: 'COMPOSED_QUICK_START',
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body)).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
    expect(r.body).toMatchObject({
      status: 400,
      error: 'Bad Request',
      message: 'Type error in some parameter',
      path: '/api/recordings/start',
    });
  });

  it('2.15: the mode is known, so the unknown session is the 404 it is', async () => {
    const f = await start('2.15');
    const r = await f.call('POST', `${API}/recordings/start`, {
      session: 'nope',
      outputMode: 'COMPOSED_QUICK_START',
    });
    expect(r.status).toBe(404);
  });
});

describe('POST /sessions with a COMPOSED_QUICK_START default', () => {
  const message = (mode: string) =>
    `RecordingMode ALWAYS | Default OutputMode ${mode} | Default RecordingLayout null | MediaMode null. ` +
    'Some parameter is not defined';

  it('2.14: defaultOutputMode (2.14 name) is 400 with the four parameters as given', async () => {
    const f = await start('2.14');
    const r = await f.call('POST', `${API}/sessions`, {
      recordingMode: 'ALWAYS',
      defaultOutputMode: 'COMPOSED_QUICK_START',
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      status: 400,
      message: message('COMPOSED_QUICK_START'),
      path: '/api/sessions',
    });
    expect((await f.call('GET', `${API}/sessions`)).body.numberOfElements).toBe(0);
  });

  it('2.14: defaultRecordingProperties.outputMode is refused the same way; COMPOSED is accepted', async () => {
    const f = await start('2.14');
    const quick = {
      recordingMode: 'ALWAYS',
      defaultRecordingProperties: { outputMode: 'COMPOSED_QUICK_START' },
    };
    const r = await f.call('POST', `${API}/sessions`, quick);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ message: message('COMPOSED_QUICK_START'), path: '/api/sessions' });
    const ok = await f.call('POST', `${API}/sessions`, {
      defaultRecordingProperties: { outputMode: 'COMPOSED' },
    });
    expect(ok.status).toBe(200);
  });

  it('2.15: accepted', async () => {
    const f = await start('2.15');
    const r = await f.call('POST', `${API}/sessions`, {
      defaultRecordingProperties: { outputMode: 'COMPOSED_QUICK_START' },
    });
    expect(r.status).toBe(200);
    expect(r.body.defaultRecordingProperties.outputMode).toBe('COMPOSED_QUICK_START');
  });
});
