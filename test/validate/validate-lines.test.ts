import { describe, expect, it } from 'vitest';
import { LifecycleValidator } from '../../src/validate/validate-lines.js';
import { SESSION_1, SESSION_2, toWebhook, VALID_2_16, VALID_CDR } from './fixtures.js';
import { ALL_EVENTS, check, edit, insert, without } from './helpers.js';

// SESSION_1 line indexes (0-based) used below.
const S1_JOIN_A = 1;
const S1_OUT_A = 2;
const S1_JOIN_B = 3;
const S1_IN_B_FROM_A = 4;
const S1_REC_STARTED = 7;
const S1_SIGNAL = 8;
const S1_REC_STOPPED = 12;
const S1_IN_A_FROM_B_END = 14;
const S1_LEFT_A = 15;
const S1_OUT_B_END = 16;
const S1_LEFT_B = 17;
const S1_DESTROYED = 18;
// SESSION_2 line indexes.
const S2_OUT_CAM = 2;
const S2_REC_STARTED = 5;
const S2_LEFT_C = 8;
const S2_REC_STOPPED = 11;
const S2_REC_READY = 12;
const S2_DESTROYED = 13;

describe('valid input', () => {
  it('accepts a hand-written 2.32 CDR file with full lifecycles', () => {
    expect(check(VALID_CDR)).toEqual([]);
  });

  it('accepts the same events as WebHook bodies', () => {
    expect(check(VALID_CDR.map(toWebhook))).toEqual([]);
  });

  it('accepts CDR and WebHook lines mixed, detected per line', () => {
    expect(check(VALID_CDR.map((l, i) => (i % 2 === 0 ? l : toWebhook(l))))).toEqual([]);
  });

  it('accepts a 2.16 file validated as 2.16, given or detected', () => {
    expect(check(VALID_2_16, { version: '2.16' })).toEqual([]);
    expect(check(VALID_2_16)).toEqual([]);
    const v = new LifecycleValidator();
    VALID_2_16.forEach((l, i) => v.push(l, i + 1, 'old.log'));
    // Nothing in these lines tells 2.12 … 2.16 apart; lines are checked against the newest.
    expect(v.summary()).toMatchObject({ profile: '2.12–2.16', profileSource: 'detected', errors: 0 });
  });

  it('accepts each byte-exact example of spec §10.2 on its own (only begun-before-input warnings, when no type is filtered out)', () => {
    const examples = [
      '{"sessionCreated":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713}}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713,"event":"sessionCreated"}',
      '{"participantJoined":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394715606,"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","location":"unknown","ip":"37.122.145.190","platform":"Chrome 85.0.4183.121 on Linux 64-bit","clientData":"{\\"clientData\\":\\"Mike\\"}","serverData":""}}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394849759,"streamId":"str_CAM_GPdf_con_EIeO06zgMz","participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true,"event":"webrtcConnectionCreated"}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394894238,"startTime":1601394849759,"duration":44,"reason":"unpublish","streamId":"str_CAM_GPdf_con_EIeO06zgMz","participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true,"event":"webrtcConnectionDestroyed"}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394992838,"startTime":1601394992838,"duration":0.0,"id":"ses_Jd8tUyvhXO","name":"ses_Jd8tUyvhXO","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0,"status":"started","event":"recordingStatusChanged"}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601395005555,"startTime":1601394992838,"duration":8.6,"reason":"recordingStoppedByServer","id":"ses_Jd8tUyvhXO","name":"MyRecording","outputMode":"COMPOSED","resolution":"1280x720","frameRate":25,"recordingLayout":"BEST_FIT","hasAudio":true,"hasVideo":true,"size":1973428,"status":"ready","event":"recordingStatusChanged"}',
      '{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1605181948719,"from":null,"to":["con_ZbNTYgi0ae"],"type":"my-chat","data":"{\'message\':\'Hello!\',\'name\':\'Alice\'}","event":"signalSent"}',
      '{"sessionDestroyed":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601395365656,"startTime":1601394690713,"duration":674,"reason":"lastParticipantLeft"}}',
    ];
    // Alone, each line is also a stream filtered down to its own type: what needs another type is skipped.
    expect(examples.flatMap((line) => check([line]))).toEqual([]);
    const found = examples.flatMap((line) => check([line], { events: ALL_EVENTS }));
    expect(found).toEqual([
      'warning f.log:1: pairing: webrtcConnectionDestroyed of OUTBOUND str_CAM_GPdf_con_EIeO06zgMz without webrtcConnectionCreated (begun before the input starts?)',
      'warning f.log:1: pairing: sessionDestroyed of ses_Jd8tUyvhXO without sessionCreated (created before the input starts?)',
    ]);
  });

  it('counts what it saw in the summary, unterminated entities included', () => {
    const v = new LifecycleValidator();
    SESSION_1.slice(0, 8).forEach((l, i) => v.push(l, i + 1, 'cut.log'));
    expect(v.finish()).toEqual([]);
    expect(v.summary()).toEqual({
      profile: '2.20–2.32',
      profileSource: 'detected',
      lines: 8,
      events: 8,
      eventsByType: {
        sessionCreated: 1,
        participantJoined: 2,
        webrtcConnectionCreated: 4,
        recordingStatusChanged: 1,
      },
      sessions: { created: 1, destroyed: 0, begunBeforeInput: 0 },
      unterminated: { sessions: 1, participants: 2, webrtcConnections: 4, recordings: 1 },
      filter: {
        given: undefined,
        present: ['sessionCreated', 'participantJoined', 'webrtcConnectionCreated', 'recordingStatusChanged'],
        skipped: 0,
        missing: [],
      },
      errors: 0,
      warnings: 0,
      byRule: {},
    });
  });
});

