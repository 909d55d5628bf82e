/** `ovsim serve`'s fake-OpenVidu options on the command line (dry runs: nothing listens). */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

describe('ovsim serve --client-policy', () => {
  it('accepts presets and JSON policies, and names the option of a bad one (exit 2)', async () => {
    const manual = await cli('serve', '--dry-run', '--client-policy', 'manual');
    expect(manual.code).toBe(0);
    expect(manual.stderr).toContain('OpenVidu REST API at /openvidu/api (clients: manual)');
    const json = await cli(
      'serve',
      '--dry-run',
      '--client-policy',
      '{"join":"1s..3s","stay":"exp:5m","leaveReason":"networkDisconnect"}',
    );
    expect(json.code).toBe(0);
    expect(json.stderr).toContain('(clients: auto)');
    const bad = await cli('serve', '--dry-run', '--client-policy', '{"stay":"a while"}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--client-policy.stay');
    const unknown = await cli('serve', '--dry-run', '--client-policy', '{"jion":"1s"}');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--client-policy.jion: unknown field'),
    });
  });
});
