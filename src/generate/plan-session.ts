/**
 * Plans one generated session when it arrives: every join, publish, leave, recording, signal and fault of its life,
 * drawn from the session's own random stream. The plan is consistent by construction: nobody acts before joining
 * or after leaving, a recording starts while the host is there, signals and filter events come from people present
 * (and publishing, for filters). Only global faults (a media server restart) can still make a planned action moot.
 *
 * A plan lives as long as its session, so it is kept compact — a few arrays of numbers and strings, not an object per
 * command — and each command is made when it falls due (see CompactPlan).
 */
import type { Rng } from '../engine/rng.js';
import type { Plan } from '../engine/traffic.js';
import { OUTPUT_MODES, type OutputMode } from '../model/wire-values.js';
import type { Action } from '../model/commands.js';
import { pickCameraUri, pickChatData, pickClientData, pickLocation } from './fake-data.js';
import {
  MAX_PEOPLE,
  type Dist,
  type GenerateConfig,
  type KindConfig,
  type SessionKind,
} from './generate-schema.js';

export interface PlanContext {
  readonly config: GenerateConfig;
  /** Pro/Enterprise: participants carry a GeoIP location. */
  readonly geoLocation: boolean;
  /** The OpenVidu version has COMPOSED_QUICK_START (2.15+); before, its draws are COMPOSED. */
  readonly quickStart: boolean;
}

/** What a command does (`op`), and its variant (`code`). */
const CREATE = 0;
const JOIN = 1;
const PUBLISH = 2;
const LEAVE = 3;
const FORCE_DISCONNECT = 4;
const START_RECORDING = 5;
const STOP_RECORDING = 6;
const SIGNAL = 7;
const FILTER = 8;

/** A join's role (its `code`); IPCAM joins a camera. */
const NO_ROLE = 0;
const ROLES = [undefined, 'MODERATOR', 'PUBLISHER', 'SUBSCRIBER'] as const;
const IPCAM = 4;

/** The participant a command is about (`who`): a number, the host's screen share, or nobody (a server signal). */
const SCREEN = -1;
const NOBODY = -2;

interface Person {
  readonly who: number;
  readonly join: number;
  readonly leave: number;
  /** When the stream is up (undefined: never publishes). */
  readonly publishAt: number | undefined;
  readonly canSignal: boolean;
}

/**
 * The commands of one session, in time order (ties in the order they were planned), as parallel arrays: instant,
 * op, variant, participant, and up to two texts. `command(i)` makes the i-th as an Action.
 */
export class CompactPlan implements Plan {
  private readonly ats: number[] = [];
  private readonly ops: number[] = [];
  private readonly codes: number[] = [];
  private readonly whos: number[] = [];
  private readonly texts: Array<string | undefined> = [];
  private readonly texts2: Array<string | undefined> = [];
  /**
   * Participants' handles, made once each (by `who` + 1): every command of a participant names it by the same string,
   * whose hash the engine's tables then compute once.
   */
  private readonly handles: string[] = [];

  constructor(private readonly session: string) {}

  get length(): number {
    return this.ats.length;
  }

  at(i: number): number {
    return this.ats[i]!;
  }

  add(at: number, op: number, code: number, who: number, text?: string, text2?: string): void {
    this.ats.push(Math.round(at));
    this.ops.push(op);
    this.codes.push(code);
    this.whos.push(who);
    this.texts.push(text);
    this.texts2.push(text2);
  }

