/**
 * `ovsim serve --server openvidu3-v2compat`: OpenVidu 3 PRO's v2-compatibility module — the OpenVidu 2 page and REST
 * API over LiveKit's behaviour, and the module's degraded WebHook bodies: exactly what `generate` writes for the
 * scenario under the module, which `validate --server openvidu3-v2compat` accepts.
 */
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

describe('ovsim serve --server openvidu3-v2compat', () => {
  it("sends the module's bodies, keeps the OpenVidu 2 REST API, and says what it imitates", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    running = startOvsim([
      'serve',
      'basic-call',
      '--server',
      'openvidu3-v2compat',
      '--port',
      '0',
      '--secret',
      SECRET,
      '--speed',
      'max',
      '--start',
      '2024-01-01T00:00:00Z',
      '--webhook-endpoint',
      receiver.url,
    ]);
    const url = (await running.waitForStderr(/ovsim serve: (http:\/\/127\.0\.0\.1:\d+)\//, 20_000))[1]!;
    expect(running.stderr()).toContain('v2-compatibility module');
    const expected = await bodiesOf(await readScenario('basic-call'), { server: 'openvidu3-v2compat' });
    // Bounded: 15 s for every body to arrive.
    for (let end = Date.now() + 15_000; receiver.arrivals.length < expected.length && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 25));
    const bodies = receiver.arrivals.map((a) => a.body);
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

  it('refuses a CDR folder (the module writes none) and --server meet, exit 2', async () => {
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
    const meet = await cli('serve', 'basic-call', '--server', 'meet', '--dry-run');
    expect(meet.code).toBe(2);
    expect(meet.stderr).toContain('meet webhooks come from');
  });
});