describe('line form', () => {
  it('reports garbage lines and goes on validating after them', () => {
    const lines = insert(
      edit(SESSION_1, S1_DESTROYED, '"duration":674', '"duration":675'),
      5,
      'garbage{',
      '',
    );
    expect(check(lines)).toEqual([
      'f.log:6: unparsable-line: not valid JSON: garbage{',
      'warning f.log:7: blank-line: empty line',
      'f.log:21: duration: duration 675 is not trunc((1601395365656 - 1601394690713) / 1000) = 674',
    ]);
  });

  it('reports JSON that is neither form', () => {
    expect(check(['[1,2]', '{"a":{},"b":{}}', '{"sessionCreated":1}'])).toEqual([
      'f.log:1: line-form: not a JSON object',
      'f.log:2: line-form: neither a CDR line {"<event>":{…}} (one root key) nor a WebHook body (an "event" key)',
      'f.log:3: line-form: the value of the root key "sessionCreated" is not an object',
    ]);
  });

  it('requires "event" to be the last key of a WebHook body, and a string', () => {
    const first =
      '{"event":"sessionCreated","sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394690713}';
    expect(check([first])).toEqual(['f.log:1: event-key: "event" must be the last key of a WebHook body']);
    expect(check(['{"timestamp":1,"event":7}'])).toEqual([
      'f.log:1: event-key: "event" must be a string, found 7',
    ]);
  });

  it('reports text Gson would not write', () => {
    const created = SESSION_1[0] ?? '';
    expect(check([created.replace('"timestamp":', '"timestamp": ')])).toEqual([
      'f.log:1: serialization: whitespace outside strings (Gson writes compact JSON)',
    ]);
    const signal = edit(SESSION_1, S1_SIGNAL, '"type":"chat"', '"type":"a\\/b"');
    expect(check(signal)).toEqual(['f.log:9: serialization: escaped "/" (Gson writes "/" unescaped)']);
    const raw2028 = edit(SESSION_1, S1_SIGNAL, 'line\\u2028two', 'line\u2028two');
    expect(check(raw2028)).toEqual([
      'f.log:9: serialization: raw U+2028/U+2029 in a string (Gson writes \\u2028 and \\u2029)',
    ]);
    const upper = edit(SESSION_1, S1_SIGNAL, '"type":"chat"', '"type":"\\u001F"');
    expect(check(upper)).toEqual([
      'f.log:9: serialization: upper-case hex in \\u001F (Gson writes lower case)',
    ]);
    const needless = edit(SESSION_1, S1_SIGNAL, '"type":"chat"', '"type":"\\u00e9"');
    expect(check(needless)).toEqual([
      'f.log:9: serialization: \\u00e9 escape of a character Gson writes as itself',
    ]);
  });

  it('reports unknown events and events of another version', () => {
    expect(check(['{"mediaServerCrashed":{"timestamp":1601394690713}}'])).toEqual([
      'f.log:1: unknown-event: unknown event "mediaServerCrashed"',
    ]);
    const signal216 =
      '{"signalSent":{"sessionId":"ses_SuXO99zeb1","timestamp":1584008780000,"from":null,"to":["con_ZTMYOmVuZB"],"type":"x","data":""}}';
    expect(check([...VALID_2_16.slice(0, 2), signal216])).toEqual([
      'f.log:3: unknown-event: OpenVidu 2.16 does not emit "signalSent" (it appears in 2.17)',
    ]);
    const legacy = VALID_2_16[3] ?? '';
    expect(
      check([
        ...SESSION_1.slice(0, 1),
        legacy.replace('"sessionId":"ses_SuXO99zeb1"', '"sessionId":"ses_Jd8tUyvhXO"'),
      ]),
    ).toEqual([
      'f.log:2: unknown-event: OpenVidu 2.32 does not emit "recordingStarted" (it was removed after 2.20)',
    ]);
  });
});

