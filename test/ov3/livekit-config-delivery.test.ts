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
import { runReceive } from '../../src/cli/commands/receive.js';
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

describe('--livekit-config', () => {
  it('signs with its key pair, sends every URL each event it lets through', async () => {
    const a = await startReceiver(() => ({ status: 200 }));
    const b = await startReceiver(() => ({ status: 200 }));
    receivers.push(a, b);
    const config = livekitYaml(
      [a.url, b.url],
      ['  filter_params:', '    exclude_events: [track_published, track_unpublished]'],
    );
    const r = await cli(
      'run',
      'basic-call',
      '--server',
      'openvidu3',
      '--speed',
      'max',
      '--livekit-config',
      config,
    );
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
    const r = await cli(
      'run',
      'basic-call',
      '--server',
      'openvidu3',
      '--speed',
      'max',
      '--livekit-config',
      config,
    );
    expect(r.code, r.stderr).toBe(0);
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    expect(fast.arrivals).toHaveLength(all.length);
    expect(slow.arrivals).toHaveLength(all.length);
    // One room, one queue per URL: the slow URL takes ≥ 100 ms an event; the fast one is done long before.
    expect(fast.arrivals.at(-1)!.at).toBeLessThan(slow.arrivals[7]!.at);
    for (const u of [fast.url, slow.url])
      expect(r.stderr).toContain(`${u}: offered ${all.length}, sent ${all.length}, failed 0, dropped 0`);
  });

  it('receive --livekit-config verifies with the same file the sender reads', async () => {
    const keysOnly = join(tempDir(), 'livekit.yaml');
    writeFileSync(keysOnly, `keys:\n  ${KEY}: ${SECRET}\nwebhook:\n  api_key: ${KEY}\n`);
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), stderrIsTTY: false };
    let stop = () => undefined as void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runReceive(
      {
        port: 0,
        host: '127.0.0.1',
        jsonl: false,
        respond: 200,
        validate: true,
        server: 'openvidu3',
        livekitConfig: keysOnly,
      },
      io,
      stopped,
    );
    for (let i = 0; i < 100 && !stderr.includes('http://'); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /http:\/\/\S+/.exec(stderr)![0];
    const r = await cli(
      'run',
      'basic-call',
      '--server',
      'openvidu3',
      '--speed',
      'max',
      '--livekit-config',
      livekitYaml([url]),
    );
    expect(r.code, r.stderr).toBe(0);
    stop();
    expect(await running).toBe(0);
    const all = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3' });
    expect(stderr).toContain(`signatures: ${all.length} valid, 0 invalid`);
    // Another secret under the same key: every delivery refused.
    const other = join(tempDir(), 'other.yaml');
    writeFileSync(
      other,
      `keys:\n  ${KEY}: not-the-secret-of-the-sender-0123456789\nwebhook:\n  api_key: ${KEY}\n`,
    );
    let err2 = '';
    let stop2 = () => undefined as void;
    const stopped2 = new Promise<void>((resolve) => (stop2 = resolve));
    const running2 = runReceive(
      {
        port: 0,
        host: '127.0.0.1',
        jsonl: false,
        respond: 200,
        validate: true,
        server: 'openvidu3',
        livekitConfig: other,
      },
      { ...io, stderr: (t: string) => void (err2 += t) },
      stopped2,
    );
    for (let i = 0; i < 100 && !err2.includes('http://'); i++) await new Promise((r) => setTimeout(r, 10));
    const url2 = /http:\/\/\S+/.exec(err2)![0];
    await cli(
      'run',
      'basic-call',
      '--server',
      'openvidu3',
      '--speed',
      'max',
      '--livekit-config',
      livekitYaml([url2]),
    );
    stop2();
    expect(await running2).toBe(1);
    expect(err2).toContain(`signatures: 0 valid, ${all.length} invalid`);
  });

  it('refuses --webhook-endpoint beside webhook.urls, and another server (exit 2)', async () => {
    const a = await startReceiver(() => ({ status: 200 }));
    receivers.push(a);
    const config = livekitYaml([a.url]);
    const both = await cli(
      'run',
      'basic-call',
      '--server',
      'openvidu3',
      '--speed',
      'max',
      '--livekit-config',
      config,
      '--webhook-endpoint',
      a.url,
    );
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
    expect(a.arrivals).toHaveLength(0);
  });
});
