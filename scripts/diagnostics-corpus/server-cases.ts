/**
 * The golden-diagnostics cases of `validate --server openvidu3 | openvidu3-v2compat | meet`: one stream per family
 * of rules those validators add, written with the tests' builders (the real @livekit/protocol messages, ovsim's Meet
 * model) so that each breaks exactly what its name says.
 */
import { EgressStatus, IngressState_Status } from '@livekit/protocol';
import type { Case } from '../../test/validate/golden-diagnostics/run-case.js';
import { SESSION_1, toWebhook } from '../../test/validate/fixtures.js';
import { LkStream } from '../../test/validate/livekit/stream-builder.js';
import { MeetStream } from '../../test/validate/meet/meet-stream.js';

const LK = { server: 'openvidu3' } as const;

function livekitCases(): Case[] {
  const s = new LkStream();
  const room = s.newRoom('r');
  const alice = s.newParticipant('alice');
  const bob = s.newParticipant('bob');
  const mic = s.newTrack(false);
  s.roomStarted(room);
  s.tick().joined(room, alice);
  s.published(room, alice, mic);
  s.published(room, alice, mic);
  s.tick(10).left(room, alice);
  s.joined(room, alice);
  s.aborted(room, bob);
  s.left(room, bob);
  const rec = s.newEgress(room);
  s.egress(rec, 'egress_started', EgressStatus.EGRESS_STARTING);
  s.tick().egress(rec, 'egress_updated', EgressStatus.EGRESS_ENDING);
  s.tick().egress(rec, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
  s.ingress('r', 'IN_q3XmVb8RcTzK', 'ingress_started', IngressState_Status.ENDPOINT_BUFFERING);
  s.tick(20).roomFinished(room, { numParticipants: 2 });
  s.roomFinished(room);
  const units = new LkStream();
  const r2 = units.newRoom('u');
  const zero = units.roomStarted(r2).replace('"name":"u"', '"name":"u","maxParticipants":0');
  const millis = units
    .tick()
    .roomStarted(units.newRoom('v'))
    .replace(/"createdAt":"(\d+)"/, '"createdAt":"$1000"');
  const ids = units.tick().roomStarted(units.newRoom('w'));
  const sameId = units.tick().roomFinished({ ...r2 });
  const reused = sameId.replace(/"id":"EV_[^"]+"/, ids.match(/"id":"EV_[^"]+"/)![0]);
  return [
    {
      name: 'openvidu3: participants, tracks, egress, ingress and rooms out of their lifecycle',
      options: LK,
      lines: s.lines,
    },
    {
      name: 'openvidu3: a zero value written, milliseconds for seconds, one event id for two bodies',
      options: LK,
      lines: [zero, millis, ids, reused],
    },
  ];
}

function meetCases(): Case[] {
  const s = new MeetStream();
  const alice = s.participant('alice');
  s.started();
  s.tick().joined(alice);
  s.tick(120_000).started();
  s.tick().left(s.participant('bob'));
  s.tick(1000).left(alice);
  s.tick(20_000).ended();
  const late = [...s.lines.slice(0, 4), s.lines[5]!, s.lines[4]!];
  return [
    {
      name: 'meet: two meetingStarted without an end, a leave without its join, a leave delivered after the end',
      options: { server: 'meet' },
      lines: late,
    },
  ];
}

function v2compatCases(): Case[] {
  const hooks = SESSION_1.map(toWebhook);
  return [
    {
      name: 'openvidu3-v2compat: INBOUND connections, locations and frame rates the module does not send',
      options: { server: 'openvidu3-v2compat' },
      lines: hooks,
    },
  ];
}

export function serverCases(): Case[] {
  return [...livekitCases(), ...meetCases(), ...v2compatCases()];
}
