/**
 * Filtered streams are real streams (issue 17 §2): a WebHook endpoint gets only the types of
 * OPENVIDU_WEBHOOK_EVENTS, so checks that need another type are skipped, not failed.
 */
import { describe, expect, it } from 'vitest';
import { parseEventList } from '../../src/validate/event-filter.js';
import { formatSummary } from '../../src/validate/validate-files.js';
import { LifecycleValidator } from '../../src/validate/validate-lines.js';
import { SESSION_1, toWebhook, VALID_2_16, VALID_CDR } from './fixtures.js';
import { ALL_EVENTS, check } from './helpers.js';

const nameOf = (line: string): string => {
  const o = JSON.parse(line) as Record<string, unknown>;
  return typeof o.event === 'string' ? o.event : (Object.keys(o)[0] ?? '');
};
const only = (lines: readonly string[], ...types: string[]): string[] =>
  lines.filter((l) => types.includes(nameOf(l)));

/** Two 2.16 sessions with a participant each, as their WebHook bodies. */
const STREAM_2_16 = [
  ...VALID_2_16.filter((l) => !/^\{"recording(Started|Stopped)"/.test(l)),
  ...VALID_2_16.filter((l) => !/^\{"recording(Started|Stopped)"/.test(l)).map((l) =>
    l.replaceAll('ses_SuXO99zeb1', 'ses_Z7pQk2fA9c').replaceAll('15840', '15841'),
  ),
].map(toWebhook);

describe('a stream filtered by OPENVIDU_WEBHOOK_EVENTS', () => {
  it('passes with only sessionCreated and sessionDestroyed (the false "no participant ever joined")', () => {
    const hooks = only(STREAM_2_16, 'sessionCreated', 'sessionDestroyed');
    expect(hooks).toHaveLength(4);
    expect(check(hooks)).toEqual([]);
    expect(check(hooks, { events: ['sessionCreated', 'sessionDestroyed'] })).toEqual([]);
    // Told the stream is whole, the same lines are wrong.
    expect(check(hooks, { events: ALL_EVENTS })).toEqual([
      'f.log:2: cascade: sessionDestroyed reason "lastParticipantLeft" but no participant ever joined session ses_SuXO99zeb1',
      'f.log:4: cascade: sessionDestroyed reason "lastParticipantLeft" but no participant ever joined session ses_Z7pQk2fA9c',
    ]);
  });

  it('passes with only recordingStatusChanged (the false "no sessionCreated … within the input")', () => {
    const hooks = only(VALID_CDR.map(toWebhook), 'recordingStatusChanged');
    expect(check(hooks)).toEqual([]);
    expect(check(hooks, { events: ALL_EVENTS })).toEqual([
      'f.log:4: pairing: no sessionCreated for session TestSession, created at 1601396000000 within the input',
    ]);
  });

  it('passes whatever subset of the types of a valid stream is kept, inferred or given', () => {
    const hooks = VALID_CDR.map(toWebhook);
    const types = [...new Set(hooks.map(nameOf))];
    expect(types).toHaveLength(9);
    for (let mask = 1; mask < 1 << types.length; mask++) {
      const kept = types.filter((_, i) => (mask & (1 << i)) !== 0);
      const stream = only(hooks, ...kept);
      const errors = (found: string[]) => found.filter((d) => !d.startsWith('warning'));
      expect({ kept, found: errors(check(stream)) }).toEqual({ kept, found: [] });
      expect({ kept, found: errors(check(stream, { events: kept })) }).toEqual({ kept, found: [] });
    }
  });

  it('says in the summary that it inferred the filter, and what it skipped', () => {
    const v = new LifecycleValidator();
    only(STREAM_2_16, 'sessionCreated', 'sessionDestroyed').forEach((l, i) =>
      v.push(l, i + 1, 'hooks.jsonl'),
    );
    v.finish();
    expect(formatSummary(v.summary()).split('\n')[2]).toBe(
      'event filter: none given, inferred from the 2 types present; 2 checks skipped for want of participantJoined',
    );
    const given = new LifecycleValidator({ events: parseEventList('["sessionCreated","sessionDestroyed"]') });
    only(STREAM_2_16, 'sessionCreated', 'sessionDestroyed').forEach((l, i) => given.push(l, i + 1, 'h'));
    given.finish();
    expect(formatSummary(given.summary()).split('\n')[2]).toBe(
      'event filter: --events sessionCreated,sessionDestroyed; 2 checks skipped for want of participantJoined',
    );
  });

  it('reports a waiting finding once the type it needs appears: the stream was not filtered after all', () => {
    const lonely = [
      '{"sessionId":"ses_Aa1","timestamp":1584008700000,"event":"sessionCreated"}',
      '{"sessionId":"ses_Aa1","timestamp":1584008701000,"startTime":1584008700000,"duration":1,"reason":"lastParticipantLeft","event":"sessionDestroyed"}',
    ];
    const v = new LifecycleValidator();
    const found = [...lonely, ...STREAM_2_16].map((l, i) => v.push(l, i + 1, 'f'));
    expect(found[1]).toEqual([]);
    // Line 4 is the first participantJoined: the finding about line 2 comes with it.
    expect(found[3]?.map((d) => `${d.line}: ${d.rule}`)).toEqual(['2: cascade']);
    expect(v.summary().errors).toBe(1);
  });

  it('points out, once, a type outside the given filter, and checks it', () => {
    const hooks = only(STREAM_2_16, 'sessionCreated', 'sessionDestroyed', 'participantJoined');
    expect(check(hooks, { events: ['sessionCreated', 'sessionDestroyed'] })).toEqual([
      'warning f.log:2: filtered-event: "participantJoined" is not in the --events filter: checked anyway, with the checks that need it',
    ]);
  });

  it('parses the list as OpenVidu reads OPENVIDU_WEBHOOK_EVENTS, and names unknown types', () => {
    expect(parseEventList('["sessionCreated", "recordingStatusChanged"]')).toEqual([
      'sessionCreated',
      'recordingStatusChanged',
    ]);
    expect(parseEventList(' sessionCreated , signalSent ')).toEqual(['sessionCreated', 'signalSent']);
    expect(() => parseEventList('sessionCreated,sesionDestroyed')).toThrow(
      /"sesionDestroyed" is not an OpenVidu event type/,
    );
    expect(() => parseEventList('')).toThrow(/at least one/);
  });

  it('keeps memory bounded when sessions are never destroyed (sessionDestroyed filtered out)', () => {
    const v = new LifecycleValidator({ destroyedMemory: 10 });
    for (let i = 0; i < 50; i++) {
      const id = `ses_Mem${String(i).padStart(3, '0')}`;
      const ts = 1607000000000 + i * 60_000;
      v.push(
        `{"sessionId":"${id}","timestamp":${ts},"startTime":${ts},"duration":0.0,"id":"${id}","name":"${id}","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0,"status":"started","event":"recordingStatusChanged"}`,
        i + 1,
        'f',
      );
    }
    expect(v.summary()).toMatchObject({ errors: 0, unterminated: { sessions: 10, recordings: 10 } });
  });

  it('still reports what the present types alone show', () => {
    const hooks = only(SESSION_1.map(toWebhook), 'sessionCreated', 'sessionDestroyed');
    const broken = [
      hooks[0] ?? '',
      (hooks[1] ?? '').replace('"startTime":1601394690713', '"startTime":1601394690000'),
    ];
    expect(check(broken)).toEqual([
      'f.log:2: duration: duration 674 is not trunc((1601395365656 - 1601394690000) / 1000) = 675',
      'f.log:2: start-time: startTime 1601394690000 differs from the sessionCreated timestamp 1601394690713 (f.log:1)',
    ]);
  });
});
