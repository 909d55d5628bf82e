/**
 * Plans one generated session when it arrives: every join, publish, leave, recording, signal and fault of its life,
 * drawn from the session's own random stream. The plan is consistent by construction: nobody acts before joining
 * or after leaving, a recording starts while the host is there, signals and filter events come from people present
 * (and publishing, for filters). Only global faults (a media server restart) can still make a planned action moot.
 */
import type { Rng } from '../engine/rng.js';
import type { Action } from '../scenario/schema.js';
import { pickCameraUri, pickChatData, pickClientData, pickLocation } from './fake-data.js';
import { MAX_PEOPLE, type Dist, type GenerateConfig, type SessionKind } from './generate-schema.js';

/** One planned action at an absolute virtual time (ms since the epoch). */
export interface PlannedAction {
  readonly at: number;
  readonly action: Action;
}

export interface PlanContext {
  readonly config: GenerateConfig;
  /** Pro/Enterprise: participants carry a GeoIP location. */
  readonly geoLocation: boolean;
}

interface Person {
  readonly handle: string;
  readonly join: number;
  readonly leave: number;
  /** When the stream is up (undefined: never publishes). */
  readonly publishAt: number | undefined;
  readonly canSignal: boolean;
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

/**
 * The plan of session number `index` arriving at `arrival`, as actions in time order (ties in list order).
 *
 * @param rng the session's own stream (`new Rng(seed).fork('session/' + index).fork('plan')`)
 */
export function planSession(index: number, arrival: number, rng: Rng, ctx: PlanContext): PlannedAction[] {
  const { config } = ctx;
  const kind = rng.weighted<SessionKind>([
    ['call', config.mix.call],
    ['meeting', config.mix.meeting],
    ['webinar', config.mix.webinar],
    ['ipcam', config.mix.ipcam],
  ]);
  const k = config[kind];
  const s = `g${index}`;
  const plan: PlannedAction[] = [];
  const add = (at: number, action: Action): void => void plan.push({ at: Math.round(at), action });

  const rec = config.recording;
  const recorded = rng.chance(rec.probability);
  const always = recorded && rng.chance(rec.always);
  const outputMode = rng.weighted([
    ['COMPOSED', rec.outputMode.COMPOSED],
    ['INDIVIDUAL', rec.outputMode.INDIVIDUAL],
    ['COMPOSED_QUICK_START', rec.outputMode.COMPOSED_QUICK_START],
  ] as const);
  const outcome = rng.chance(rec.failed) ? ('failed' as const) : ('ready' as const);
  add(arrival, {
    type: 'createSession',
    args: always
      ? { session: s, recordingMode: 'ALWAYS', defaultRecording: { outputMode, outcome } }
      : { session: s },
  });

  const people: Person[] = [];
  const hostJoin = arrival + rng.int(50, 400);
  const hostLeave = hostJoin + Math.max(5_000, sample(rng, k.duration));
  const join = (
    handle: string,
    at: number,
    extra: Partial<Extract<Action, { type: 'join' }>['args']>,
  ): void => {
    add(at, {
      type: 'join',
      args: {
        session: s,
        participant: handle,
        ...(extra.type === 'IPCAM' ? {} : { clientData: pickClientData(rng) }),
        ...(ctx.geoLocation ? { location: pickLocation(rng) } : {}),
        ...extra,
      },
    });
  };
  const leave = (handle: string, at: number): void => {
    const f = config.faults;
    const x = rng.next();
    if (x < f.networkDrop)
      add(at, { type: 'leave', args: { participant: handle, reason: 'networkDisconnect' } });
    else if (x < f.networkDrop + f.forceDisconnect)
      add(at, {
        type: 'forceDisconnect',
        args: { participant: handle, by: rng.chance(0.5) ? 'server' : 'user' },
      });
    else add(at, { type: 'leave', args: { participant: handle } });
  };
  const publish = (handle: string, at: number, videoSource: 'CAMERA' | 'SCREEN'): void => {
    const audioOnly = videoSource === 'CAMERA' && rng.chance(k.audioOnly);
    add(at, {
      type: 'publish',
      args: audioOnly
        ? { participant: handle, video: false }
        : videoSource === 'SCREEN'
          ? { participant: handle, videoSource, audio: false }
          : { participant: handle },
    });
  };

  // The host: an IP camera, or the person who opened the call, meeting or webinar.
  const host = `${s}p0`;
  if (kind === 'ipcam') {
    add(hostJoin, {
      type: 'join',
      args: { session: s, participant: host, type: 'IPCAM', rtspUri: pickCameraUri(rng) },
    });
    people.push({ handle: host, join: hostJoin, leave: hostLeave, publishAt: hostJoin, canSignal: false });
  } else {
    join(host, hostJoin, kind === 'call' ? {} : { role: 'MODERATOR' });
    const publishAt = hostJoin + rng.int(300, 2500);
    publish(host, publishAt, 'CAMERA');
    people.push({ handle: host, join: hostJoin, leave: hostLeave, publishAt, canSignal: true });
  }

  // Everyone else joins within the spread, stays a while, and is gone by the end of the session.
  const guests = Math.min(MAX_PEOPLE, Math.round(sample(rng, k.participants)));
  const spread = sample(rng, k.joinSpread);
  for (let i = 1; i <= guests; i++) {
    const handle = `${s}p${i}`;
    const at = hostJoin + 200 + rng.real(0, spread);
    if (at >= hostLeave - 2_000) continue;
    const end = Math.min(at + Math.max(1_000, sample(rng, k.stay)), hostLeave + rng.int(0, 5_000));
    const publishes = kind !== 'ipcam' && rng.chance(k.publish);
    join(handle, at, { role: publishes ? 'PUBLISHER' : 'SUBSCRIBER' });
    const publishAt = publishes ? at + rng.int(300, 3000) : undefined;
    if (publishAt !== undefined && publishAt < end - 500) publish(handle, publishAt, 'CAMERA');
    people.push({
      handle,
      join: at,
      leave: end,
      publishAt: publishAt !== undefined && publishAt < end - 500 ? publishAt : undefined,
      canSignal: true,
    });
    leave(handle, end);
  }

  // A screen share: a second connection of the host, as openvidu-browser apps open one.
  if (kind !== 'ipcam' && rng.chance(k.screenShare)) {
    const handle = `${s}p0s`;
    const length = hostLeave - hostJoin;
    const at = hostJoin + rng.real(0.1, 0.6) * length;
    const end = Math.min(at + rng.real(0.1, 0.3) * length, hostLeave - 1_000);
    if (end - at > 3_000) {
      join(handle, at, {});
      const publishAt = at + rng.int(300, 1200);
      publish(handle, publishAt, 'SCREEN');
      people.push({ handle, join: at, leave: end, publishAt, canSignal: false });
      add(end, { type: 'leave', args: { participant: handle } });
    }
  }

  // A recording started by REST while the host is there; stopped by REST, or left to the last participant leaving.
  if (recorded && !always) {
    const length = hostLeave - hostJoin;
    const start = hostJoin + 3_000 + rng.real(0, 0.3) * length;
    if (start < hostLeave - 10_000) {
      add(start, { type: 'startRecording', args: { session: s, recording: `${s}r`, outputMode, outcome } });
      const stop = start + rng.real(0.3, 1.1) * (hostLeave - start);
      if (stop < hostLeave - 2_000 && stop - start > 6_000) {
        add(stop, { type: 'stopRecording', args: { recording: `${s}r` } });
      }
    }
  }

  // Chat signals from people present (or from the server), Poisson over the host's stay.
  poisson(rng, k.signalsPerMinute, hostJoin + 1_000, hostLeave - 1_000, (t) => {
    const senders = people.filter((p) => p.canSignal && p.join + 100 < t && t < p.leave - 100);
    const from = senders.length > 0 && rng.chance(0.9) ? rng.pick(senders).handle : undefined;
    add(t, {
      type: 'signal',
      args:
        from === undefined
          ? { session: s, type: 'notice', data: pickChatData(rng) }
          : { session: s, from, type: 'chat', data: pickChatData(rng) },
    });
  });

  // Filter events on streams that are up.
  poisson(rng, k.filterEventsPerMinute, hostJoin + 1_000, hostLeave - 1_000, (t) => {
    const streams = people.filter(
      (p) => p.publishAt !== undefined && p.publishAt + 100 < t && t < p.leave - 100,
    );
    if (streams.length > 0) add(t, { type: 'filterEvent', args: { participant: rng.pick(streams).handle } });
  });

  leave(host, hostLeave);
  return plan.sort((a, b) => a.at - b.at);
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
