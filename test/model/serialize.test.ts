import { describe, expect, it } from 'vitest';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { Profile } from '../../src/model/profile.js';

// Byte-exact examples of spec §10.2 (OpenVidu 2.32.1, Gson 2.13.2).
const UNIQUE = 'ses_Jd8tUyvhXO_1601394690713';
const S = { sessionId: 'ses_Jd8tUyvhXO', uniqueSessionId: UNIQUE };
const CAM = {
  streamId: 'str_CAM_GPdf_con_EIeO06zgMz',
  participantId: 'con_EIeO06zgMz',
  connectionId: 'con_EIeO06zgMz',
  connection: 'OUTBOUND',
  videoSource: 'CAMERA',
  videoFramerate: 30,
  videoDimensions: '{"width":640,"height":480}',
  audioEnabled: true,
  videoEnabled: true,
};

const cases: Array<{ event: CdrEvent; cdr?: string; webhook?: string }> = [
  {
    event: { name: 'sessionCreated', data: { ...S, timestamp: 1601394690713 } },
    cdr: '{"sessionCreated":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713}}',
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713,"event":"sessionCreated"}',
  },
  {
    event: {
      name: 'participantJoined',
      data: {
        ...S,
        timestamp: 1601394715606,
        participantId: 'con_EIeO06zgMz',
        connectionId: 'con_EIeO06zgMz',
        location: 'unknown',
        ip: '37.122.145.190',
        platform: 'Chrome 85.0.4183.121 on Linux 64-bit',
        clientData: '{"clientData":"Mike"}',
        serverData: '',
      },
    },
    cdr: '{"participantJoined":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394715606,"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","location":"unknown","ip":"37.122.145.190","platform":"Chrome 85.0.4183.121 on Linux 64-bit","clientData":"{\\"clientData\\":\\"Mike\\"}","serverData":""}}',
  },
  {
    event: { name: 'webrtcConnectionCreated', data: { ...S, timestamp: 1601394849759, ...CAM } },
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394849759,"streamId":"str_CAM_GPdf_con_EIeO06zgMz","participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true,"event":"webrtcConnectionCreated"}',
  },
  {
    event: {
      name: 'webrtcConnectionDestroyed',
      data: {
        ...S,
        timestamp: 1601394894238,
        startTime: 1601394849759,
        duration: 44,
        reason: 'unpublish',
        ...CAM,
      },
    },
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394894238,"startTime":1601394849759,"duration":44,"reason":"unpublish","streamId":"str_CAM_GPdf_con_EIeO06zgMz","participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true,"event":"webrtcConnectionDestroyed"}',
  },
  {
    event: {
      name: 'recordingStatusChanged',
      data: {
        ...S,
        timestamp: 1601394992838,
        startTime: 1601394992838,
        duration: 0,
        id: 'ses_Jd8tUyvhXO',
        name: 'ses_Jd8tUyvhXO',
        outputMode: 'INDIVIDUAL',
        hasAudio: true,
        hasVideo: true,
        size: 0,
        status: 'started',
      },
    },
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394992838,"startTime":1601394992838,"duration":0.0,"id":"ses_Jd8tUyvhXO","name":"ses_Jd8tUyvhXO","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0,"status":"started","event":"recordingStatusChanged"}',
  },
  {
    event: {
      name: 'recordingStatusChanged',
      data: {
        ...S,
        timestamp: 1601395005555,
        startTime: 1601394992838,
        duration: 8.6,
        reason: 'recordingStoppedByServer',
        id: 'ses_Jd8tUyvhXO',
        name: 'MyRecording',
        outputMode: 'COMPOSED',
        resolution: '1280x720',
        frameRate: 25,
        recordingLayout: 'BEST_FIT',
        hasAudio: true,
        hasVideo: true,
        size: 1973428,
        status: 'ready',
      },
    },
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601395005555,"startTime":1601394992838,"duration":8.6,"reason":"recordingStoppedByServer","id":"ses_Jd8tUyvhXO","name":"MyRecording","outputMode":"COMPOSED","resolution":"1280x720","frameRate":25,"recordingLayout":"BEST_FIT","hasAudio":true,"hasVideo":true,"size":1973428,"status":"ready","event":"recordingStatusChanged"}',
  },
  {
    event: {
      name: 'signalSent',
      data: {
        ...S,
        timestamp: 1605181948719,
        from: null,
        to: ['con_ZbNTYgi0ae'],
        type: 'my-chat',
        data: "{'message':'Hello!','name':'Alice'}",
      },
    },
    webhook:
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1605181948719,"from":null,"to":["con_ZbNTYgi0ae"],"type":"my-chat","data":"{\'message\':\'Hello!\',\'name\':\'Alice\'}","event":"signalSent"}',
  },
  {
    event: {
      name: 'sessionDestroyed',
      data: {
        ...S,
        timestamp: 1601395365656,
        startTime: 1601394690713,
        duration: 674,
        reason: 'lastParticipantLeft',
      },
    },
    cdr: '{"sessionDestroyed":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601395365656,"startTime":1601394690713,"duration":674,"reason":"lastParticipantLeft"}}',
  },
];

