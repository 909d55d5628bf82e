/**
 * The incidents OpenVidu users hit (issue 20), as engine behaviours: a repeated `ready` (OpenVidu#747), a network
 * drop noticed by the ping watchdog (#128, #482), the garbage collector of non-active sessions (#428), a flapping
 * network (#195) and a stuck recording (#433). Each bundled scenario's own test is its golden file; these pin the
 * rules behind them.
 */
import { describe, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { ActionRefused, Engine } from '../../src/engine/engine.js';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { generateWithTruth } from '../truth/helpers.js';
import { Harness, T0 } from './harness.js';

type Data = Record<string, unknown>;
const data = (e: CdrEvent) => e.data as Data;
const named = (h: Harness, name: string) => h.events.filter((e) => e.name === name).map(data);

/** A session `s` with `a` and `b` publishing. */
function call(options: ConstructorParameters<typeof Harness>[0] = {}): Harness {
  return new Harness(options)
    .at(0, 'createSession', { session: 's' })
    .at(1000, 'join', { session: 's', participant: 'a' })
    .at(1500, 'publish', { participant: 'a' })
    .at(3000, 'join', { session: 's', participant: 'b' })
    .at(3500, 'publish', { participant: 'b' });
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ActionRefused) return e.reason;
    throw e;
  }
  throw new Error('not refused');
}

function readies(h: Harness): Data[] {
  return named(h, 'recordingStatusChanged').filter((d) => d['status'] === 'ready');
}

describe('ready sent 2–5 times (OpenVidu Pro 2.22, OpenVidu#747)', () => {
  function recorded(options: ConstructorParameters<typeof Harness>[0], readyCount?: number): Harness {
    const extra = readyCount === undefined ? {} : { readyCount };
    return call(options)
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL', ...extra })
      .at(30_000, 'stopRecording', { recording: 'r' })
      .wait(60_000);
  }

  it('a repeatReady world logs the same ready 2–5 times, later each time, and at least once more than twice', () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const r = readies(recorded({ seed, edition: 'pro', repeatReady: true }));
      counts.push(r.length);
      const first = r[0]!;
      for (const d of r.slice(1)) {
        expect([d['size'], d['duration'], d['id'], d['reason']]).toEqual([
          first['size'],
          first['duration'],
          first['id'],
          first['reason'],
        ]);
      }
      const times = r.map((d) => d['timestamp'] as number);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(new Set(times).size).toBe(times.length);
    }
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...counts)).toBeLessThanOrEqual(5);
    expect(Math.max(...counts)).toBeGreaterThan(2);
  });

  it('logs ready once otherwise, and readyCount times when a recording asks', () => {
    expect(readies(recorded({ edition: 'pro' }))).toHaveLength(1);
    expect(readies(recorded({}, 4))).toHaveLength(4);
    expect(readies(recorded({ edition: 'pro', repeatReady: true }, 1))).toHaveLength(1);
  });

  it('is a property of the Pro and Enterprise 2.22 profiles only', () => {
    const repeat = (version: string, edition?: string) => {
      const yaml = `openvidu: { version: "${version}"${edition ? `, edition: ${edition}` : ''} }\nsteps: []\n`;
      return resolveSettings(parseScenarioText(yaml, 'x.yaml')).engine.repeatReady;
    };
    expect([
      repeat('2.22', 'pro'),
      repeat('2.22', 'enterprise'),
      repeat('2.22'),
      repeat('2.32', 'pro'),
    ]).toEqual([true, true, false, false]);
    const forced = parseScenarioText('openvidu: { repeatReady: true }\nsteps: []\n', 'y.yaml');
    expect(resolveSettings(forced).engine.repeatReady).toBe(true);
  });
});

