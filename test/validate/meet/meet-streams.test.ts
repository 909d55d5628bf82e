/**
 * `ovsim validate --server meet` on whole streams: the 3.9 double emission (each role's permissions under the
 * current names and the deprecated `can*` ones, `MEET_MODE=compatibility`), the lifecycle in creationDate order, and
 * illegal streams named at their file, line and field by the command itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meetRoomToWire, meetWebhookBody } from '../../../src/model/meet/meet-body.js';
import {
  MEET_PERMISSION_ALIASES,
  MEET_PERMISSION_KEYS,
  type MeetRoom,
} from '../../../src/model/meet/meet-types.js';
import { cli } from '../../cli/run-cli.js';
import { check } from '../livekit/check.js';
import { MeetStream, ROOM } from './meet-stream.js';

const meet = { server: 'meet' } as const;
const DEPRECATED = Object.keys(MEET_PERMISSION_ALIASES);

/** The moderator's permission keys of a meetingStarted body, in the order written. */
function moderatorKeys(line: string): string[] {
  const body = JSON.parse(line) as { data: MeetRoom };
  return Object.keys(body.data.roles.moderator.permissions);
}

describe('validate --server meet: the 3.9 double emission of permission names', () => {
  it('compatibility mode (the 3.9 default) writes the current names then every deprecated alias; accepted', () => {
    const s = new MeetStream();
    const line = s.started();
    expect(moderatorKeys(line)).toEqual([...MEET_PERMISSION_KEYS, ...DEPRECATED]);
    expect(line).toContain('"recordingControl":true');
    expect(line).toContain('"canRecord":true');
    s.tick(60_000).ended();
    expect(check(s.lines, meet).text).toEqual([]);
  });

  it('MEET_MODE=3.9.0 (current names only) and a pre-3.9 room (deprecated names only) are accepted too', () => {
    const current = meetWebhookBody('meetingStarted', 1767225600000, meetRoomToWire(ROOM, '3.9.0'));
    expect(moderatorKeys(current)).toEqual([...MEET_PERMISSION_KEYS]);
    const wire = meetRoomToWire(ROOM);
    const only = (p: Record<string, unknown>) => Object.fromEntries(DEPRECATED.map((k) => [k, p[k]]));
    const legacyRoom = {
      ...wire,
      roles: {
        moderator: { permissions: only(wire.roles.moderator.permissions) },
        speaker: { permissions: only(wire.roles.speaker.permissions) },
      },
    } as MeetRoom;
    const legacy = meetWebhookBody('meetingStarted', 1767225600000, legacyRoom);
    expect(moderatorKeys(legacy)).toEqual(DEPRECATED);
    expect(check([current], meet).text).toEqual([]);
    expect(check([legacy], meet).text).toEqual([]);
  });

  it('an alias is the AND of its group: canRetrieveRecordings false when recordingPlay alone is false', () => {
    const room: MeetRoom = {
      ...ROOM,
      roles: {
        ...ROOM.roles,
        speaker: {
          permissions: {
            ...ROOM.roles.speaker.permissions,
            recordingList: true,
            recordingPlay: false,
            recordingDownload: true,
          },
        },
      },
    };
    const line = meetWebhookBody('meetingStarted', 1767225600000, meetRoomToWire(room));
    expect(JSON.parse(line).data.roles.speaker.permissions.canRetrieveRecordings).toBe(false);
    expect(check([line], meet).text).toEqual([]);
    const wrong = line.replace(/("speaker":\{"permissions":\{.*?"canRetrieveRecordings":)false/, '$1true');
    expect(wrong).not.toBe(line);
    expect(check([wrong], meet).errors.map((d) => [d.line, d.rule, d.message])).toEqual([
      [
        1,
        'field-mismatch',
        'data.roles.speaker.permissions.canRetrieveRecordings is true but recordingList && recordingPlay && recordingDownload is false: the alias is the AND of the current names',
      ],
    ]);
  });

  it('a key that is neither a current nor a deprecated permission name is a warning', () => {
    const line = new MeetStream().started().replace('"canRecord":true', '"canRecord":true,"canFly":true');
    const r = check([line], meet);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.rule, d.message])).toEqual([
      ['unexpected-field', 'data.roles.moderator.permissions.canFly: not a Meet permission'],
    ]);
  });
});

