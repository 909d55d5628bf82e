/** A real HTTP server on 127.0.0.1:0 recording every request, answering as each test tells it. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Received {
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly url: string;
}

export type Answer = { status: number; delayMs?: number } | 'destroy';

export interface TestServer {
  readonly url: string;
  readonly received: Received[];
  /** Requests that reached the server, including destroyed ones. */
  count: number;
  close(): Promise<void>;
}

export async function startTestServer(
  answer: (r: Received, n: number) => Answer = () => ({ status: 200 }),
): Promise<TestServer> {
  const received: Received[] = [];
  const state = { count: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
      };
      state.count++;
      const a = answer(r, state.count);
      if (a === 'destroy') {
        req.socket.destroy();
        return;
      }
      received.push(r);
      const send = () => res.writeHead(a.status, { 'Content-Length': '0' }).end();
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    get count() {
      return state.count;
    },
    set count(v) {
      state.count = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function tempDir(prefix = 'ovsim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A loopback URL nothing listens on: a port just bound and released. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/webhook`;
}

/** The JSON lines of a dead-letter file ([] when it is missing or empty). */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as T);
}

export interface OvsimProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
}

/**
 * `ovsim …` as a real process (signals, exit codes and crashes are the point); killed after `limitMs`. Node loads tsx
 * in-process (`--import tsx`): the `tsx` command would put a parent in between that relays signals and kills the child
 * when it does not acknowledge one within 30 ms — which a busy machine does not always manage.
 */
export function spawnOvsim(argv: readonly string[], limitMs = 25_000): OvsimProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, exited, stderr: () => stderr };
}

/** Runs `ovsim …` as a process to its end. */
export function ovsim(argv: readonly string[], limitMs?: number) {
  return spawnOvsim(argv, limitMs).exited;
}