describe('layout (spec §2, §11)', () => {
  it('reports keys out of wire order', () => {
    const lines = edit(
      SESSION_1,
      S1_JOIN_A,
      '"location":"unknown","ip":"37.122.145.190"',
      '"ip":"37.122.145.190","location":"unknown"',
    );
    expect(check(lines)).toEqual([
      'f.log:2: key-order: "location" must come before "ip" (wire order: sessionId, uniqueSessionId, timestamp, participantId, connectionId, location, ip, platform, clientData, serverData)',
    ]);
  });

  it('reports missing and unexpected keys, conditional ones included', () => {
    const noIp = edit(SESSION_1, S1_JOIN_B, '"ip":"88.12.4.7",', '');
    expect(check(noIp)).toEqual([
      'f.log:4: missing-field: missing "ip"',
      'f.log:18: field-mismatch: "ip" is "88.12.4.7" but was absent in participantJoined (f.log:4)',
    ]);
    const receiving = edit(
      SESSION_1,
      S1_OUT_A,
      '"connection":"OUTBOUND",',
      '"connection":"OUTBOUND","receivingFrom":"con_ZbNTYgi0ae",',
    );
    expect(check(receiving.slice(0, 3))).toEqual([
      'f.log:3: unexpected-field: "receivingFrom" is only written for INBOUND connections',
    ]);
    const noRtsp = edit(SESSION_2, S2_OUT_CAM, '"rtspUri":"rtsp://dummyurl.com",', '');
    expect(check(noRtsp)).toEqual([
      'f.log:3: missing-field: missing "rtspUri" (written for OUTBOUND connections of IP cameras)',
      'f.log:10: field-mismatch: "rtspUri" is "rtsp://dummyurl.com" but was absent in webrtcConnectionCreated (f.log:3)',
    ]);
    const videoOnMic = edit(
      SESSION_1,
      5,
      '"audioEnabled":true,"videoEnabled":false',
      '"videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"x","audioEnabled":true,"videoEnabled":false',
    );
    expect(check(videoOnMic.slice(0, 6))).toEqual([
      'f.log:6: unexpected-field: "videoSource" is only written for streams with video',
      'f.log:6: unexpected-field: "videoFramerate" is only written for streams with video',
      'f.log:6: unexpected-field: "videoDimensions" is only written for streams with video',
    ]);
    const indivResolution = edit(
      SESSION_1,
      S1_REC_STARTED,
      '"hasAudio"',
      '"resolution":"1280x720","hasAudio"',
    );
    expect(check(indivResolution)).toEqual([
      'f.log:8: unexpected-field: "resolution" is only written for COMPOSED/COMPOSED_QUICK_START recordings with video',
    ]);
    const startedReason = edit(
      SESSION_1,
      S1_REC_STARTED,
      '"duration":0.0,',
      '"duration":0.0,"reason":"automaticStop",',
    );
    expect(check(startedReason)).toEqual(['f.log:8: reason: a recording "started" event never has a reason']);
    const duplicate = edit(
      SESSION_1,
      0,
      '"timestamp":1601394690713',
      '"timestamp":1601394690713,"timestamp":1601394690713',
    );
    expect(check(duplicate)).toEqual(['f.log:1: unexpected-field: duplicate key "timestamp"']);
  });

  it('checks the 2.16 field set when validating 2.32 lines as 2.16 and vice versa', () => {
    expect(check(SESSION_1.slice(0, 2), { version: '2.16' })).toEqual([
      'f.log:1: unexpected-field: "uniqueSessionId" is not written by OpenVidu 2.16 (it appears in 2.17)',
      'f.log:2: unexpected-field: "uniqueSessionId" is not written by OpenVidu 2.16 (it appears in 2.17)',
      'f.log:2: unexpected-field: "connectionId" is not written by OpenVidu 2.16 (it appears in 2.17)',
      'f.log:2: unexpected-field: "ip" is not written by OpenVidu 2.16 (it appears in 2.20)',
    ]);
    expect(check(VALID_2_16.slice(0, 2), { version: '2.32' })).toEqual([
      'f.log:1: missing-field: missing "uniqueSessionId"',
      'f.log:2: missing-field: missing "uniqueSessionId"',
      'f.log:2: missing-field: missing "connectionId"',
      'f.log:2: missing-field: missing "ip"',
    ]);
    // 2.17 … 2.19 had uniqueSessionId and connectionId but not yet ip.
    expect(
      check(edit(SESSION_1, S1_JOIN_A, '"ip":"37.122.145.190",', '').slice(0, 2), { version: '2.18' }),
    ).toEqual([]);
  });

  it('requires Java number forms: recording duration as a double, integers without fraction', () => {
    const intDuration = edit(SESSION_1, S1_REC_STARTED, '"duration":0.0', '"duration":0');
    expect(check(intDuration)).toEqual([
      'f.log:8: field-type: "duration" must be a Java double such as 0.0, found 0',
    ]);
    const jsDouble = edit(SESSION_2, S2_REC_READY, '"duration":316.5', '"duration":316.50');
    expect(check(jsDouble)).toEqual([
      'f.log:13: field-type: "duration" must be written as Java\'s Double.toString writes it (316.5), found 316.50',
    ]);
    const doubleTimestamp = edit(SESSION_1, 0, '"timestamp":1601394690713', '"timestamp":1601394690713.0');
    expect(check(doubleTimestamp)).toEqual([
      'f.log:1: field-type: "timestamp" must be an integer, found 1601394690713.0',
    ]);
    const stringFramerate = edit(SESSION_1, S1_OUT_A, '"videoFramerate":30', '"videoFramerate":"30"').slice(
      0,
      3,
    );
    expect(check(stringFramerate)).toEqual([
      'f.log:3: field-type: "videoFramerate" must be an integer or null, found "30"',
    ]);
  });

  it('checks enum values', () => {
    const lines = edit(SESSION_1, S1_OUT_A, '"videoSource":"CAMERA"', '"videoSource":"WEBCAM"').slice(0, 3);
    expect(check(lines)).toEqual([
      'f.log:3: field-value: "videoSource" is "WEBCAM", not one of CAMERA, SCREEN, CUSTOM, IPCAM',
    ]);
  });
});

