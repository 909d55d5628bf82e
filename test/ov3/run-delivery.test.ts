/**
 * `ovsim run --server …`: each OpenVidu 3 flavour through its own sender, to a loopback receiver. LiveKit's
 * deliveries are checked by the real livekit-server-sdk WebhookReceiver (JWT signature, expiry, sha256 claim).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver } from 'livekit-server-sdk';
import { cli } from '../cli/run-cli.js';
import { startReceiver, type Receiver } from '../sinks/livekit-receiver.js';
import { bodiesOf } from './helpers.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { tempDir } from '../webhook/helpers.js';

const KEY = 'APIovsimTest';
const SECRET = 'ovsimTestSecret0123456789abcdefghijklmnopqrstu';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The bodies `generate` writes for `default` under `server`, sorted (senders may reorder across resources). */
async function generated(server: 'openvidu3' | 'meet' | 'openvidu3-v2compat'): Promise<string[]> {
  return (await bodiesOf(await readScenario('default'), { server })).sort();
}

/** `ovsim run <scenario> --server openvidu3 --api-key KEY --api-secret SECRET --speed max` to the receiver. */
const runLivekit = (scenario: string, ...extra: string[]) =>
  cli(
    'run',
    scenario,
    '--server',
    'openvidu3',
    '--api-key',
    KEY,
    '--api-secret',
    SECRET,
    '--speed',
    'max',
    '--webhook-endpoint',
    receiver!.url,
    ...extra,
  );

describe('ovsim run --server openvidu3', () => {
  it('delivers every body generate writes, each verified by livekit-server-sdk WebhookReceiver', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await runLivekit('default');
    expect(r.stderr).toContain("LiveKit's notifier");
    expect(r.code).toBe(0);
    const expected = await generated('openvidu3');
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual(expected);

    const sdk = new WebhookReceiver(KEY, SECRET);
    for (const a of receiver.arrivals) {
      expect(a.headers['content-type']).toBe('application/webhook+json');
      expect(a.headers.authorization).not.toMatch(/^Bearer /);
      const event = await sdk.receive(a.body, a.headers.authorization);
      expect(event.event).toBe((JSON.parse(a.body) as { event: string }).event);
    }
    // The check above can fail: another secret, or a body changed after signing, is refused.
    const first = receiver.arrivals[0]!;
    await expect(
      new WebhookReceiver(KEY, SECRET + 'x').receive(first.body, first.headers.authorization),
    ).rejects.toThrow();
    await expect(
      sdk.receive(first.body.replace('"event"', ' "event"'), first.headers.authorization),
    ).rejects.toThrow();

    // Per room, LiveKit's queue keeps the order generate wrote.
    const roomOrder = (bodies: readonly string[]) =>
      bodies.filter((b) => !b.includes('"egressInfo"') && !b.includes('"ingressInfo"'));
    const inOrder = (await bodiesOf(await readScenario('default'), { server: 'openvidu3' })).filter((b) =>
      b.includes('"name":"'),
    );
    const byRoom = (bodies: readonly string[], room: string) =>
      roomOrder(bodies).filter((b) => b.includes(`"room":{"sid":`) && b.includes(`"name":"${room}"`));
    for (const room of new Set(
      inOrder.map((b) => /"room":\{"sid":"[^"]+","name":"([^"]+)"/.exec(b)?.[1]).filter(Boolean),
    ))
      expect(
        byRoom(
          receiver.arrivals.map((a) => a.body),
          room!,
        ),
      ).toEqual(byRoom(inOrder, room!));
  });

  it('counts a 4xx as not delivered (LiveKit calls it sent) and exits 1', async () => {
    receiver = await startReceiver(() => ({ status: 401 }));
    const r = await runLivekit('basic-call');
    expect(r.code).toBe(1);
    expect(receiver.arrivals.length).toBe(14);
    expect(r.stderr).toMatch(/failed 14 \(status 401 ×14\)/);
  });

  it('dead-letters what the consumer refused, with the exact body; refuses --sign-secret', async () => {
    receiver = await startReceiver((_a, i) => ({ status: i % 2 === 0 ? 400 : 200 }));
    const deadLetter = join(tempDir(), 'dl.jsonl');
    const base = ['run', 'basic-call', '--server', 'openvidu3', '--api-key', KEY, '--api-secret', SECRET];
    const r = await cli(
      ...base,
      '--speed',
      'max',
      '--webhook-endpoint',
      receiver.url,
      '--dead-letter',
      deadLetter,
    );
    expect(r.code).toBe(1);
    const refused = receiver.arrivals.filter((_a, i) => i % 2 === 0).map((a) => a.body);
    const letters = readFileSync(deadLetter, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; sessionId: string; reason: string; body: string });
    expect(letters.map((l) => l.body).sort()).toEqual(refused.sort());
    for (const l of letters) {
      expect(l.reason).toBe('status 400');
      expect(l.event).toBe((JSON.parse(l.body) as { event: string }).event);
    }
    const signed = await cli(
      ...base,
      '--webhook-endpoint',
      receiver.url,
      '--sign-secret',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    );
    expect(signed.code).toBe(2);
    expect(signed.stderr).toContain('signs its webhooks its own way');
  });

  it('takes LIVEKIT_API_KEY / LIVEKIT_API_SECRET from the environment; refuses to send unsigned', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const saved = { key: process.env.LIVEKIT_API_KEY, secret: process.env.LIVEKIT_API_SECRET };
    try {
      delete process.env.LIVEKIT_API_KEY;
      delete process.env.LIVEKIT_API_SECRET;
      const missing = await cli(
        'run',
        'basic-call',
        '--server',
        'openvidu3',
        '--speed',
        'max',
        '--webhook-endpoint',
        receiver.url,
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--api-key and --api-secret');
      expect(receiver.arrivals).toHaveLength(0);
      process.env.LIVEKIT_API_KEY = KEY;
      process.env.LIVEKIT_API_SECRET = SECRET;
      const r = await cli(
        'run',
        'basic-call',
        '--server',
        'openvidu3',
        '--speed',
        'max',
        '--webhook-endpoint',
        receiver.url,
      );
      expect(r.code).toBe(0);
      const sdk = new WebhookReceiver(KEY, SECRET);
      for (const a of receiver.arrivals) await sdk.receive(a.body, a.headers.authorization);
      expect(receiver.arrivals).toHaveLength(14);
    } finally {
      for (const [name, v] of [
        ['LIVEKIT_API_KEY', saved.key],
        ['LIVEKIT_API_SECRET', saved.secret],
      ] as const)
        if (v === undefined) delete process.env[name];
        else process.env[name] = v;
    }
  });

  it('refuses a CDR file (OpenVidu 3 writes none), exit 2, nothing sent', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await runLivekit('basic-call', '--cdr-path', tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('writes no CDR file');
    expect(receiver.arrivals).toHaveLength(0);
  });

  it("writes LiveKit's ground truth with --truth: rooms by RM_ sid, participants by PA_ sid", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const truth = join(tempDir(), 't.json');
    const r = await runLivekit('basic-call', '--truth', truth);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(truth, 'utf8')) as {
      run: { server: string };
      sessions: { uniqueSessionId: string; participants: { participantId: string }[] }[];
    };
    expect(doc.run.server).toBe('openvidu3');
    const sent = new Set(
      receiver.arrivals
        .map((a) => JSON.parse(a.body) as { event: string; participant?: { sid: string } })
        .filter((e) => e.event === 'participant_joined')
        .map((e) => e.participant!.sid),
    );
    const ids = doc.sessions.flatMap((s) => s.participants.map((p) => p.participantId));
    expect(new Set(ids)).toEqual(sent);
    expect(doc.sessions.every((s) => s.uniqueSessionId.startsWith('RM_'))).toBe(true);
  });
});

