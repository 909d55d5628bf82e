/**
 * `run --server openvidu3 --livekit-config livekit.yaml`: the webhook block of OpenVidu 3's livekit.yaml decides the
 * delivery — its key pair signs, every URL gets each event on queues of its own, the filter applies, and a slow URL's
 * drops stay its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver } from 'livekit-server-sdk';
import { cli } from '../cli/run-cli.js';
import { startReceive } from '../server/receive-cli.js';
import { startReceiver, type Receiver } from '../sinks/livekit-receiver.js';
import { bodiesOf } from './helpers.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { tempDir } from '../webhook/helpers.js';

const KEY = 'yamlkey';
const SECRET = 'yaml-secret-of-at-least-32-characters';

let receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers) await r.close();
  receivers = [];
});

function livekitYaml(urls: readonly string[], extra: readonly string[] = []): string {
  const p = join(tempDir(), 'livekit.yaml');
  writeFileSync(
    p,
    [
      'keys:',
      `  ${KEY}: ${SECRET}`,
      'webhook:',
      `  api_key: ${KEY}`,
      '  urls:',
      ...urls.map((u) => `    - ${u}`),
      ...extra,
    ].join('\n') + '\n',
  );
  return p;
}

/** `ovsim run basic-call --server openvidu3 --speed max --livekit-config FILE …` */
const runWith = (config: string, ...extra: string[]) =>
  cli('run', 'basic-call', '--server', 'openvidu3', '--speed', 'max', '--livekit-config', config, ...extra);

describe('--livekit-config', () => {
  it('signs with its key pair, sends every URL each event it lets through', async () => {
    const a = await startReceiver(() => ({ status: 200 }));
    const b = await startReceiver(() => ({ status: 200 }));
    receivers.push(a, b);
    const config = livekitYaml(
      [a.url, b.url],
      ['  filter_params:', '    exclude_events: [track_published, track_unpublished]'],
    );
    const r = await runWith(config);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('and 1 more URL(s)');
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    const kept = all.filter((body) => !/"event":"track_(un)?published"/.test(body)).sort();
    expect(kept.length).toBeLessThan(all.length);
    const sdk = new WebhookReceiver(KEY, SECRET);
    for (const receiver of [a, b]) {
      expect(receiver.arrivals.map((x) => x.body).sort()).toEqual(kept);
      for (const x of receiver.arrivals) await sdk.receive(x.body, x.headers.authorization);
    }
  });

  it('a slow URL does not hold the other back: each has queues of its own', async () => {
    const fast = await startReceiver(() => ({ status: 200 }));
    const slow = await startReceiver(() => ({ status: 200, delayMs: 100 }));
    receivers.push(fast, slow);
    const config = livekitYaml([slow.url, fast.url]);
    const r = await runWith(config);
    expect(r.code, r.stderr).toBe(0);
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    expect(fast.arrivals).toHaveLength(all.length);
    expect(slow.arrivals).toHaveLength(all.length);
    // One room, one queue per URL: the slow URL takes ≥ 100 ms an event; the fast one is done long before.
    expect(fast.arrivals.at(-1)!.at).toBeLessThan(slow.arrivals[7]!.at);
    for (const u of [fast.url, slow.url])
      expect(r.stderr).toContain(`${u}: offered ${all.length}, sent ${all.length}, failed 0, dropped 0`);
  });

  it("counts LiveKit's silent drops among the events meant to arrive (max_depth 1, a slow consumer)", async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 150 }));
    receivers.push(slow);
    const config = livekitYaml([slow.url], ['  resource_url_notifier:', '    max_depth: 1']);
    const r = await runWith(config);
    expect(r.code).toBe(1);
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    const lost = all.length - slow.arrivals.length;
    expect(lost).toBeGreaterThan(0);
    expect(r.stderr).toContain(`FAILED: ${lost} of ${all.length} event(s) not delivered`);
    expect(r.stderr).toMatch(/dropped: queue-full/);
  });

  it('receive --livekit-config verifies with the same file the sender reads', async () => {
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    const receiveWith = async (secret: string) => {
      const keys = join(tempDir(), 'receiver.yaml');
      writeFileSync(keys, `keys:\n  ${KEY}: ${secret}\nwebhook:\n  api_key: ${KEY}\n`);
      const rx = await startReceive({ server: 'openvidu3', livekitConfig: keys });
      const r = await runWith(livekitYaml([rx.url]));
      return { run: r, code: await rx.stop(), stderr: rx.stderr() };
    };
    const same = await receiveWith(SECRET);
    expect(same.run.code, same.run.stderr).toBe(0);
    expect(same.code).toBe(0);
    expect(same.stderr).toContain(`signatures: ${all.length} valid, 0 invalid`);
    // Another secret under the same key: every delivery refused.
    const other = await receiveWith('not-the-secret-of-the-sender-0123456789');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`signatures: 0 valid, ${all.length} invalid`);
  });

  it('refuses --webhook-endpoint beside webhook.urls, and another server (exit 2)', async () => {
    const a = await startReceiver(() => ({ status: 200 }));
    receivers.push(a);
    const config = livekitYaml([a.url]);
    const both = await runWith(config, '--webhook-endpoint', a.url);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('both say where to send');
    const meet = await cli(
      'run',
      'basic-call',
      '--server',
      'meet',
      '--api-key',
      'k',
      '--speed',
      'max',
      '--livekit-config',
      config,
    );
    expect(meet.code).toBe(2);
    expect(meet.stderr).toContain('only --server openvidu3');
    // Not ignored either when no WebHook is on (an OpenVidu 2 run to a CDR folder only).
    const keysOnly = join(tempDir(), 'keys.yaml');
    writeFileSync(keysOnly, `keys:\n  ${KEY}: ${SECRET}\n`);
    const cdrOnly = await cli(
      'run',
      'basic-call',
      '--speed',
      'max',
      '--cdr-path',
      tempDir(),
      '--livekit-config',
      keysOnly,
    );
    expect(cdrOnly.code).toBe(2);
    expect(cdrOnly.stderr).toContain('only --server openvidu3');
    expect(a.arrivals).toHaveLength(0);
  });
});
