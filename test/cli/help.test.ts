/** Help, version, examples and flag groups, as a user meets them (gh, stripe and k6 habits). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS } from '../../src/cli/commands/index.js';
import { HELP_LAYOUTS } from '../../src/cli/help-layout.js';
import { cli } from './run-cli.js';
import { ovsim } from './spawn-ovsim.js';

const COMMANDS = COMMAND_LOADERS.map(([name]) => name);
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('ovsim, ovsim -h, --help and help: the top-level help on stdout, exit 0', () => {
  it('prints the same help for every way of asking (no arguments: as a real process)', async () => {
    const runs = [await ovsim([]), await cli('-h'), await cli('--help'), await cli('help')];
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(runs[0]!.stdout);
    }
    const help = runs[0]!.stdout;
    expect(help).toMatch(/^ovsim <command> \[options\]/);
    for (const name of [...COMMANDS, 'completion'])
      expect(help).toMatch(new RegExp(`^ {2}ovsim ${name}\\b`, 'm'));
    expect(help).toMatch(/^Examples:\n {2}# /m);
    expect(help).toMatch(/^ {2}ovsim help generate$/m);
  });

  it("--version prints package.json's version", async () => {
    const r = await ovsim(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe("each command's help", () => {
  it.each(COMMANDS)('%s: -h, --help and ovsim help <command> print it, with examples', async (name) => {
    const [short, long, viaHelp] = await Promise.all([
      cli(name, '-h'),
      cli(name, '--help'),
      cli('help', name),
    ]);
    for (const r of [short, long, viaHelp]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(short.stdout);
    }
    const help = short.stdout;
    expect(help).toMatch(new RegExp(`^ovsim ${name}\\b`));
    const examples = help.slice(help.indexOf('\nExamples:\n'));
    expect(examples.length).toBeGreaterThan(20);
    for (const [command, description] of HELP_LAYOUTS[name]!.examples) {
      expect(examples).toContain(`  # ${description}\n  ${command.replace(/\$0/g, 'ovsim')}`);
    }
  });

  it.each(COMMANDS)('%s: every flag is in a titled group (none left under "Options:")', async (name) => {
    const help = (await cli(name, '--help')).stdout;
    expect(help).not.toMatch(/^Options:$/m);
    const titles = [...help.matchAll(/^([A-Z][^\n]*):$/gm)].map((m) => m[1]);
    for (const [title] of HELP_LAYOUTS[name]!.groups) {
      // a group whose flags the command does not have is left out; the others appear in the table's order
      if (titles.includes(title.slice(0, -1))) expect(help).toMatch(new RegExp(`^${escape(title)}\\n`, 'm'));
    }
    expect(titles.at(-2)).toBe('General');
    expect(titles.at(-1)).toBe('Examples');
  });

  it('run groups the load-only flags apart from what run itself uses', async () => {
    const help = (await cli('run', '--help')).stdout;
    const load = help.slice(help.indexOf('Load delivery (only with --delivery load):'));
    expect(load.slice(0, load.indexOf('\n\n'))).toMatch(/--rate[\s\S]*--duration[\s\S]*--max-p99/);
    const sender = help.slice(help.indexOf('WebHook sender:'));
    expect(sender.slice(0, sender.indexOf('\n\n'))).not.toContain('--rate');
  });

  it('load does not offer the CDR flags it refuses (load writes no CDR file)', async () => {
    const help = (await cli('load', '--help')).stdout;
    expect(help).toContain('--webhook-endpoint');
    expect(help).not.toMatch(/--cdr/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
