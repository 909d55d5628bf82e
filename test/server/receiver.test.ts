/**
 * `ovsim receive` stays up and tells the truth whatever arrives (issue 16 items 4, 5, 12) and knows filtered
 * streams (issue 17 §2: the README pairs `--webhook-events sessionCreated,sessionDestroyed` with it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReceive } from './receive-cli.js';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { WebhookReceiver, type ReceivedRequest } from '../../src/server/receiver.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

const CREATED = '{"sessionId":"ses_A1","timestamp":1700000000000,"event":"sessionCreated"}';
const deep = (levels: number): string =>
  `{"sessionId":"ses_A1","timestamp":1,"x":${'['.repeat(levels)}${']'.repeat(levels)},"event":"sessionCreated"}`;

async function post(url: string, body: string | Buffer): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

describe('ovsim receive on hostile requests', () => {
  it('answers 400 to JSON nested 10 000 deep (20 kB) and stays up', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({ onRequest: (r) => seen.push(r) });
    const url = await receiver.start();
    const body = deep(10_000);
    expect(body.length).toBeGreaterThan(20_000);
    expect(await post(url, body)).toBe(400);
    expect(await post(url, CREATED)).toBe(200);
    expect(seen.map((r) => [r.answer, r.diagnostics.map((d) => d.rule)])).toEqual([
      [400, ['unparsable-line']],
      [200, []],
    ]);
    expect(seen[0]?.json).toBeUndefined();
    expect(receiver.stats).toMatchObject({ requests: 2, notJson: 1, lifecycleErrors: 1 });
  });

  it('answers 413 to a body over the limit without keeping it, and 400 to what is not a JSON object', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({ maxBodyBytes: 1000, onRequest: (r) => seen.push(r) });
    const url = await receiver.start();
    expect(await post(url, `{"x":"${'y'.repeat(5000)}"}`)).toBe(413);
    expect(await post(url, 'hello')).toBe(400);
    expect(await post(url, '[1,2]')).toBe(400);
    expect(await post(url, CREATED)).toBe(200);
    expect(seen[0]).toMatchObject({ answer: 413, body: '' });
    expect(seen[0]?.diagnostics.map((d) => `${d.rule}: ${d.message}`)).toEqual([
      'line-too-long: 5008 bytes, over the limit of 1000 (--max-body-size): not checked',
    ]);
    expect(receiver.stats).toMatchObject({ requests: 4, tooLarge: 1, notJson: 2 });
  });

  it('reports a byte order mark and bytes that are not UTF-8', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({ onRequest: (r) => seen.push(r) });
    const url = await receiver.start();
    expect(await post(url, `\uFEFF${CREATED}`)).toBe(200);
    const bad = Buffer.concat([
      Buffer.from('{"sessionId":"ses_A2","timestamp":1,"x":"'),
      Buffer.from([0xff]),
      Buffer.from('","event":"sessionCreated"}'),
    ]);
    expect(await post(url, bad)).toBe(200);
    expect(seen.map((r) => r.diagnostics.filter((d) => d.rule === 'encoding').map((d) => d.message))).toEqual(
      [
        ['the line starts with a byte order mark (U+FEFF); OpenVidu writes UTF-8 without one'],
        ['invalid UTF-8 at byte 42 (FF 22 2C 22); OpenVidu writes UTF-8'],
      ],
    );
  });

  it('--jsonl prints a body it cannot re-serialize as text instead of dying', async () => {
    const rx = await startReceive({ jsonl: true });
    const url = rx.url;
    expect(await post(url, deep(10_000))).toBe(400);
    expect(await post(url, CREATED)).toBe(200);
    const code = await rx.stop();
    const stdout = rx.stdout();
    const stderr = rx.stderr();
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { answer: number; body: unknown });
    expect(lines.map((l) => [l.answer, typeof l.body])).toEqual([
      [400, 'string'],
      [200, 'object'],
    ]);
    expect(stderr).toContain('not a JSON object: 1');
    expect(code).toBe(1);
  });
});

describe('ovsim receive on a filtered stream', () => {
  it('shows no false error for the README pairing: run --webhook-events sessionCreated,sessionDestroyed', async () => {
    receiver = new WebhookReceiver();
    const url = await receiver.start();
    const scenario = await readScenario('default');
    const config = resolveOpenviduConfig({
      flags: {
        OPENVIDU_WEBHOOK: 'true',
        OPENVIDU_WEBHOOK_ENDPOINT: url,
        OPENVIDU_WEBHOOK_EVENTS: '["sessionCreated","sessionDestroyed"]',
      },
    });
    const result = await startRun({ scenario, settings: resolveSettings(scenario), config, speed: 'max' })
      .done;
    expect(result.delivery?.delivered).toBeGreaterThan(1);
    expect(receiver.stats.byEvent.size).toBe(2);
    expect(receiver.stats.lifecycleErrors).toBe(0);
    const end = receiver.endValidation();
    expect(end.summary?.filter).toMatchObject({
      given: undefined,
      present: ['sessionCreated', 'sessionDestroyed'],
    });
    expect(end.summary?.filter.skipped).toBeGreaterThan(0);
  });

  it('takes the filter as --events, as OPENVIDU_WEBHOOK_EVENTS', async () => {
    receiver = new WebhookReceiver({ events: ['sessionCreated', 'sessionDestroyed'] });
    const url = await receiver.start();
    await post(url, CREATED);
    await post(
      url,
      '{"sessionId":"ses_A1","timestamp":1700000009000,"startTime":1700000000000,"duration":9,"reason":"lastParticipantLeft","event":"sessionDestroyed"}',
    );
    expect(receiver.stats).toMatchObject({ lifecycleErrors: 0, lifecycleWarnings: 0 });
    expect(receiver.endValidation().summary?.filter).toMatchObject({
      given: ['sessionCreated', 'sessionDestroyed'],
      skipped: 1,
      missing: ['participantJoined'],
    });
  });
});
