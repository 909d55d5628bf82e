/**
 * What each LiveKit event carries (spec §1.2, livekit-server `pkg/telemetry/events.go`, `pkg/service/ioservice*.go`):
 * which messages, full or minimal (`{sid,name}` rooms and `{sid,identity}` participants on track events, a room made
 * from the egress info, `{name}` on ingress events), ids of the right prefixes, every time in its unit, and the
 * statuses each egress/ingress event is sent for.
 */
import { livekitIdPattern, type LivekitEventName } from '../../model/livekit/index.js';
import type { Flag } from '../body-validator.js';
import { AGENT_JOB_ID, egressStatus, EGRESS_RANK, int, list, obj, str, type Obj } from './lk-event.js';

type Part = 'room' | 'participant' | 'egressInfo' | 'ingressInfo' | 'track' | 'job';
/** How a room or participant is filled: whole, `{sid,name}`/`{sid,identity}`, from the egress info, `{name}`. */
type Fill = 'full' | 'minimal' | 'egress' | 'ingress';

const PARTS: Readonly<Record<LivekitEventName, Partial<Record<Part, Fill | true>>>> = {
  room_started: { room: 'full' },
  room_finished: { room: 'full' },
  participant_joined: { room: 'full', participant: 'full' },
  participant_left: { room: 'full', participant: 'full' },
  participant_connection_aborted: { room: 'full', participant: 'full' },
  track_published: { room: 'minimal', participant: 'minimal', track: true },
  track_unpublished: { room: 'minimal', participant: 'minimal', track: true },
  egress_started: { room: 'egress', egressInfo: true },
  egress_updated: { room: 'egress', egressInfo: true },
  egress_ended: { room: 'egress', egressInfo: true },
  ingress_started: { room: 'ingress', ingressInfo: true },
  ingress_ended: { room: 'ingress', ingressInfo: true },
  agent_job_started: { job: true },
  agent_job_ended: { job: true },
};

const ALL_PARTS: readonly Part[] = ['room', 'participant', 'egressInfo', 'ingressInfo', 'track', 'job'];

/** Seconds since the epoch in 2001 and 2286: a `createdAt` outside is in another unit. */
const MIN_S = 1e9;
const MAX_S = 1e10;

/** Checks an event's parts, ids, units and statuses. */
export function checkEventShape(name: LivekitEventName, body: Obj, flag: Flag): void {
  checkEnvelope(body, flag);
  const parts = PARTS[name];
  for (const part of ALL_PARTS) {
    const present = obj(body, part) !== undefined;
    if (parts[part] !== undefined && !present) flag('missing-field', `${name} carries "${part}"`);
    if (parts[part] === undefined && present) flag('unexpected-field', `${name} carries no "${part}"`);
  }
  const room = obj(body, 'room');
  if (room !== undefined && typeof parts.room === 'string') checkRoom(name, room, parts.room, body, flag);
  const participant = obj(body, 'participant');
  if (participant !== undefined && typeof parts.participant === 'string') {
    checkParticipant(name, participant, parts.participant, flag);
  }
  const track = obj(body, 'track');
  if (track !== undefined) checkId(track, 'sid', 'track', 'track', flag);
  const egress = obj(body, 'egressInfo');
  if (egress !== undefined) checkEgress(name, egress, flag);
  const ingress = obj(body, 'ingressInfo');
  if (ingress !== undefined) checkIngress(name, ingress, flag);
  const job = obj(body, 'job');
  const jobId = str(job, 'id');
  if (jobId !== undefined && !AGENT_JOB_ID.test(jobId))
    flag('id-format', `job.id "${jobId}" is not AJ_ + 12 base57 characters`);
}

function checkEnvelope(body: Obj, flag: Flag): void {
  const id = str(body, 'id');
  if (id === undefined)
    flag('missing-field', 'no "id" (NotifyEvent sets EV_ + 12 base57 characters on every event)');
  else if (!livekitIdPattern('event').test(id))
    flag('id-format', `id "${id.slice(0, 40)}" is not EV_ + 12 base57 characters (not a UUID)`);
  const createdAt = int(body, 'createdAt');
  if (!Object.hasOwn(body, 'createdAt'))
    flag('missing-field', 'no "createdAt" (NotifyEvent sets it on every event)');
  else if (createdAt !== undefined) seconds('createdAt', createdAt, flag);
}