  /** Puts the commands in time order, ties in the order they were added. */
  sort(): this {
    const n = this.ats.length;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => this.ats[a]! - this.ats[b]! || a - b);
    for (const list of [this.ats, this.ops, this.codes, this.whos, this.texts, this.texts2] as unknown[][]) {
      const copy = list.slice();
      for (let i = 0; i < n; i++) list[i] = copy[order[i]!];
    }
    return this;
  }

  command(i: number): Action {
    const session = this.session;
    const code = this.codes[i]!;
    const participant = this.handle(this.whos[i]!);
    switch (this.ops[i]!) {
      case CREATE:
        return code === 0
          ? { type: 'createSession', args: { session } }
          : {
              type: 'createSession',
              args: { session, recordingMode: 'ALWAYS', defaultRecording: recordingOf(code - 1) },
            };
      case JOIN:
        return this.join(i, code, participant);
      case PUBLISH:
        return {
          type: 'publish',
          args:
            code === 0
              ? { participant }
              : code === 1
                ? { participant, video: false }
                : { participant, videoSource: 'SCREEN', audio: false },
        };
      case LEAVE:
        return code === 0
          ? { type: 'leave', args: { participant } }
          : { type: 'leave', args: { participant, reason: 'networkDisconnect' } };
      case FORCE_DISCONNECT:
        return { type: 'forceDisconnect', args: { participant, by: code === 1 ? 'server' : 'user' } };
      case START_RECORDING:
        return { type: 'startRecording', args: { session, recording: `${session}r`, ...recordingOf(code) } };
      case STOP_RECORDING:
        return { type: 'stopRecording', args: { recording: `${session}r` } };
      case SIGNAL: {
        const data = this.texts[i]!;
        return this.whos[i] === NOBODY
          ? { type: 'signal', args: { session, type: 'notice', data } }
          : { type: 'signal', args: { session, from: participant, type: 'chat', data } };
      }
      default:
        return { type: 'filterEvent', args: { participant } };
    }
  }

  private join(i: number, code: number, participant: string): Action {
    const session = this.session;
    if (code === IPCAM)
      return { type: 'join', args: { session, participant, type: 'IPCAM', rtspUri: this.texts[i]! } };
    const args: { -readonly [K in keyof JoinArgs]: JoinArgs[K] } = { session, participant };
    const clientData = this.texts[i];
    const location = this.texts2[i];
    const role = ROLES[code];
    if (clientData !== undefined) args.clientData = clientData;
    if (location !== undefined) args.location = location;
    if (role !== undefined) args.role = role;
    return { type: 'join', args };
  }

  private handle(who: number): string {
    return (this.handles[who + 1] ??= who === SCREEN ? `${this.session}p0s` : `${this.session}p${who}`);
  }
}

type JoinArgs = Extract<Action, { type: 'join' }>['args'];

function recordingOf(code: number): { outputMode: OutputMode; outcome: 'ready' | 'failed' } {
  return { outputMode: OUTPUT_MODES[code >> 1]!, outcome: (code & 1) === 1 ? 'failed' : 'ready' };
}

/** Draws a value of a distribution, clamped to its `min`/`max` and to 0 or more. */
export function sample(rng: Rng, d: Dist): number {
  let v: number;
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'uniform':
      return rng.real(Math.min(d.min, d.max), Math.max(d.min, d.max));
    case 'lognormal':
      v = rng.logNormal(d.median, d.sigma);
      break;
    case 'exponential':
      v = rng.exponential(d.mean);
      break;
    case 'normal':
      v = rng.normal(d.mean, d.sd);
      break;
  }
  if (d.min !== undefined && v < d.min) v = d.min;
  if (d.max !== undefined && v > d.max) v = d.max;
  return Math.max(0, v);
}

/** A session being planned: its stream, its kind and the people in it so far. */
class Planner {
  readonly plan: CompactPlan;
  readonly people: Person[] = [];
  readonly hostJoin: number;
  readonly hostLeave: number;

  constructor(
    readonly rng: Rng,
    readonly ctx: PlanContext,
    readonly kind: SessionKind,
    readonly k: KindConfig,
    index: number,
    arrival: number,
    create: number,
  ) {
    this.plan = new CompactPlan(`g${index}`);
    this.plan.add(arrival, CREATE, create, NOBODY);
    this.hostJoin = arrival + rng.int(50, 400);
    this.hostLeave = this.hostJoin + Math.max(5_000, sample(rng, k.duration));
  }

