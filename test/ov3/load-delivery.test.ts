/**
 * `ovsim load --server …` (and `run --delivery load`): each OpenVidu 3 flavour at a rate, through its own sender —
 * LiveKit's per-resource queues and retries, Meet's dispatcher, the v2-compatibility module's OpenVidu 2 bodies.
 * LiveKit's deliveries are checked by the real livekit-server-sdk WebhookReceiver.
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

const KEY = 'APIovsimLoad';
const SECRET = 'ovsimLoadSecret0123456789abcdefghijklmnopqrstu';
const LIVEKIT = ['--server', 'openvidu3', '--api-key', KEY, '--api-secret', SECRET];

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

interface Report {
  delivery: { sent: number; delivered: number; failed: Record<string, number>; unsent: number };
  sessions: { created: number; destroyed: number };
  exitCode: number;
}

/** `ovsim load <scenario>` under LiveKit to the receiver, with its `--report` read back. */
async function loadLivekit(scenario: string, ...extra: string[]) {
  const report = join(tempDir(), 'r.json');
  const r = await cli(
    'load',
    scenario,
    ...LIVEKIT,
    '--webhook-endpoint',
    receiver!.url,
    '--report',
    report,
    ...extra,
  );
  return { r, json: JSON.parse(readFileSync(report, 'utf8')) as Report };
}

const roomOf = (body: string) => (JSON.parse(body) as { room?: { name?: string } }).room?.name;

describe('ovsim load --server openvidu3', () => {
  it("one replica at max speed: exactly generate's bodies, every one verified by livekit-server-sdk", async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const { r, json } = await loadLivekit('default');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("LiveKit's notifier");
    const expected = await bodiesOf(await readScenario('default'), { server: 'openvidu3' });
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
    const sdk = new WebhookReceiver(KEY, SECRET);
    for (const a of receiver.arrivals) {
      expect(a.headers['content-type']).toBe('application/webhook+json');
      await sdk.receive(a.body, a.headers.authorization);
    }
    // Any 2xx is delivered for LiveKit's sender (OpenVidu 2's load default is 200 only).
    expect(json.delivery).toMatchObject({ sent: expected.length, delivered: expected.length, unsent: 0 });
  });

  it('at a rate with replicas: rooms of their own, each room in order, the accounts balance', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const { r, json } = await loadLivekit(
      'basic-call',
      '--rate',
      '400/s',
      '--replicas',
      '6',
      '--connections',
      '8',
    );
    expect(r.code).toBe(0);
    expect(json.delivery.delivered).toBe(receiver.arrivals.length);
    expect(json.sessions).toEqual({ created: 6, destroyed: 6, leftOpen: 0 });
    const one = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    expect(receiver.arrivals).toHaveLength(6 * one.length);
    const rooms = new Map<string, string[]>();
    for (const a of receiver.arrivals) {
      const e = JSON.parse(a.body) as { event: string; egressInfo?: unknown; ingressInfo?: unknown };
      if (e.egressInfo || e.ingressInfo) continue; // their own queues: free to overtake
      const room = roomOf(a.body)!;
      rooms.set(room, [...(rooms.get(room) ?? []), e.event]);
    }
    expect(rooms.size).toBe(6);
    const oneRoom = one
      .map((b) => JSON.parse(b) as { event: string; egressInfo?: unknown; ingressInfo?: unknown })
      .filter((e) => !e.egressInfo && !e.ingressInfo)
      .map((e) => e.event);
    for (const events of rooms.values()) expect(events).toEqual(oneRoom);
  });

  it('a 4xx is "sent" for LiveKit but not delivered: counted, dead-lettered with its body, exit 1', async () => {
    receiver = await startReceiver(() => ({ status: 403 }));
    const dir = tempDir();
    const { r, json } = await loadLivekit('basic-call', '--dead-letter', join(dir, 'dl.jsonl'));
    expect(r.code).toBe(1);
    expect(json.delivery.failed).toEqual({ 'status 403': receiver.arrivals.length });
    const letters = readFileSync(join(dir, 'dl.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; reason: string; body: string; attempts: unknown[] });
    expect(letters.map((l) => l.body).sort()).toEqual(receiver.arrivals.map((a) => a.body).sort());
    expect(letters.every((l) => l.reason === 'status 403' && l.attempts.length === 1)).toBe(true);
  });

  it('retries a 5xx on the LiveKit schedule (1 s) and delivers', async () => {
    receiver = await startReceiver((_a, i) => ({ status: i === 0 ? 503 : 200 }));
    const { r, json } = await loadLivekit('basic-call');
    expect(r.code).toBe(0);
    const first = receiver.arrivals[0]!;
    const again = receiver.arrivals.filter((a) => a.body === first.body);
    expect(again).toHaveLength(2);
    expect(again[1]!.at - again[0]!.at).toBeGreaterThanOrEqual(990);
    // The same bytes and the same JWT on the retry.
    expect(again[1]!.headers.authorization).toBe(again[0]!.headers.authorization);
    expect((json.delivery as { retried?: number }).retried).toBe(1);
  });

  it("--truth: every copy's rooms and participants in LiveKit's terms", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const truth = join(tempDir(), 't.json');
    const { r } = await loadLivekit('basic-call', '--replicas', '3', '--truth', truth);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(truth, 'utf8')) as {
      sessions: { uniqueSessionId: string; participants: { participantId: string }[] }[];
    };
    expect(doc.sessions).toHaveLength(3);
    const joined = receiver.arrivals
      .map((a) => JSON.parse(a.body) as { event: string; participant?: { sid: string } })
      .filter((e) => e.event === 'participant_joined')
      .map((e) => e.participant!.sid)
      .sort();
    expect(doc.sessions.flatMap((s) => s.participants.map((p) => p.participantId)).sort()).toEqual(joined);
  });

  it("refuses what only OpenVidu 2's delivery has (exit 2, nothing sent)", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    for (const [extra, message] of [
      [['--retry', 'none'], 'retries on its own schedule'],
      [['--sign-secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'signs its webhooks its own way'],
      [['--chaos', 'dup=0.1'], 'wrap OpenVidu 2'],
    ] as const) {
      const r = await cli('load', 'basic-call', ...LIVEKIT, '--webhook-endpoint', receiver.url, ...extra);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const unsigned = await cli(
      'load',
      'basic-call',
      '--server',
      'openvidu3',
      '--webhook-endpoint',
      receiver.url,
    );
    expect(unsigned.code).toBe(2);
    expect(receiver.arrivals).toHaveLength(0);
  });

  it('run --delivery load plays a scenario whose header names openvidu3 through LiveKit', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await cli(
      'run',
      'lk-fast-reconnect',
      '--delivery',
      'load',
      '--speed',
      'max',
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--webhook-endpoint',
      receiver.url,
    );
    expect(r.code, r.stderr).toBe(0);
    const expected = await bodiesOf(await readScenario('lk-fast-reconnect'), {});
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
  });
});