function seconds(path: string, value: number, flag: Flag): void {
  if (value >= MAX_S * 1000)
    flag(
      'time-unit',
      `${path} ${value} looks like nanoseconds or microseconds; it is seconds since the epoch`,
    );
  else if (value >= MAX_S)
    flag('time-unit', `${path} ${value} looks like milliseconds; it is seconds since the epoch`);
  else if (value < MIN_S)
    flag('time-unit', `${path} ${value} is before 2001: not seconds since the epoch`, 'warning');
}

/** A time in ns (egress and ingress): at least 1e17 (1973) and below 1e19. */
function nanos(
  path: string,
  value: number | undefined,
  flag: Flag,
  severity: 'error' | 'warning' = 'error',
): void {
  if (value === undefined || value === 0) return;
  if (value < 1e17) {
    const unit = value >= 1e14 ? 'microseconds' : value >= 1e11 ? 'milliseconds' : 'seconds';
    flag(
      'time-unit',
      `${path} ${value} looks like ${unit}; LiveKit writes egress times in nanoseconds (UnixNano)`,
      severity,
    );
  }
}

/** The same instant in s and ms (`creationTime`/`creationTimeMs`, `joinedAt`/`joinedAtMs`) must agree. */
function secondsAndMillis(o: Obj, sKey: string, msKey: string, path: string, flag: Flag): void {
  const s = int(o, sKey);
  const ms = int(o, msKey);
  if (s !== undefined) seconds(`${path}.${sKey}`, s, flag);
  if (ms !== undefined && (ms < MIN_S * 1000 || ms >= MAX_S * 1000)) {
    flag('time-unit', `${path}.${msKey} ${ms} is not milliseconds since the epoch`);
  } else if (s !== undefined && ms !== undefined && Math.floor(ms / 1000) !== s) {
    flag('time-unit', `${path}.${sKey} ${s} and ${path}.${msKey} ${ms} are not the same instant`);
  }
}

function micros(path: string, version: Obj | undefined, flag: Flag): void {
  const us = int(version, 'unixMicro');
  if (us !== undefined && us !== 0 && (us < 1e14 || us >= 1e17)) {
    flag('time-unit', `${path}.version.unixMicro ${us} is not microseconds since the epoch`);
  }
}

function checkId(
  o: Obj,
  key: string,
  kind: Parameters<typeof livekitIdPattern>[0],
  path: string,
  flag: Flag,
  required = true,
): void {
  const v = str(o, key);
  if (v === undefined) {
    if (required) flag('missing-field', `no ${path}.${key}`);
  } else if (!livekitIdPattern(kind).test(v)) {
    flag(
      'id-format',
      `${path}.${key} "${v.slice(0, 40)}" is not ${livekitIdPattern(kind).source.slice(1, 4)} + 12 base57 characters`,
    );
  }
}

function checkRoom(name: LivekitEventName, room: Obj, fill: Fill, body: Obj, flag: Flag): void {
  const keys = Object.keys(room);
  if (fill === 'egress' || fill === 'ingress') {
    const allowed = fill === 'egress' ? ['sid', 'name'] : ['name'];
    const extra = keys.filter((k) => !allowed.includes(k));
    if (extra.length > 0) {
      flag(
        'unexpected-field',
        `room.${extra[0]!}: ${name} carries a room made of ${fill === 'egress' ? "the egress info's roomId and roomName" : "the ingress info's roomName"} only`,
      );
    }
    const info = obj(body, fill === 'egress' ? 'egressInfo' : 'ingressInfo');
    const pairs =
      fill === 'egress'
        ? ([
            ['sid', 'roomId'],
            ['name', 'roomName'],
          ] as const)
        : ([['name', 'roomName']] as const);
    for (const [roomKey, infoKey] of pairs) {
      if (info !== undefined && (str(room, roomKey) ?? '') !== (str(info, infoKey) ?? '')) {
        flag(
          'field-mismatch',
          `room.${roomKey} ${JSON.stringify(str(room, roomKey) ?? '')} differs from ${fill}Info.${infoKey} ${JSON.stringify(str(info, infoKey) ?? '')}`,
        );
      }
    }
    if (fill === 'egress' && str(room, 'sid') !== undefined) checkId(room, 'sid', 'room', 'room', flag);
    return;
  }
  checkId(room, 'sid', 'room', 'room', flag);
  if (str(room, 'name') === undefined) flag('missing-field', 'no room.name');
  secondsAndMillis(room, 'creationTime', 'creationTimeMs', 'room', flag);
  micros('room', obj(room, 'version'), flag);
}