describe('ids (spec §3)', () => {
  it('requires streamId to embed the publisher connection id and its media prefix', () => {
    const wrongConnection = edit(
      SESSION_1,
      S1_OUT_A,
      '"streamId":"str_CAM_GPdf_con_EIeO06zgMz"',
      '"streamId":"str_CAM_GPdf_con_EIeO06zgMx"',
    );
    expect(check(wrongConnection.slice(0, 3))).toEqual([
      "f.log:3: id-format: streamId str_CAM_GPdf_con_EIeO06zgMx does not end with the publisher's connection id con_EIeO06zgMz",
    ]);
    const wrongPrefix = edit(SESSION_1, S1_OUT_A, '"streamId":"str_CAM_GPdf', '"streamId":"str_SCR_GPdf');
    expect(check(wrongPrefix.slice(0, 3))).toEqual([
      'f.log:3: id-format: streamId prefix SCR does not match videoSource CAMERA (expected CAM)',
    ]);
    const micWithVideo = edit(SESSION_1, 5, '"videoEnabled":false', '"videoEnabled":true');
    expect(check(micWithVideo.slice(0, 6))).toEqual([
      'f.log:6: id-format: streamId str_MIC_Qw3r_con_ZbNTYgi0ae is audio-only (MIC) but "videoEnabled" is true',
    ]);
  });

  it('checks connection ids, participantId == connectionId, and recording ids', () => {
    const badId = edit(
      SESSION_1,
      S1_JOIN_A,
      `"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz"`,
      `"participantId":"con_EIeO06zgMz","connectionId":"con_OTHER00000"`,
    );
    expect(check(badId.slice(0, 2))).toEqual([
      'f.log:2: id-format: participantId con_EIeO06zgMz differs from connectionId con_OTHER00000',
    ]);
    const recId = edit(SESSION_2, S2_REC_STARTED, '"id":"TestSession~1"', '"id":"TestSession-1"');
    expect(check(recId.slice(0, 6))).toEqual([
      'f.log:6: id-format: recording id "TestSession-1" is neither the sessionId nor TestSession~N',
    ]);
    const session = edit(SESSION_1, 0, '"sessionId":"ses_Jd8tUyvhXO"', '"sessionId":"ses Jd8tUyvhXO"');
    expect(check(session.slice(0, 1))).toEqual([
      'f.log:1: id-format: sessionId "ses Jd8tUyvhXO" is not a valid session id ([a-zA-Z0-9_-]+)',
      'f.log:1: unique-session-id: uniqueSessionId "ses_Jd8tUyvhXO_1601394690713" is not "ses Jd8tUyvhXO_<creation timestamp>"',
    ]);
  });

  it('requires uniqueSessionId = sessionId + "_" + sessionCreated timestamp', () => {
    const lines = edit(SESSION_1, 0, '"timestamp":1601394690713', '"timestamp":1601394690714');
    expect(check(lines)).toEqual([
      'f.log:1: unique-session-id: uniqueSessionId "ses_Jd8tUyvhXO_1601394690713" does not end with the timestamp 1601394690714',
      'f.log:19: start-time: startTime 1601394690713 differs from the sessionCreated timestamp 1601394690714 (f.log:1)',
    ]);
  });
});

