/**
 * Runs the code blocks of a document as a reader would, in a scratch copy of the checkout, against servers on the
 * loopback interface, each command bounded in time:
 *
 * - `sh` (fenced or indented): each command in order with bash (`set -e -o pipefail`; variables live within the
 *   block). A server (`ovsim serve`/`receive`, or a command ending in `&`) is started in the background, given a
 *   port, and kept until a later one wants the same port or `stopServers()`; it must then exit cleanly and report no
 *   lifecycle error.
 * - `text` marked `<!-- output -->`: each line must be a line the previous block printed (`…` stands for anything).
 * - `yaml`: a scenario: generated and validated with ovsim. `js` and `ts`: run with node and tsx.
 * - `json`: parsed.
 *
 * Ports: every port the document names is mapped to a free one (servers of parallel runs never collide), in URLs,
 * `--port` and a server's default port alike. `ovsim` is the package's binary (bin/ovsim.js, on dist/); `curl`
 * fails on HTTP errors (`--fail-with-body`); `npm` skips the commands the caller lists (e.g. `npm ci`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import type { CodeBlock } from './markdown.js';

export interface RunnerOptions {
  /** The checkout whose package is exercised. */
  readonly repo: string;
  /** An empty folder: the scratch copy (symbolic links to the checkout) where commands run. */
  readonly work: string;
  /** `npm …` commands answered with "skipped" instead of run, exactly as written after `npm`. */
  readonly skippedNpm: readonly string[];
  /** Flags added to commands (after the matched prefix), to keep long examples short. */
  readonly speedUps: readonly { readonly command: RegExp; readonly add: string }[];
  /** The port a server command listens on when it names none: its documented default. */
  readonly defaultPorts: Readonly<Record<'serve' | 'receive', number>>;
  /** Longest run of one command, ms. */
  readonly commandTimeoutMs: number;
}

export interface CommandResult {
  readonly command: string;
  readonly code: number | null;
  readonly output: string;
}

interface Server {
  readonly command: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly log: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const SERVER = /^(?:ovsim|npm run ovsim --)\s+(serve|receive)\b/;
const BACKGROUND = /\s&\s*(?:#.*)?$/;
const PORT_IN_URL = /\b(127\.0\.0\.1|localhost):(\d{2,5})\b/g;
const PORT_FLAG = /--port[= ](\d{2,5})\b/g;
const MAX_OUTPUT = 256 * 1024;

/** A free port on the loopback interface (bound, read, released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Commands of a shell block: lines joined across trailing backslashes, blank lines and comment lines dropped. */
export function shellCommands(code: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const line of code.split('\n')) {
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (/\\$/.test(line)) {
      current += line.replace(/\\$/, '') + ' ';
      continue;
    }
    commands.push((current + line).trim());
    current = '';
  }
  if (current.trim() !== '') commands.push(current.trim());
  return commands;
}

/** Whether `…` (standing for anything) lets `pattern` match `line` whole. */
export function matchesOutputLine(pattern: string, line: string): boolean {
  const parts = pattern.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(line);
}

export class DocRunner {
  private readonly ports = new Map<number, number>();
  private readonly servers = new Map<number, Server>();
  /** What went wrong with servers stopped to free their port for another. */
  private readonly problems: string[] = [];
  private readonly shims: string;
  private readonly skipLog: string;
  private lastOutput = '';
  private seq = 0;

  constructor(private readonly o: RunnerOptions) {
    this.shims = path.join(o.work, '.doc-test-bin');
    this.skipLog = path.join(o.work, '.doc-test-skipped');
  }

  /** Lays out the scratch copy and the command shims, and maps every port the documents name to a free one. */
  async setup(documents: readonly string[]): Promise<void> {
    const { repo, work } = this.o;
    await mkdir(this.shims, { recursive: true });
    const keep = (name: string) => !['.git', 'out', 'cdr', 'coverage', 'test-artifacts'].includes(name);
    for (const name of readdirSync(repo).filter(keep))
      await symlink(path.join(repo, name), path.join(work, name));
    const which = async (name: string) => {
      for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
        const file = path.join(dir, name);
        if (existsSync(file)) return file;
      }
      throw new Error(`${name} is not on the PATH`);
    };
    const cases = this.o.skippedNpm
      .map(
        (c) =>
          `  ${quote(c)}) echo "npm ${c.replace(/"/g, '')}: skipped by the README test" | tee -a ${quote(this.skipLog)}; exit 0 ;;`,
      )
      .join('\n');
    const shims: Record<string, string> = {
      ovsim: `exec ${quote(process.execPath)} ${quote(path.join(repo, 'bin/ovsim.js'))} "$@"`,
      curl: `exec ${quote(await which('curl'))} --fail-with-body --silent --show-error --max-time 30 "$@"`,
      npm: `case "$*" in\n${cases}\nesac\nexec ${quote(await which('npm'))} "$@"`,
    };
    for (const [name, body] of Object.entries(shims)) {
      const file = path.join(this.shims, name);
      await writeFile(file, `#!/bin/sh\n${body}\n`);
      await chmod(file, 0o755);
    }
    const named = new Set<number>(Object.values(this.o.defaultPorts));
    for (const text of documents) {
      for (const m of text.matchAll(PORT_IN_URL)) named.add(Number(m[2]));
      for (const m of text.matchAll(PORT_FLAG)) named.add(Number(m[1]));
    }
    for (const port of named) this.ports.set(port, await freePort());
  }

