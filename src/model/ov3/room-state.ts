/**
 * A LiveKit room as its webhooks show it. `Room.ToProto()` returns a cached copy kept by a `utils.ProtoProxy`
 * (livekit/protocol `utils/protoproxy.go`, livekit/livekit `pkg/rtc/room.go`), which is why `numParticipants` is often
 * stale or missing in `participant_joined` and above 0 in `room_finished` (livekit#2065, #4265):
 * - the cache is computed at creation (`numParticipants` 0) and then only by `updateProto`, which counts the
 *   participants present (signal-joined, not yet necessarily ACTIVE) that are not dependent (an egress recorder
 *   is), and the publishers;
 * - `MarkDirty(immediate)` recomputes at once when `immediate` (a recorder joining or the last one leaving flips
 *   `activeRecording`) or when the last refresh is older than `roomUpdateInterval` (5 s); otherwise the proxy's
 *   ticker (every 5 s since the room's creation) recomputes once the last refresh is 5 s old;
 * - a recomputation that changes nothing does not move the refresh time.
 * A join marks the room dirty as it is added; a departure after `participant_left` is sent (the webhook reads the
 * room before `RemoveParticipant` runs).
 */
import type { LivekitRoomFacts, SessionFacts } from '../entities.js';
import { LivekitIds } from '../livekit/ids.js';
import type { Room } from '../livekit/models.js';
import type { LivekitProfile } from './livekit-profile.js';
import { splitMix } from './split-mix.js';

/** `roomUpdateInterval`, ms. */
export const ROOM_UPDATE_INTERVAL_MS = 5000;

interface Counts {
  numParticipants: number;
  numPublishers: number;
  activeRecording: boolean;
}

/** One present participant, as `updateProto` counts it. */
export interface RoomMember {
  readonly identity: string;
  readonly dependent: boolean;
  isPublisher: boolean;
  /** Another connection of the same identity joined after it (LiveKit removes it: DUPLICATE_IDENTITY). */
  replaced: boolean;
}

export class RoomState {
  readonly name: string;
  readonly room: LivekitRoomFacts;
  /** Present participants by identity (a new connection of an identity replaces the old one's entry). */
  readonly members = new Map<string, RoomMember[]>();
  /** `EV_` ids of this room's events. */
  readonly eventIds: LivekitIds;
  private readonly createdAt: number;
  private cached: Counts = { numParticipants: 0, numPublishers: 0, activeRecording: false };
  private refreshedAt: number;
  private dirty = false;
  private lastTick: number;
  closed = false;

  constructor(
    session: SessionFacts,
    private readonly profile: LivekitProfile,
  ) {
    this.room = session.livekit!;
    this.name = session.sessionId;
    this.createdAt = session.createdAt;
    this.refreshedAt = session.createdAt;
    this.lastTick = session.createdAt;
    this.eventIds = new LivekitIds(splitMix(`${this.room.sid}/events`));
  }

  /** Adds a present participant, then marks the room dirty (immediately when it flips `activeRecording`). */
  add(at: number, m: RoomMember): void {
    this.catchUp(at);
    this.closed = false;
    const list = this.members.get(m.identity) ?? [];
    list.push(m);
    this.members.set(m.identity, list);
    this.markDirty(at, m.dependent && !this.cached.activeRecording);
  }

  /**
   * Removes a participant, then marks the room dirty — unless the room is closing (`Room.Close` closes everyone,
   * stops the proxy and sends `room_finished` before their `RemoveParticipant` goroutines run: the room leaves with
   * the count it had).
   */
  remove(at: number, m: RoomMember, roomClosing = false): void {
    this.catchUp(at);
    if (roomClosing) this.closed = true;
    const list = this.members.get(m.identity);
    if (list !== undefined) {
      const i = list.indexOf(m);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.members.delete(m.identity);
    }
    if (this.closed) return;
    this.markDirty(at, m.dependent && this.cached.activeRecording !== this.counts().activeRecording);
  }

  /** Something `updateProto` counts changed (a participant became a publisher). */
  changed(at: number): void {
    this.catchUp(at);
    this.markDirty(at, false);
  }

  /** The full Room as `ToProto()` returns it at `at`. */
  toProto(at: number): Room {
    this.catchUp(at);
    const c = this.cached;
    const p = this.profile;
    return {
      sid: this.room.sid,
      name: this.name,
      emptyTimeout: p.emptyTimeoutS,
      ...(p.writesDepartureTimeout ? { departureTimeout: p.departureTimeoutS } : {}),
      creationTime: Math.floor(this.createdAt / 1000),
      creationTimeMs: this.createdAt,
      turnPassword: this.room.turnPassword,
      enabledCodecs: p.enabledCodecs,
      numParticipants: c.numParticipants,
      numPublishers: c.numPublishers,
      activeRecording: c.activeRecording,
    };
  }

  /** The room as track and egress events carry it (unless `enable_full_room_in_webhooks`). */
  minimal(at: number): Room {
    return this.profile.fullRoomInWebhooks ? this.toProto(at) : { sid: this.room.sid, name: this.name };
  }

  private counts(): Counts {
    const c: Counts = { numParticipants: 0, numPublishers: 0, activeRecording: false };
    for (const list of this.members.values()) {
      const m = list[list.length - 1]!;
      if (!m.dependent) c.numParticipants++;
      else c.activeRecording = true;
      if (m.isPublisher) c.numPublishers++;
    }
    return c;
  }

  private markDirty(at: number, immediate: boolean): void {
    this.dirty = true;
    if (immediate || at - this.refreshedAt > ROOM_UPDATE_INTERVAL_MS) this.update(at);
  }

  private update(at: number): void {
    this.dirty = false;
    const next = this.counts();
    const c = this.cached;
    if (
      next.numParticipants === c.numParticipants &&
      next.numPublishers === c.numPublishers &&
      next.activeRecording === c.activeRecording
    )
      return;
    this.cached = next;
    this.refreshedAt = at;
  }

  /** Runs the proxy's ticks up to `at`: the first that finds the room dirty and the cache 5 s old recomputes. */
  private catchUp(at: number): void {
    if (this.closed) return;
    if (this.dirty) {
      const from = Math.max(this.lastTick, this.refreshedAt + ROOM_UPDATE_INTERVAL_MS);
      const tick = this.nextTick(from);
      if (tick <= at) this.update(tick);
    }
    if (at > this.lastTick) this.lastTick = at;
  }

  /** The first tick of the proxy's ticker at or after `t`. */
  private nextTick(t: number): number {
    const k = Math.ceil((t - this.createdAt) / ROOM_UPDATE_INTERVAL_MS);
    return this.createdAt + Math.max(1, k) * ROOM_UPDATE_INTERVAL_MS;
  }
}