describe('serializer, profile 2.32 (spec §10.2)', () => {
  const profile = new Profile('2.32');
  it.each(cases.map((c, i) => [i, c] as const))('example %i is byte-exact', (_i, c) => {
    if (c.cdr) expect(profile.serializeCdr(c.event)).toBe(c.cdr);
    if (c.webhook) expect(profile.serializeWebhook(c.event)).toBe(c.webhook);
  });

  it('writes the CDR line as the webhook body minus `event`, wrapped under the event name', () => {
    for (const c of cases) {
      const cdr = JSON.parse(profile.serializeCdr(c.event) ?? '') as Record<string, unknown>;
      const body = JSON.parse(profile.serializeWebhook(c.event) ?? '') as Record<string, unknown>;
      const { event, ...rest } = body;
      expect(event).toBe(c.event.name);
      expect(cdr).toEqual({ [c.event.name]: rest });
    }
  });

  it('writes IP camera OUTBOUND tails with the rtsp fields and null video fields', () => {
    const line = profile.serializeWebhook({
      name: 'webrtcConnectionCreated',
      data: {
        ...S,
        timestamp: 1,
        streamId: 'str_IPC_XqFd_ipc_IPCAM_rtsp_AB1C_dummyurl_com',
        participantId: 'ipc_IPCAM_rtsp_AB1C_dummyurl_com',
        connectionId: 'ipc_IPCAM_rtsp_AB1C_dummyurl_com',
        connection: 'OUTBOUND',
        rtspUri: 'rtsp://dummyurl.com',
        adaptativeBitrate: true,
        networkCache: 1000,
        onlyPlayWithSubscribers: true,
        videoSource: 'IPCAM',
        videoFramerate: null,
        videoDimensions: null,
        audioEnabled: true,
        videoEnabled: true,
      },
    });
    expect(line).toContain(
      '"connection":"OUTBOUND","rtspUri":"rtsp://dummyurl.com","adaptativeBitrate":true,"networkCache":1000,"onlyPlayWithSubscribers":true,"videoSource":"IPCAM","videoFramerate":null,"videoDimensions":null,"audioEnabled":true,"videoEnabled":true,"event"',
    );
  });

  it('omits video fields of audio-only streams and the reason when it is absent', () => {
    const line = profile.serializeCdr({
      name: 'webrtcConnectionDestroyed',
      data: {
        ...S,
        timestamp: 2000,
        startTime: 1000,
        duration: 1,
        streamId: 'str_MIC_Ab12_con_A',
        participantId: 'con_A',
        connectionId: 'con_A',
        connection: 'OUTBOUND',
        audioEnabled: true,
        videoEnabled: false,
      },
    });
    expect(line).toBe(
      `{"webrtcConnectionDestroyed":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"${UNIQUE}","timestamp":2000,"startTime":1000,"duration":1,"streamId":"str_MIC_Ab12_con_A","participantId":"con_A","connectionId":"con_A","connection":"OUTBOUND","audioEnabled":true,"videoEnabled":false}}`,
    );
  });

  it('escapes U+2028 and U+2029 like Gson, and leaves / < > & raw', () => {
    const line = profile.serializeCdr({
      name: 'signalSent',
      data: {
        ...S,
        timestamp: 1,
        from: 'con_A',
        to: ['con_A'],
        type: 'chat',
        data: 'a\u2028b\u2029c</x>&\u0001"\\',
      },
    });
    expect(line).toContain('"data":"a\\u2028b\\u2029c</x>&\\u0001\\"\\\\"');
  });

  it('fails loudly when a required field is missing', () => {
    const broken = {
      name: 'sessionCreated',
      data: { sessionId: 'x', uniqueSessionId: 'x_1' },
    } as unknown as CdrEvent;
    expect(() => profile.serializeCdr(broken)).toThrow(/sessionCreated.timestamp is missing/);
  });
});

describe('version profiles', () => {
  const v216 = new Profile('2.16');
  it('2.16 writes no uniqueSessionId, connectionId or ip and has no signalSent', () => {
    const joined = v216.serializeCdr({
      name: 'participantJoined',
      data: {
        ...S,
        timestamp: 5,
        participantId: 'con_A',
        connectionId: 'con_A',
        location: 'unknown',
        ip: '1.2.3.4',
        platform: 'Chrome',
        clientData: 'Mike',
        serverData: '',
      },
    });
    expect(joined).toBe(
      '{"participantJoined":{"sessionId":"ses_Jd8tUyvhXO","timestamp":5,"participantId":"con_A","location":"unknown","platform":"Chrome","clientData":"Mike","serverData":""}}',
    );
    expect(v216.has('signalSent')).toBe(false);
    expect(v216.has('mediaNodeStatusChanged')).toBe(false);
    expect(new Profile('2.16', 'pro').has('mediaNodeStatusChanged')).toBe(true);
  });

  it("knows the full release: as given, else the minor's (the tags of OpenVidu/openvidu; 2.32 is 2.32.1)", () => {
    expect(new Profile('2.16').release).toBe('2.16.0');
    expect(new Profile('v2.20.0').release).toBe('2.20.0');
    expect(new Profile('2.26').release).toBe('2.26.2');
    expect(new Profile('2.32').release).toBe('2.32.1');
    expect(new Profile('2.32.2').release).toBe('2.32.2');
    expect(new Profile('2.32.2').version).toBe('2.32');
  });

  it('refuses versions outside 2.x with a message saying what is supported', () => {
    expect(() => new Profile('3.0')).toThrow(/unsupported OpenVidu version "3.0": use 2.12 to 2.32/);
  });
});
