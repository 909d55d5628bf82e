/**
 * `ovsim validate --server openvidu3`: LiveKit `WebhookEvent` bodies, one per line (as `generate` writes them or a
 * receiver logged them, `ovsim receive --jsonl` records included). Each body must be what livekit-server's Go
 * protojson could have written (protojson-check.ts: keys, zero values, types; json-tree.ts: spacing and escapes),
 * carry the parts of its event with ids and times in their units (event-shape.ts), and fit the lifecycle of its room
 * (rooms, participants, tracks, numParticipants) or of its egress, within the guarantees LiveKit gives and no more
 * (one FIFO queue per room, egress and ingress on their own queues). A body delivered again unchanged (a retry) is
 * counted, not checked again.
 */
import { LIVEKIT_EVENT_NAMES, WebhookEventDesc, type LivekitEventName } from '../../model/livekit/index.js';
import {
  BodyValidator,
  type BodyCounts,
  type BodyValidatorOptions,
  type LineBody,
} from '../body-validator.js';
import { eventLayout } from '../wire-layout.js';
import {
  GO_PROTOJSON,
  JsonSyntaxError,
  member,
  parseJsonTree,
  toValue,
  type JsonTree,
} from '../json-tree.js';
import { TooDeepError } from '../raw-json.js';
import type { Diagnostic, Where } from '../rules.js';
import { EgressRules } from './egresses.js';
import { checkEventShape } from './event-shape.js';
import { int, obj, str, type LkEvent, type Obj } from './lk-event.js';
import { at, excerpt } from '../event-input.js';
import { checkNumParticipants } from './num-participants.js';
import { onParticipantEvent } from './participants.js';
import { checkMessage, type ProtoFinding } from './protojson-check.js';
import type { LkContext } from './room-state.js';
import { RoomRules } from './rooms.js';
import { onTrackEvent } from './tracks.js';

export interface LivekitValidatorOptions extends BodyValidatorOptions {
  /** Tolerance (ms) when deciding whether something began inside the input; default 60 000. */
  readonly inputStartToleranceMs?: number;
}

/** What `ovsim validate --server openvidu3` found. */
export interface LivekitSummary extends BodyCounts {
  readonly server: 'openvidu3';
  /** The comma spacing of the bodies (protobuf-go's `detrand` choice, fixed per LiveKit build). */
  readonly spacing: 'compact' | 'space after comma' | 'both' | 'unknown';
  readonly rooms: { readonly started: number; readonly finished: number; readonly begunBeforeInput: number };
  readonly unterminated: {
    readonly rooms: number;
    readonly participants: number;
    readonly tracks: number;
    readonly egresses: number;
    readonly ingresses: number;
  };
}

export class LivekitValidator extends BodyValidator {
  private readonly tolerance: number;
  private inputStart: number | undefined;
  private readonly ctx: LkContext = {
    beganInInput: (s) =>
      s !== undefined && this.inputStart !== undefined && s * 1000 > this.inputStart * 1000 + this.tolerance,
  };
  private readonly rooms: RoomRules;
  private readonly egresses: EgressRules;
  private readonly ingresses = new Set<string>();
  private spacing: { compact: Where | undefined; spaced: Where | undefined } = {
    compact: undefined,
    spaced: undefined,
  };

  constructor(opts: LivekitValidatorOptions = {}) {
    super('LiveKit', opts);
    this.tolerance = opts.inputStartToleranceMs ?? 60_000;
    this.rooms = new RoomRules(this.ctx, this.memory);
    this.egresses = new EgressRules(this.ctx, this.memory);
  }

  protected checkBody(body: LineBody, where: Where, out: Diagnostic[]): void {
    const flag = this.flagAt(out, where);
    const tree = this.read(body.text, flag);
    if (tree === undefined) return;
    const id = member(tree.root, 'id');
    const seen = this.delivery(id?.kind === 'string' ? id.value : undefined, body.text, where);
    if (seen.kind === 'same') return;
    if (seen.kind === 'different' && id?.kind === 'string') {
      flag(
        'event-id',
        `event id ${id.value} was delivered before (${at(seen.first!)}) with another body; a retry repeats the same body`,
      );
    }
    if (!body.reserialized) {
      if (tree.problem !== undefined) flag('serialization', tree.problem);
      this.noteSpacing(tree, where, flag);
    }
    if (tree.root.kind !== 'object') return flag('line-form', 'not a JSON object');
    const findings: ProtoFinding[] = [];
    checkMessage(tree.root, WebhookEventDesc, '', findings);
    for (const f of findings) flag(f.rule, f.message, f.severity);
    const value = toValue(tree.root) as Obj;
    const name = eventName(value, flag);
    if (name === undefined) return;
    this.countEvent(name, where, out);
    const createdAt = int(value, 'createdAt');
    if (this.inputStart === undefined && createdAt !== undefined) this.inputStart = createdAt;
    checkEventShape(name, value, flag);
    this.dispatch({ name, body: value, where, createdAt, flag });
  }