  /** The `npm` commands the shim skipped so far. */
  async skipped(): Promise<string[]> {
    const text = await readFile(this.skipLog, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^npm (.*): skipped by the README test$/, '$1'));
  }

  /** The block's text with the documents' ports replaced by this run's. */
  private mapPorts(text: string): string {
    const map = (p: string) => String(this.ports.get(Number(p)) ?? p);
    return text
      .replace(PORT_IN_URL, (_m, host: string, p: string) => `${host}:${map(p)}`)
      .replace(PORT_FLAG, (_m, p: string) => `--port ${map(p)}`);
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${this.shims}${path.delimiter}${process.env['PATH'] ?? ''}`,
      NO_COLOR: '1',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
    };
  }

  /** Runs one block; throws with the command and its output when something does not work as written. */
  async run(block: CodeBlock): Promise<CommandResult[]> {
    const code = this.mapPorts(block.code);
    const where = `line ${block.line}`;
    if (/\bnpx ovsim\b/.test(code)) {
      // npm exec does not run a project's own bin inside its clone: it asks the registry, which has no ovsim.
      throw new Error(
        `${where}: \`npx ovsim\` does not work in a clone; write \`ovsim\` (after npm link) or \`npm run ovsim --\``,
      );
    }
    if (block.marker === 'output') return [this.checkOutput(code, where)];
    switch (block.lang) {
      case 'sh':
      case 'bash':
      case 'shell':
        return this.runShell(code, where);
      case 'yaml':
        return this.runScenario(code, where);
      case 'js':
        return [await this.runFile(code, 'mjs', [process.execPath], where)];
      case 'ts':
        return [await this.runFile(code, 'ts', [path.join(this.o.repo, 'node_modules/.bin/tsx')], where)];
      case 'json':
        JSON.parse(code);
        return [];
      default:
        throw new Error(
          `${where}: no way to run a \`${block.lang || 'plain'}\` block: mark it <!-- not-run: why -->`,
        );
    }
  }

  private checkOutput(expected: string, where: string): CommandResult {
    const printed = this.lastOutput.split('\n');
    for (const line of expected.split('\n').filter((l) => l.trim() !== '')) {
      if (!printed.some((p) => matchesOutputLine(line, p))) {
        throw new Error(
          `${where}: the block above did not print a line like\n${line}\nIt printed:\n${this.lastOutput.slice(0, 4000)}`,
        );
      }
    }
    return { command: '(output)', code: 0, output: '' };
  }

  private async runShell(code: string, where: string): Promise<CommandResult[]> {
    const results: CommandResult[] = [];
    let chunk: string[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const script = chunk.join('\n');
      chunk = [];
      results.push(await this.exec(['bash', '-c', `set -e -o pipefail\n${script}`], script, where));
    };
    for (let command of shellCommands(code)) {
      for (const s of this.o.speedUps) command = command.replace(s.command, (m) => `${m} ${s.add}`);
      const server = SERVER.exec(command);
      if (server || BACKGROUND.test(command)) {
        await flush();
        await this.startServer(command.replace(BACKGROUND, ''), server?.[1], where);
      } else {
        chunk.push(command);
      }
    }
    await flush();
    this.lastOutput = results.map((r) => r.output).join('');
    return results;
  }

  private async runScenario(code: string, where: string): Promise<CommandResult[]> {
    const file = path.join(this.o.work, `doc-block-${++this.seq}.yaml`);
    await writeFile(file, code);
    // A generate: block is kept to half an hour of arrivals: enough to exercise every part of it.
    const short = /^generate:/m.test(code) ? ' --set duration=30m' : '';
    return this.runShell(
      `ovsim generate ${quote(file)} --out ${quote(file)}.jsonl${short}\novsim validate ${quote(file)}.jsonl\n`,
      where,
    );
  }

  private async runFile(code: string, ext: string, runner: string[], where: string): Promise<CommandResult> {
    // In the scratch copy, so that its imports resolve as in the checkout ('ovsim' itself included).
    const file = path.join(this.o.work, `doc-block-${++this.seq}.${ext}`);
    await writeFile(file, code);
    const result = await this.exec(
      [...runner, file],
      `${path.basename(runner[runner.length - 1] ?? '')} ${file}`,
      where,
    );
    this.lastOutput = result.output;
    return result;
  }

  /** Runs a command to its end within the time limit; throws unless it exits 0. */
  private exec(argv: string[], shown: string, where: string): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const [cmd = 'false', ...args] = argv;
      const child = spawn(cmd, args, {
        cwd: this.o.work,
        env: this.env(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const take = (b: Buffer) => {
        if (output.length < MAX_OUTPUT) output += b.toString();
      };
      child.stdout?.on('data', take);
      child.stderr?.on('data', take);
      const timer = setTimeout(() => {
        output += `\n[killed after ${this.o.commandTimeoutMs} ms]`;
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, this.o.commandTimeoutMs);
      child.on('error', (e) => (clearTimeout(timer), reject(e)));
      child.on('close', (code) => {
        clearTimeout(timer);
        const result = { command: shown, code, output };
        if (code === 0) resolve(result);
        else reject(new Error(`${where}: \`${shown}\` exited ${code}:\n${output.slice(-6000)}`));
      });
    });
  }

  private async startServer(command: string, kind: string | undefined, where: string): Promise<void> {
    let line = command.replace(/\s#.*$/, '');
    let port = Number(/--port[= ](\d{2,5})\b/.exec(line)?.[1] ?? NaN);
    if (Number.isNaN(port)) {
      if (kind !== 'serve' && kind !== 'receive')
        throw new Error(`${where}: background command without --port: ${command}`);
      port = this.ports.get(this.o.defaultPorts[kind]) ?? this.o.defaultPorts[kind];
      line = `${line} --port ${port}`;
    }
    const previous = this.servers.get(port);
    const problem = previous && (await this.stop(previous));
    if (problem) this.problems.push(problem);
    const log = path.join(this.o.work, `server-${++this.seq}.log`);
    const out = createWriteStream(log);
    const child = spawn('bash', ['-c', `exec ${line}`], {
      cwd: this.o.work,
      env: this.env(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const server: Server = { command: line, port, child, log, exited };
    this.servers.set(port, server);
    const deadline = Date.now() + this.o.commandTimeoutMs;
    let gone = false;
    void exited.then(() => (gone = true));
    while (!(await canConnect(port))) {
      if (gone || Date.now() > deadline) {
        this.servers.delete(port);
        if (!gone && child.pid) process.kill(-child.pid, 'SIGKILL');
        throw new Error(
          `${where}: \`${line}\` did not listen on port ${port}:\n${await readFile(log, 'utf8')}`,
        );
      }
      await sleep(100);
    }
  }

  /** Interrupts a server as Ctrl-C would; returns what went wrong, if anything. */
  private async stop(server: Server): Promise<string | undefined> {
    this.servers.delete(server.port);
    if (server.child.pid && server.child.exitCode === null) process.kill(-server.child.pid, 'SIGINT');
    const timeout = sleep(this.o.commandTimeoutMs).then(() => 'timeout' as const);
    const end = await Promise.race([server.exited, timeout]);
    const log = await readFile(server.log, 'utf8').catch(() => '');
    if (end === 'timeout') {
      if (server.child.pid) process.kill(-server.child.pid, 'SIGKILL');
      return `\`${server.command}\` did not stop on SIGINT within ${this.o.commandTimeoutMs} ms`;
    }
    const clean = end.code === 0 || end.code === 130 || end.signal === 'SIGINT';
    const lifecycle = /lifecycle: ([1-9]\d*) errors/.exec(log);
    if (!clean || lifecycle) {
      return `\`${server.command}\` ended with ${end.code ?? end.signal}${lifecycle ? ` and ${lifecycle[1]} lifecycle errors` : ''}:\n${log.slice(-6000)}`;
    }
    return undefined;
  }

  /** Stops every server still running; returns the problems found (none when all ended cleanly). */
  async stopServers(): Promise<string[]> {
    const problems = this.problems.splice(0);
    for (const server of [...this.servers.values()]) {
      const problem = await this.stop(server);
      if (problem) problems.push(problem);
    }
    return problems;
  }
}