describe('ovsim run --server meet and openvidu3-v2compat', () => {
  it("meet: Meet's bodies, each with X-Timestamp and the X-Signature HMAC of the API key", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await cli(
      'run',
      'default',
      '--server',
      'meet',
      '--api-key',
      KEY,
      '--speed',
      'max',
      '--webhook-endpoint',
      receiver.url,
    );
    expect(r.code).toBe(0);
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual(await generated('meet'));
    for (const a of receiver.arrivals) {
      const ts = a.headers['x-timestamp'] as string;
      expect(ts).toBe(String((JSON.parse(a.body) as { creationDate: number }).creationDate));
      expect(a.headers['x-signature']).toBe(
        createHmac('sha256', KEY).update(`${ts}.${a.body}`).digest('hex'),
      );
    }
  });

  it("openvidu3-v2compat: the module's degraded OpenVidu 2 bodies, in order, through OpenVidu 2's sender", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await cli(
      'run',
      'default',
      '--server',
      'openvidu3-v2compat',
      '--speed',
      'max',
      '--webhook-endpoint',
      receiver.url,
    );
    expect(r.code).toBe(0);
    const inOrder = await bodiesOf(await readScenario('default'), { server: 'openvidu3-v2compat' });
    expect(receiver.arrivals.map((a) => a.body)).toEqual(inOrder);
    expect(inOrder.some((b) => b.includes('"location":"unknown"'))).toBe(true);
    const withKey = await cli(
      'run',
      'default',
      '--server',
      'openvidu3-v2compat',
      '--api-key',
      KEY,
      '--speed',
      'max',
      '--webhook-endpoint',
      receiver.url,
    );
    expect(withKey.code).toBe(2);
  });
});

describe('a scenario whose header names an OpenVidu 3 server', () => {
  it('serve plays such a scenario as the server its header names (OpenVidu 3), and --server wins', async () => {
    const r = await cli('serve', 'lk-recorder-participant', '--dry-run', '--secret', 'MY_SECRET');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/OpenVidu 3 \(LiveKit \d+\.\d+\.\d+\)/);
    const v2 = await cli('serve', 'lk-recorder-participant', '--server', 'openvidu2', '--dry-run');
    expect(v2.code).toBe(0);
    expect(v2.stderr).toMatch(/OpenVidu 2\.\d+ ce/);
  });
});