describe('times (spec §1.6, §2)', () => {
  it('requires startTime to equal the creation timestamp', () => {
    const lines = edit(SESSION_1, S1_LEFT_A, '"startTime":1601394715606', '"startTime":1601394715607');
    expect(check(lines)).toEqual([
      'f.log:16: start-time: startTime 1601394715607 differs from the participantJoined timestamp 1601394715606 (f.log:2)',
    ]);
    const rec = edit(SESSION_2, S2_REC_STOPPED, '"startTime":1601396003000', '"startTime":1601396003001');
    expect(check(rec)).toEqual([
      "f.log:12: start-time: startTime 1601396003001 differs from the recording's startTime 1601396003000 (f.log:6)",
    ]);
    const started = edit(SESSION_2, S2_REC_STARTED, '"timestamp":1601396003000', '"timestamp":1601396003500');
    expect(check(started)).toEqual([
      'f.log:6: start-time: a "started" event has timestamp == startTime, found 1601396003500 and 1601396003000',
    ]);
  });

  it('requires duration = trunc((timestamp - startTime) / 1000)', () => {
    const lines = edit(SESSION_1, S1_DESTROYED, '"duration":674', '"duration":675');
    expect(check(lines)).toEqual([
      'f.log:19: duration: duration 675 is not trunc((1601395365656 - 1601394690713) / 1000) = 674',
    ]);
  });

  it('warns about timestamps before the session creation, without requiring sorted lines', () => {
    const lines = edit(SESSION_1, S1_SIGNAL, '"timestamp":1601394993000', '"timestamp":1601394690000');
    expect(check(lines)).toEqual([
      'warning f.log:9: timestamp-order: timestamp 1601394690000 is before the creation of session ses_Jd8tUyvhXO (1601394690713)',
    ]);
  });
});

describe('reasons (spec §2.2, §2.4, §2.6, §2.7)', () => {
  it('reports reasons an event cannot have', () => {
    expect(check(edit(SESSION_2, S2_LEFT_C, '"reason":"disconnect"', '"reason":"unpublish"'))).toEqual([
      'f.log:9: reason: "unpublish" is not a reason of participantLeft',
    ]);
    expect(check(edit(SESSION_2, S2_DESTROYED, '"reason":"automaticStop"', '"reason":"disconnect"'))).toEqual(
      [
        'f.log:14: reason: sessionDestroyed never has reason "disconnect" (finalReason maps it to "lastParticipantLeft")',
      ],
    );
    const unsubscribe = edit(SESSION_1, 10, '"reason":"unpublish"', '"reason":"unsubscribe"');
    expect(check(unsubscribe)).toEqual([
      'f.log:11: reason: reason "unsubscribe" on an OUTBOUND connection (only a subscriber unsubscribes)',
    ]);
  });

  it('requires ready to keep the stop reason', () => {
    const lines = edit(
      SESSION_2,
      S2_REC_READY,
      '"reason":"automaticStop"',
      '"reason":"recordingStoppedByServer"',
    );
    expect(check(lines)).toEqual([
      'f.log:13: reason: "ready" reason "recordingStoppedByServer" differs from the "stopped" reason "automaticStop" (f.log:12)',
    ]);
  });
});

