import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const golden = (name: string) =>
  readFileSync(new URL(`../golden/${name}.cdr.jsonl`, import.meta.url), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'ovsim-out-'));
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const BIN = join(process.cwd(), 'src', 'cli', 'bin.ts');

const isCharDevice = (p: string) => existsSync(p) && statSync(p).isCharacterDevice();
const linux = process.platform === 'linux';

/**
 * A private copy of a Linux memory device (`null` 1:3, `full` 1:7) in a temporary folder, so a test — or a regression
 * of ovsim — can never replace the machine's own /dev/null or /dev/full. Undefined when devices cannot be made here
 * (not root, not Linux, a container without mknod).
 */
function privateDevice(name: 'null' | 'full'): string | undefined {
  if (!linux) return undefined;
  const path = join(tmp(), name);
  try {
    execFileSync('mknod', ['-m', '666', path, 'c', '1', name === 'null' ? '3' : '7'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return isCharDevice(path) ? path : undefined;
}
const devNull = privateDevice('null');
const devFull = privateDevice('full');

/**
 * Runs the CLI in a shell where files may not grow past `kib` KiB (`ulimit -f`): a write crossing the limit is cut
 * short and the next fails with EFBIG — a full disk, reproducibly and without privileges.
 */
function withFileLimit(kib: number, args: readonly string[], cwd: string) {
  const quoted = [TSX, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return promisify(execFile)('bash', ['-c', `trap '' XFSZ; ulimit -f ${kib}; exec ${quoted}`], { cwd }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('generate --out: what is at the path', () => {
  it('writes through a symbolic link and keeps the link (was replaced by a regular file)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join('real', 'target.cdr'), join(dir, 'link.cdr'));
    const r = await cli('generate', 'basic-call', '--out', join(dir, 'link.cdr'));
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.cdr')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.cdr'))).toBe(join('real', 'target.cdr'));
    expect(readFileSync(join(dir, 'real', 'target.cdr'), 'utf8')).toBe(golden('basic-call'));
    expect(readdirSync(dir).sort()).toEqual(['link.cdr', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['target.cdr']);
  });

  it('keeps the permissions of a file it replaces', async () => {
    const out = join(tmp(), 'out.cdr');
    writeFileSync(out, 'old\n', { mode: 0o640 });
    expect((await cli('generate', 'basic-call', '--out', out)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readFileSync(out, 'utf8')).toBe(golden('basic-call'));
  });

  it.skipIf(devNull === undefined)(
    'writes through a device and leaves it a device (a copy of /dev/null)',
    async () => {
      const r = await cli('generate', 'basic-call', '--out', devNull!);
      expect(r.code).toBe(0);
      expect(statSync(devNull!).isCharacterDevice()).toBe(true);
    },
  );

  it.skipIf(!linux)('writes through a FIFO to its reader (was replaced by a regular file)', async () => {
    const fifo = join(tmp(), 'pipe');
    await promisify(execFile)('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (d: Buffer) => (read += d.toString('utf8')));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    // The reader would wait forever on a FIFO that was replaced: it is ended either way.
    const r = await cli('generate', 'basic-call', '--out', fifo).finally(() =>
      setTimeout(() => reader.kill(), 2_000).unref(),
    );
    await closed;
    expect(r.code).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(read).toBe(golden('basic-call'));
  });

  it('refuses a directory', async () => {
    const dir = tmp();
    const r = await cli('generate', 'basic-call', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ovsim: cannot write ${dir}: it is a directory\n`);
  });
});

describe('a full disk: the file and the cause, exit 1, whole lines only', () => {
  it.skipIf(devFull === undefined)(
    'generate --out (a copy of) /dev/full: "no space left", exit 1, and it stays a device (was replaced as root)',
    async () => {
      const r = await cli('generate', 'default', '--out', devFull!);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ovsim: cannot write ${devFull!}: no space left on device (ENOSPC)\n`);
      expect(statSync(devFull!).isCharacterDevice()).toBe(true);
    },
  );

  it.skipIf(!linux)(
    'generate --out over the file size limit: named, exit 1, nothing left behind',
    async () => {
      const dir = tmp();
      const r = await withFileLimit(4, ['generate', 'default', '--out', 'out.cdr'], dir);
      expect(r.stderr).toBe('ovsim: cannot write out.cdr: file too large (EFBIG)\n');
      expect(r.code).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it.skipIf(!linux)(
    'run: the CDR file keeps whole lines only (was a torn last line and "internal error")',
    async () => {
      const dir = tmp();
      const r = await withFileLimit(4, ['run', 'default', '--cdr-path', 'cdr', '--speed', 'max'], dir);
      // run's report ends with the failure (`ovsim: FAILED: …`): the file and the cause.
      expect(r.stderr).toMatch(
        /^ovsim: (FAILED: )?cannot write cdr\/CDR\.2024-01-01_00-00-00\.log: file too large \(EFBIG\)$/m,
      );
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(1);
      const text = readFileSync(join(dir, 'cdr', 'CDR.2024-01-01_00-00-00.log'), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text.endsWith('\n')).toBe(true);
      expect(golden('default').startsWith(text)).toBe(true);
    },
  );

  it.skipIf(devFull === undefined)(
    'run: a CDR file on a full device is named with the cause, exit 1',
    async () => {
      const dir = tmp();
      mkdirSync(join(dir, 'cdr'));
      symlinkSync(devFull!, join(dir, 'cdr', 'CDR.2024-01-01_00-00-00.log'));
      const r = await cli('run', 'basic-call', '--cdr-path', join(dir, 'cdr'), '--speed', 'max');
      expect(r.stderr).toContain(
        `cannot write ${join(dir, 'cdr')}/CDR.2024-01-01_00-00-00.log: no space left on device (ENOSPC)`,
      );
      expect(r.code).toBe(1);
    },
  );
});

describe('a folder that cannot be made', () => {
  it.skipIf(!existsSync('/proc/self'))(
    'under /proc: an error at once (mkdir -p spun at 100 % CPU forever)',
    async () => {
      const run = promisify(execFile)(
        TSX,
        [BIN, 'generate', 'basic-call', '--out', '/proc/ovsim-x/y/out.cdr'],
        {
          timeout: 20_000,
        },
      ).then(
        () => ({ code: 0, stderr: '', killed: false }),
        (e: { code: number; stderr: string; killed: boolean }) => e,
      );
      const r = await run;
      expect(r.killed).toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'ovsim: cannot create directory /proc/ovsim-x/y (at /proc/ovsim-x): no such file or directory (ENOENT)\n',
      );
    },
  );
});
