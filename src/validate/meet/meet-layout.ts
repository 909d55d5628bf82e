/**
 * The layout of OpenVidu Meet webhook bodies (`webhook-dispatcher.service.ts`, `participant.helper.ts`,
 * `recording.helper.ts`, `meet-ce/typings`): `{"event","creationDate","data"}` as `JSON.stringify` writes it, and the
 * payload of each event — participant and recording payloads in the key order of the source's object literals, the
 * room as stored (its key order is MongoDB's, not checked), permissions with their deprecated `can*` aliases
 * consistent, and the statuses each event is sent with.
 */
import {
  MEET_EVENT_NAMES,
  MEET_PERMISSION_ALIASES,
  MEET_PERMISSION_KEYS,
  type MeetEventName,
} from '../../model/meet/meet-types.js';
import type { Flag } from '../body-validator.js';
import type { JsonNode, ObjectNode } from '../json-tree.js';
import { excerpt } from '../event-input.js';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string|object';

interface KeySpec {
  readonly key: string;
  readonly kind: Kind;
  readonly optional?: boolean;
  readonly values?: readonly string[];
}

export const MEET_RECORDING_STATUS_BY_EVENT: Readonly<Record<string, readonly string[]>> = {
  recordingStarted: ['starting'],
  recordingUpdated: ['active', 'ending'],
  recordingEnded: ['complete', 'failed', 'aborted', 'limit_reached'],
};
const RECORDING_STATUSES = Object.values(MEET_RECORDING_STATUS_BY_EVENT).flat();
const LEFT_REASONS = [
  'voluntary_leave',
  'network_disconnect',
  'server_shutdown',
  'participant_kicked',
  'meeting_ended',
  'meeting_ended_by_self',
  'duplicate_identity',
  'unknown',
];

const BODY: readonly KeySpec[] = [
  { key: 'event', kind: 'string' },
  { key: 'creationDate', kind: 'number' },
  { key: 'data', kind: 'object' },
];
const PARTICIPANT: readonly KeySpec[] = [
  { key: 'participantIdentity', kind: 'string' },
  { key: 'participantName', kind: 'string' },
  { key: 'externalId', kind: 'string', optional: true },
  { key: 'metadata', kind: 'string', optional: true },
  { key: 'role', kind: 'string', values: ['moderator', 'speaker'] },
  { key: 'joinDate', kind: 'number' },
];
const PARTICIPANT_LEFT: readonly KeySpec[] = [
  ...PARTICIPANT,
  { key: 'leaveDate', kind: 'number' },
  { key: 'durationSeconds', kind: 'number' },
  { key: 'leaveReason', kind: 'string', values: LEFT_REASONS },
];
const PARTICIPANT_PAYLOAD: readonly KeySpec[] = [
  { key: 'roomId', kind: 'string' },
  { key: 'roomName', kind: 'string' },
  { key: 'participant', kind: 'object' },
];
const RECORDING: readonly KeySpec[] = [
  { key: 'recordingId', kind: 'string' },
  { key: 'roomId', kind: 'string' },
  { key: 'roomName', kind: 'string' },
  { key: 'layout', kind: 'string', optional: true, values: ['grid', 'speaker', 'single-speaker'] },
  { key: 'encoding', kind: 'string|object', optional: true },
  { key: 'status', kind: 'string', values: RECORDING_STATUSES },
  { key: 'filename', kind: 'string', optional: true },
  { key: 'startDate', kind: 'number', optional: true },
  { key: 'endDate', kind: 'number', optional: true },
  { key: 'duration', kind: 'number', optional: true },
  { key: 'size', kind: 'number', optional: true },
  { key: 'errorCode', kind: 'number', optional: true },
  { key: 'error', kind: 'string', optional: true },
  { key: 'details', kind: 'string', optional: true },
];
const ROOM: readonly KeySpec[] = [
  { key: 'roomId', kind: 'string' },
  { key: 'roomName', kind: 'string' },
  { key: 'owner', kind: 'string' },
  { key: 'creationDate', kind: 'number' },
  { key: 'autoDeletionDate', kind: 'number', optional: true },
  { key: 'autoDeletionPolicy', kind: 'object', optional: true },
  { key: 'config', kind: 'object' },
  { key: 'roles', kind: 'object' },
  { key: 'access', kind: 'object' },
  { key: 'status', kind: 'string', values: ['open', 'active_meeting', 'closed'] },
  { key: 'rolesUpdatedAt', kind: 'number' },
  { key: 'meetingEndAction', kind: 'string', values: ['none', 'close', 'delete'] },
];