describe('pairing and session lifecycle (spec §4)', () => {
  it('reports double creation', () => {
    expect(check(insert(SESSION_1, 2, SESSION_1[S1_JOIN_A] ?? ''))).toEqual([
      'f.log:3: pairing: participant con_EIeO06zgMz joined twice (already in the session at f.log:2)',
    ]);
    expect(check(insert(SESSION_1, 1, SESSION_1[0] ?? ''))).toEqual([
      'f.log:2: pairing: session ses_Jd8tUyvhXO created twice (first sessionCreated at f.log:1)',
    ]);
    expect(check(insert(SESSION_1, 3, SESSION_1[S1_OUT_A] ?? ''))).toEqual([
      'f.log:4: pairing: con_EIeO06zgMz already publishes str_CAM_GPdf_con_EIeO06zgMz (f.log:3)',
    ]);
  });

  it('reports an end without its beginning as an error when the beginning is inside the input', () => {
    expect(check(without(SESSION_1, S1_JOIN_B))).toEqual([
      'f.log:4: unknown-participant: webrtcConnectionCreated of con_ZbNTYgi0ae, which is not a participant of session ses_Jd8tUyvhXO',
      'f.log:5: unknown-participant: webrtcConnectionCreated of con_ZbNTYgi0ae, which is not a participant of session ses_Jd8tUyvhXO',
      'f.log:8: signal-recipients: "to" includes con_ZbNTYgi0ae, which is not a participant of session ses_Jd8tUyvhXO',
      'f.log:17: pairing: participantLeft of con_ZbNTYgi0ae without participantJoined',
    ]);
  });

  it('is lenient (warnings only) with an input that starts mid-session', () => {
    expect(check(SESSION_1.slice(4), { events: ALL_EVENTS })).toEqual([
      'warning f.log:7: pairing: webrtcConnectionDestroyed of OUTBOUND str_CAM_GPdf_con_EIeO06zgMz without webrtcConnectionCreated (begun before the input starts?)',
      'warning f.log:12: pairing: participantLeft of con_EIeO06zgMz without participantJoined (begun before the input starts?)',
      'warning f.log:14: pairing: participantLeft of con_ZbNTYgi0ae without participantJoined (begun before the input starts?)',
      'warning f.log:15: pairing: sessionDestroyed of ses_Jd8tUyvhXO without sessionCreated (created before the input starts?)',
    ]);
  });

  it('reports a missing sessionCreated whose time (uniqueSessionId) falls inside the input', () => {
    expect(check([...SESSION_1, ...SESSION_2.slice(1)])).toEqual([
      'f.log:20: pairing: no sessionCreated for session TestSession, created at 1601396000000 within the input',
    ]);
  });

  it('reports events after sessionDestroyed', () => {
    expect(check([...SESSION_1, SESSION_1[S1_SIGNAL] ?? ''])).toEqual([
      'f.log:20: after-destroyed: signalSent for session ses_Jd8tUyvhXO after its sessionDestroyed (f.log:19)',
    ]);
  });

  it('treats a new sessionCreated with the same sessionId as a new session', () => {
    const again = SESSION_2.map((l) => l.replaceAll('1601396', '1601399')); // same lifecycle, 50 min later
    expect(check([...SESSION_2, ...again])).toEqual([]);
  });

  it('reports a session destroyed while a participant is still in it', () => {
    expect(check(without(SESSION_1, S1_LEFT_B))).toEqual([
      'f.log:18: destroyed-while-active: session ses_Jd8tUyvhXO destroyed while 1 participant is still in it: con_ZbNTYgi0ae (joined at f.log:4)',
    ]);
  });

  it('reports a participant leaving with WebRTC connections still open, once', () => {
    expect(check(without(SESSION_1, S1_IN_A_FROM_B_END))).toEqual([
      'f.log:15: destroyed-while-active: participant con_EIeO06zgMz left with 1 WebRTC connection still open: INBOUND con_EIeO06zgMz<-con_ZbNTYgi0ae',
    ]);
  });

  it('reports a session destroyed while recording', () => {
    const lines = without(SESSION_2, S2_REC_STOPPED, S2_REC_READY);
    expect(check(lines)).toEqual([
      'f.log:12: destroyed-while-active: session TestSession destroyed while recording TestSession~1 (started at f.log:6) is not stopped',
    ]);
  });

  it('requires the close cascade to use one reason', () => {
    expect(
      check(edit(SESSION_1, S1_LEFT_A, '"reason":"sessionClosedByServer"', '"reason":"disconnect"')),
    ).toEqual([
      'f.log:16: cascade: participantLeft reason "disconnect" while session ses_Jd8tUyvhXO is being closed with "sessionClosedByServer" (f.log:15)',
    ]);
    const destroyed = edit(
      SESSION_1,
      S1_DESTROYED,
      '"reason":"sessionClosedByServer"',
      '"reason":"lastParticipantLeft"',
    );
    expect(check(destroyed)).toEqual([
      'f.log:19: cascade: sessionDestroyed reason "lastParticipantLeft" but the session was being closed with "sessionClosedByServer" (f.log:15)',
    ]);
    const empty = [
      SESSION_1[0] ?? '',
      '{"sessionDestroyed":{"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713","timestamp":1601394699000,"startTime":1601394690713,"duration":8,"reason":"lastParticipantLeft"}}',
    ];
    expect(check(empty, { events: ALL_EVENTS })).toEqual([
      'f.log:2: cascade: sessionDestroyed reason "lastParticipantLeft" but no participant ever joined session ses_Jd8tUyvhXO',
    ]);
    expect(
      check([empty[0] ?? '', (empty[1] ?? '').replace('lastParticipantLeft', 'sessionClosedByServer')]),
    ).toEqual([]);
  });

  it('compares end events with their creation', () => {
    const lines = edit(
      SESSION_1,
      S1_LEFT_A,
      '"clientData":"{\\"clientData\\":\\"Mike\\"}"',
      '"clientData":"Mike"',
    );
    expect(check(lines)).toEqual([
      'f.log:16: field-mismatch: "clientData" is "Mike" but was "{\\"clientData\\":\\"Mike\\"}" in participantJoined (f.log:2)',
    ]);
    const media = edit(SESSION_1, S1_OUT_B_END, '"audioEnabled":true', '"audioEnabled":false');
    expect(check(media)).toEqual([
      'f.log:17: field-mismatch: "audioEnabled" is false but was true in webrtcConnectionCreated (f.log:6)',
    ]);
  });
});

describe('INBOUND connections (spec §2.5)', () => {
  it('requires the sender to publish that stream with those media options', () => {
    expect(check(without(SESSION_1, S1_OUT_A).slice(0, 4))).toEqual([
      'f.log:4: inbound-publisher: receivingFrom con_EIeO06zgMz does not publish (no open OUTBOUND)',
    ]);
    const options = edit(SESSION_1, S1_IN_B_FROM_A, '"videoFramerate":30', '"videoFramerate":25').slice(0, 5);
    expect(check(options)).toEqual([
      'f.log:5: inbound-publisher: "videoFramerate" is 25 but was 30 in the publisher\'s OUTBOUND (f.log:3)',
    ]);
  });
});

