/**
 * `ovsim validate --server meet`: OpenVidu Meet webhook bodies, one per line (or `ovsim receive --jsonl` records):
 * each written as the Meet backend's `JSON.stringify` writes it with the layout of its event (meet-layout.ts), and
 * the stream consistent with Meet's lifecycle as far as its delivery lets one tell (meet-lifecycle.ts). Meet bodies
 * carry no id: a body identical to one already checked is a repeated delivery, counted and not checked again.
 */
import {
  BodyValidator,
  type BodyCounts,
  type BodyValidatorOptions,
  type LineBody,
} from '../body-validator.js';
import { excerpt } from '../event-input.js';
import { JS_STRINGIFY, JsonSyntaxError, parseJsonTree, type JsonTree } from '../json-tree.js';
import { TooDeepError } from '../raw-json.js';
import type { Diagnostic, Where } from '../rules.js';
import { checkMeetBody, field, MEET_RECORDING_STATUS_BY_EVENT, numberOf, stringOf } from './meet-layout.js';
import { MeetRules, type MeetEvent } from './meet-lifecycle.js';

export interface MeetValidatorOptions extends BodyValidatorOptions {
  /** Tolerance (ms) when deciding whether something began inside the input; default 60 000. */
  readonly inputStartToleranceMs?: number;
}

/** What `ovsim validate --server meet` found. */
export interface MeetSummary extends BodyCounts {
  readonly server: 'meet';
  readonly meetings: { readonly started: number; readonly ended: number };
  readonly unterminated: { readonly participants: number; readonly recordings: number };
}

export class MeetValidator extends BodyValidator {
  private readonly tolerance: number;
  private inputStart: number | undefined;
  private readonly rules: MeetRules;

  constructor(opts: MeetValidatorOptions = {}) {
    super('OpenVidu Meet', opts);
    this.tolerance = opts.inputStartToleranceMs ?? 60_000;
    this.rules = new MeetRules(
      this.memory,
      (ms) => this.inputStart !== undefined && ms > this.inputStart + this.tolerance,
    );
  }

  protected checkBody(body: LineBody, where: Where, out: Diagnostic[]): void {
    const flag = this.flagAt(out, where);
    const tree = this.read(body.text, flag);
    if (tree === undefined) return;
    if (this.delivery(undefined, body.text, where).kind === 'same') return;
    if (!body.reserialized && tree.problem !== undefined) flag('serialization', tree.problem);
    if (tree.root.kind !== 'object') return flag('line-form', 'not a JSON object');
    const name = checkMeetBody(tree.root, flag);
    if (name === undefined) return;
    this.countEvent(name, where, out);
    const creationDate = numberOf(field(tree.root, 'creationDate'));
    if (creationDate === undefined || name === 'testEvent') return;
    this.inputStart ??= creationDate;
    const data = field(tree.root, 'data');
    const ev: MeetEvent = { name, creationDate, where, flag };
    const roomId = stringOf(field(data, 'roomId'));
    if (roomId === undefined) return;
    if (name === 'meetingStarted' || name === 'meetingEnded') {
      this.rules.onMeeting(ev, roomId);
      if (name === 'meetingStarted') this.rules.startedAfterJoins(ev, roomId);
    } else if (name === 'participantJoined' || name === 'participantLeft') {
      const p = field(data, 'participant');
      const identity = stringOf(field(p, 'participantIdentity'));
      const joinDate = numberOf(field(p, 'joinDate'));
      if (identity !== undefined && joinDate !== undefined)
        this.rules.onParticipant(ev, roomId, identity, joinDate);
    } else {
      const recordingId = stringOf(field(data, 'recordingId'));
      const status = stringOf(field(data, 'status'));
      if (recordingId === undefined || status === undefined) return;
      if (!recordingId.startsWith(`${roomId}--EG_`)) {
        flag(
          'id-format',
          `recordingId "${excerpt(recordingId, 60)}" is not <roomId>--<egress id>--<uid> for room ${roomId}`,
        );
      }
      // A status its event is never sent with is reported by the layout; its place in the lifecycle is unknown.
      if (MEET_RECORDING_STATUS_BY_EVENT[name]?.includes(status) === true)
        this.rules.onRecording(ev, recordingId, status);
    }
  }

  protected finishRules(out: Diagnostic[]): void {
    this.rules.finish((where, rule, message, severity, needs) =>
      this.report(out, where, rule, message, severity, needs),
    );
  }

  summary(): MeetSummary {
    return {
      server: 'meet',
      ...this.counts(),
      meetings: { started: this.rules.meetingsStarted, ended: this.rules.meetingsEnded },
      unterminated: { participants: this.rules.openStays, recordings: this.rules.openRecordings },
    };
  }

  private read(text: string, flag: MeetEvent['flag']): JsonTree | undefined {
    try {
      return parseJsonTree(text, JS_STRINGIFY);
    } catch (e) {
      if (e instanceof JsonSyntaxError)
        flag('unparsable-line', `not valid JSON (${e.message}): ${excerpt(text)}`);
      else if (e instanceof TooDeepError) flag('unparsable-line', `not checked: ${e.message}`);
      else throw e;
      return undefined;
    }
  }
}