/** Milliseconds since the epoch in 2001 and 2286. */
const MIN_MS = 1e12;
const MAX_MS = 1e13;

/** Checks a body's envelope and payload; returns the event name when it is a Meet event. */
export function checkMeetBody(root: ObjectNode, flag: Flag): MeetEventName | 'testEvent' | undefined {
  checkKeys(root, BODY, '', flag, true);
  const event = root.members.find((m) => m.key === 'event')?.value;
  const created = root.members.find((m) => m.key === 'creationDate')?.value;
  if (created?.kind === 'number') millis('creationDate', created.value, flag);
  const data = root.members.find((m) => m.key === 'data')?.value;
  if (event?.kind !== 'string') return undefined;
  const name = event.value;
  if (name === 'testEvent') return name;
  if (!(MEET_EVENT_NAMES as readonly string[]).includes(name)) {
    flag(
      'unknown-event',
      `unknown event "${excerpt(name, 40)}" (OpenVidu Meet sends ${MEET_EVENT_NAMES.join(', ')})`,
    );
    return undefined;
  }
  if (data?.kind === 'object') checkPayload(name as MeetEventName, data, flag);
  return name as MeetEventName;
}

function checkPayload(name: MeetEventName, data: ObjectNode, flag: Flag): void {
  if (name === 'meetingStarted' || name === 'meetingEnded') return checkRoom(name, data, flag);
  if (name === 'participantJoined' || name === 'participantLeft') {
    checkKeys(data, PARTICIPANT_PAYLOAD, 'data', flag, true);
    const p = field(data, 'participant');
    if (p?.kind === 'object') checkParticipant(name, p, flag);
    return;
  }
  checkKeys(data, RECORDING, 'data', flag, true);
  const status = stringOf(field(data, 'status'));
  const allowed = MEET_RECORDING_STATUS_BY_EVENT[name] ?? [];
  if (status !== undefined && RECORDING_STATUSES.includes(status) && !allowed.includes(status)) {
    flag('recording-status-order', `${name} with status "${status}": it is sent with ${allowed.join(', ')}`);
  }
  for (const key of ['startDate', 'endDate']) {
    const v = field(data, key);
    if (v?.kind === 'number') millis(`data.${key}`, v.value, flag);
  }
  const start = numberOf(field(data, 'startDate'));
  const end = numberOf(field(data, 'endDate'));
  if (start !== undefined && end !== undefined && end < start)
    flag('timestamp-order', `data.endDate ${end} is before data.startDate ${start}`);
}

function checkRoom(name: 'meetingStarted' | 'meetingEnded', data: ObjectNode, flag: Flag): void {
  // The room comes from MongoDB: its key order is the database's, and fields of another Meet version may appear.
  checkKeys(data, ROOM, 'data', flag, false);
  const status = stringOf(field(data, 'status'));
  const action = stringOf(field(data, 'meetingEndAction'));
  if (name === 'meetingStarted' && status !== undefined && status !== 'active_meeting') {
    flag(
      'field-value',
      `meetingStarted with room status "${status}": it is sent after the status becomes "active_meeting"`,
    );
  }
  if (name === 'meetingEnded' && action === 'close') {
    flag(
      'field-value',
      'meetingEnded with meetingEndAction "close": a room closed at the meeting\'s end is sent with status "closed" and action "none"',
    );
  } else if (name === 'meetingEnded' && action === 'none' && status === 'active_meeting') {
    flag(
      'field-value',
      'meetingEnded with status "active_meeting" and action "none": the status is "open" or "closed" by then',
    );
  }
  const roles = field(data, 'roles');
  for (const role of ['moderator', 'speaker']) {
    const permissions = field(field(roles, role), 'permissions');
    if (permissions?.kind === 'object') checkPermissions(permissions, `data.roles.${role}.permissions`, flag);
  }
}

