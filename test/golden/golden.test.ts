import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, scriptedScenarios } from './bundled.js';
import { render } from './render.js';

describe('golden files of the bundled scenarios (npm run golden:update rewrites them deliberately)', () => {
  const names = scriptedScenarios();
  it('covers at least one scenario per cascade of spec §4', () => {
    for (const n of ['leave-reasons', 'unpublish-and-unsubscribe', 'last-participant-recording', 'autostop-zero',
      'session-closed-by-server', 'recording-stopped-by-server', 'server-shutdown', 'media-server-reconnect',
      'media-server-crash', 'ip-camera', 'default']) {
      expect(names).toContain(n);
    }
  });
  for (const name of names) {
    for (const format of ['cdr', 'webhook'] as const) {
      it(`${name} (${format}) is byte-identical to its golden file`, async () => {
        const file = join(GOLDEN_DIR, `${name}.${format}.jsonl`);
        expect(existsSync(file), `${file} is missing: run npm run golden:update`).toBe(true);
        expect(await render(name, format)).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});
