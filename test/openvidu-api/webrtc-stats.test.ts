/**
 * `?webRtcStats=true`: the keys MediaEndpoint.withStatsToJson (OpenVidu 2.32.1) adds to each publisher and
 * subscriber, in its order, with simulated values that agree with the stream and the participant.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientPolicy } from '../../src/server/openvidu-api/index.js';
import { startFake, until, type FakeOpenvidu, type Json } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';

// MediaEndpoint.java withStatsToJson(): createdAt, webrtcEndpointName, remoteSdp, localSdp (not for a
// PlayerEndpoint), clientIceCandidates, serverIceCandidates, localCandidate, remoteCandidate, events; then
// PublisherEndpoint/SubscriberEndpoint withStatsToJson() add toJson()'s entries (createdAt keeps its slot).
const STATS = [
  'createdAt',
  'webrtcEndpointName',
  'remoteSdp',
  'localSdp',
  'clientIceCandidates',
  'serverIceCandidates',
  'localCandidate',
  'remoteCandidate',
  'events',
];
const PLAYER_STATS = STATS.filter((k) => k !== 'remoteSdp' && k !== 'localSdp');

const mLines = (sdp: string) =>
  sdp
    .split('\r\n')
    .filter((l) => l.startsWith('m='))
    .map((l) => l.split(' ')[0]);
const directions = (sdp: string) => sdp.split('\r\n').filter((l) => /^a=(send|recv)only$/.test(l));

/** A session with a publisher `a` (camera, or `publish` options) and a subscriber-only `b`, after time ran. */
async function twoClients(
  publish: Record<string, unknown>,
  session: Record<string, unknown> = {},
  edition?: 'pro',
) {
  await fake?.close();
  fake = await startFake(edition ? { paused: true, edition } : { paused: true }, {
    clientPolicy: parseClientPolicy('manual', 'test'),
  });
  const f = fake;
  if (edition) await f.call('POST', '/api/step'); // the cluster boots
  await f.call('POST', `${API}/sessions`, { customSessionId: 'W', ...session });
  const a = (await f.call('POST', `${API}/sessions/W/connection`, { data: 'a' })).body.id as string;
  const b = (await f.call('POST', `${API}/sessions/W/connection`, { data: 'b' })).body.id as string;
  await f.call('POST', `/api/clients/${a}/join`, {});
  await f.call('POST', `/api/clients/${a}/publish`, publish);
  await f.call('POST', `/api/clients/${b}/join`, {});
  // Let 5 virtual seconds pass: every endpoint event has happened by then.
  const virtualNow = async () => (await f.call('GET', '/api/state')).body.clock.virtualNow as number;
  const until5s = (await virtualNow()) + 5000;
  await f.call('POST', '/api/speed', { speed: 1000 });
  await f.call('POST', '/api/resume');
  await until(async () => (await virtualNow()) >= until5s, 5000);
  await f.call('POST', '/api/pause');
  const get = async () =>
    (await f.call('GET', `${API}/sessions/W?webRtcStats=true`)).body.connections.content as Json[];
  const content = await get();
  return { f, get, a: content.find((c) => c.id === a) as Json, b: content.find((c) => c.id === b) as Json };
}

