/**
 * What the lifecycle rules remember of the live entities of a log: sessions with their participants, WebRTC
 * connections and recordings, and a bounded memory of destroyed sessions. Plain records the rule families share;
 * one string per entity keeps what an end event must repeat of its beginning (see {@link snapshot}).
 */
import { json } from '../event-input.js';
import type { Where } from '../rules.js';

export interface Participant {
  readonly where: Where;
  /** participantJoined timestamp; undefined when only seen acting in a session begun before the input. */
  readonly joinedAt: number | undefined;
  /** Seen acting without a participantJoined (session begun before the input). */
  readonly implicit: boolean;
  /** JSON of the participant fields of participantJoined, to compare with participantLeft. */
  readonly fields: Snapshot;
}

export interface Webrtc {
  readonly where: Where;
  readonly streamId: string;
  readonly timestamp: number | undefined;
  /** The connection tail fields (streamId … videoEnabled), to compare with the Destroyed event. */
  readonly tail: Snapshot;
  /** The media options, that an INBOUND copies from its publisher's OUTBOUND. */
  readonly media: Snapshot;
  /** Already reported as left open by its participant's leave: report that fault once. */
  leftOpen: boolean;
}

export type RecordingStatus = 'started' | 'stopped' | 'ready' | 'failed';

export interface Recording {
  status: RecordingStatus;
  where: Where;
  startTime: number | undefined;
  stopReason: string | undefined;
  stopWhere: Where | undefined;
  /** `failed` without started/stopped: a failed start, which may log a second `failed` (spec §2.7). */
  readonly failedStart: boolean;
  failedCount: number;
  /** The fields that stay constant across a recording's events. */
  readonly constant: Snapshot;
  /** A failed start logs a second failed only for these (spec §2.7). */
  readonly individualOrAudioOnly: boolean;
}

export interface Session {
  readonly key: string;
  readonly sessionId: string;
  /** sessionCreated seen: everything about the session is in the input. */
  complete: boolean;
  where: Where;
  /** Creation time: sessionCreated timestamp, or the uniqueSessionId suffix. */
  createdAt: number | undefined;
  readonly createdWhere: Where | undefined;
  /** A pairing error for the missing sessionCreated was already reported. */
  missingCreateReported: boolean;
  readonly participants: Map<string, Participant>;
  /** OUTBOUND connections by publisher connection id (one publisher per connection). */
  readonly outbound: Map<string, Webrtc>;
  /** INBOUND connections by `subscriber\nsender`. */
  readonly inbound: Map<string, Webrtc>;
  readonly recordings: Map<string, Recording>;
  /** Set by the first reason that only a whole-session close produces. */
  closing: { readonly reason: string; readonly where: Where } | undefined;
  everJoined: boolean;
}

export interface DestroyedSession {
  readonly where: Where;
  /** Recordings stopped but not ready when the session ended: Pro may log `ready` afterwards (spec §4.4). */
  readonly pending: Map<string, Recording> | undefined;
}

/**
 * Some fields of an event as one string (JSON of each value, in a fixed key order), to compare an end event
 * with its beginning cheaply and keep one string per live entity.
 */
export type Snapshot = string;
const ABSENT = '\u0001';

export function snapshot(body: Readonly<Record<string, unknown>>, keys: readonly string[]): Snapshot {
  let out = '';
  for (const k of keys) out += `${Object.hasOwn(body, k) ? json(body[k]) : ABSENT}\u0000`;
  return out;
}

/** First difference between two snapshots of the same keys, as `"key" is now but was before`, or undefined. */
export function firstDifference(
  before: Snapshot,
  now: Snapshot,
  keys: readonly string[],
): string | undefined {
  if (before === now) return undefined;
  const a = before.split('\u0000');
  const b = now.split('\u0000');
  const shown = (v: string | undefined): string => (v === undefined || v === ABSENT ? 'absent' : v);
  for (let i = 0; i < keys.length; i++) {
    if (a[i] !== b[i]) return `"${keys[i] ?? ''}" is ${shown(b[i])} but was ${shown(a[i])}`;
  }
  return undefined;
}
