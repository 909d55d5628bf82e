/**
 * `ovsim validate --server meet`: the bodies the Meet model writes pass; Meet's own delivery (each webhook sent and
 * retried on its own) may reorder them, which is a warning; what no delivery explains is an error.
 */
import { describe, expect, it } from 'vitest';
import type { MeetSummary } from '../../../src/validate/meet/meet-validator.js';
import { check } from '../livekit/check.js';
import { MeetStream, ROOM } from './meet-stream.js';

const meet = { server: 'meet' } as const;

function meeting(): MeetStream {
  const s = new MeetStream();
  const alice = s.participant('alice', 'moderator');
  s.started();
  s.tick().joined(alice);
  s.tick(5000).recording('recordingStarted', 'EGRESS_STARTING');
  s.tick(800).recording('recordingUpdated', 'EGRESS_ACTIVE');
  s.tick(60_000).recording('recordingUpdated', 'EGRESS_ENDING');
  s.tick(900).recording('recordingEnded', 'EGRESS_COMPLETE');
  s.tick(1000).left(alice);
  s.tick(20_000).ended();
  return s;
}

describe('validate --server meet', () => {
  it('accepts a meeting with a participant and a recording', () => {
    const r = check(meeting().lines, meet);
    expect(r.text).toEqual([]);
    const summary = r.summary as MeetSummary;
    expect(summary.events).toBe(8);
    expect(summary.meetings).toEqual({ started: 1, ended: 1 });
    expect(summary.unterminated).toEqual({ participants: 0, recordings: 0 });
  });

  it('a body delivered again (a retry after a timeout) is counted, not checked again', () => {
    const lines = meeting().lines;
    const r = check([...lines.slice(0, 2), lines[1]!, ...lines.slice(2)], meet);
    expect(r.text).toEqual([]);
    expect((r.summary as MeetSummary).redeliveries).toBe(1);
  });

  it('arrival out of creationDate order (independent retries) is a delivery-order warning', () => {
    const l = meeting().lines;
    const r = check([l[1]!, l[0]!, l[2]!, l[4]!, l[3]!, l[5]!, l[7]!, l[6]!], meet);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.line, d.rule])).toEqual([
      [2, 'delivery-order'],
      [5, 'delivery-order'],
      [8, 'delivery-order'],
    ]);
  });

  it('errors: two meetingStarted without an end, a leave without its join, a recording going back, a status its event is not sent with', () => {
    const s = new MeetStream();
    s.started();
    s.tick(120_000).started();
    s.tick().left(s.participant('bob'));
    s.tick().recording('recordingStarted', 'EGRESS_STARTING');
    s.tick().recording('recordingUpdated', 'EGRESS_ENDING');
    s.tick().recording('recordingUpdated', 'EGRESS_ACTIVE');
    s.tick().recording('recordingEnded', 'EGRESS_ACTIVE');
    s.tick().joined(s.participant('carol'));
    const r = check(s.lines, meet);
    expect(r.errors.map((d) => [d.line, d.rule])).toEqual([
      [6, 'recording-status-order'],
      [7, 'recording-status-order'],
      [2, 'meeting-lifecycle'],
      [3, 'meeting-lifecycle'],
    ]);
  });

  it('a participant in a room that no meetingStarted opened', () => {
    const s = new MeetStream();
    s.started({ ...ROOM, roomId: 'other' });
    s.tick(120_000).joined(s.participant('dave'));
    expect(check(s.lines, meet).errors.map((d) => [d.line, d.rule, d.message])).toEqual([
      [
        2,
        'meeting-lifecycle',
        'participantJoined in room daily-standup-a1b2, which no meetingStarted opened',
      ],
    ]);
  });

  it('layout errors: keys out of the builder order, the stay not rounded as Meet does, a permission alias that disagrees', () => {
    const s = new MeetStream();
    const eve = s.participant('eve');
    const left = s.left(eve);
    const swapped = left.replace(
      '"roomId":"daily-standup-a1b2","roomName":"Daily standup"',
      '"roomName":"Daily standup","roomId":"daily-standup-a1b2"',
    );
    const longer = left.replace('"durationSeconds":0', '"durationSeconds":3');
    const started = s.started().replace('"canJoinMeeting":true', '"canJoinMeeting":false');
    const spaced = s.started().replace('"event":"meetingStarted"', '"event": "meetingStarted"');
    const r = check([swapped, longer, started, spaced], meet);
    expect(r.errors.filter((d) => d.rule !== 'meeting-lifecycle').map((d) => [d.line, d.rule])).toEqual([
      [1, 'key-order'],
      [2, 'field-value'],
      [3, 'field-mismatch'],
      [4, 'serialization'],
    ]);
  });

  it('what is not a Meet body: a LiveKit one, seconds for milliseconds', () => {
    const lk =
      '{"event":"room_started","room":{"sid":"RM_hT3kPq8ZsWnd","name":"r"},"id":"EV_wL6Lh5MAFmDd","createdAt":"1767225600"}';
    expect(check([lk], meet).errors.map((d) => d.rule)).toContain('unknown-event');
    const seconds = new MeetStream()
      .started()
      .replace('"creationDate":1767225600000', '"creationDate":1767225600');
    expect(check([seconds], meet).errors.map((d) => [d.rule, d.message])).toEqual([
      ['time-unit', 'creationDate 1767225600 looks like seconds; Meet writes milliseconds since the epoch'],
    ]);
  });
});