  join(who: number, at: number, role: number): void {
    const { rng, ctx } = this;
    const clientData = pickClientData(rng);
    const location = ctx.geoLocation ? pickLocation(rng) : undefined;
    this.plan.add(at, JOIN, role, who, clientData, location);
  }

  leave(who: number, at: number): void {
    const { rng } = this;
    const f = this.ctx.config.faults;
    const x = rng.next();
    if (x < f.networkDrop) this.plan.add(at, LEAVE, 1, who);
    else if (x < f.networkDrop + f.forceDisconnect)
      this.plan.add(at, FORCE_DISCONNECT, rng.chance(0.5) ? 1 : 0, who);
    else this.plan.add(at, LEAVE, 0, who);
  }

  publish(who: number, at: number, screen: boolean): void {
    const audioOnly = !screen && this.rng.chance(this.k.audioOnly);
    this.plan.add(at, PUBLISH, screen ? 2 : audioOnly ? 1 : 0, who);
  }
}

/**
 * The plan of session number `index` arriving at `arrival`, in time order (ties in the order planned).
 *
 * @param rng the session's own stream (`new Rng(seed).fork('session/' + index).fork('plan')`)
 */
export function planSession(index: number, arrival: number, rng: Rng, ctx: PlanContext): CompactPlan {
  const { config } = ctx;
  const kind = rng.weighted<SessionKind>([
    ['call', config.mix.call],
    ['meeting', config.mix.meeting],
    ['webinar', config.mix.webinar],
    ['ipcam', config.mix.ipcam],
  ]);
  const rec = config.recording;
  const recorded = rng.chance(rec.probability);
  const always = recorded && rng.chance(rec.always);
  const drawn = rng.weighted([
    [0, rec.outputMode.COMPOSED],
    [1, rec.outputMode.INDIVIDUAL],
    [2, rec.outputMode.COMPOSED_QUICK_START],
  ] as const);
  // Mapped after the draw, not by reweighting: every other draw of every version stays the same.
  const mode = drawn === 2 && !ctx.quickStart ? 0 : drawn;
  const recording = mode * 2 + (rng.chance(rec.failed) ? 1 : 0);
  // Drawn in this order: the session's kind, its recording, then its host's stay, host, guests, screen share…
  const s = new Planner(rng, ctx, kind, config[kind], index, arrival, always ? 1 + recording : 0);
  planHost(s);
  planGuests(s);
  planScreenShare(s);
  if (recorded && !always) planRecording(s, recording);
  planSignals(s);
  planFilters(s);
  s.leave(0, s.hostLeave);
  return s.plan.sort();
}

/** The host: an IP camera, or the person who opened the call, meeting or webinar. */
function planHost(s: Planner): void {
  const { rng, hostJoin, hostLeave } = s;
  if (s.kind === 'ipcam') {
    s.plan.add(hostJoin, JOIN, IPCAM, 0, pickCameraUri(rng));
    s.people.push({ who: 0, join: hostJoin, leave: hostLeave, publishAt: hostJoin, canSignal: false });
    return;
  }
  s.join(0, hostJoin, s.kind === 'call' ? NO_ROLE : 1);
  const publishAt = hostJoin + rng.int(300, 2500);
  s.publish(0, publishAt, false);
  s.people.push({ who: 0, join: hostJoin, leave: hostLeave, publishAt, canSignal: true });
}

