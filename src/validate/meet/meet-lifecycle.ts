/**
 * The lifecycle of OpenVidu Meet webhooks. Meet sends each webhook on its own as it handles LiveKit's (concurrently),
 * and retries each one alone (300 ms doubling), so arrival order is no guarantee: the order that counts is
 * `creationDate`, Meet's clock when it sent. Arriving out of that order is a `delivery-order` warning; what no order
 * of delivery explains is an error:
 * - a room's meetings alternate, `meetingStarted` then `meetingEnded` (checked at the end, in `creationDate` order);
 * - a participant (room, identity, join date) joins once and leaves once, after a `meetingStarted` of its room;
 *   a `participantLeft` needs its `participantJoined`, with the same join date;
 * - a recording's statuses never go back in `creationDate` order (starting → active → ending → an end), one end.
 */
import { at } from '../event-input.js';
import type { Flag } from '../body-validator.js';
import type { RuleId, Severity, Where } from '../rules.js';
import { BoundedMap } from '../livekit/room-state.js';

export interface MeetEvent {
  readonly name: string;
  readonly creationDate: number;
  readonly where: Where;
  readonly flag: Flag;
}

interface Marked {
  readonly creationDate: number;
  readonly where: Where;
}

/** Reports a finding at an earlier event's place (at the end of input). */
export type ReportAt = (
  where: Where,
  rule: RuleId,
  message: string,
  severity?: Severity,
  needs?: readonly string[],
) => void;

interface Meeting extends Marked {
  readonly kind: 'meetingStarted' | 'meetingEnded';
}

interface Stay {
  joined: Marked | undefined;
  left: Marked | undefined;
}

interface Recording {
  rank: number;
  status: string;
  last: Marked;
  ended: Marked | undefined;
}

const RECORDING_RANK: Readonly<Record<string, number>> = {
  starting: 0,
  active: 1,
  ending: 2,
  complete: 3,
  failed: 3,
  aborted: 3,
  limit_reached: 3,
};

/** Meeting events kept per room for the end-of-input check. */
const MEETINGS_PER_ROOM = 64;

export class MeetRules {
  meetingsStarted = 0;
  meetingsEnded = 0;
  private readonly meetings: BoundedMap<string, Meeting[]>;
  private readonly stays: BoundedMap<string, Stay>;
  private readonly recordings: BoundedMap<string, Recording>;
  /** Joins in a room no meetingStarted opened yet, by room id. */
  private readonly pending = new Map<string, Marked[]>();

  constructor(
    memory: number,
    /** Whether something dated `ms` began inside the input (its first event must then be there). */
    private readonly beganInInput: (ms: number) => boolean,
  ) {
    this.meetings = new BoundedMap(memory);
    this.stays = new BoundedMap(memory);
    this.recordings = new BoundedMap(memory);
  }

  get openRecordings(): number {
    let n = 0;
    for (const r of this.recordings.values()) if (r.ended === undefined) n++;
    return n;
  }

  get openStays(): number {
    let n = 0;
    for (const s of this.stays.values()) if (s.joined !== undefined && s.left === undefined) n++;
    return n;
  }

  onMeeting(ev: MeetEvent, roomId: string): void {
    if (ev.name === 'meetingStarted') this.meetingsStarted++;
    else this.meetingsEnded++;
    const list = this.meetings.get(roomId) ?? [];
    const latest = list[list.length - 1];
    if (latest !== undefined && latest.creationDate > ev.creationDate) {
      ev.flag(
        'delivery-order',
        `${ev.name} of room ${roomId} arrived after ${latest.kind} (${at(latest.where)}), sent later`,
        'warning',
      );
    }
    list.push({ kind: ev.name as Meeting['kind'], creationDate: ev.creationDate, where: ev.where });
    list.sort((a, b) => a.creationDate - b.creationDate);
    if (list.length > MEETINGS_PER_ROOM) list.shift();
    this.meetings.set(roomId, list);
  }

  onParticipant(ev: MeetEvent, roomId: string, identity: string, joinDate: number): void {
    const key = `${roomId}\n${identity}\n${joinDate}`;
    const stay = this.stays.get(key) ?? { joined: undefined, left: undefined };
    this.stays.set(key, stay);
    const mark = { creationDate: ev.creationDate, where: ev.where };
    const who = `${identity} of room ${roomId} (joined ${joinDate})`;
    this.afterLaterMeeting(ev, roomId, who);
    if (ev.name === 'participantJoined') {
      if (stay.joined !== undefined)
        ev.flag(
          'meeting-lifecycle',
          `participantJoined twice for ${who} (first at ${at(stay.joined.where)})`,
        );
      else if (stay.left !== undefined) {
        ev.flag(
          'delivery-order',
          `participantJoined of ${who} arrived after its participantLeft (${at(stay.left.where)})`,
          'warning',
        );
      }
      stay.joined ??= mark;
      const meetings = this.meetings.get(roomId);
      if (meetings === undefined || !meetings.some((m) => m.kind === 'meetingStarted')) {
        this.meetingsPending(roomId, mark);
      }
      return;
    }
    if (stay.left !== undefined)
      ev.flag('meeting-lifecycle', `participantLeft twice for ${who} (first at ${at(stay.left.where)})`);
    stay.left ??= mark;
  }

