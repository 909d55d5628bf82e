/**
 * recordingStarted/recordingStopped of OpenVidu ≤ 2.20 (issue 17 §1), checked against the Java source of each tag:
 * CDREventRecording.toJson (v2.12.0 … v2.20.0) for the layout, RecordingManager for the order — v2.12.0 …
 * v2.16.0 call recordRecordingStarted before recordRecordingStatusChanged(started), v2.17.0 … v2.20.0 after;
 * every tag logs recordingStopped after recordingStatusChanged(stopped).
 */
import { describe, expect, it } from 'vitest';
import { VALID_2_16 } from './fixtures.js';
import { check, edit, without } from './helpers.js';
import { OPENVIDU_PRO_2_17_CDR } from './real-format-lines.js';

// VALID_2_16 line indexes (0-based).
const RS = 3; // recordingStarted
const S = 4; // recordingStatusChanged started
const T = 7; // recordingStatusChanged stopped
const RT = 8; // recordingStopped
// OPENVIDU_PRO_2_17_CDR line indexes.
const P_S = 5;
const P_RS = 6;

const swap = (lines: readonly string[], i: number, j: number): string[] => {
  const copy = [...lines];
  [copy[i], copy[j]] = [copy[j] ?? '', copy[i] ?? ''];
  return copy;
};

describe('layout of CDREventRecording', () => {
  it('accepts the short-constructor recordingStarted: no startTime, duration last (real 2.13 line, issue #433)', () => {
    expect(check(VALID_2_16)).toEqual([]);
  });

  it('refuses the shape ovsim used to write: startTime, and duration fourth', () => {
    const ovsimShape =
      '{"recordingStarted":{"sessionId":"ses_SuXO99zeb1","timestamp":1584008780000,"startTime":1584008780000,"duration":0.0,"id":"ses_SuXO99zeb1","name":"ses_SuXO99zeb1","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"BEST_FIT","hasAudio":true,"hasVideo":true,"size":0}}';
    const lines = [...VALID_2_16];
    lines[RS] = ovsimShape;
    expect(check(lines, { version: '2.16' })).toEqual([
      'f.log:4: unexpected-field: "startTime" is not a field of recordingStarted',
      'f.log:4: key-order: "id" must come before "duration" (wire order: sessionId, timestamp, id, name, outputMode, resolution, recordingLayout, hasAudio, hasVideo, size, duration)',
    ]);
  });

  it('requires recordingStopped to carry the end fields, with the double duration in the int slot', () => {
    expect(check(edit(VALID_2_16, RT, '"duration":0.0,', ''))).toEqual([
      'f.log:9: missing-field: missing "duration"',
    ]);
    expect(check(edit(VALID_2_16, RT, '"duration":0.0', '"duration":0'))).toEqual([
      'f.log:9: field-type: "duration" must be a Java double such as 0.0, found 0',
    ]);
  });

  it('dates the fields as the tags do: media_node_id from 2.17, frameRate from 2.18', () => {
    const pro = OPENVIDU_PRO_2_17_CDR;
    expect(check(pro, { version: '2.17' })).toEqual([]);
    expect(check(pro, { version: '2.16' }).filter((d) => d.includes('media_node_id'))).toHaveLength(5);
    expect(check(pro, { version: '2.18' }).filter((d) => d.includes('"frameRate"'))).toHaveLength(5);
  });

  it('checks the recording values of both events: 0 and 0.0, as the recording is sealed', () => {
    expect(check(edit(VALID_2_16, RS, '"size":0', '"size":12'))).toEqual([
      'f.log:4: recording-values: a "started" recording has size 0, found 12',
    ]);
  });
});

