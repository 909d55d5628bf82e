/**
 * `ovsim serve` on the command line, and the command lines docker/compose.yaml runs, checked without Docker.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cli } from '../cli/run-cli.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of [
    'OPENVIDU_SECRET',
    'OPENVIDU_WEBHOOK_ENDPOINT',
    'OPENVIDU_CDR',
    'OPENVIDU_CDR_PATH',
    'OPENVIDU_WEBHOOK',
  ]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('ovsim serve', () => {
  it('checks its options in a dry run', async () => {
    const r = await cli('serve', 'default', '--dry-run', '--speed', '10', '--paused');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /would listen on 127\.0\.0\.1:5443; scenario default \(\d+ steps\).*speed 10, paused/,
    );
  });

  it('serves OpenVidu Pro with --edition pro or a Pro scenario, and names a bad edition', async () => {
    expect((await cli('serve', '--edition', 'pro', '--dry-run')).stderr).toMatch(
      /scenario live \(0 steps\), OpenVidu 2\.32 pro,/,
    );
    expect((await cli('serve', 'pro-node-faults', '--dry-run')).stderr).toMatch(
      /scenario pro-node-faults .*OpenVidu 2\.32 pro,/,
    );
    expect((await cli('serve', 'enterprise-ha', '--dry-run')).stderr).toMatch(/OpenVidu 2\.32 enterprise,/);
    expect(await cli('serve', '--edition', 'gold', '--dry-run')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--edition'),
    });
  });

  it('refuses the default secret on an exposed host (exit 2), and accepts a secret from OPENVIDU_SECRET', async () => {
    delete process.env['OPENVIDU_SECRET'];
    const refused = await cli('serve', '--host', '0.0.0.0', '--dry-run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('OPENVIDU_SECRET');
    process.env['OPENVIDU_SECRET'] = 'workshop';
    expect((await cli('serve', '--host', '0.0.0.0', '--dry-run')).code).toBe(0);
  });

  it('names the bad option', async () => {
    expect(await cli('serve', '--speed', 'fast', '--dry-run')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--speed'),
    });
    expect(await cli('serve', '--port', '70000', '--dry-run')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port'),
    });
    expect(await cli('serve', 'no-such-scenario', '--dry-run')).toMatchObject({ code: 2 });
  });
});

describe('docker/compose.yaml', () => {
  const compose = parse(readFileSync('docker/compose.yaml', 'utf8')) as {
    services: Record<string, { command: string[]; environment?: Record<string, string>; ports?: string[] }>;
  };
  const dockerfile = readFileSync('docker/Dockerfile', 'utf8');

  it('runs the ovsim binary as its entrypoint, as a non-root user', () => {
    expect(dockerfile).toMatch(/^ENTRYPOINT \["ovsim"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM node:\d+-slim/m); // which line: test/docs/docker.test.ts
  });

  it('runs serve with options our parser accepts, pointed at the receiver', async () => {
    const serve = compose.services['serve']!;
    expect(serve.command.slice(0, 1)).toEqual(['serve']);
    const env = serve.environment ?? {};
    const endpoint = new URL(env['OPENVIDU_WEBHOOK_ENDPOINT'] ?? '');
    const receiver = compose.services[endpoint.hostname];
    expect(receiver?.command).toContain(endpoint.port);
    // The compose file demands a secret (${OPENVIDU_SECRET:?…}); stand one in as `docker compose` would.
    process.env['OPENVIDU_SECRET'] = 'from-compose';
    process.env['OPENVIDU_WEBHOOK_ENDPOINT'] = endpoint.href;
    process.env['OPENVIDU_CDR'] = env['OPENVIDU_CDR'];
    process.env['OPENVIDU_CDR_PATH'] = env['OPENVIDU_CDR_PATH'];
    const r = await cli(...serve.command, '--dry-run');
    expect(r.stderr).toContain(`WebHook: ${endpoint.href}`);
    expect(r.code).toBe(0);
  });

  it('runs receive with options our parser knows', async () => {
    const receive = compose.services['receiver']!.command;
    expect(receive[0]).toBe('receive');
    const help = await cli('receive', '--help');
    expect(help.code).toBe(0);
    for (const opt of receive.filter((a) => a.startsWith('--'))) expect(help.stdout).toContain(opt);
  });
});

describe('docker/k8s-indexed-job.yaml', () => {
  // The file holds the Job and the claim it mounts.
  const job = parseAllDocuments(readFileSync('docker/k8s-indexed-job.yaml', 'utf8'))
    .map((d) => d.toJS() as { kind?: string })
    .find((d) => d.kind === 'Job') as {
    spec: {
      completions: number;
      template: { spec: { containers: Array<{ args: string[] }> } };
    };
  };

  it('runs one shard per pod index, on one generator thread, with a command line our parser accepts', async () => {
    const line = job.spec.template.spec.containers[0]!.args[0]!;
    // The shell would expand the index; split the rest as the shell does (no quotes inside the values).
    const argv = line
      .replaceAll('${JOB_COMPLETION_INDEX}', '3')
      .split(/\s+/)
      .filter((a) => a !== '')
      .map((a) => a.replace(/^"(.*)"$/, '$1'));
    expect(argv[0]).toBe('ovsim');
    expect(argv).toContain('--workers');
    expect(argv[argv.indexOf('--workers') + 1]).toBe('1');
    expect(argv[argv.indexOf('--shard') + 1]).toBe(`3/${job.spec.completions}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'ovsim-k8s-'));
    const out = path.join(dir, 'part.jsonl');
    const args = argv.slice(1);
    args[args.indexOf('--out') + 1] = out;
    // A short day, to keep the test fast: the command line is what is being checked.
    const r = await cli(...args, '--set', 'duration=20m');
    expect(r.stderr).toContain('(shard 3/');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
  });

  it('refuses a bad --workers with exit 2 naming the option', async () => {
    const r = await cli('generate', 'demo-random', '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers');
  });
});
