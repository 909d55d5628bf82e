/**
 * What the LiveKit lifecycle rules remember: each room instance (a room name may be reused by a new room, with a new
 * `RM_` sid) with its participants and tracks, and what the rule families get from the validator.
 */
import type { Where } from '../rules.js';

export interface LkContext {
  /**
   * Whether something created at `seconds` began inside the input (so its first event must be there): more than the
   * tolerance after the input's first `createdAt`. False when the time is unknown.
   */
  beganInInput(seconds: number | undefined): boolean;
}

export type ParticipantEnd = 'participant_left' | 'participant_connection_aborted';

export interface LkParticipant {
  readonly sid: string;
  readonly identity: string;
  joined: Where | undefined;
  ended: { readonly how: ParticipantEnd; readonly where: Where } | undefined;
}

export interface LkTrack {
  readonly sid: string;
  readonly participantSid: string;
  readonly published: Where;
  unpublished: Where | undefined;
}

export interface LkRoom {
  readonly sid: string;
  readonly name: string;
  /** room_started seen for this instance. */
  started: Where | undefined;
  /** The first event of the instance in the input. */
  readonly first: Where;
  readonly participants: Map<string, LkParticipant>;
  readonly tracks: Map<string, LkTrack>;
  /** The last `createdAt` of the room's queue, to check that it never goes back. */
  last: { readonly createdAt: number; readonly where: Where } | undefined;
}

/** A map that forgets its oldest entries beyond `limit` (a Map keeps insertion order). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as K);
    return this;
  }
}
