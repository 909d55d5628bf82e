/**
 * The pre-2.21 CDR-only `recordingStarted`/`recordingStopped` lines and where they sit next to their
 * `recordingStatusChanged`, pinned to OpenVidu's Java source of each tag and to a line captured on a real server.
 */
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../src/model/byte-writer.js';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { Profile } from '../../src/model/profile.js';

/** The CDR text through both serializers (string and bytes), which must agree. */
function cdrOf(profile: Profile, event: CdrEvent): string {
  const text = profile.serializeCdr(event);
  const out = new ByteBuffer(16);
  profile.writeCdrLine(event, out);
  expect(new TextDecoder().decode(out.take())).toBe(`${text}\n`);
  return text ?? '';
}

// A real OpenVidu 2.13 server's CDR (OpenVidu issue #433): a COMPOSED recording with a custom layout.
const SALA181 = {
  sessionId: 'Sala181',
  timestamp: 1590608826352,
  startTime: 1590608826352,
  duration: 0,
  id: 'Sala181',
  name: 'Sala181',
  outputMode: 'COMPOSED',
  resolution: '1920x1080',
  recordingLayout: 'CUSTOM',
  customLayout: 'conf/',
  hasAudio: true,
  hasVideo: true,
  size: 0,
};

describe('recordingStarted (CDREventRecording.java, short constructor, v2.12.0–v2.20.0)', () => {
  it('writes the real 2.13 line byte for byte: no startTime, duration 0.0 last after size, before its status', () => {
    const event = { name: 'recordingStatusChanged', data: { ...SALA181, status: 'started' } } as CdrEvent;
    const lines = cdrOf(new Profile('2.13'), event).split('\n');
    expect(lines).toEqual([
      '{"recordingStarted":{"sessionId":"Sala181","timestamp":1590608826352,"id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0,"duration":0.0}}',
      // CDREventRecordingStatus.java v2.13.0: the end constructor, the int duration replaced in its slot by 0.0.
      '{"recordingStatusChanged":{"sessionId":"Sala181","timestamp":1590608826352,"startTime":1590608826352,"duration":0.0,"id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0,"status":"started"}}',
    ]);
  });

  // RecordingManager.java: recordRecordingStarted then recordRecordingStatusChanged(started) in v2.12.0–v2.16.0;
  // from v2.17.0 (the "TODO: remove deprecated recordingStarted" rewrite) the status first, until v2.21.0 drops it.
  const order: Array<[string, 'first' | 'second' | 'absent']> = [
    ['2.12', 'first'],
    ['2.15', 'first'],
    ['2.16', 'first'],
    ['2.17', 'second'],
    ['2.18', 'second'],
    ['2.20', 'second'],
    ['2.21', 'absent'],
  ];
  for (const [version, where] of order) {
    it(`${version}: recordingStarted is ${where === 'absent' ? 'not written' : `written ${where}`}`, () => {
      const data = { ...SALA181, uniqueSessionId: 'Sala181_1', status: 'started' };
      const lines = cdrOf(new Profile(version), { name: 'recordingStatusChanged', data } as CdrEvent).split(
        '\n',
      );
      const names = lines.map((l) => Object.keys(JSON.parse(l) as object)[0]);
      if (where === 'absent') expect(names).toEqual(['recordingStatusChanged']);
      else if (where === 'first') expect(names).toEqual(['recordingStarted', 'recordingStatusChanged']);
      else expect(names).toEqual(['recordingStatusChanged', 'recordingStarted']);
    });
  }

  it('2.20: uniqueSessionId (CDREvent v2.17.0), frameRate (v2.18.0) and media_node_id in the composed block', () => {
    const data = {
      ...SALA181,
      uniqueSessionId: 'Sala181_1590608826000',
      frameRate: 25,
      media_node_id: 'media_i-0c58bcdd26l11d0sd',
      status: 'started',
    };
    const [, started] = cdrOf(new Profile('2.20'), {
      name: 'recordingStatusChanged',
      data,
    } as CdrEvent).split('\n');
    expect(started).toBe(
      '{"recordingStarted":{"sessionId":"Sala181","uniqueSessionId":"Sala181_1590608826000","timestamp":1590608826352,"id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","frameRate":25,"recordingLayout":"CUSTOM","customLayout":"conf/","media_node_id":"media_i-0c58bcdd26l11d0sd","hasAudio":true,"hasVideo":true,"size":0,"duration":0.0}}',
    );
  });
});

describe('recordingStopped (CDREventRecording.java, end constructor, v2.12.0–v2.20.0)', () => {
  it('writes startTime, duration in the int slot, reason, the recording fields, after its status', () => {
    const data = {
      ...SALA181,
      timestamp: 1590608866352,
      reason: 'recordingStoppedByServer',
      outputMode: 'INDIVIDUAL',
      resolution: undefined,
      recordingLayout: undefined,
      customLayout: undefined,
      status: 'stopped',
    };
    const lines = cdrOf(new Profile('2.16'), { name: 'recordingStatusChanged', data } as CdrEvent).split(
      '\n',
    );
    expect(lines[1]).toBe(
      '{"recordingStopped":{"sessionId":"Sala181","timestamp":1590608866352,"startTime":1590608826352,"duration":0.0,"reason":"recordingStoppedByServer","id":"Sala181","name":"Sala181","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0}}',
    );
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['recordingStatusChanged']);
  });

  it('writes nothing extra for ready and failed', () => {
    const data = { ...SALA181, status: 'ready', size: 1000, duration: 4.5 };
    expect(cdrOf(new Profile('2.16'), { name: 'recordingStatusChanged', data } as CdrEvent)).not.toContain(
      '\n',
    );
  });

  it('is never sent to the WebHook, nor is recordingStarted', () => {
    const data = { ...SALA181, status: 'started' };
    const profile = new Profile('2.16');
    expect(
      profile.serializeWebhook({ name: 'recordingStarted', data } as unknown as CdrEvent),
    ).toBeUndefined();
    expect(profile.serializeWebhook({ name: 'recordingStatusChanged', data } as CdrEvent)).not.toContain(
      'recordingStarted',
    );
  });
});

describe('IP camera networkCache (CDREventWebrtcConnection.java)', () => {
  const cam = {
    sessionId: 'ses_A',
    uniqueSessionId: 'ses_A_1',
    timestamp: 1,
    streamId: 'str_IPC_x_ipc_IPCAM_y',
    participantId: 'ipc_IPCAM_y',
    connectionId: 'ipc_IPCAM_y',
    connection: 'OUTBOUND',
    rtspUri: 'rtsp://cam/1',
    adaptativeBitrate: true,
    networkCache: 2000,
    onlyPlayWithSubscribers: true,
    videoSource: 'IPCAM',
    videoFramerate: null,
    videoDimensions: null,
    audioEnabled: true,
    videoEnabled: true,
  };
  it('is absent up to v2.15.0 and written from v2.16.0', () => {
    const event = { name: 'webrtcConnectionCreated', data: cam } as CdrEvent;
    expect(new Profile('2.15').serializeCdr(event)).toContain(
      '"adaptativeBitrate":true,"onlyPlayWithSubscribers"',
    );
    expect(new Profile('2.16').serializeCdr(event)).toContain(
      '"adaptativeBitrate":true,"networkCache":2000,"onlyPlayWithSubscribers"',
    );
  });
});
