/**
 * The REST JSON of each resource against the key order of OpenVidu 2.32.1's Java `toJson()` methods. The expected
 * orders are written from the Java source (file and method named at each), not from ovsim's output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientPolicy } from '../../src/server/openvidu-api/index.js';
import { AUTH, names, startFake, type FakeOpenvidu, type Json } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';
const MANUAL = { clientPolicy: parseClientPolicy('manual', 'test') };

/** The raw answer: status, Content-Type and text (key order is checked on the text's parse, which keeps it). */
async function raw(f: FakeOpenvidu, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { authorization: AUTH, 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(f.url + path, init);
  const text = await r.text();
  return {
    status: r.status,
    type: r.headers.get('content-type'),
    text,
    json: text === '' ? undefined : (JSON.parse(text) as Json),
  };
}

// Session.java toJson(): id, object, sessionId, createdAt, recording, broadcasting, then SessionProperties.java
// toJson() (openvidu-java-client): mediaMode, recordingMode, defaultRecordingProperties, customSessionId, [mediaNode],
// forcedVideoCodec, allowTranscoding; then "connections" (KurentoSession adds mediaNodeId only in Pro).
const SESSION = [
  'id',
  'object',
  'sessionId',
  'createdAt',
  'recording',
  'broadcasting',
  'mediaMode',
  'recordingMode',
  'defaultRecordingProperties',
  'customSessionId',
  'forcedVideoCodec',
  'allowTranscoding',
  'connections',
];
// RecordingProperties.java toJson(): name, hasAudio, hasVideo, outputMode, then for composed video recordingLayout,
// resolution, frameRate, shmSize, [customLayout]; for INDIVIDUAL ignoreFailedStreams.
const DEFAULT_RECORDING_COMPOSED = [
  'name',
  'hasAudio',
  'hasVideo',
  'outputMode',
  'recordingLayout',
  'resolution',
  'frameRate',
  'shmSize',
];
const DEFAULT_RECORDING_INDIVIDUAL = ['name', 'hasAudio', 'hasVideo', 'outputMode', 'ignoreFailedStreams'];
// Token.java getConnectionPropertiesWithFinalJsonFormat(): ConnectionProperties.java toJson(sessionId) without
// "session", "data" moved to the end as "serverData".
const CONNECTION_PROPERTIES = [
  'type',
  'record',
  'role',
  'kurentoOptions',
  'customIceServers',
  'rtspUri',
  'adaptativeBitrate',
  'onlyPlayWithSubscribers',
  'networkCache',
  'serverData',
];
// Participant.java toJson() + KurentoParticipant.java sharedJson().
const ACTIVE = [
  'id',
  'object',
  'status',
  'connectionId',
  'sessionId',
  'createdAt',
  'activeAt',
  'location',
  'ip',
  'platform',
  'token',
  ...CONNECTION_PROPERTIES,
  'clientData',
  'publishers',
  'subscribers',
];
// Token.java toJsonAsParticipant().
const PENDING = [
  'id',
  'object',
  'status',
  'connectionId',
  'sessionId',
  'createdAt',
  ...CONNECTION_PROPERTIES,
  'token',
  'activeAt',
  'location',
  'ip',
  'platform',
  'clientData',
  'publishers',
  'subscribers',
];
// PublisherEndpoint.java toJson() (MediaEndpoint.toJson's createdAt first); SubscriberEndpoint.java toJson().
const PUBLISHER = ['createdAt', 'streamId', 'mediaOptions'];
const SUBSCRIBER = ['createdAt', 'streamId'];
// MediaOptions.java toJson() with audio and video.
const MEDIA_OPTIONS = [
  'hasAudio',
  'audioActive',
  'hasVideo',
  'videoActive',
  'typeOfVideo',
  'frameRate',
  'videoDimensions',
  'filter',
];
// Token.java toJson().
const TOKEN = ['id', 'token', 'createdAt', 'connectionId', 'session', 'data', 'role'];
// Recording.java (openvidu-server) toJson(false), a composed recording with video.
const RECORDING = [
  'id',
  'object',
  'name',
  'outputMode',
  'resolution',
  'frameRate',
  'recordingLayout',
  'sessionId',
  'createdAt',
  'size',
  'duration',
  'url',
  'hasAudio',
  'hasVideo',
  'status',
];

async function joinedPair(f: FakeOpenvidu): Promise<{ a: string; b: string }> {
  await raw(f, 'POST', `${API}/sessions`, { customSessionId: 'S' });
  const a = (await raw(f, 'POST', `${API}/sessions/S/connection`, { data: 'a' })).json?.id as string;
  const b = (await raw(f, 'POST', `${API}/sessions/S/connection`, { data: 'b' })).json?.id as string;
  await f.call('POST', `/api/clients/${a}/join`, {});
  await f.call('POST', `/api/clients/${a}/publish`, {});
  await f.call('POST', `/api/clients/${b}/join`, {});
  return { a, b };
}

describe('key order of each resource (OpenVidu 2.32.1 toJson)', () => {
  it('Session, its default recording properties and its connections', async () => {
    fake = await startFake({ paused: true }, MANUAL);
    const created = await raw(fake, 'POST', `${API}/sessions`, {
      customSessionId: 'R',
      defaultRecordingProperties: { outputMode: 'INDIVIDUAL' },
    });
    expect(created.type).toBe('application/json'); // RestUtils.getResponseHeaders: no charset
    expect(Object.keys(created.json ?? {})).toEqual(SESSION);
    expect(Object.keys(created.json?.defaultRecordingProperties)).toEqual(DEFAULT_RECORDING_INDIVIDUAL);
    const plain = (await raw(fake, 'POST', `${API}/sessions`)).json ?? {};
    expect(Object.keys(plain.defaultRecordingProperties)).toEqual(DEFAULT_RECORDING_COMPOSED);
    expect(plain.customSessionId).toBe(''); // SessionProperties.DefaultValues.customSessionId
    const custom = await raw(fake, 'POST', `${API}/sessions`, {
      defaultRecordingProperties: { recordingLayout: 'CUSTOM' },
    });
    expect(Object.keys(custom.json?.defaultRecordingProperties)).toEqual([
      ...DEFAULT_RECORDING_COMPOSED,
      'customLayout',
    ]);

    const { a, b } = await joinedPair(fake);
    const pending = await raw(fake, 'POST', `${API}/sessions/S/connection`, { data: 'c' });
    expect(Object.keys(pending.json ?? {})).toEqual(PENDING);
    expect(pending.json).toMatchObject({
      status: 'pending',
      publishers: null,
      subscribers: null,
      activeAt: null,
      platform: null,
    });
    const session = (await raw(fake, 'GET', `${API}/sessions/S?pendingConnections=true`)).json ?? {};
    expect(Object.keys(session)).toEqual(SESSION);
    const [ca, cb, cc] = session.connections.content as Json[];
    expect([ca.id, cb.id, cc.id]).toEqual([a, b, pending.json?.id]);
    expect(Object.keys(ca)).toEqual(ACTIVE);
    expect(Object.keys(cc)).toEqual(PENDING);
    expect(Object.keys(ca.publishers[0])).toEqual(PUBLISHER);
    expect(Object.keys(ca.publishers[0].mediaOptions)).toEqual(MEDIA_OPTIONS);
    for (let i = 0; i < 10; i++) await fake.call('POST', '/api/step'); // b subscribes to a's stream
    const withSub = (await raw(fake, 'GET', `${API}/sessions/S/connection/${b}`)).json ?? {};
    expect(Object.keys(withSub.subscribers[0])).toEqual(SUBSCRIBER);
  });

  it('Token of POST /tokens: no record, kurentoOptions only when set, in KurentoOptions.toJson order', async () => {
    fake = await startFake({ paused: true }, MANUAL);
    await raw(fake, 'POST', `${API}/sessions`, { customSessionId: 'T' });
    const t = await raw(fake, 'POST', `${API}/tokens`, { session: 'T', record: false, data: 'x' });
    expect(Object.keys(t.json ?? {})).toEqual(TOKEN);
    const k = await raw(fake, 'POST', `${API}/tokens`, {
      session: 'T',
      kurentoOptions: {
        allowedFilters: ['GStreamerFilter'],
        videoMinSendBandwidth: 100,
        videoMaxRecvBandwidth: 500,
      },
    });
    expect(Object.keys(k.json ?? {})).toEqual([...TOKEN, 'kurentoOptions']);
    expect(Object.keys(k.json?.kurentoOptions)).toEqual([
      'videoMaxRecvBandwidth',
      'videoMinSendBandwidth',
      'allowedFilters',
    ]);
    // The connection behind it is pending and keeps its record (the Token API drops the parameter).
    const c = (await raw(fake, 'GET', `${API}/sessions/T/connection/${t.json?.connectionId}`)).json;
    expect(c).toMatchObject({ status: 'pending', record: true, serverData: 'x' });
  });

  it('Recording: duration a Java double, url once ready, and the file served there', async () => {
    fake = await startFake({ speed: 200 }, MANUAL);
    const f = fake;
    const { a } = await joinedPair(f);
    const started = await raw(f, 'POST', `${API}/recordings/start`, { session: 'S', name: 'weekly' });
    expect(Object.keys(started.json ?? {})).toEqual(RECORDING);
    expect(started.text).toContain('"size":0,"duration":0.0,"url":null,');
    const stopped = await raw(f, 'POST', `${API}/recordings/stop/S`);
    expect(stopped.json).toMatchObject({ status: 'ready', name: 'weekly' });
    expect(Object.keys(stopped.json ?? {})).toEqual(RECORDING);
    expect(stopped.text).toMatch(/"duration":\d+\.\d+,/);
    // RecordingManagerUtilsLocalStorage.getRecordingUrl: <final url>openvidu/recordings/<id>/<name>.<extension>.
    expect(stopped.json?.url).toBe(`${f.url}/openvidu/recordings/S/weekly.mp4`);
    const file = await fetch(stopped.json?.url as string, { headers: { authorization: AUTH } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // The mvhd duration (ms timescale) is the recording's.
    const mvhd = bytes.indexOf('mvhd', 0, 'latin1');
    expect(bytes.readUInt32BE(mvhd + 4 + 16) / 1000).toBeCloseTo(stopped.json?.duration as number, 2);
    expect((await fetch(stopped.json?.url as string)).status).toBe(401);
    expect(
      (await fetch(`${f.url}/openvidu/recordings/S/other.mp4`, { headers: { authorization: AUTH } })).status,
    ).toBe(404);

    // INDIVIDUAL recordings are a zip; composed audio-only ones a webm.
    const individual = await raw(f, 'POST', `${API}/recordings/start`, {
      session: 'S',
      outputMode: 'INDIVIDUAL',
    });
    expect(Object.keys(individual.json ?? {})).not.toContain('resolution');
    const zip = (await raw(f, 'POST', `${API}/recordings/stop/${individual.json?.id}`)).json ?? {};
    expect(zip.url).toBe(`${f.url}/openvidu/recordings/S~1/S~1.zip`);
    const zipBytes = Buffer.from(
      await (await fetch(zip.url as string, { headers: { authorization: AUTH } })).arrayBuffer(),
    );
    expect(zipBytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zipBytes.toString('latin1')).toContain('"id":"S~1"');
    await raw(f, 'POST', `${API}/recordings/start`, { session: 'S', hasVideo: false });
    const audio = (await raw(f, 'POST', `${API}/recordings/stop/S~2`)).json ?? {};
    expect(audio.url).toBe(`${f.url}/openvidu/recordings/S~2/S~2.webm`);
    const webm = Buffer.from(
      await (await fetch(audio.url as string, { headers: { authorization: AUTH } })).arrayBuffer(),
    );
    expect(webm.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    // A deleted recording's file is gone too.
    expect((await raw(f, 'DELETE', `${API}/recordings/S~2`)).status).toBe(204);
    expect((await fetch(audio.url as string, { headers: { authorization: AUTH } })).status).toBe(404);
    expect(names(f.entries)).toContain('recordingStatusChanged');
    expect(a).toMatch(/^con_/);
  }, 20_000);
});
