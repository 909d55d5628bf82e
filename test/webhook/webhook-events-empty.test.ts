/**
 * OpenVidu#521: `OPENVIDU_WEBHOOK_EVENTS=[]` (the shipped .env said "leave blank if all events") makes OpenVidu send
 * no WebHook at all. ovsim does the same, and warns where the empty list came from.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { startTestServer, tempDir } from './helpers.js';

const WARNING =
  /warning: OPENVIDU_WEBHOOK_EVENTS=\[\] \(from (.*?)\) lists no event, so the WebHook sends nothing/;

describe('OPENVIDU_WEBHOOK_EVENTS=[]', () => {
  it('run --env-file: nothing is sent, and the warning names the file and OpenVidu#521', async () => {
    const server = await startTestServer();
    const env = join(tempDir('ovsim-521-'), 'openvidu.env');
    writeFileSync(
      env,
      `OPENVIDU_WEBHOOK=true\nOPENVIDU_WEBHOOK_ENDPOINT=${server.url}\nOPENVIDU_WEBHOOK_EVENTS=[]\n`,
    );
    try {
      const r = await cli('run', 'default', '--speed', 'max', '--env-file', env);
      expect(server.count).toBe(0);
      expect(WARNING.exec(r.stderr)?.[1]).toBe(`--env-file ${env}`);
      expect(r.stderr).toMatch(/OpenVidu#521/);
      expect(r.stderr).toMatch(/filtered 65/);
    } finally {
      await server.close();
    }
  });

  it('run --webhook-events [] and load: the same warning; a list with events gets none', async () => {
    const server = await startTestServer();
    try {
      const flag = await cli(
        'run',
        'default',
        '--speed',
        'max',
        '--webhook-endpoint',
        server.url,
        '--webhook-events',
        '[]',
      );
      expect(WARNING.exec(flag.stderr)?.[1]).toBe('--webhook-events');
      const load = await cli('load', 'default', '--webhook-endpoint', server.url, '--webhook-events', '[]');
      expect(WARNING.exec(load.stderr)?.[1]).toBe('--webhook-events');
      expect(server.count).toBe(0);
      const some = await cli(
        'run',
        'default',
        '--speed',
        'max',
        '--webhook-endpoint',
        server.url,
        '--webhook-events',
        'sessionCreated',
      );
      expect(some.stderr).not.toMatch(WARNING);
      expect(server.count).toBe(2);
    } finally {
      await server.close();
    }
  });
});
