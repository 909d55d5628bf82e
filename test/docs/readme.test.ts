/**
 * Every command and code block of README.md and docs/library.md works as written (see doc-runner.ts for how each
 * kind of block is run). What cannot run here is marked in the document and listed below, so that neither list can
 * change without the other.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocRunner, matchesOutputLine, shellCommands } from './doc-runner.js';
import { codeBlocks, type CodeBlock } from './markdown.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCUMENTS = ['README.md', 'docs/library.md'];

/** Blocks marked `<!-- not-run: … -->`, by their first line, and why they cannot run here. */
const NOT_RUN: Record<string, string> = {
  'mkdir -p out/cdr': 'Docker compose: no Docker engine in CI (test/docs/docker.test.ts checks the files)',
  'npm run check          # lint + type-check + tests':
    'runs the suite itself, rewrites golden files, benchmarks',
};
/** `npm` commands marked `<!-- skips: "…" -->`: seen by the test, not run. */
const SKIPPED_NPM = [
  'ci', // reinstalling node_modules under the running suite would break it; CI ran it before the tests
  'test', // the suite this test belongs to
  'run bench:generate -- --duration 240h', // a benchmark of minutes
];
/** Long examples made short with a flag the README itself shows. */
const SPEED_UPS = [{ command: /^ovsim generate busy-day\b/, add: '--set duration=1h' }];
/** The ports `ovsim serve` and `ovsim receive` listen on without --port. */
const DEFAULT_PORTS = { serve: 5443, receive: 8090 } as const;

const docs = DOCUMENTS.map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
const blocks = docs.flatMap(({ file, text }) => codeBlocks(text).map((b) => ({ file, ...b })));
const notRun = (b: CodeBlock) => b.marker?.startsWith('not-run:') === true;
const firstLine = (b: CodeBlock) => b.code.split('\n')[0] ?? '';

/** Builds dist/ when a source is newer: the binary and `import 'ovsim'` run the compiled package. */
async function ensureBuilt(): Promise<void> {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  let built = 0;
  try {
    built = statSync(path.join(ROOT, 'dist/index.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newest(path.join(ROOT, 'src'))) return;
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
}

describe('the documents themselves', () => {
  it('open the README with the two commands of a fresh clone: the main job and the tests', () => {
    const first = blocks.find((b) => b.file === 'README.md');
    expect(first?.line).toBeLessThan(8);
    expect(shellCommands(first?.code ?? '')).toEqual([
      expect.stringMatching(/^npm ci && npm start\b/),
      expect.stringMatching(/^npm ci && npm test\b/),
    ]);
  });

  it('mark exactly the blocks this test does not run, and the npm commands it skips', () => {
    const marked = blocks.filter(notRun).map(firstLine);
    expect(marked.sort()).toEqual(Object.keys(NOT_RUN).sort());
    const skips = blocks
      .filter((b) => b.marker?.startsWith('skips:'))
      .flatMap((b) => [...(b.marker ?? '').matchAll(/"npm ([^"]+)"/g)].map((m) => m[1]));
    expect(skips.sort()).toEqual([...SKIPPED_NPM].sort());
  });

  it('point to files that exist in the repository', () => {
    for (const { file, text } of docs) {
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/.test(target)) continue;
        expect(
          () => statSync(path.resolve(ROOT, path.dirname(file), target)),
          `${file} → ${target}`,
        ).not.toThrow();
      }
      expect(text, file).not.toMatch(/\.\.\/shared\/|spec §/);
    }
  });

  it('extracts fenced and indented blocks with their markers, not list continuations', () => {
    const sample = [
      '# Title',
      '',
      '<!-- not-run: why -->',
      '```sh',
      'echo fenced',
      '```',
      '',
      'Text:',
      '',
      '    echo indented \\',
      '      --flag',
      '',
      '- a list item',
      '',
      '    continued item text',
      '',
    ].join('\n');
    const found = codeBlocks(sample);
    expect(found.map((b) => [b.lang, b.code, b.marker, b.fenced])).toEqual([
      ['sh', 'echo fenced\n', 'not-run: why', true],
      ['sh', 'echo indented \\\n  --flag\n', undefined, false],
    ]);
    expect(shellCommands(found[1]?.code ?? '')).toEqual(['echo indented    --flag']);
  });

  it('match output lines with … as a wildcard', () => {
    expect(matchesOutputLine('[INFO] a … b', '[INFO] a {"x":1} b')).toBe(true);
    expect(matchesOutputLine('[INFO] a … b', '[WARN] a {"x":1} b')).toBe(false);
  });
});

describe.sequential('every block works as written', () => {
  let work = '';
  let runner: DocRunner;

  beforeAll(async () => {
    await ensureBuilt();
    work = await mkdtemp(path.join(tmpdir(), 'ovsim-readme-'));
    runner = new DocRunner({
      repo: ROOT,
      work,
      skippedNpm: SKIPPED_NPM,
      speedUps: SPEED_UPS,
      defaultPorts: DEFAULT_PORTS,
      commandTimeoutMs: 45_000,
    });
    await runner.setup(docs.map((d) => d.text));
  }, 180_000);

  afterAll(async () => {
    await runner?.stopServers();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  for (const block of blocks.filter((b) => !notRun(b))) {
    it(`${block.file}:${block.line} (${block.section}) ${firstLine(block).slice(0, 60)}`, async () => {
      await runner.run(block);
    }, 90_000);
  }

  it('leaves every server it started ending cleanly, and skipped exactly the listed npm commands', async () => {
    expect(await runner.stopServers()).toEqual([]);
    expect([...new Set(await runner.skipped())].sort()).toEqual([...SKIPPED_NPM].sort());
  }, 60_000);
});
