/**
 * The published package: what `npm pack` puts in it, and whether its type declarations work for a consumer who has
 * only the package, its dependencies and `@types/node` — not our devDependencies (`@types/express` leaked once).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './markdown.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

let work: string;
let declarations: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ovsim-package-'));
  declarations = path.join(work, 'node_modules', pkg.name, 'dist');
  // The declarations as `npm run build` makes them, into a folder of our own (dist/ may be in use).
  await run(
    process.execPath,
    [
      TSC,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      declarations,
      '--emitDeclarationOnly',
      '--sourceMap',
      'false',
    ],
    { cwd: ROOT },
  );
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Bare module specifiers reachable from `entry` through the declarations' imports, with the file importing each. */
function reachableModules(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.typeReferenceDirectives) found.set(`@types/${ref.fileName}`, file);
    for (const { fileName } of [...info.importedFiles, ...info.referencedFiles]) {
      if (fileName.startsWith('.'))
        visit(path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.d.ts')));
      else if (!found.has(fileName)) found.set(fileName, file);
    }
  };
  visit(entry);
  return found;
}

/** The package a specifier belongs to (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

describe('the published package', () => {
  it('declares types that use only Node and production dependencies', () => {
    const leaks = [...reachableModules(path.join(declarations, 'index.d.ts'))]
      .filter(([specifier]) => !specifier.startsWith('node:') && !(packageOf(specifier) in pkg.dependencies))
      .map(([specifier, file]) => `${specifier} (imported by ${path.relative(declarations, file)})`);
    expect(leaks).toEqual([]);
  });

  it('type-checks the documented library examples for a consumer without our devDependencies', async () => {
    const consumer = path.join(work, 'consumer');
    await mkdir(consumer, { recursive: true });
    const modules = path.join(work, 'node_modules');
    await copyFile(path.join(ROOT, 'package.json'), path.join(modules, pkg.name, 'package.json'));
    // The consumer's own @types/node, and our production dependencies as npm would install them.
    for (const dep of ['@types/node', 'undici-types', ...Object.keys(pkg.dependencies)]) {
      await mkdir(path.dirname(path.join(modules, dep)), { recursive: true });
      await symlink(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
    }
    const examples = codeBlocks(readFileSync(path.join(ROOT, 'docs/library.md'), 'utf8')).filter(
      (b) => b.lang === 'ts',
    );
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const files = await Promise.all(
      examples.map(async (b, i) => {
        const file = path.join(consumer, `example-${i}.ts`);
        await writeFile(file, b.code);
        return file;
      }),
    );
    await writeFile(path.join(consumer, 'package.json'), JSON.stringify({ type: 'module' }));
    const options = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      'false',
      '--module',
      'nodenext',
      '--target',
      'es2023',
    ];
    const result = await run(process.execPath, [TSC, ...options, '--types', 'node', ...files], {
      cwd: consumer,
    }).catch((e: { stdout?: string; stderr?: string }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? 'failed',
    }));
    expect(`${result.stdout}${result.stderr}`).toBe('');
  }, 120_000);

  it('packs the CLI, the library, the scenarios, their JSON Schema and the licence', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = new Set(
      (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [],
    );
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/ovsim.js', 'schema/scenario.schema.json']) {
      expect(files, f).toContain(f);
    }
    expect([...files].filter((f) => f.startsWith('scenarios/')).length).toBeGreaterThan(10);
    if (existsSync(path.join(ROOT, 'dist/index.js'))) {
      expect(files).toContain('dist/index.d.ts');
      expect(files).toContain('dist/cli/main.js');
    }
    expect(
      [...files].filter((f) => f.startsWith('test/') || f.startsWith('scripts/') || f.endsWith('.test.ts')),
    ).toEqual([]);
  }, 60_000);

  it('has a licence file of the licence package.json names', () => {
    const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect((pkg as unknown as { license: string }).license).toBe('Apache-2.0');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license.length).toBeGreaterThan(10_000);
  });
});
