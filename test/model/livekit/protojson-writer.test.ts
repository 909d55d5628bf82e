import { describe, expect, it } from 'vitest';
import { OvsimError } from '../../../src/errors.js';
import { formatGoFloat } from '../../../src/model/livekit/go-float.js';
import { EncodingOptionsDesc } from '../../../src/model/livekit/egress-requests.js';
import { ParticipantInfoDesc } from '../../../src/model/livekit/models.js';
import { marshalMessage, marshalWebhookEvent } from '../../../src/model/livekit/protojson-writer.js';
import { LIVEKIT_EVENT_NAMES } from '../../../src/model/livekit/webhook-event.js';
import { EXAMPLES, RECORDER_LEFT } from './examples.js';
import { parseStrict, reserialize, stripStructuralSpaces } from './oracle.js';

/** spec §1.7, the illustrative body built from the sources (no space after commas). */
const SPEC_PARTICIPANT_JOINED =
  '{"event":"participant_joined","room":{"sid":"RM_hT3kPq8ZsWnd","name":"TestSession","emptyTimeout":300,"departureTimeout":20,"creationTime":"1767225600","creationTimeMs":"1767225600123","turnPassword":"pXq7Zr2LmNv8KwTy4HsBd6Fc","enabledCodecs":[{"mime":"audio/PCMU"},{"mime":"audio/PCMA"},{"mime":"audio/opus"},{"mime":"audio/red"},{"mime":"video/VP8"},{"mime":"video/H264"},{"mime":"video/VP9"},{"mime":"video/AV1"},{"mime":"video/H265"},{"mime":"video/rtx"}],"numParticipants":1,"version":{"unixMicro":"1767225601417342","ticks":1}},"participant":{"sid":"PA_R7cXbM2eVfKj","identity":"alice","state":"ACTIVE","joinedAt":"1767225601","joinedAtMs":"1767225601417","name":"Alice","version":2,"permission":{"canSubscribe":true,"canPublish":true,"canPublishData":true},"clientProtocol":1},"id":"EV_wL6Lh5MAFmDd","createdAt":"1767225602"}';

describe('protojson writer: realistic bodies of the 14 events', () => {
  it('has one example per event name of webhook/consts.go', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...LIVEKIT_EVENT_NAMES].sort());
  });

  it('writes participant_joined exactly as spec §1.7 (declaration order, int64 strings, zero enums omitted)', () => {
    expect(marshalWebhookEvent(EXAMPLES.participant_joined!)).toBe(SPEC_PARTICIPANT_JOINED);
  });

  for (const [name, event] of [
    ...Object.entries(EXAMPLES),
    ['recorder participant_left', RECORDER_LEFT] as const,
  ]) {
    it(`${name}: parses strictly with @livekit/protocol and re-serializes to the same bytes, in both spacing variants`, () => {
      const compact = marshalWebhookEvent(event);
      expect(reserialize(compact)).toBe(compact);
      const spaced = marshalWebhookEvent(event, { spaceAfterComma: true });
      expect(spaced).not.toBe(compact);
      expect(stripStructuralSpaces(spaced)).toBe(compact);
      expect(parseStrict(spaced).toJsonString()).toBe(parseStrict(compact).toJsonString());
    });
  }

  it('writes egress_started without status (EGRESS_STARTING is the zero enum, egress#862)', () => {
    const body = marshalWebhookEvent(EXAMPLES.egress_started!);
    expect(body).not.toContain('"status"');
    expect(body).toContain('"updatedAt":"1767225611204559871"');
    expect(parseStrict(body).egressInfo?.status).toBe(0);
  });

  it('writes a oneof member set to its zero value (preset H264_720P_30) and the deprecated result.file', () => {
    const body = marshalWebhookEvent(EXAMPLES.egress_ended!);
    expect(body).toContain('"preset":"H264_720P_30"');
    expect(body).toMatch(/"manifestLocation":"[^"]+","file":\{"filename":/);
  });

  it('writes proto3 optional booleans when false, plain booleans never', () => {
    const body = marshalWebhookEvent(EXAMPLES.ingress_ended!);
    expect(body).toContain('"enableTranscoding":false');
    expect(marshalWebhookEvent({ event: 'x', room: { activeRecording: false } })).toBe(
      '{"event":"x","room":{}}',
    );
  });

  it('sorts map keys by code point, as Go orders UTF-8 bytes', () => {
    const body = marshalMessage(ParticipantInfoDesc, {
      attributes: { b: '1', é: '2', A: '3', '😀': '4', '\uffff': '5' },
    });
    expect(body).toBe('{"attributes":{"A":"3","b":"1","é":"2","\uffff":"5","😀":"4"}}');
  });

  it('escapes strings as protobuf-go does: controls, quote and backslash only', () => {
    const body = marshalMessage(ParticipantInfoDesc, { name: 'a"b\\c\n\t\b\f\r\u0001\u001f<>&\u2028é😀' });
    expect(body).toBe('{"name":"a\\"b\\\\c\\n\\t\\b\\f\\r\\u0001\\u001f<>&\u2028é😀"}');
  });

  it('refuses what Go refuses or cannot hold, naming the field', () => {
    const bad = (f: () => unknown, where: RegExp) => {
      expect(f).toThrow(OvsimError);
      expect(f).toThrow(where);
    };
    bad(
      () => marshalMessage(ParticipantInfoDesc, { name: 'x\ud800' }),
      /livekit\.ParticipantInfo\.name: invalid UTF-8/,
    );
    bad(
      () => marshalMessage(ParticipantInfoDesc, { version: -1 }),
      /ParticipantInfo\.version: expected an integer/,
    );
    bad(
      () => marshalMessage(ParticipantInfoDesc, { joinedAt: 1.5 }),
      /joinedAt: expected a bigint or a safe integer/,
    );
    bad(
      () => marshalMessage(ParticipantInfoDesc, { state: 'GONE' } as never),
      /state: expected a livekit\.ParticipantInfo\.State name/,
    );
    bad(
      () => marshalMessage(ParticipantInfoDesc, { joinedAt: 2n ** 63n }),
      /joinedAt: expected an integer in/,
    );
  });
});

describe('Go float formatting', () => {
  it.each([
    [0.1, 64, '0.1'],
    [29.97, 64, '29.97'],
    [4, 64, '4'],
    [-0, 64, '-0'],
    [1e-7, 64, '1e-7'],
    [1.5e-10, 64, '1.5e-10'],
    [0.000001, 64, '0.000001'],
    [1e21, 64, '1e+21'],
    [123456789012345680000, 64, '123456789012345680000'],
    [NaN, 64, '"NaN"'],
    [-Infinity, 64, '"-Infinity"'],
    [0.1, 32, '0.1'],
    [16777217, 32, '16777216'],
    [3.4028234663852886e38, 32, '3.4028235e+38'],
  ] as const)('%s at %i bits is %s', (n, bits, text) => {
    expect(formatGoFloat(n, bits)).toBe(text);
  });

  it('writes a double field -0 (set bits) and omits +0', () => {
    expect(marshalMessage(EncodingOptionsDesc, { keyFrameInterval: -0 })).toBe('{"keyFrameInterval":-0}');
    expect(marshalMessage(EncodingOptionsDesc, { keyFrameInterval: 0 })).toBe('{}');
  });
});