describe('ovsim load --server meet and openvidu3-v2compat', () => {
  it("meet: Meet's bodies, each with its X-Signature HMAC", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await cli(
      'load',
      'default',
      '--server',
      'meet',
      '--api-key',
      KEY,
      '--webhook-endpoint',
      receiver.url,
    );
    expect(r.code, r.stderr).toBe(0);
    const expected = await bodiesOf(await readScenario('default'), { server: 'meet' });
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
    for (const a of receiver.arrivals) {
      const ts = a.headers['x-timestamp'] as string;
      expect(a.headers['x-signature']).toBe(
        createHmac('sha256', KEY).update(`${ts}.${a.body}`).digest('hex'),
      );
    }
  });

  it("v2compat: the module's degraded OpenVidu 2 bodies, with --chaos allowed (OpenVidu 2's sender)", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const r = await cli(
      'load',
      'default',
      '--server',
      'openvidu3-v2compat',
      '--webhook-endpoint',
      receiver.url,
    );
    expect(r.code, r.stderr).toBe(0);
    const expected = await bodiesOf(await readScenario('default'), { server: 'openvidu3-v2compat' });
    expect(receiver.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
    expect(expected.some((b) => b.includes('"location":"unknown"'))).toBe(true);
    const chaos = await cli(
      'load',
      'basic-call',
      '--server',
      'openvidu3-v2compat',
      '--webhook-endpoint',
      receiver.url,
      '--chaos',
      'dup=1',
    );
    expect(chaos.code, chaos.stderr).toBe(0);
    expect(chaos.stdout).toMatch(/chaos: \d+ events → \d+ deliveries \((\d+) duplicate/);
  });
});