  onRecording(ev: MeetEvent, recordingId: string, status: string): void {
    const rank = RECORDING_RANK[status];
    if (rank === undefined) return;
    const mark = { creationDate: ev.creationDate, where: ev.where };
    const known = this.recordings.get(recordingId);
    if (known === undefined) {
      this.recordings.set(recordingId, { rank, status, last: mark, ended: rank === 3 ? mark : undefined });
      return;
    }
    if (ev.creationDate < known.last.creationDate) {
      ev.flag(
        'delivery-order',
        `${ev.name} of ${recordingId} ("${status}") arrived after "${known.status}" (${at(known.last.where)}), sent later`,
        'warning',
      );
      return;
    }
    if (known.ended !== undefined) {
      ev.flag(
        'recording-status-order',
        `${ev.name} of ${recordingId} after its recordingEnded (${at(known.ended.where)})`,
      );
      return;
    }
    if (ev.name === 'recordingStarted') {
      ev.flag(
        'recording-status-order',
        `recordingStarted of ${recordingId} after "${known.status}" (${at(known.last.where)})`,
      );
    } else if (rank < known.rank) {
      ev.flag(
        'recording-status-order',
        `${recordingId} goes from "${known.status}" (${at(known.last.where)}) back to "${status}"`,
      );
      // The furthest status stays the reference: the next event is judged against it, not against the error.
      known.last = mark;
      return;
    }
    Object.assign(known, { rank, status, last: mark });
    if (rank === 3) known.ended = mark;
  }

  /** End of input: meetings that do not alternate, leaves without their join, joins in rooms no meeting opened. */
  finish(report: ReportAt): void {
    for (const [roomId, list] of this.meetings) {
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!, list[i]!];
        if (a.kind === b.kind) {
          report(
            b.where,
            'meeting-lifecycle',
            `${b.kind} of room ${roomId} follows ${a.kind} (${at(a.where)}) without a ${a.kind === 'meetingStarted' ? 'meetingEnded' : 'meetingStarted'} between them (in creationDate order)`,
          );
        }
      }
    }
    for (const [key, stay] of this.stays) {
      if (stay.left === undefined || stay.joined !== undefined) continue;
      const [roomId, identity, joinDate] = key.split('\n') as [string, string, string];
      if (!this.beganInInput(Number(joinDate))) continue;
      report(
        stay.left.where,
        'meeting-lifecycle',
        `participantLeft of ${identity} of room ${roomId} without its participantJoined (join date ${joinDate}, inside the input)`,
        'error',
        ['participantJoined'],
      );
    }
    for (const [roomId, marks] of this.pending) {
      if (this.meetings.get(roomId)?.some((m) => m.kind === 'meetingStarted')) continue;
      for (const m of marks) {
        if (!this.beganInInput(m.creationDate)) continue;
        report(
          m.where,
          'meeting-lifecycle',
          `participantJoined in room ${roomId}, which no meetingStarted opened`,
          'error',
          ['meetingStarted'],
        );
      }
    }
  }

  /** A participant event that arrived after a meeting event of its room sent later (each webhook retries alone). */
  private afterLaterMeeting(ev: MeetEvent, roomId: string, who: string): void {
    const later = this.meetings.get(roomId)?.find((m) => m.creationDate > ev.creationDate);
    if (later === undefined) return;
    ev.flag(
      'delivery-order',
      `${ev.name} of ${who} arrived after ${later.kind} (${at(later.where)}), sent later`,
      'warning',
    );
  }

  /** A join in a room with no meeting yet: a later meetingStarted explains it (arrival order), or the end reports it. */
  private meetingsPending(roomId: string, mark: Marked): void {
    const list = this.pending.get(roomId) ?? [];
    if (list.length < MEETINGS_PER_ROOM) list.push(mark);
    this.pending.set(roomId, list);
  }

  /** A meetingStarted that arrived after joins of its room. */
  startedAfterJoins(ev: MeetEvent, roomId: string): void {
    const joins = this.pending.get(roomId);
    if (joins === undefined) return;
    this.pending.delete(roomId);
    ev.flag(
      'delivery-order',
      `meetingStarted of room ${roomId} arrived after ${joins.length} participantJoined (first at ${at(joins[0]!.where)})`,
      'warning',
    );
  }
}
