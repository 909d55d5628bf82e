import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionRefused, Engine, type EngineSnapshot } from '../../src/engine/engine.js';
import { Profile, type Edition } from '../../src/model/profile.js';
import type { Action } from '../../src/model/commands.js';
import { LifecycleValidator, formatDiagnostic } from '../../src/validate/index.js';

const T0 = Date.parse('2024-01-01T00:00:00.000Z');
const KINDS = [
  'createSession',
  'createSession',
  'join',
  'join',
  'join',
  'join',
  'publish',
  'publish',
  'publish',
  'unpublish',
  'forceUnpublish',
  'subscribe',
  'unsubscribe',
  'leave',
  'forceDisconnect',
  'startRecording',
  'stopRecording',
  'signal',
  'filterEvent',
  'closeSession',
  'mediaServerReconnect',
  'mediaServerCrash',
  'ipcam',
  // Pro only (refused in CE)
  'launchMediaNode',
  'crashMediaNode',
  'removeMediaNode',
  'startBroadcast',
  'stopBroadcast',
] as const;

const intent = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(5),
  b: fc.nat(5),
  flag: fc.boolean(),
  dt: fc.integer({ min: 0, max: 40_000 }),
});

type Intent = typeof intent extends fc.Arbitrary<infer T> ? T : never;

/**
 * Turns an abstract intent into a concrete action aimed at the live world (indexes pick among live sessions,
 * participants, recordings, nodes), so most actions are accepted; new entities get fresh handles.
 */
function toAction(i: Intent, step: number, world: EngineSnapshot, recordings: string[]): Action {
  const pick = <T>(xs: readonly T[], k: number): T | undefined => xs[k % Math.max(1, xs.length)];
  const sessions = world.sessions;
  const people = sessions.flatMap((x) => x.participants);
  const s = pick(sessions, i.a)?.handle ?? 'none';
  const p = pick(people, i.a)?.handle ?? 'none';
  const q = pick(people, i.b)?.handle ?? 'none';
  const r = pick(recordings, i.b) ?? 'none';
  const n = pick(world.mediaNodes, i.a)?.handle ?? 'none';
  switch (i.kind) {
    case 'createSession':
      return {
        type: 'createSession',
        args: {
          session: `s${step}`,
          recordingMode: i.flag ? 'ALWAYS' : 'MANUAL',
          ...(i.b === 0 ? { customSessionId: `Custom${i.a}` } : {}),
        },
      };
    case 'join':
      return {
        type: 'join',
        args: { session: s, participant: `p${step}`, ...(i.b === 5 ? { role: 'SUBSCRIBER' as const } : {}) },
      };
    case 'ipcam':
      return {
        type: 'join',
        args: { session: s, participant: `cam${step}`, type: 'IPCAM', rtspUri: 'rtsp://10.1.2.3:554/live' },
      };
    case 'publish':
      return {
        type: 'publish',
        args: { participant: p, video: i.b !== 1, videoSource: i.flag ? 'SCREEN' : 'CAMERA' },
      };
    case 'unpublish':
      return { type: 'unpublish', args: { participant: p } };
    case 'forceUnpublish':
      return { type: 'forceUnpublish', args: { participant: p, by: i.flag ? 'user' : 'server' } };
    case 'subscribe':
      return { type: 'subscribe', args: { participant: p, to: q } };
    case 'unsubscribe':
      return { type: 'unsubscribe', args: { participant: p, to: q } };
    case 'leave':
      return { type: 'leave', args: { participant: p, reason: i.flag ? 'networkDisconnect' : 'disconnect' } };
    case 'forceDisconnect':
      return { type: 'forceDisconnect', args: { participant: p, by: i.flag ? 'user' : 'server' } };
    case 'startRecording':
      recordings.push(`r${step}`);
      return {
        type: 'startRecording',
        args: {
          session: s,
          recording: `r${step}`,
          outputMode: (['COMPOSED', 'INDIVIDUAL', 'COMPOSED_QUICK_START'] as const)[i.b % 3]!,
          hasVideo: i.b !== 4,
        },
      };
    case 'stopRecording':
      return { type: 'stopRecording', args: { recording: r } };
    case 'signal':
      return {
        type: 'signal',
        args: { session: s, ...(i.flag ? { from: p } : {}), ...(i.b % 2 === 0 ? { to: [q] } : {}) },
      };
    case 'filterEvent':
      return { type: 'filterEvent', args: { participant: p } };
    case 'closeSession':
      return { type: 'closeSession', args: { session: s } };
    case 'mediaServerReconnect':
      return { type: 'mediaServerReconnect', args: {} };
    case 'mediaServerCrash':
      return { type: 'mediaServerCrash', args: {} };
    case 'launchMediaNode':
      return { type: 'launchMediaNode', args: { node: `extra${step}`, launchDelay: 20_000 } };
    case 'crashMediaNode':
      return { type: 'crashMediaNode', args: { node: n, ...(i.flag ? { recoverAfter: 10_000 } : {}) } };
    case 'removeMediaNode':
      return {
        type: 'removeMediaNode',
        args: { node: n, strategy: (['now', 'if-no-sessions', 'when-no-sessions'] as const)[i.b % 3]! },
      };
    case 'startBroadcast':
      return { type: 'startBroadcast', args: { session: s } };
    case 'stopBroadcast':
      return { type: 'stopBroadcast', args: { session: s } };
  }
}