describe('recordings (spec §2.7)', () => {
  it('reports a repeated status', () => {
    expect(check(insert(SESSION_1, S1_REC_STOPPED + 1, SESSION_1[S1_REC_STOPPED] ?? ''))).toEqual([
      'f.log:14: recording-status-order: recording ses_Jd8tUyvhXO "stopped" after "stopped" (f.log:13)',
    ]);
    expect(check(insert(SESSION_1, S1_REC_STARTED + 1, SESSION_1[S1_REC_STARTED] ?? ''))).toEqual([
      'f.log:9: recording-status-order: recording ses_Jd8tUyvhXO "started" again (status "started" at f.log:8)',
    ]);
  });

  it('reports ready before stopped, and a second recording while one runs', () => {
    expect(check(without(SESSION_1, S1_REC_STOPPED))).toEqual([
      'f.log:13: recording-status-order: recording ses_Jd8tUyvhXO "ready" after "started" (f.log:8) without "stopped"',
    ]);
    const second = (SESSION_1[S1_REC_STARTED] ?? '').replace(
      '"id":"ses_Jd8tUyvhXO"',
      '"id":"ses_Jd8tUyvhXO~1"',
    );
    expect(check(insert(SESSION_1, S1_REC_STARTED + 1, second).slice(0, 9))).toEqual([
      'f.log:9: recording-status-order: recording ses_Jd8tUyvhXO~1 started while recording ses_Jd8tUyvhXO (f.log:8) is still recording',
    ]);
  });

  it('checks size and duration per status', () => {
    expect(check(edit(SESSION_2, S2_REC_STOPPED, '"size":0', '"size":5'))).toEqual([
      'f.log:12: recording-values: a "stopped" recording has size 0, found 5',
    ]);
    expect(check(edit(SESSION_2, S2_REC_READY, '"duration":316.5', '"duration":0.0'))).toEqual([
      'f.log:13: recording-values: a "ready" recording has duration > 0, found 0.0',
    ]);
  });

  it('accepts the double "failed" of a failed start, and no third one', () => {
    const failed = (SESSION_1[S1_REC_STARTED] ?? '').replace('"status":"started"', '"status":"failed"');
    const base = SESSION_1.slice(0, 7);
    expect(check([...base, failed, failed])).toEqual([]);
    expect(check([...base, failed, failed, failed])).toEqual([
      'f.log:10: recording-status-order: recording ses_Jd8tUyvhXO "failed" after "failed" (f.log:9)',
    ]);
    const composed = (SESSION_2[S2_REC_STARTED] ?? '').replace('"status":"started"', '"status":"failed"');
    expect(check([...SESSION_2.slice(0, 5), composed, composed])).toEqual([
      'f.log:7: recording-status-order: recording TestSession~1 "failed" after "failed" (f.log:6)',
    ]);
  });

  it('accepts a Pro "ready" after sessionDestroyed when the stop came before it', () => {
    const ready = SESSION_2[S2_REC_READY] ?? '';
    const proOrder = [...without(SESSION_2, S2_REC_READY), ready];
    expect(check(proOrder)).toEqual([]);
    expect(check([...proOrder, ready])).toEqual([
      'f.log:15: after-destroyed: recordingStatusChanged for session TestSession after its sessionDestroyed (f.log:13)',
    ]);
  });
});

describe('signals (spec §2.9)', () => {
  it('requires current participants (or RECORDER/SPEECH_TO_TEXT) in "to" and "from"', () => {
    const stranger = edit(
      SESSION_1,
      S1_SIGNAL,
      '"to":["con_ZbNTYgi0ae","con_EIeO06zgMz"]',
      '"to":["con_ZbNTYgi0ae","con_XXXXXXXXXX"]',
    );
    expect(check(stranger)).toEqual([
      'f.log:9: signal-recipients: "to" includes con_XXXXXXXXXX, which is not a participant of session ses_Jd8tUyvhXO',
      'warning f.log:9: signal-order: "to" is not in Java HashSet iteration order (expected ["con_XXXXXXXXXX","con_ZbNTYgi0ae"])',
    ]);
    expect(check(edit(SESSION_1, S1_SIGNAL, '"to":["con_ZbNTYgi0ae","con_EIeO06zgMz"]', '"to":[]'))).toEqual([
      'f.log:9: signal-recipients: "to" is empty (OpenVidu sends to everyone then and lists them)',
    ]);
    expect(check(edit(SESSION_1, S1_SIGNAL, '"from":"con_EIeO06zgMz"', '"from":"con_XXXXXXXXXX"'))).toEqual([
      'f.log:9: signal-recipients: "from" con_XXXXXXXXXX is not a participant of session ses_Jd8tUyvhXO',
    ]);
  });

  it('warns when "to" is not in Java HashSet order', () => {
    const lines = edit(
      SESSION_1,
      S1_SIGNAL,
      '"to":["con_ZbNTYgi0ae","con_EIeO06zgMz"]',
      '"to":["con_EIeO06zgMz","con_ZbNTYgi0ae"]',
    );
    expect(check(lines)).toEqual([
      'warning f.log:9: signal-order: "to" is not in Java HashSet iteration order (expected ["con_ZbNTYgi0ae","con_EIeO06zgMz"])',
    ]);
  });
});

