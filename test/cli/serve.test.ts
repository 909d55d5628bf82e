/** `ovsim serve` as a process: a busy port, the secret, and `--log` with a scenario's first events recorded. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { ovsim, startOvsim, type Running } from './spawn-ovsim.js';

let blocker: Server | undefined;
let running: Running | undefined;
afterEach(async () => {
  running?.child.kill('SIGKILL');
  running = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

/** A port on 127.0.0.1 that something else holds. */
async function busyPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

describe('a port in use', () => {
  it('is bad input for serve and receive alike: exit 2, naming the flag and the address', async () => {
    const port = await busyPort();
    const [serve, receive] = await Promise.all([
      ovsim(['serve', '--port', String(port)]),
      ovsim(['receive', '--port', String(port)]),
    ]);
    const message = `ovsim: --port ${port}: 127.0.0.1:${port} is already in use (EADDRINUSE); choose another port, or --port 0 for any free one\n`;
    expect(serve).toMatchObject({ code: 2, stderr: message });
    expect(receive).toMatchObject({ code: 2, stderr: message });
  });

  it('creates no CDR file when serve cannot listen', async () => {
    const port = await busyPort();
    const cdr = mkdtempSync(join(tmpdir(), 'ovsim-serve-cdr-'));
    const r = await ovsim(['serve', 'basic-call', '--port', String(port), '--cdr-path', cdr]);
    expect(r.code).toBe(2);
    expect(readdirSync(cdr)).toEqual([]);
  });
});

describe('the secret', () => {
  it.each([' ', '', 'has space', 'tab\t', 'ünïcode'])(
    '--secret %j is refused as OpenVidu refuses it (exit 2)',
    async (secret) => {
      const r = await cli('serve', '--dry-run', '--secret', secret);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `ovsim: --secret ${JSON.stringify(secret)}: cannot be empty and must contain only`,
      );
    },
  );

  it('accepts letters, digits, - and _', async () => {
    expect((await cli('serve', '--dry-run', '--secret', 'My-Secret_42')).code).toBe(0);
  });

  it('checks OPENVIDU_SECRET the same way', async () => {
    const r = await ovsim(['serve', '--dry-run'], { env: { OPENVIDU_SECRET: '   ' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ovsim: OPENVIDU_SECRET " {3}": cannot be empty/);
  });
});

describe('ovsim serve --log', () => {
  it("prints each REST call with its events, and the scenario's own events from the first one", async () => {
    const cdr = mkdtempSync(join(tmpdir(), 'ovsim-serve-log-'));
    running = startOvsim([
      'serve',
      'basic-call',
      '--port',
      '0',
      '--speed',
      'max',
      '--log',
      '--cdr-path',
      cdr,
    ]);
    const [, url] = await running.waitForStderr(/ovsim serve: (http:\/\/127\.0\.0\.1:\d+)\//);
    const auth = { authorization: `Basic ${Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64')}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) =>
      fetch(`${url}/openvidu/api${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect((await post('/sessions', { customSessionId: 'S1' })).status).toBe(200);
    expect((await post('/sessions/S1/connection', {})).status).toBe(200);
    for (
      const end = Date.now() + 10_000;
      !running.stdout().includes('participantJoined S1') && Date.now() < end;
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await fetch(`${url}/openvidu/api/sessions/S1`, { method: 'DELETE', headers: auth })).status).toBe(
      204,
    );
    for (const end = Date.now() + 10_000; !running.stdout().includes('DELETE') && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 25));
    }
    running.child.kill('SIGTERM');
    const done = await running.exited;
    expect(done.code).toBe(0);
    const out = done.stdout.replace(/^\d\d:\d\d:\d\d\.\d{3} {2}/gm, 'T  ');
    // the scenario's first step is due at once: its event is logged (and written) like every other
    expect(out).toMatch(/^T {2}· sessionCreated ses_\w+ {2}\(steps\[0\]\.createSession\)$/m);
    expect(out).toMatch(
      /^T {2}POST \/openvidu\/api\/sessions {2}200 {2}[\d.]+ ms\n {14}→ sessionCreated S1$/m,
    );
    expect(out).toMatch(/^T {2}POST \/openvidu\/api\/sessions\/S1\/connection {2}200 {2}[\d.]+ ms$/m);
    expect(out).toMatch(/^T {2}· participantJoined S1 (con_\w+) {2}\(client \1 join\)$/m);
    expect(out).toMatch(
      /^T {2}DELETE \/openvidu\/api\/sessions\/S1 {2}204 {2}[\d.]+ ms\n( {14}→ .*\n)* {14}→ sessionDestroyed S1 reason=sessionClosedByServer$/m,
    );
    const [file] = readdirSync(cdr);
    const first = readFileSync(join(cdr, file!), 'utf8').split('\n')[0]!;
    expect(Object.keys(JSON.parse(first) as object)).toEqual(['sessionCreated']);
  });
});
