/**
 * The ovsim package root (where `package.json`, `scenarios/` and `src/server/public/` live), found by walking up from
 * this module: the same answer from `src/` under tsx, from `dist/` after the build, and from `dist-bench/src/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ovsim'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(fileURLToPath(import.meta.url)), '..');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