describe('memory bounds', () => {
  it('forgets destroyed sessions beyond destroyedMemory', () => {
    const late = SESSION_1[S1_SIGNAL] ?? '';
    expect(check([...SESSION_1, ...SESSION_2, late])).toHaveLength(1);
    // Forgotten, the late event looks like the start of a session begun before the input.
    const v = new LifecycleValidator({ destroyedMemory: 1 });
    const found = [...SESSION_1, ...SESSION_2, late].flatMap((l, i) => v.push(l, i + 1, 'f.log'));
    expect(found).toEqual([]);
    expect(v.summary().sessions.begunBeforeInput).toBe(1);
  });
});

describe('pushEvent (live WebHook bodies)', () => {
  it('validates parsed bodies the same way, minus raw-text checks', () => {
    const v = new LifecycleValidator();
    const found = VALID_CDR.flatMap((line, i) => {
      const body = JSON.parse(toWebhook(line)) as Record<string, unknown>;
      return v.pushEvent(String(body.event), body, { file: 'webhook', line: i + 1 });
    });
    expect(found).toEqual([]);
    const body = JSON.parse(toWebhook(SESSION_1[0] ?? '')) as Record<string, unknown>;
    expect(
      new LifecycleValidator().pushEvent('sessionDestroyed', body, { file: 'webhook', line: 1 }),
    ).toMatchObject([
      { rule: 'event-key', message: '"event" is "sessionCreated" but the event is "sessionDestroyed"' },
      { rule: 'missing-field', message: 'missing "startTime"' },
      { rule: 'missing-field', message: 'missing "duration"' },
      { rule: 'reason', message: 'sessionDestroyed without a reason', severity: 'warning' },
    ]);
  });
});

describe('options', () => {
  it('rejects unsupported versions', () => {
    expect(() => new LifecycleValidator({ version: '2.10' })).toThrow(/unsupported OpenVidu version "2.10"/);
    expect(() => new LifecycleValidator({ version: '3.0' })).toThrow(/unsupported/);
    expect(new LifecycleValidator({ version: 'v2.32.1' }).summary().profile).toBe('2.32');
  });
});

describe('Pro node events (spec §2.10, §8)', () => {
  const node = (newStatus: string, oldStatus: string | null, ts: number): string =>
    `{"mediaNodeStatusChanged":{"timestamp":${ts},"id":"media_i-1234567890abcdef0","environmentId":"i-1234567890abcdef0","ip":"172.17.0.3","uri":"ws://172.17.0.3:8888/kurento","newStatus":"${newStatus}","oldStatus":${oldStatus === null ? 'null' : `"${oldStatus}"`},"clusterId":"MY_CLUSTER"}}`;

  it('accepts documented media node transitions and does not let node events fix the profile', () => {
    const lines = [
      node('launching', null, 1),
      node('running', 'launching', 2),
      ...VALID_2_16,
      node('terminating', 'running', 3),
    ];
    const v = new LifecycleValidator();
    expect(lines.flatMap((l, i) => v.push(l, i + 1, 'f.log'))).toEqual([]);
    expect(v.summary().profile).toBe('2.12–2.16');
  });

  it('reports undocumented transitions and inconsistent old statuses as errors', () => {
    expect(check([node('launching', null, 1), node('terminated', 'launching', 2)])).toEqual([
      'f.log:2: media-node-status: media node media_i-1234567890abcdef0: launching -> terminated is not a documented transition',
    ]);
    expect(check([node('launching', null, 1), node('terminating', 'running', 2)])).toEqual([
      'f.log:2: media-node-status: media node media_i-1234567890abcdef0: oldStatus "running" but it became "launching" at f.log:1',
    ]);
  });

  it('checks HA node events as WebHook bodies (event last, not first as the docs show it)', () => {
    expect(
      check([
        '{"timestamp":1687190118593,"nodeId":"master_10.5.0.6","ip":"10.5.0.6","event":"HANodeRegistered"}',
      ]),
    ).toEqual([]);
    expect(
      check([
        '{"timestamp":1687190118593,"event":"HANodeRegistered","nodeId":"master_10.5.0.6","ip":"10.5.0.6"}',
      ]),
    ).toEqual(['f.log:1: event-key: "event" must be the last key of a WebHook body']);
    // Pro layouts are only documented, so layout findings are warnings.
    expect(
      check([
        '{"HANodeDeregistered":{"timestamp":1687281184225,"nodeId":"master_10.5.0.6","ip":"10.5.0.6"}}',
      ]),
    ).toEqual(['warning f.log:1: missing-field: missing "reason"']);
  });

  it('tracks broadcast events within their session', () => {
    const stopped =
      '{"broadcastStopped":{"sessionId":"TestSession","uniqueSessionId":"TestSession_1601396000000","timestamp":1601396325005,"reason":"lastParticipantLeft"}}';
    expect(check(insert(SESSION_2, S2_DESTROYED, stopped))).toEqual([]);
    expect(check([...SESSION_2, stopped])).toEqual([
      'f.log:15: after-destroyed: broadcastStopped for session TestSession after its sessionDestroyed (f.log:14)',
    ]);
  });
});
