/**
 * The ground truth against the run's own output, for every bundled scenario: with nothing injected, each session's
 * connected seconds are exactly what its participantLeft lines imply (timestamp − startTime, in ms), their CDR
 * `duration` is the truncation of each participant's connectedSeconds, and sessions, recordings and media nodes end
 * as the last line about them says. The truth is built from the engine; these checks read the serialized lines.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS_DIR } from '../../src/scenario/read-scenario.js';
import type { Truth } from '../../src/truth/truth-schema.js';
import { generateWithTruth } from './helpers.js';

type Line = Record<string, unknown>;
const str = (v: unknown) => v as string;
const num = (v: unknown) => v as number;

const scenarios = readdirSync(BUNDLED_SCENARIOS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => f.replace(/\.ya?ml$/, ''))
  .sort();

/**
 * A day of traffic is long for a test: an hour of it, unless OVSIM_TRUTH_FULL=1. The checks read OpenVidu 2 lines:
 * a scenario written for an OpenVidu 3 server is generated as OpenVidu 2.
 */
function extraArgs(name: string): string[] {
  const server = ['--server', 'openvidu2'];
  return name.startsWith('busy-day') && process.env['OVSIM_TRUTH_FULL'] !== '1'
    ? [...server, '--set', 'duration=1h']
    : server;
}

describe('the truth equals what the run’s own lines imply when nothing is injected', () => {
  it('covers every bundled scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of scenarios) {
    it(name, async () => {
      const { events, truth } = await generateWithTruth(name, ...extraArgs(name));
      checkParticipants(events, truth);
      checkSessions(events, truth);
      checkRecordings(events, truth);
      checkMediaNodes(events, truth);
    });
  }
});

function bySession<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** Per sessionId (2.16 lines have no uniqueSessionId): joined ids, left lines by participant. */
function participantLines(events: readonly Line[]) {
  const joined = new Map<string, string[]>();
  const left = new Map<string, Line>();
  for (const e of events) {
    if (e['event'] === 'participantJoined') bySession(joined, str(e['sessionId']), str(e['participantId']));
    if (e['event'] === 'participantLeft') left.set(`${str(e['sessionId'])} ${str(e['participantId'])}`, e);
  }
  return { joined, left };
}

function checkParticipants(events: readonly Line[], truth: Truth): void {
  const { joined, left } = participantLines(events);
  const truthJoined = new Map<string, string[]>();
  let participants = 0;
  for (const s of truth.sessions) {
    let leftMs = 0;
    let durations = 0;
    let closed = 0;
    for (const p of s.participants) {
      participants++;
      bySession(truthJoined, s.sessionId, p.participantId);
      const line = left.get(`${s.sessionId} ${p.participantId}`);
      const ms = Math.round(p.connectedSeconds * 1000);
      if (p.open) {
        expect(line, `${p.participantId} is open in the truth but has a participantLeft`).toBeUndefined();
        expect(ms).toBe(truth.run.end - p.joinedAt);
        continue;
      }
      expect(line, `${p.participantId} left in the truth: its participantLeft line`).toBeDefined();
      const l = line as Line;
      expect([p.joinedAt, p.leftAt, p.reason]).toEqual([l['startTime'], l['timestamp'], l['reason']]);
      expect(ms).toBe(num(l['timestamp']) - num(l['startTime']));
      // CDR duration = whole seconds, truncated: connectedSeconds − 1 < duration ≤ connectedSeconds.
      expect(Math.trunc(p.connectedSeconds)).toBe(l['duration']);
      leftMs += ms;
      durations += num(l['duration']);
      closed++;
    }
    const openMs = s.participants.filter((p) => p.open).reduce((t, p) => t + (truth.run.end - p.joinedAt), 0);
    expect(Math.round(s.billing.participantSeconds * 1000)).toBe(leftMs + openMs);
    if (openMs === 0) {
      expect(s.billing.participantSeconds).toBeGreaterThanOrEqual(durations);
      expect(s.billing.participantSeconds).toBeLessThan(durations + closed + 1e-9);
    }
  }
  expect(new Map([...truthJoined].map(([k, v]) => [k, v.sort()]))).toEqual(
    new Map([...joined].map(([k, v]) => [k, v.sort()])),
  );
  expect(truth.billing.participants).toBe(participants);
  const perMinute = truth.billing.perMinute.reduce((t, m) => t + Math.round(m.participantSeconds * 1000), 0);
  expect(perMinute).toBe(Math.round(truth.billing.participantSeconds * 1000));
}

function checkSessions(events: readonly Line[], truth: Truth): void {
  const created = events.filter((e) => e['event'] === 'sessionCreated');
  expect(truth.sessions.map((s) => [s.sessionId, s.createdAt])).toEqual(
    created.map((e) => [e['sessionId'], e['timestamp']]),
  );
  const destroyed = new Map<string, Line>();
  for (const e of events)
    if (e['event'] === 'sessionDestroyed') destroyed.set(`${str(e['sessionId'])} ${num(e['startTime'])}`, e);
  for (const s of truth.sessions) {
    const d = destroyed.get(`${s.sessionId} ${s.createdAt}`);
    if (s.reason === 'garbageCollected') {
      // OpenVidu's collector of non-active sessions logs nothing: only the truth knows the session ended.
      expect([d, s.open, s.participants.length]).toEqual([undefined, false, 0]);
      continue;
    }
    expect(s.open).toBe(d === undefined);
    if (d) expect([s.destroyedAt, s.reason]).toEqual([d['timestamp'], d['reason'] ?? null]);
  }
}

function checkRecordings(events: readonly Line[], truth: Truth): void {
  const last = new Map<string, Line>();
  const statuses = new Map<string, string[]>();
  for (const e of events) {
    if (e['event'] !== 'recordingStatusChanged') continue;
    last.set(str(e['id']), e);
    bySession(statuses, str(e['id']), str(e['status']));
  }
  expect(truth.recordings.map((r) => r.id).sort()).toEqual([...last.keys()].sort());
  for (const r of truth.recordings) {
    const l = last.get(r.id) as Line;
    expect([r.status, r.size, r.durationSeconds]).toEqual([l['status'], l['size'], l['duration']]);
    expect(r.statuses).toEqual(statuses.get(r.id));
    expect(r.open).toBe(r.status === 'started');
  }
}

function checkMediaNodes(events: readonly Line[], truth: Truth): void {
  const statuses = new Map<string, string[]>();
  const crashes = new Map<string, number>();
  for (const e of events) {
    if (e['event'] === 'mediaNodeStatusChanged') bySession(statuses, str(e['id']), str(e['newStatus']));
    if (e['event'] === 'nodeCrashed') crashes.set(str(e['id']), (crashes.get(str(e['id'])) ?? 0) + 1);
  }
  const truthNodes = truth.mediaNodes.filter((n) => n.statuses.length > 0);
  expect(new Map(truthNodes.map((n) => [n.id, n.statuses.map((s) => s.status)]))).toEqual(statuses);
  for (const n of truth.mediaNodes) expect(n.crashes).toBe(crashes.get(n.id) ?? 0);
  if (truth.run.edition === 'ce') expect(truth.mediaNodes).toEqual([]);
}