function newEngine(seed: number, edition: Edition): Engine {
  return new Engine({
    seed,
    start: T0,
    edition,
    recordingAutostopTimeout: 30,
    cluster: { mediaNodes: 2, reconnectionTimeout: 5 },
  });
}

/**
 * Runs intents `from` on (refused ones change nothing and are skipped) on `engine`, from virtual time `t`, then lets
 * every timer fire; returns the CDR lines.
 */
function runOn(
  engine: Engine,
  profile: Profile,
  intents: ReadonlyArray<Intent>,
  from: number,
  t: number,
  recordings: string[],
  flush = true,
): string[] {
  const lines: string[] = [];
  const take = (events: readonly Parameters<Profile['serializeCdr']>[0][]) => {
    for (const e of events) {
      const l = profile.serializeCdr(e);
      if (l !== undefined) lines.push(l);
    }
  };
  for (let step = from; step < intents.length; step++) {
    const i = intents[step]!;
    t += i.dt;
    for (const b of engine.runUntil(t)) take(b.events);
    try {
      take(engine.execute(toAction(i, step, engine.snapshot(), recordings)).events);
    } catch (e) {
      if (!(e instanceof ActionRefused)) throw e;
    }
  }
  if (flush) for (const b of engine.runUntil(t + 3_600_000)) take(b.events);
  return lines.join('\n').split('\n');
}

/** Runs the intents live (refused ones change nothing and are skipped), then lets every timer fire. */
function simulate(seed: number, edition: Edition, intents: ReadonlyArray<Intent>, version = '2.32') {
  return runOn(newEngine(seed, edition), new Profile(version, edition), intents, 0, T0, []);
}

function errorsOf(lines: readonly string[], version?: string): string[] {
  const v = new LifecycleValidator(version === undefined ? {} : { version });
  const ds = lines.flatMap((l, i) => v.push(l, i + 1, 'prop.jsonl'));
  ds.push(...v.finish());
  return ds.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

describe('properties of any action sequence (fast-check)', () => {
  it.each(['ce', 'pro'] as const)('%s: every output passes the independent validator', (edition) => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(intent, { minLength: 30, maxLength: 100, size: 'max' }),
        (seed, intents) => {
          const lines = simulate(seed, edition, intents);
          expect(errorsOf(lines)).toEqual([]);
        },
      ),
      { numRuns: 120, seed: 20240101 },
    );
  });

  it('the 2.16 profile of any run passes the validator as 2.16', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(intent, { minLength: 30, maxLength: 80, size: 'max' }),
        (seed, intents) => {
          const lines = simulate(seed, 'ce', intents, '2.16');
          expect(errorsOf(lines, '2.16')).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  // v2.16.0's CDREventRecording short constructor and RecordingManager order (recordingStarted first).
  it('the 2.16 profile writes recordingStarted/recordingStopped as v2.16.0 does', () => {
    const intents = [
      { kind: 'createSession', a: 0, b: 1, flag: false, dt: 0 },
      { kind: 'join', a: 0, b: 0, flag: false, dt: 1000 },
      { kind: 'publish', a: 0, b: 0, flag: false, dt: 1000 },
      { kind: 'startRecording', a: 0, b: 0, flag: false, dt: 1000 },
      { kind: 'stopRecording', a: 0, b: 0, flag: false, dt: 5000 },
    ] as const;
    const lines = simulate(1, 'ce', intents, '2.16');
    expect(lines.some((l) => l.startsWith('{"recordingStarted"'))).toBe(true);
    expect(errorsOf(lines, '2.16')).toEqual([]);
  });

  it('the same seed gives the same bytes; the seed matters', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(intent, { minLength: 5, maxLength: 60 }), (seed, intents) => {
        expect(simulate(seed, 'pro', intents)).toEqual(simulate(seed, 'pro', intents));
      }),
      { numRuns: 40, seed: 11 },
    );
    const intents = [
      { kind: 'createSession', a: 0, b: 1, flag: false, dt: 0 },
      { kind: 'join', a: 0, b: 0, flag: false, dt: 1000 },
    ] as const;
    expect(simulate(1, 'ce', intents)).not.toEqual(simulate(2, 'ce', intents));
  });

  it('a world cloned at any step runs on to the same bytes as the original (timers and decisions are data)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('ce', 'pro', 'enterprise'),
        fc.array(intent, { minLength: 10, maxLength: 80, size: 'max' }),
        fc.nat(),
        (seed, edition, intents, cut) => {
          const k = cut % intents.length;
          const engine = newEngine(seed, edition);
          const profile = new Profile('2.32', edition);
          const recordings: string[] = [];
          // The first k intents, then a fork: both go on with the rest of the intents.
          let t = T0;
          runOn(engine, profile, intents.slice(0, k), 0, T0, recordings, false);
          for (let i = 0; i < k; i++) t += intents[i]!.dt;
          const copy = engine.clone();
          const rest = runOn(copy, profile, intents, k, t, [...recordings]);
          expect(rest.length).toBeGreaterThan(0);
          expect(runOn(engine, profile, intents, k, t, [...recordings])).toEqual(rest);
        },
      ),
      { numRuns: 80, seed: 5 },
    );
  });
});