describe('a network drop noticed by the ping watchdog (OpenVidu#128, #482)', () => {
  it('logs nothing at the drop and networkDisconnect 10–15 s later: 3 missed pings of 5 s', () => {
    const lags: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const h = call({ seed }).at(20_000, 'leave', {
        participant: 'b',
        reason: 'networkDisconnect',
        detection: 'pingTimeout',
      });
      expect(named(h, 'participantLeft')).toEqual([]);
      h.wait(20_000);
      const left = named(h, 'participantLeft');
      expect(left.map((d) => d['reason'])).toEqual(['networkDisconnect']);
      // The stream was dropped by the same cascade, just before.
      const gone = named(h, 'webrtcConnectionDestroyed').map((d) => d['reason']);
      expect(gone.every((r) => r === 'networkDisconnect')).toBe(true);
      lags.push((left[0]!['timestamp'] as number) - (T0 + 20_000));
    }
    expect(Math.min(...lags)).toBeGreaterThan(10_000);
    expect(Math.max(...lags)).toBeLessThanOrEqual(15_000 + 5); // + the ms the cascade's events take
    expect(Math.max(...lags) - Math.min(...lags)).toBeGreaterThan(2000);
  });

  it('keeps counting the lost connection: its client can do nothing, the server can still evict it', () => {
    const h = call().at(20_000, 'leave', {
      participant: 'b',
      reason: 'networkDisconnect',
      detection: 'pingTimeout',
    });
    expect(h.engine.describeSessions()[0]?.connections).toHaveLength(2);
    expect(refusal(() => h.engine.execute({ type: 'unpublish', args: { participant: 'b' } }))).toBe(
      'connection-lost',
    );
    expect(refusal(() => h.engine.execute({ type: 'leave', args: { participant: 'b' } }))).toBe(
      'connection-lost',
    );
    h.at(22_000, 'forceDisconnect', { participant: 'b' }).wait(30_000);
    expect(named(h, 'participantLeft').map((d) => d['reason'])).toEqual(['forceDisconnectByServer']);
  });

  it('is for networkDisconnect only; the default (socketClosed) is logged at the step', () => {
    const h = call();
    expect(
      refusal(() =>
        h.engine.execute({ type: 'leave', args: { participant: 'b', detection: 'pingTimeout' } }),
      ),
    ).toBe('invalid-argument');
    h.at(20_000, 'leave', { participant: 'b', reason: 'networkDisconnect' });
    expect(named(h, 'participantLeft')[0]?.['timestamp']).toBeLessThan(T0 + 20_010);
  });

  it('the truth bills the participant until OpenVidu logs the leave', async () => {
    const { truth, events } = await generateWithTruth('app-killed');
    const left = events.find((e) => e['event'] === 'participantLeft' && e['reason'] === 'networkDisconnect');
    const patient = truth.sessions[0]!.participants.find((p) => p.participantId === left?.['participantId']);
    expect(patient?.leftAt).toBe(left?.['timestamp']);
    // The app died at 60 s; OpenVidu noticed more than 10 s later, and the truth counts those seconds.
    expect(patient!.leftAt! - truth.run.start).toBeGreaterThan(70_000);
    expect(patient?.connectedSeconds).toBe((patient!.leftAt! - patient!.joinedAt) / 1000);
  });
});

describe('the garbage collector of non-active sessions (OpenVidu#428)', () => {
  const HOUR = 3_600_000;

  it('drops a never-joined session at the first pass after the threshold, logging nothing', () => {
    const e = new Engine({ seed: 1, start: T0 });
    e.execute({ type: 'createSession', args: { session: 'idle', customSessionId: 'idle' } });
    const facts = e.runUntil(T0 + HOUR).flatMap((b) => b.facts ?? []);
    expect(facts).toEqual([]);
    // At 60 min the session is exactly 3600 s old: not more, so it stays until the pass at 75 min.
    expect(e.describeSession('idle')).toBeDefined();
    const batches = e.runUntil(T0 + HOUR + 15 * 60_000);
    expect(batches.flatMap((b) => b.events)).toEqual([]);
    expect(e.describeSession('idle')).toBeUndefined();
    const collected = e.runUntil(T0 + 2 * HOUR);
    expect(collected).toEqual([]);
  });

  it('never collects a session someone joined, not even an empty one', () => {
    const e = new Engine({ seed: 1, start: T0, recordingAutostopTimeout: 4 * 3600 });
    e.execute({ type: 'createSession', args: { session: 's', customSessionId: 's' } });
    e.execute({ type: 'join', args: { session: 's', participant: 'a' } });
    e.execute({ type: 'startRecording', args: { session: 's', outputMode: 'INDIVIDUAL' } });
    e.execute({ type: 'leave', args: { participant: 'a' } }); // empty, kept by the recording's auto-stop countdown
    e.runUntil(T0 + 3 * HOUR);
    expect(e.describeSession('s')?.connections).toEqual([]);
  });

  it('is off with interval 0 and before 2.13, and keeps no finite run going', () => {
    const off = new Engine({ seed: 1, start: T0, sessionsGarbageInterval: 0 });
    off.execute({ type: 'createSession', args: { session: 'idle', customSessionId: 'idle' } });
    off.runUntil(T0 + 5 * HOUR);
    expect(off.describeSession('idle')).toBeDefined();
    expect(off.nextAt()).toBeUndefined();

    const on = new Engine({ seed: 1, start: T0 });
    expect(on.nextAt()).toBeUndefined();
    on.execute({ type: 'createSession', args: { session: 'idle' } });
    // Only a pass that can collect is queued: the first of every 900 s more than 3600 s after the creation.
    expect(on.nextAt()).toBe(T0 + 4_500_000);
    expect(on.nextRunAt()).toBeUndefined();
    expect(on.runNext()).toBeUndefined();

    const old = parseScenarioText('openvidu: { version: "2.12" }\nsteps: []\n', 'old.yaml');
    expect(resolveSettings(old).engine.sessionsGarbageInterval).toBe(0);
  });

  it('queues no pass over a long pause: a session left unjoined for a million days is collected by one pass', () => {
    const e = new Engine({ seed: 1, start: T0 });
    e.execute({ type: 'createSession', args: { session: 'idle', customSessionId: 'idle' } });
    e.schedule(T0 + 1_000_000 * 24 * HOUR, {
      type: 'createSession',
      args: { session: 'late', customSessionId: 'late' },
    });
    let items = 0;
    while (e.runNext() !== undefined && items < 100) items++;
    expect(items).toBeLessThan(10);
    expect(e.describeSession('idle')).toBeUndefined();
    expect(e.describeSession('late')).toBeDefined();
  });

  it('is configured by OpenVidu’s properties, checked as OpenVidu checks them', () => {
    const c = resolveOpenviduConfig({
      env: { OPENVIDU_SESSIONS_GARBAGE_INTERVAL: '60', OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: '120' },
    });
    expect([c.sessionsGarbageInterval, c.sessionsGarbageThreshold]).toEqual([60, 120]);
    expect(resolveOpenviduConfig({}).sessionsGarbageInterval).toBeUndefined();
    expect(() => resolveOpenviduConfig({ envFile: { OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: '-5' } })).toThrow(
      /OPENVIDU_SESSIONS_GARBAGE_THRESHOLD=-5: must be a non-negative integer/,
    );
  });

  it('the truth knows the session ended, though no line says so', async () => {
    const { truth, events } = await generateWithTruth('empty-session-gc');
    const [booked, , rebooked] = truth.sessions;
    expect(booked).toMatchObject({ sessionId: 'room-42', open: false, reason: 'garbageCollected' });
    expect(booked?.destroyedAt).toBe(truth.run.start + 75 * 60_000);
    expect(rebooked).toMatchObject({ sessionId: 'room-42', reason: 'lastParticipantLeft' });
    const destroyed = events.filter((e) => e['event'] === 'sessionDestroyed').map((e) => e['startTime']);
    expect(destroyed).not.toContain(booked?.createdAt);
  });
});