describe('?webRtcStats=true (MediaEndpoint.withStatsToJson)', () => {
  it("a publisher: the browser offers what it sends, Kurento answers; candidates on the participant's IP", async () => {
    const { f, a, b, get } = await twoClients({});
    const pub = a.publishers[0] as Json;
    expect(Object.keys(pub)).toEqual([...STATS, 'streamId', 'mediaOptions']);
    expect(pub.webrtcEndpointName).toBe(pub.streamId);
    expect(mLines(pub.remoteSdp)).toEqual(['m=audio', 'm=video']);
    expect(mLines(pub.localSdp)).toEqual(['m=audio', 'm=video']);
    expect(directions(pub.remoteSdp)).toEqual(['a=sendonly', 'a=sendonly']);
    expect(directions(pub.localSdp)).toEqual(['a=recvonly', 'a=recvonly']);
    expect(pub.remoteSdp).toContain('a=setup:actpass'); // the offer
    expect(pub.localSdp).toContain('s=Kurento Media Server');
    expect(pub.localSdp).toContain('a=rtpmap:96 VP8/90000'); // MEDIA_SERVER_PREFERRED resolves to VP8 on Kurento
    expect(pub.remoteCandidate).toContain(` ${a.ip} `);
    expect((pub.clientIceCandidates as Json[]).some((c) => String(c.candidate).includes(` ${a.ip} `))).toBe(
      true,
    );
    expect(Object.keys(pub.clientIceCandidates[0])).toEqual(['candidate', 'sdpMid', 'sdpMLineIndex']);
    const serverIp = String(pub.localCandidate).split(' ')[4];
    expect(
      (pub.serverIceCandidates as Json[]).some((c) => String(c.candidate).includes(` ${serverIp} `)),
    ).toBe(true);
    const events = pub.events as Json[];
    expect(events.map((e) => e.type)).toContain('NewCandidatePairSelected');
    expect(events.filter((e) => e.type === 'MediaFlowInStateChanged').map((e) => e.mediaType)).toEqual([
      'AUDIO',
      'VIDEO',
    ]);
    for (const e of events) {
      expect(e.msSinceEndpointCreation).toBe(e.timestamp - pub.createdAt);
      expect(e.uniqueSessionId).toMatch(/^W_\d+$/);
    }
    // The subscriber's endpoint: Kurento offers (sendonly), the browser answers (recvonly), on b's own IP.
    const sub = b.subscribers[0] as Json;
    expect(Object.keys(sub)).toEqual([...STATS, 'streamId']);
    expect(sub.webrtcEndpointName).toBe(`${b.id}_${pub.streamId}`);
    expect(directions(sub.localSdp)).toEqual(['a=sendonly', 'a=sendonly']);
    expect(directions(sub.remoteSdp)).toEqual(['a=recvonly', 'a=recvonly']);
    expect(sub.localSdp).toContain('a=setup:actpass');
    expect(sub.remoteCandidate).toContain(` ${b.ip} `);
    expect((sub.events as Json[]).filter((e) => e.type === 'MediaFlowOutStateChanged')).toHaveLength(2);
    // One endpoint always shows the same data.
    const again = await get();
    expect(again.find((c) => c.id === a.id)?.publishers[0]).toEqual(pub);
    // Without the flag, toJson() only.
    const plain = (await f.call('GET', `${API}/sessions/W`)).body.connections.content as Json[];
    expect(Object.keys(plain.find((c) => c.id === b.id)?.subscribers[0])).toEqual(['createdAt', 'streamId']);
  });

  it('an audio-only stream has one m-line; a forced H264 session offers H264', async () => {
    const { a, b } = await twoClients({ audio: true, video: false }, { forcedVideoCodec: 'H264' });
    const pub = a.publishers[0] as Json;
    expect(mLines(pub.remoteSdp)).toEqual(['m=audio']);
    expect(mLines(b.subscribers[0].localSdp)).toEqual(['m=audio']);
    expect(Object.keys(pub.mediaOptions)).toEqual(['hasAudio', 'audioActive', 'hasVideo', 'filter']);
    const { a: v } = await twoClients({}, { forcedVideoCodec: 'H264' });
    expect(v.publishers[0].localSdp).toContain('H264/90000');
    expect(v.publishers[0].localSdp).not.toContain('VP8');
  });

  it('an IP camera is a PlayerEndpoint: no SDP, no ICE, its rtspUri after the stream id', async () => {
    fake = await startFake({ paused: true }, { clientPolicy: parseClientPolicy('manual', 'test') });
    await fake.call('POST', `${API}/sessions`, { customSessionId: 'C' });
    await fake.call('POST', `${API}/sessions/C/connection`, {
      type: 'IPCAM',
      rtspUri: 'rtsp://10.0.0.7:554/live',
    });
    const cam = (await fake.call('GET', `${API}/sessions/C?webRtcStats=true`)).body.connections
      .content[0] as Json;
    const pub = cam.publishers[0] as Json;
    expect(Object.keys(pub)).toEqual([...PLAYER_STATS, 'streamId', 'rtspUri', 'mediaOptions']);
    expect(pub).toMatchObject({
      clientIceCandidates: [],
      serverIceCandidates: [],
      localCandidate: null,
      remoteCandidate: null,
    });
    // KurentoMediaOptions.toJson adds the camera's options; an IP camera has no frame rate or dimensions (null).
    expect(pub.mediaOptions).toEqual({
      hasAudio: true,
      audioActive: true,
      hasVideo: true,
      videoActive: true,
      typeOfVideo: 'IPCAM',
      frameRate: null,
      videoDimensions: null,
      filter: {},
      adaptativeBitrate: true,
      onlyPlayWithSubscribers: true,
      networkCache: 2000,
    });
    // Its connection: the IPCAM properties, a bare token, no role.
    expect(cam).toMatchObject({
      type: 'IPCAM',
      role: null,
      kurentoOptions: null,
      rtspUri: 'rtsp://10.0.0.7:554/live',
      clientData: '',
    });
    expect(cam.token).toMatch(/^tok_[A-Z][A-Za-z0-9]{15}$/);
  });

  it("in Pro the server candidates are on the session's media node", async () => {
    const { f, a } = await twoClients({}, {}, 'pro');
    const node = (await f.call('GET', `${API}/media-nodes`)).body.content[0] as Json;
    expect(String(a.publishers[0].localCandidate).split(' ')[4]).toBe(node.ip);
  });
});