function checkParticipant(name: LivekitEventName, p: Obj, fill: Fill, flag: Flag): void {
  checkId(p, 'sid', 'participant', 'participant', flag);
  if (str(p, 'identity') === undefined) flag('missing-field', 'no participant.identity');
  if (fill === 'minimal') {
    const extra = Object.keys(p).filter((k) => k !== 'sid' && k !== 'identity');
    if (extra.length > 0)
      flag(
        'unexpected-field',
        `participant.${extra[0]!}: ${name} carries a participant made of its sid and identity only`,
      );
    return;
  }
  secondsAndMillis(p, 'joinedAt', 'joinedAtMs', 'participant', flag);
  list(p, 'tracks').forEach((t, i) => {
    if (typeof t === 'object' && t !== null)
      checkId(t as Obj, 'sid', 'track', `participant.tracks[${i}]`, flag);
  });
  const state = str(p, 'state') ?? 'JOINING';
  const expected = name === 'participant_joined' ? 'ACTIVE' : 'DISCONNECTED';
  if (state !== expected) {
    flag(
      'field-value',
      `participant.state is ${state === 'JOINING' ? 'JOINING (absent)' : state}; ${name} is sent ${
        name === 'participant_joined'
          ? 'when the participant becomes ACTIVE'
          : 'after it closed (DISCONNECTED)'
      }`,
      'warning',
    );
  }
}

function checkEgress(name: LivekitEventName, info: Obj, flag: Flag): void {
  const status = egressStatus(info);
  const rank = EGRESS_RANK[status] ?? 0;
  const request = ['participant', 'track'].find((k) => obj(info, k) !== undefined);
  // An auto-egress that could not start is reported by egress_ended FAILED without an id (pkg/rtc/egress.go).
  const autoFailure = name === 'egress_ended' && status === 'EGRESS_FAILED' && request !== undefined;
  checkId(info, 'egressId', 'egress', 'egressInfo', flag, !autoFailure);
  checkId(info, 'roomId', 'room', 'egressInfo', flag, false);
  for (const key of ['startedAt', 'endedAt', 'updatedAt']) nanos(`egressInfo.${key}`, int(info, key), flag);
  for (const key of ['fileResults', 'streamResults', 'segmentResults', 'imageResults']) {
    list(info, key).forEach((r, i) => {
      for (const t of ['startedAt', 'endedAt']) nanos(`egressInfo.${key}[${i}].${t}`, int(r as Obj, t), flag);
    });
  }
  const started = int(info, 'startedAt');
  const ended = int(info, 'endedAt');
  if (started !== undefined && ended !== undefined && ended !== 0 && ended < started) {
    flag('timestamp-order', `egressInfo.endedAt ${ended} is before its startedAt ${started}`);
  }
  if (name === 'egress_started' && rank !== 0) {
    flag(
      'egress-status-order',
      `egress_started with status ${status}: CreateEgress reports an egress at EGRESS_STARTING`,
      rank === 3 ? 'error' : 'warning',
    );
  }
  if (name === 'egress_updated' && rank !== 1 && rank !== 2) {
    flag(
      'egress-status-order',
      `egress_updated with status ${status}: it is sent for EGRESS_ACTIVE and EGRESS_ENDING only`,
    );
  }
  if (name === 'egress_ended' && rank !== 3) {
    flag(
      'egress-status-order',
      `egress_ended with status ${status}: it is sent for COMPLETE, FAILED, ABORTED and LIMIT_REACHED only`,
    );
  }
}

const INGRESS_ENDS = ['ENDPOINT_ERROR', 'ENDPOINT_INACTIVE', 'ENDPOINT_COMPLETE'];

function checkIngress(name: LivekitEventName, info: Obj, flag: Flag): void {
  checkId(info, 'ingressId', 'ingress', 'ingressInfo', flag);
  const state = obj(info, 'state');
  if (state !== undefined) checkId(state, 'roomId', 'room', 'ingressInfo.state', flag, false);
  for (const key of ['startedAt', 'endedAt', 'updatedAt'])
    nanos(`ingressInfo.state.${key}`, int(state, key), flag, 'warning');
  const status = str(state, 'status') ?? 'ENDPOINT_INACTIVE';
  if (name === 'ingress_started' && status !== 'ENDPOINT_PUBLISHING') {
    flag(
      'ingress-lifecycle',
      `ingress_started with state.status ${status}: it is sent when the ingress starts ENDPOINT_PUBLISHING`,
    );
  }
  if (name === 'ingress_ended' && !INGRESS_ENDS.includes(status)) {
    flag(
      'ingress-lifecycle',
      `ingress_ended with state.status ${status}: it is sent for ENDPOINT_ERROR, ENDPOINT_INACTIVE and ENDPOINT_COMPLETE`,
    );
  }
}