describe('validate --server meet: lifecycle order', () => {
  it('two meetings in a row in the same room, each with its own participants, are accepted', () => {
    const s = new MeetStream();
    for (let i = 0; i < 2; i++) {
      s.tick(60_000).started();
      const p = s.tick().participant(`p${i}`);
      s.joined(p);
      s.tick(30_000).left(p);
      s.tick(20_000).ended();
    }
    const r = check(s.lines, meet);
    expect(r.text).toEqual([]);
    expect(r.summary).toMatchObject({
      meetings: { started: 2, ended: 2 },
      unterminated: { participants: 0, recordings: 0 },
    });
  });

  it('a participant still in, a recording not ended at the end of input: counted as unterminated, not errors', () => {
    const s = new MeetStream();
    s.started();
    s.tick().joined(s.participant('alice'));
    s.tick().recording('recordingStarted', 'EGRESS_STARTING');
    const r = check(s.lines, meet);
    expect(r.errors).toEqual([]);
    expect(r.summary).toMatchObject({ unterminated: { participants: 1, recordings: 1 } });
  });

  it('a leave that arrives before its join is a delivery-order warning; joined twice, left twice are errors', () => {
    const s = new MeetStream();
    s.started();
    const bob = s.tick(120_000).participant('bob');
    const joined = s.joined(bob);
    const left = s.tick(5000).left(bob);
    const ordered = [s.lines[0]!, left, joined];
    const swapped = check(ordered, meet);
    expect(swapped.errors).toEqual([]);
    expect(swapped.warnings.map((d) => [d.line, d.rule])).toEqual([[3, 'delivery-order']]);
    const twice = check(
      [
        s.lines[0]!,
        joined,
        joined.replace('"participantName":"bob"', '"participantName":"bob2"'),
        left,
        left.replace('"leaveReason":"voluntary_leave"', '"leaveReason":"unknown"'),
      ],
      meet,
    );
    expect(twice.errors.map((d) => [d.line, d.rule])).toEqual([
      [3, 'meeting-lifecycle'],
      [5, 'meeting-lifecycle'],
    ]);
  });

  it('a recording event after its recordingEnded, and a second recordingStarted, are errors at their line', () => {
    const s = new MeetStream();
    s.started();
    s.tick(9000).recording('recordingStarted', 'EGRESS_STARTING');
    s.tick(2000).recording('recordingUpdated', 'EGRESS_ACTIVE');
    s.tick().recording('recordingStarted', 'EGRESS_STARTING');
    s.tick().recording('recordingEnded', 'EGRESS_COMPLETE');
    s.tick().recording('recordingUpdated', 'EGRESS_ENDING');
    expect(check(s.lines, meet).errors.map((d) => [d.line, d.rule])).toEqual([
      [4, 'recording-status-order'],
      [6, 'recording-status-order'],
    ]);
  });

  it('meetingEnded twice in a row (in creationDate order) is an error at the second', () => {
    const s = new MeetStream();
    s.started();
    s.tick(60_000).ended();
    s.tick(60_000).ended();
    expect(check(s.lines, meet).errors.map((d) => [d.line, d.rule])).toEqual([[3, 'meeting-lifecycle']]);
  });
});

describe('ovsim validate --server meet FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-meet-validate-'));
  const write = (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
    return path;
  };

  it('exits 0 on a legal stream and names file, line and field of an illegal one, exit 1', async () => {
    const s = new MeetStream();
    const alice = s.participant('alice');
    s.started();
    s.tick().joined(alice);
    s.tick(10_000).left(alice);
    s.tick(20_000).ended();
    const good = write('good.jsonl', s.lines);
    const ok = await cli('validate', '--server', 'meet', good);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    expect(ok.stderr).toContain('4 lines, 4 events');
    const bad = write('bad.jsonl', [
      s.lines[0]!,
      s.lines[1]!,
      s.lines[2]!.replace('"role":"speaker"', '"role":"host"'),
      s.lines[3]!,
    ]);
    const r = await cli('validate', '--server', 'meet', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${bad}:3: field-value: data.participant.role is "host", not one of moderator, speaker\n`,
    );
  });

  it('a Meet stream checked as OpenVidu 3 (the wrong --server) fails instead of passing', async () => {
    const path = write('as-lk.jsonl', [new MeetStream().started()]);
    const r = await cli('validate', '--server', 'openvidu3', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: `));
  });

  it('an unknown --server is a usage error, exit 2', async () => {
    const r = await cli('validate', '--server', 'openvidu4', write('x.jsonl', ['{}']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'Argument: server, Given: "openvidu4", Choices: "openvidu2", "openvidu3", "openvidu3-v2compat", "meet"',
    );
  });
});
