/** `--env-file`: OpenVidu's .env read with Node's parser — inline comments, quotes, multi-line values — and a located error for a line that is not KEY=VALUE. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile, resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { cli } from './run-cli.js';

function envFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ovsim-env-')), '.env');
  writeFileSync(file, text);
  return file;
}

describe('parseEnvFile', () => {
  it('drops inline comments, as docker compose and Node do', () => {
    const env = parseEnvFile(
      [
        '# OpenVidu configuration',
        'OPENVIDU_CDR=true            # write the CDR',
        'export OPENVIDU_CDR_PATH=/var/cdr',
        'OPENVIDU_WEBHOOK_ENDPOINT="http://127.0.0.1:7777/hook#frag" # quoted: the # stays',
        'OPENVIDU_WEBHOOK_EVENTS=[sessionCreated, sessionDestroyed] # two',
        'OPENVIDU_WEBHOOK_HEADERS=\'["Authorization: Basic b3Y6c2VjcmV0"]\'',
        '',
      ].join('\r\n'),
    );
    expect(env).toEqual({
      OPENVIDU_CDR: 'true',
      OPENVIDU_CDR_PATH: '/var/cdr',
      OPENVIDU_WEBHOOK_ENDPOINT: 'http://127.0.0.1:7777/hook#frag',
      OPENVIDU_WEBHOOK_EVENTS: '[sessionCreated, sessionDestroyed]',
      OPENVIDU_WEBHOOK_HEADERS: '["Authorization: Basic b3Y6c2VjcmV0"]',
    });
    const config = resolveOpenviduConfig({ envFile: env });
    expect(config.cdr).toBe(true);
    expect([...config.webhookEvents]).toEqual(['sessionCreated', 'sessionDestroyed']);
    expect(config.webhookHeaders).toEqual([{ name: 'Authorization', value: 'Basic b3Y6c2VjcmV0' }]);
  });

  it('reads a leading BOM and multi-line quoted values', () => {
    expect(parseEnvFile('\uFEFFA=1\nB="two\nlines"\nC=3\n')).toEqual({ A: '1', B: 'two\nlines', C: '3' });
  });

  it.each([
    ['A=1\nnot a setting\nB=2\n', /^\.env:2: "not a setting" is not KEY=VALUE$/],
    ['=value\nOPENVIDU_CDR=true\n', /^\.env:1: "=value" is not KEY=VALUE$/],
    ['OPENVIDU_CDR: true\n', /^\.env:1: "OPENVIDU_CDR: true" is not KEY=VALUE$/],
  ])('refuses a line that is not KEY=VALUE, naming file and line: %j', (text, message) => {
    expect(() => parseEnvFile(text, '.env')).toThrow(message);
  });
});

describe('ovsim run --env-file', () => {
  it('names the file and line of a bad line (exit 2)', async () => {
    const file = envFile('OPENVIDU_CDR=false\nOPENVIDU_WEBHOOK true\n');
    const r = await cli('run', 'basic-call', '--env-file', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ovsim: ${file}:2: "OPENVIDU_WEBHOOK true" is not KEY=VALUE\n`);
  });

  it('reports a bad value without its comment', async () => {
    const r = await cli('run', 'basic-call', '--env-file', envFile('OPENVIDU_CDR=maybe   # or not\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OPENVIDU_CDR=maybe: must be');
  });
});
