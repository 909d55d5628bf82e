/**
 * `ovsim serve --server openvidu3-v2compat`: OpenVidu 3 PRO's v2-compatibility module — the OpenVidu 2 page and REST
 * API over LiveKit's behaviour, and the module's degraded WebHook bodies: exactly what `generate` writes for the
 * scenario under the module, which `validate --server openvidu3-v2compat` accepts. `--server meet`: Meet's signed
 * bodies, the LiveKit rooms underneath on the page.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { createStreamValidator } from '../../src/validate/stream-validator.js';
import { bodiesOf } from '../ov3/helpers.js';
import { cli } from '../cli/run-cli.js';
import { startOvsim, type Running } from '../cli/spawn-ovsim.js';
import { startReceiver, type Receiver } from '../sinks/livekit-receiver.js';

const SECRET = 'V2compat_Secret';
const AUTH = `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`;

let running: Running | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  running?.child.kill('SIGKILL');
  running = undefined;
  await receiver?.close();
  receiver = undefined;
});

/**
 * `ovsim serve basic-call --server <server>` at max speed from 2024-01-01 (generate's start), its WebHook to a fresh
 * receiver; resolves with the page's URL and the receiver once it listens and all `expected` bodies have arrived
 * (bounded: 20 s to listen, 15 s for the bodies).
 */
async function serveBasicCall(
  server: string,
  expected: number,
  ...extra: string[]
): Promise<{ url: string; rx: Receiver }> {
  const rx = (receiver = await startReceiver(() => ({ status: 200 })));
  running = startOvsim([
    'serve',
    'basic-call',
    '--server',
    server,
    '--port',
    '0',
    '--secret',
    SECRET,
    '--speed',
    'max',
    '--start',
    '2024-01-01T00:00:00Z',
    ...extra,
    '--webhook-endpoint',
    rx.url,
  ]);
  const url = (await running.waitForStderr(/ovsim serve: (http:\/\/127\.0\.0\.1:\d+)\//, 20_000))[1]!;
  for (let end = Date.now() + 15_000; rx.arrivals.length < expected && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 25));
  return { url, rx };
}

describe('ovsim serve --server openvidu3-v2compat', () => {
  it("sends the module's bodies, keeps the OpenVidu 2 REST API, and says what it imitates", async () => {
    const expected = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3-v2compat' });
    const { url, rx } = await serveBasicCall('openvidu3-v2compat', expected.length);
    expect(running!.stderr()).toContain('v2-compatibility module');
    const bodies = rx.arrivals.map((a) => a.body);
    expect(bodies).toEqual(expected);
    expect(bodies.some((b) => b.includes('"connection":"INBOUND"'))).toBe(false);
    const v = createStreamValidator({ server: 'openvidu3-v2compat' });
    const diagnostics = bodies.flatMap((b, i) => v.push(b, i + 1, 'hooks'));
    expect([...diagnostics, ...v.finish()].filter((d) => d.severity === 'error')).toEqual([]);
    // The module serves OpenVidu 2's REST API.
    const res = await fetch(`${url}/openvidu/api/sessions`, { headers: { authorization: AUTH } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { numberOfElements: number }).numberOfElements).toBeGreaterThanOrEqual(0);
  });

  it('refuses a CDR folder (the module writes none), exit 2', async () => {
    const cdr = await cli(
      'serve',
      'basic-call',
      '--server',
      'openvidu3-v2compat',
      '--cdr-path',
      '/tmp/x',
      '--dry-run',
    );
    expect(cdr.code).toBe(2);
    expect(cdr.stderr).toContain('writes no CDR file');
  });
});

describe('ovsim serve --server meet', () => {
  it("sends Meet's signed bodies (generate's bytes), shows the LiveKit rooms underneath, no OpenVidu 2 REST API", async () => {
    const KEY = 'meet-serve-key';
    const expected = await bodiesOf(await readScenario('basic-call'), { server: 'meet' });
    const { url, rx } = await serveBasicCall('meet', expected.length, '--api-key', KEY);
    expect(running!.stderr()).toContain('OpenVidu Meet (on OpenVidu 3');
    expect(rx.arrivals.map((a) => a.body).sort()).toEqual([...expected].sort());
    for (const a of rx.arrivals) {
      const ts = a.headers['x-timestamp'] as string;
      expect(a.headers['x-signature']).toBe(
        createHmac('sha256', KEY).update(`${ts}.${a.body}`).digest('hex'),
      );
    }
    const state = (await (await fetch(`${url}/api/state`, { headers: { authorization: AUTH } })).json()) as {
      server?: { kind: string };
    };
    expect(state.server?.kind).toBe('meet');
    const rest = await fetch(`${url}/openvidu/api/sessions`, { headers: { authorization: AUTH } });
    expect(rest.status).toBe(404);
    const unsigned = await cli(
      'serve',
      'basic-call',
      '--server',
      'meet',
      '--webhook-endpoint',
      rx.url,
      '--dry-run',
    );
    expect(unsigned.code).toBe(2);
  });
});