describe('a flapping network (OpenVidu#195)', () => {
  it('leaves the same user in the session several times at once, under new connection ids', () => {
    const h = call().at(10_000, 'flap', { participant: 'b', times: 3, every: 6000 });
    const before = h.engine.describeSessions()[0]!.connections.map((c) => c.connectionId);
    h.wait(9000);
    // At 19 s, two drops: the first connection is still counted (its ping timeout is 20–25 s), with two rejoins.
    const during = h.engine.describeSessions()[0]!.connections;
    expect(during.length).toBe(4);
    h.wait(38_000);
    const joined = named(h, 'participantJoined').map((d) => d['connectionId'] as string);
    const left = named(h, 'participantLeft');
    expect(joined.slice(0, 2)).toEqual(before);
    expect(joined).toHaveLength(5);
    expect(new Set(joined).size).toBe(5);
    expect(left.map((d) => d['reason'])).toEqual([
      'networkDisconnect',
      'networkDisconnect',
      'networkDisconnect',
    ]);
    // Each rejoin copies the user and publishes again.
    const users = named(h, 'participantJoined').map((d) => [d['clientData'], d['platform']]);
    expect(new Set(users.slice(1).map((u) => JSON.stringify(u))).size).toBe(1);
    const outbound = named(h, 'webrtcConnectionCreated').filter((d) => d['connection'] === 'OUTBOUND');
    expect(outbound).toHaveLength(5);
    // The handle follows the user: it names the newest connection.
    h.at(60_000, 'leave', { participant: 'b' });
    expect(named(h, 'participantLeft').at(-1)?.['connectionId']).toBe(joined[4]);
  });

  it('stops flapping once the participant is gone', () => {
    const h = call()
      .at(10_000, 'flap', { participant: 'b', times: 5, every: 10_000 })
      .at(15_000, 'leave', { participant: 'b' })
      .wait(120_000);
    expect(named(h, 'participantJoined')).toHaveLength(3);
  });
});

describe('a stuck recording (OpenVidu#433)', () => {
  it('refuses the stop and ends stopped then failed, empty, when its session ends', () => {
    const h = call().at(5000, 'startRecording', {
      session: 's',
      recording: 'r',
      outputMode: 'INDIVIDUAL',
      stuck: true,
    });
    expect(refusal(() => h.engine.execute({ type: 'stopRecording', args: { recording: 'r' } }))).toBe(
      'recording-stuck',
    );
    h.at(60_000, 'closeSession', { session: 's' });
    const statuses = named(h, 'recordingStatusChanged').map((d) => [d['status'], d['size'], d['duration']]);
    expect(statuses).toEqual([
      ['started', 0, 0],
      ['stopped', 0, 0],
      ['failed', 0, 0],
    ]);
  });
});