describe('order and pairing with recordingStatusChanged', () => {
  it('2.12–2.16: recordingStarted first', () => {
    expect(check(swap(VALID_2_16, RS, S))).toEqual([
      'f.log:5: legacy-recording: recordingStarted of recording ses_SuXO99zeb1 comes after its recordingStatusChanged "started" (f.log:4): OpenVidu 2.12–2.16 logs recordingStarted first',
    ]);
  });

  it('2.17–2.20: recordingStatusChanged "started" first', () => {
    expect(check(OPENVIDU_PRO_2_17_CDR)).toEqual([]);
    expect(check(swap(OPENVIDU_PRO_2_17_CDR, P_S, P_RS))).toEqual([
      'f.log:7: legacy-recording: recordingStatusChanged "started" of recording ses_Ix3aK7BbVq comes after its recordingStarted (f.log:6): OpenVidu 2.17–2.20 logs recordingStatusChanged "started" first',
    ]);
  });

  it('every version: recordingStopped after recordingStatusChanged "stopped"', () => {
    expect(check(swap(VALID_2_16, T, RT))).toEqual([
      'f.log:9: legacy-recording: recordingStatusChanged "stopped" of recording ses_SuXO99zeb1 comes after its recordingStopped (f.log:8): OpenVidu 2.12–2.20 logs recordingStatusChanged "stopped" first',
    ]);
  });

  it('reports a half without its partner, at the next event of the recording or the end of the session', () => {
    expect(check(without(VALID_2_16, RS))).toEqual([
      'f.log:7: legacy-recording: recordingStatusChanged "started" of recording ses_SuXO99zeb1 (f.log:4) has no recordingStarted beside it (OpenVidu 2.12–2.20 logs both)',
    ]);
    expect(check(without(VALID_2_16, RT))).toEqual([
      'f.log:9: legacy-recording: recordingStatusChanged "stopped" of recording ses_SuXO99zeb1 (f.log:8) has no recordingStopped beside it (OpenVidu 2.12–2.20 logs both)',
    ]);
    expect(check(without(VALID_2_16, RT, RT + 1))).toEqual([
      'f.log:9: legacy-recording: recordingStatusChanged "stopped" of recording ses_SuXO99zeb1 (f.log:8) has no recordingStopped beside it (OpenVidu 2.12–2.20 logs both)',
    ]);
  });

  it('only warns when the partner may be in the file before the input (a daily file cut between the two)', () => {
    const cut = VALID_2_16.slice(S);
    expect(check(cut)).toEqual([
      'warning f.log:4: legacy-recording: recordingStatusChanged "started" of recording ses_SuXO99zeb1 (f.log:1) has no recordingStarted beside it (OpenVidu 2.12–2.20 logs both)',
    ]);
  });

  it('requires the pair to share timestamp, startTime and reason', () => {
    expect(check(edit(VALID_2_16, RS, '"timestamp":1584008780000', '"timestamp":1584008780001'))).toEqual([
      'f.log:5: legacy-recording: recordingStarted "timestamp" is 1584008780001 but its recordingStatusChanged "started" (f.log:5) has 1584008780000',
    ]);
    expect(check(edit(VALID_2_16, RT, '"reason":"lastParticipantLeft"', '"reason":"automaticStop"'))).toEqual(
      [
        'f.log:9: legacy-recording: recordingStopped "reason" is "automaticStop" but its recordingStatusChanged "stopped" (f.log:8) has "lastParticipantLeft"',
      ],
    );
  });

  it('refuses the two in WebHook form: OpenVidu writes them to the CDR file only', () => {
    const hook = `${(VALID_2_16[RS] ?? '').slice('{"recordingStarted":'.length, -2)},"event":"recordingStarted"}`;
    const lines = [...VALID_2_16];
    lines[RS] = hook;
    expect(check(lines)).toEqual([
      'f.log:4: legacy-recording: recordingStarted is written to the CDR file only, never sent to the WebHook',
      'f.log:8: legacy-recording: recordingStatusChanged "started" of recording ses_SuXO99zeb1 (f.log:5) has no recordingStarted beside it (OpenVidu 2.12–2.20 logs both)',
    ]);
  });
});
