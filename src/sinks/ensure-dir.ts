/**
 * Creates a file's folder and its missing parents, one `mkdir` per missing level — bounded by the path's depth.
 * Node's `mkdirSync(…, { recursive: true })` loops forever on some paths (under `/proc`, where `mkdir` answers ENOENT
 * for a parent that exists); here such a path fails at once with that error.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function ensureDir(dir: string): void {
  const missing: string[] = [];
  // Bounded: each round climbs one level, and the root is its own parent.
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Created meanwhile by someone else: fine.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
