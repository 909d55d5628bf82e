import { afterEach, describe, expect, it } from 'vitest';
import { startReceive } from '../server/receive-cli.js';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { WebhookReceiver, type ReceivedRequest } from '../../src/server/receiver.js';
import { WebhookSigner } from '../../src/sinks/webhook-signing.js';
import { startLoad } from '../../src/runtime/load.js';
import { NO_RETRY } from '../../src/runtime/load-plan.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

async function play(r: WebhookReceiver, signSecret?: string) {
  const url = await r.start();
  const scenario = await readScenario('default');
  const settings = resolveSettings(scenario);
  const config = resolveOpenviduConfig({
    flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: url },
  });
  return startRun({ scenario, settings, config, speed: 'max', signSecret }).done;
}

describe('ovsim receive', () => {
  it('verifies Standard Webhooks signatures and finds no lifecycle error in a run', async () => {
    const seen: ReceivedRequest[] = [];
    receiver = new WebhookReceiver({ verifySecret: SECRET, onRequest: (r) => seen.push(r) });
    const result = await play(receiver, SECRET);
    expect(receiver.stats.requests).toBe(result.delivery!.delivered);
    expect(receiver.stats.signaturesValid).toBe(receiver.stats.requests);
    expect(receiver.stats.signaturesInvalid).toBe(0);
    expect(receiver.stats.lifecycleErrors).toBe(0);
    const names = seen[0]!.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(names.slice(0, 4)).toEqual([
      'Content-Type',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
  });

  it('rejects a signature made with another secret', async () => {
    receiver = new WebhookReceiver({ verifySecret: SECRET });
    await play(receiver, 'whsec_' + Buffer.from('another secret of 24 b!!').toString('base64'));
    expect(receiver.stats.signaturesValid).toBe(0);
    expect(receiver.stats.signaturesInvalid).toBe(receiver.stats.requests);
  });

  it('answers with the chosen failure share and drops connections', async () => {
    let draw = 0;
    // Per cycle of three requests: dropped (one draw), 503 (drop draw, fail draw), 200 (drop draw, fail draw).
    const draws = [0.01, 0.9, 0.01, 0.9, 0.9];
    receiver = new WebhookReceiver({
      failRate: 0.5,
      failStatus: 503,
      dropRate: 0.05,
      random: () => draws[draw++ % 5]!,
    });
    const url = await receiver.start();
    const scenario = await readScenario('default');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({
      flags: { OPENVIDU_WEBHOOK: 'true', OPENVIDU_WEBHOOK_ENDPOINT: url },
    });
    const result = await startLoad({ scenario, settings, config, connections: 1, retry: NO_RETRY }).done;
    const n = result.delivery.sent;
    expect(result.delivery.failed).toEqual({ reset: Math.ceil(n / 3), 'status 503': Math.ceil((n - 1) / 3) });
    expect(result.delivery.delivered).toBe(Math.floor(n / 3));
    expect(receiver.stats.byAnswer.get('dropped')).toBe(Math.ceil(n / 3));
    expect(receiver.stats.byAnswer.get('503')).toBe(Math.ceil((n - 1) / 3));
  });

  it('validates the secret format', () => {
    expect(() => new WebhookSigner('not-a-secret')).toThrow(/--sign-secret/);
  });

  it('ovsim receive prints JSONL and statistics on exit', async () => {
    const rx = await startReceive({ jsonl: true });
    const url = rx.url;
    // A session ending whose beginning precedes the input: a warning, not an error (exit 0).
    const res = await fetch(url, {
      method: 'POST',
      body: '{"sessionId":"s","uniqueSessionId":"s_5","timestamp":10,"startTime":5,"duration":0,"reason":"lastParticipantLeft","event":"sessionDestroyed"}',
    });
    expect(res.status).toBe(200);
    const code = await rx.stop();
    const stdout = rx.stdout();
    const stderr = rx.stderr();
    const line = JSON.parse(stdout.trim().split('\n')[0]!) as { event: string; answer: number };
    expect(line).toMatchObject({ event: 'sessionDestroyed', answer: 200 });
    expect(stderr).toContain('received 1 requests');
    expect(code).toBe(0);
  });
});