  protected finishRules(): void {}

  summary(): LivekitSummary {
    let participants = 0;
    let tracks = 0;
    let rooms = 0;
    for (const room of this.rooms.live()) {
      rooms++;
      for (const p of room.participants.values())
        if (p.joined !== undefined && p.ended === undefined) participants++;
      for (const t of room.tracks.values()) if (t.unpublished === undefined) tracks++;
    }
    const { compact, spaced } = this.spacing;
    return {
      server: 'openvidu3',
      ...this.counts(),
      spacing: compact && spaced ? 'both' : compact ? 'compact' : spaced ? 'space after comma' : 'unknown',
      rooms: {
        started: this.rooms.started,
        finished: this.rooms.finished,
        begunBeforeInput: this.rooms.begunBeforeInput,
      },
      unterminated: {
        rooms,
        participants,
        tracks,
        egresses: this.egresses.openCount,
        ingresses: this.ingresses.size,
      },
    };
  }

  private read(text: string, flag: LkEvent['flag']): JsonTree | undefined {
    try {
      return parseJsonTree(text, GO_PROTOJSON);
    } catch (e) {
      if (e instanceof JsonSyntaxError)
        flag('unparsable-line', `not valid JSON (${e.message}): ${excerpt(text)}`);
      else if (e instanceof TooDeepError) flag('unparsable-line', `not checked: ${e.message}`);
      else throw e;
      return undefined;
    }
  }

  /** One LiveKit build writes one comma spacing (`detrand`): a stream that mixes both is from several builds. */
  private noteSpacing(tree: JsonTree, where: Where, flag: LkEvent['flag']): void {
    if (tree.commas === 0) return;
    if (tree.spacedCommas !== 0 && tree.spacedCommas !== tree.commas) {
      flag(
        'serialization',
        `a space after ${tree.spacedCommas} of ${tree.commas} commas: protobuf-go adds it after every comma or none`,
      );
      return;
    }
    const spaced = tree.spacedCommas !== 0;
    const other = spaced ? this.spacing.compact : this.spacing.spaced;
    if (other !== undefined && (spaced ? this.spacing.spaced : this.spacing.compact) === undefined) {
      flag(
        'serialization',
        `${spaced ? 'a space' : 'no space'} after commas, unlike ${at(other)}: one LiveKit build always writes the same (protobuf-go's detrand)`,
        'warning',
      );
    }
    if (spaced) this.spacing.spaced ??= where;
    else this.spacing.compact ??= where;
  }

  private dispatch(ev: LkEvent): void {
    checkNumParticipants(ev);
    switch (ev.name) {
      case 'room_started':
        return this.rooms.onRoomStarted(ev);
      case 'room_finished':
        return this.rooms.onRoomFinished(ev);
      case 'participant_joined':
      case 'participant_left':
      case 'participant_connection_aborted': {
        const room = this.rooms.instanceOf(ev);
        return room === undefined ? undefined : onParticipantEvent(this.ctx, ev, room);
      }
      case 'track_published':
      case 'track_unpublished': {
        const room = this.rooms.instanceOf(ev);
        return room === undefined ? undefined : onTrackEvent(ev, room);
      }
      case 'egress_started':
      case 'egress_updated':
      case 'egress_ended':
        return this.egresses.onEgressEvent(ev);
      case 'ingress_started':
      case 'ingress_ended': {
        const id = str(obj(ev.body, 'ingressInfo'), 'ingressId');
        if (id !== undefined && ev.name === 'ingress_started') this.ingresses.add(id);
        else if (id !== undefined) this.ingresses.delete(id);
        return;
      }
      default:
        return;
    }
  }
}

/** The event's name, or undefined (reported) when absent or not a LiveKit event. */
function eventName(value: Obj, flag: LkEvent['flag']): LivekitEventName | undefined {
  const name = str(value, 'event');
  if (name === undefined) {
    const keys = Object.keys(value);
    const cdr = keys.length === 1 && eventLayout(keys[0]!) !== undefined;
    flag(
      'line-form',
      cdr
        ? `an OpenVidu 2 CDR line ("${keys[0]!}"): OpenVidu 3 writes no CDR`
        : 'no "event": not a LiveKit webhook body',
    );
    return undefined;
  }
  if ((LIVEKIT_EVENT_NAMES as readonly string[]).includes(name)) return name as LivekitEventName;
  const ov2 = eventLayout(name) !== undefined;
  flag(
    'unknown-event',
    ov2
      ? `"${name}" is an OpenVidu 2 event, not a LiveKit one (--server openvidu2 or openvidu3-v2compat checks those)`
      : `unknown event "${excerpt(name, 40)}" (LiveKit sends ${LIVEKIT_EVENT_NAMES.slice(0, 12).join(', ')})`,
  );
  return undefined;
}