/** Current names and deprecated `can*` aliases; an alias is the AND of the names it stands for. */
function checkPermissions(node: ObjectNode, path: string, flag: Flag): void {
  const values = new Map<string, boolean>();
  for (const m of node.members) {
    const known =
      (MEET_PERMISSION_KEYS as readonly string[]).includes(m.key) ||
      Object.hasOwn(MEET_PERMISSION_ALIASES, m.key);
    if (!known) flag('unexpected-field', `${path}.${m.key}: not a Meet permission`, 'warning');
    if (m.value.kind !== 'true' && m.value.kind !== 'false')
      flag('field-type', `${path}.${m.key}: not a boolean`);
    else values.set(m.key, m.value.kind === 'true');
  }
  for (const [alias, names] of Object.entries(MEET_PERMISSION_ALIASES)) {
    const given = values.get(alias);
    const current = (names as readonly string[]).map((n) => values.get(n));
    if (given === undefined || current.some((v) => v === undefined)) continue;
    if (given !== current.every((v) => v === true)) {
      flag(
        'field-mismatch',
        `${path}.${alias} is ${given} but ${names.join(' && ')} is ${!given}: the alias is the AND of the current names`,
      );
    }
  }
}

function checkParticipant(name: 'participantJoined' | 'participantLeft', p: ObjectNode, flag: Flag): void {
  checkKeys(p, name === 'participantLeft' ? PARTICIPANT_LEFT : PARTICIPANT, 'data.participant', flag, true);
  const join = numberOf(field(p, 'joinDate'));
  if (join !== undefined && join !== 0) millis('data.participant.joinDate', join, flag);
  if (name !== 'participantLeft') return;
  const leave = numberOf(field(p, 'leaveDate'));
  const duration = numberOf(field(p, 'durationSeconds'));
  if (leave === undefined || join === undefined) return;
  millis('data.participant.leaveDate', leave, flag);
  if (join > 0 && leave < join)
    flag('timestamp-order', `data.participant.leaveDate ${leave} is before its joinDate ${join}`);
  const expected = join <= 0 ? 0 : Math.max(0, Math.round((leave - join) / 1000));
  if (duration !== undefined && duration !== expected) {
    flag(
      'field-value',
      `data.participant.durationSeconds is ${duration}, not Math.round((leaveDate - joinDate) / 1000) = ${expected}`,
    );
  }
}

/** Keys of `node` against `spec`: missing, unknown (errors when `strict`), out of order, of the wrong type or value. */
function checkKeys(
  node: ObjectNode,
  spec: readonly KeySpec[],
  path: string,
  flag: Flag,
  strict: boolean,
): void {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  let lastIndex = -1;
  const seen = new Set<string>();
  for (const m of node.members) {
    const index = spec.findIndex((s) => s.key === m.key);
    if (seen.has(m.key)) flag('unexpected-field', `${at(m.key)}: duplicate key`);
    seen.add(m.key);
    if (index < 0) {
      flag(
        'unexpected-field',
        `${at(excerpt(m.key, 40))}: not a field of this payload`,
        strict ? 'error' : 'warning',
      );
      continue;
    }
    if (strict && index < lastIndex)
      flag(
        'key-order',
        `${at(m.key)} comes before ${at(spec[lastIndex]!.key)} (the order the Meet backend builds it in)`,
      );
    lastIndex = Math.max(lastIndex, index);
    checkValue(spec[index]!, m.value, at(m.key), flag);
  }
  for (const s of spec) if (!s.optional && !seen.has(s.key)) flag('missing-field', `no ${at(s.key)}`);
}

function checkValue(spec: KeySpec, node: JsonNode, path: string, flag: Flag): void {
  const kind = node.kind === 'true' || node.kind === 'false' ? 'boolean' : node.kind;
  if (!spec.kind.split('|').includes(kind)) {
    flag(
      'field-type',
      `${path} is ${kind === 'null' ? 'null' : `a JSON ${kind}`}, expected ${spec.kind.replace('|', ' or ')}`,
    );
    return;
  }
  if (node.kind === 'number' && node.raw !== JSON.stringify(node.value)) {
    flag('serialization', `${path}: ${node.raw} is written ${JSON.stringify(node.value)} by JSON.stringify`);
  }
  if (spec.values !== undefined && node.kind === 'string' && !spec.values.includes(node.value)) {
    flag('field-value', `${path} is "${excerpt(node.value, 40)}", not one of ${spec.values.join(', ')}`);
  }
}

function millis(path: string, value: number, flag: Flag): void {
  if (value >= MAX_MS) flag('time-unit', `${path} ${value} is not milliseconds since the epoch (too large)`);
  else if (value < MIN_MS)
    flag(
      'time-unit',
      `${path} ${value} looks like ${value >= 1e9 ? 'seconds' : 'no date'}; Meet writes milliseconds since the epoch`,
    );
}

export function field(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.kind === 'object' ? node.members.find((m) => m.key === key)?.value : undefined;
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

export function numberOf(node: JsonNode | undefined): number | undefined {
  return node?.kind === 'number' ? node.value : undefined;
}
