import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

describe('ovsim scenarios', () => {
  it('--json lists the same scenarios as the text, with their whole descriptions and files', async () => {
    const text = await cli('scenarios');
    const json = await cli('scenarios', '--json');
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { name: string; description: string; file: string }[];
    const names = text.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    expect(list.map((s) => s.name)).toEqual(names);
    expect(list.length).toBeGreaterThan(10);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(['name', 'description', 'file']);
      expect(existsSync(s.file)).toBe(true);
      expect(text.stdout).toContain(`${s.name}`);
      expect(text.stdout).toContain(s.description.split('\n')[0]!.trim());
    }
  });
});
