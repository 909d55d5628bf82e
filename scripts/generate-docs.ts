/**
 * `npm run docs:generate`: rewrites schema/*.schema.json and docs/scenario-format.md from the zod schemas.
 * `--check` writes nothing and exits 1 when a committed file differs (the test suite does the same).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generatedFiles, REPO_ROOT } from './docs/generated-files.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of await generatedFiles()) {
  const target = path.join(REPO_ROOT, file);
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current === text) continue;
  if (check) {
    stale++;
    console.error(`${file} is out of date: run npm run docs:generate`);
    continue;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
  console.error(`wrote ${file}`);
}
process.exitCode = stale > 0 ? 1 : 0;