/** Everyone else joins within the spread, stays a while, and is gone by the end of the session. */
function planGuests(s: Planner): void {
  const { rng, k, hostJoin, hostLeave } = s;
  const guests = Math.min(MAX_PEOPLE, Math.round(sample(rng, k.participants)));
  const spread = sample(rng, k.joinSpread);
  for (let i = 1; i <= guests; i++) {
    const at = hostJoin + 200 + rng.real(0, spread);
    if (at >= hostLeave - 2_000) continue;
    const end = Math.min(at + Math.max(1_000, sample(rng, k.stay)), hostLeave + rng.int(0, 5_000));
    const publishes = s.kind !== 'ipcam' && rng.chance(k.publish);
    s.join(i, at, publishes ? 2 : 3);
    const publishAt = publishes ? at + rng.int(300, 3000) : undefined;
    const publishing = publishAt !== undefined && publishAt < end - 500;
    if (publishing) s.publish(i, publishAt, false);
    s.people.push({
      who: i,
      join: at,
      leave: end,
      publishAt: publishing ? publishAt : undefined,
      canSignal: true,
    });
    s.leave(i, end);
  }
}

/** A screen share: a second connection of the host, as openvidu-browser apps open one. */
function planScreenShare(s: Planner): void {
  const { rng, k, hostJoin, hostLeave } = s;
  if (s.kind === 'ipcam' || !rng.chance(k.screenShare)) return;
  const length = hostLeave - hostJoin;
  const at = hostJoin + rng.real(0.1, 0.6) * length;
  const end = Math.min(at + rng.real(0.1, 0.3) * length, hostLeave - 1_000);
  if (end - at <= 3_000) return;
  s.join(SCREEN, at, NO_ROLE);
  const publishAt = at + rng.int(300, 1200);
  s.publish(SCREEN, publishAt, true);
  s.people.push({ who: SCREEN, join: at, leave: end, publishAt, canSignal: false });
  s.plan.add(end, LEAVE, 0, SCREEN);
}

/** A recording started by REST while the host is there; stopped by REST, or left to the last participant leaving. */
function planRecording(s: Planner, recording: number): void {
  const { rng, hostJoin, hostLeave } = s;
  const length = hostLeave - hostJoin;
  const start = hostJoin + 3_000 + rng.real(0, 0.3) * length;
  if (start >= hostLeave - 10_000) return;
  s.plan.add(start, START_RECORDING, recording, NOBODY);
  const stop = start + rng.real(0.3, 1.1) * (hostLeave - start);
  if (stop < hostLeave - 2_000 && stop - start > 6_000) s.plan.add(stop, STOP_RECORDING, 0, NOBODY);
}

/** Chat signals from people present (or from the server), Poisson over the host's stay. */
function planSignals(s: Planner): void {
  const { rng, k, hostJoin, hostLeave } = s;
  poisson(rng, k.signalsPerMinute, hostJoin + 1_000, hostLeave - 1_000, (t) => {
    const senders = s.people.filter((p) => p.canSignal && p.join + 100 < t && t < p.leave - 100);
    const from = senders.length > 0 && rng.chance(0.9) ? rng.pick(senders).who : NOBODY;
    s.plan.add(t, SIGNAL, 0, from, pickChatData(rng));
  });
}

/** Filter events on streams that are up. */
function planFilters(s: Planner): void {
  const { rng, k, hostJoin, hostLeave } = s;
  poisson(rng, k.filterEventsPerMinute, hostJoin + 1_000, hostLeave - 1_000, (t) => {
    const streams = s.people.filter(
      (p) => p.publishAt !== undefined && p.publishAt + 100 < t && t < p.leave - 100,
    );
    if (streams.length > 0) s.plan.add(t, FILTER, 0, rng.pick(streams).who);
  });
}

/** Calls `each` at the instants of a Poisson process of `perMinute` over [from, to) (bounded: at most 100 000). */
function poisson(rng: Rng, perMinute: number, from: number, to: number, each: (t: number) => void): void {
  if (perMinute <= 0 || to <= from) return;
  const mean = 60_000 / perMinute;
  let t = from + rng.exponential(mean);
  for (let n = 0; t < to && n < 100_000; n++) {
    each(Math.round(t));
    t += rng.exponential(mean);
  }
}
