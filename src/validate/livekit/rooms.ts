/**
 * Rooms: LiveKit queues every event that carries a room (room, participant and track events) on one FIFO queue per
 * room name (`webhook.EventKey`), so these arrive in order: `room_started` first, `room_finished` last and once, and
 * nothing of a finished room after it. Not guaranteed, so not checked: the order of egress and ingress events (their
 * own queues) against these. Legal, and only noted: `room_started` again for a room after its `room_finished` (a
 * deleted room recreated by reconnecting clients, livekit#2945).
 */
import { at } from '../event-input.js';
import { int, obj, str, type LkEvent } from './lk-event.js';
import { BoundedMap, type LkContext, type LkRoom } from './room-state.js';

export class RoomRules {
  started = 0;
  finished = 0;
  /** Room instances whose first event in the input was not room_started. */
  begunBeforeInput = 0;
  /** The open instance of each room name. */
  private readonly rooms = new Map<string, LkRoom>();
  /** Finished instances by sid, oldest forgotten first. */
  private readonly finishedSids: BoundedMap<string, LkEvent['where']>;

  constructor(
    private readonly ctx: LkContext,
    memory: number,
  ) {
    this.finishedSids = new BoundedMap(memory);
  }

  live(): IterableIterator<LkRoom> {
    return this.rooms.values();
  }

  onRoomStarted(ev: LkEvent): void {
    const ids = roomIds(ev);
    if (ids === undefined) return;
    const { name, sid } = ids;
    const current = this.rooms.get(name);
    if (current !== undefined && current.sid === sid) {
      ev.flag(
        'room-lifecycle',
        current.started !== undefined
          ? `room_started twice for room ${name} (${sid}; first at ${at(current.started)})`
          : `room_started after events of room ${name} (${sid}; first at ${at(current.first)}): LiveKit queues a room's events in order, room_started first`,
      );
      current.started ??= ev.where;
      return;
    }
    if (current !== undefined) {
      ev.flag(
        'room-lifecycle',
        `room_started for room ${name} (${sid}) while ${current.sid} (first event at ${at(current.first)}) has had no room_finished`,
        'error',
        ['room_finished'],
      );
    }
    const gone = this.finishedSids.get(sid);
    if (gone !== undefined) {
      ev.flag(
        'room-lifecycle',
        `room_started for room ${name} (${sid}) after its room_finished (${at(gone)}): LiveKit recreates a deleted room when its clients reconnect (livekit#2945)`,
        'warning',
      );
      this.finishedSids.delete(sid);
    }
    this.started++;
    this.rooms.set(name, newRoom(name, sid, ev, true));
    this.checkQueueTime(ev, this.rooms.get(name)!);
  }

  onRoomFinished(ev: LkEvent): void {
    const ids = roomIds(ev);
    if (ids === undefined) return;
    const { name, sid } = ids;
    const current = this.rooms.get(name);
    if (current === undefined || current.sid !== sid) {
      const gone = this.finishedSids.get(sid);
      if (gone !== undefined) {
        ev.flag('room-lifecycle', `room_finished twice for room ${name} (${sid}; first at ${at(gone)})`);
      } else if (current !== undefined) {
        ev.flag(
          'room-lifecycle',
          `room_finished for ${sid}, but the room open as ${name} is ${current.sid} (first event at ${at(current.first)})`,
        );
      } else this.begunBeforeInput++;
      this.finishedSids.set(sid, ev.where);
      return;
    }
    this.checkQueueTime(ev, current);
    const inside = [...current.participants.values()].filter(
      (p) => p.joined !== undefined && p.ended === undefined,
    );
    if (inside.length > 0) {
      const names = inside.slice(0, 3).map((p) => `${p.identity} (${p.sid}, joined at ${at(p.joined!)})`);
      ev.flag(
        'room-lifecycle',
        `room_finished while ${inside.length} participant${inside.length === 1 ? ' is' : 's are'} still in room ${name}: ${names.join(', ')}${inside.length > 3 ? ', …' : ''}; LiveKit closes them (participant_left) first`,
        'error',
        ['participant_left'],
      );
    }
    this.finished++;
    this.rooms.delete(name);
    this.finishedSids.set(sid, ev.where);
  }

  /**
   * The room instance of a participant or track event, opened when the input began after its room_started;
   * undefined when the event has no room name or belongs to a finished room (reported).
   */
  instanceOf(ev: LkEvent): LkRoom | undefined {
    const room = obj(ev.body, 'room');
    const name = str(room, 'name');
    const sid = str(room, 'sid');
    if (name === undefined || sid === undefined) return undefined;
    let current = this.rooms.get(name);
    if (current?.sid !== sid) {
      const gone = this.finishedSids.get(sid);
      if (gone !== undefined) {
        ev.flag(
          'room-lifecycle',
          `${ev.name} of room ${name} (${sid}) after its room_finished (${at(gone)})`,
        );
        return undefined;
      }
      if (current !== undefined) {
        ev.flag(
          'room-lifecycle',
          `${ev.name} of room ${name} as ${sid}, while the room open under that name is ${current.sid} (first event at ${at(current.first)}) and had no room_finished`,
          'error',
          ['room_started', 'room_finished'],
        );
      }
      current = this.openImplicitly(ev, name, sid, int(room, 'creationTime'));
    }
    this.checkQueueTime(ev, current);
    return current;
  }

  private openImplicitly(ev: LkEvent, name: string, sid: string, creationTime: number | undefined): LkRoom {
    if (this.ctx.beganInInput(creationTime)) {
      ev.flag(
        'room-lifecycle',
        `${ev.name} of room ${name} (${sid}) without a room_started before it, though the room was created at ${creationTime} (inside the input)`,
        'error',
        ['room_started'],
      );
    } else this.begunBeforeInput++;
    const room = newRoom(name, sid, ev, false);
    this.rooms.set(name, room);
    return room;
  }

  /** One queue per room: its `createdAt` (the enqueue second) never goes back. */
  private checkQueueTime(ev: LkEvent, room: LkRoom): void {
    if (ev.createdAt === undefined) return;
    if (room.last !== undefined && ev.createdAt < room.last.createdAt) {
      ev.flag(
        'timestamp-order',
        `createdAt ${ev.createdAt} is earlier than ${room.last.createdAt} of the previous event of room ${room.name} (${at(room.last.where)}), which LiveKit queued before`,
        'warning',
      );
    }
    room.last = { createdAt: ev.createdAt, where: ev.where };
  }
}

function roomIds(ev: LkEvent): { name: string; sid: string } | undefined {
  const room = obj(ev.body, 'room');
  const name = str(room, 'name');
  const sid = str(room, 'sid');
  return name === undefined || sid === undefined ? undefined : { name, sid };
}

function newRoom(name: string, sid: string, ev: LkEvent, started: boolean): LkRoom {
  return {
    sid,
    name,
    started: started ? ev.where : undefined,
    first: ev.where,
    participants: new Map(),
    tracks: new Map(),
    last: undefined,
  };
}
