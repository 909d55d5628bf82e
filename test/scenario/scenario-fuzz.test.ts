/**
 * Fuzzing the scenario parser and the generator behind it with hostile files (see fuzz-arbitraries.ts). Whatever the
 * file, ovsim either writes valid lines or refuses it with located problems: no crash, no hang (the test's timeout),
 * no unlocated error, no stack trace, and — through the CLI — nothing half-written.
 *
 * Small by default (300 cases in-process, a tenth through the CLI); `OVSIM_FUZZ_RUNS=5000` for a longer run,
 * `OVSIM_FUZZ_SEED` for other cases.
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { scenarioBatches } from '../../src/generate/scenario-batches.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { isWritableInstant } from '../../src/model/time-bounds.js';
import { cli } from '../cli/run-cli.js';
import { FUZZ_RUNS, FUZZ_SEED, scenarioFile } from './fuzz-arbitraries.js';

/**
 * Events read from each accepted scenario: enough for its steps and a few generated sessions (a valid block can ask
 * for a day of traffic, or meetings of thousands whose events grow as the square).
 */
const EVENTS = 20_000;
/** A fixed wall clock for `start: now`, so a case reproduces. */
const NOW = Date.parse('2024-06-01T12:00:00Z');

type Outcome = 'accepted' | 'refused';

/** Parses, resolves and plays the first batches of a scenario text, checking what comes out or what is refused. */
function playInProcess(text: string, file: string): Outcome {
  try {
    const scenario = parseScenarioText(text, file);
    const settings = resolveSettings(scenario, { now: NOW });
    let n = 0;
    for (const batch of scenarioBatches(scenario, settings)) {
      n += batch.events.length;
      for (const event of batch.events) {
        const line = settings.profile.serializeCdr(event);
        if (line === undefined) continue;
        const body = Object.values(JSON.parse(line) as Record<string, { timestamp: number }>)[0]!;
        expect(isWritableInstant(body.timestamp), line).toBe(true);
      }
      if (n >= EVENTS) break;
    }
    return 'accepted';
  } catch (e) {
    expectLocatedRefusal(e, text);
    return 'refused';
  }
}

function expectLocatedRefusal(e: unknown, text: string): void {
  if (!(e instanceof ScenarioError)) {
    throw new Error(`not a located scenario error: ${String(e)}\n--- for ---\n${text.slice(0, 2000)}`, {
      cause: e,
    });
  }
  for (const p of e.problems) {
    expect(
      p.location,
      `unlocated: ${p.path}: ${p.message}\n--- for ---\n${text.slice(0, 2000)}`,
    ).toBeDefined();
  }
}

describe(`scenario fuzzing (${FUZZ_RUNS} cases, seed ${FUZZ_SEED})`, () => {
  it(
    'in-process: valid output or located problems, never anything else',
    { timeout: 60_000 + FUZZ_RUNS * 100 },
    () => {
      const seen: Record<Outcome, number> = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(scenarioFile, ({ file, text }) => {
          seen[playInProcess(text, file)]++;
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
      );
      // The cases reach both ends: a fuzzer that only produced syntax errors would test little.
      expect(seen.accepted).toBeGreaterThan(FUZZ_RUNS / 50);
      expect(seen.refused).toBeGreaterThan(FUZZ_RUNS / 2);
    },
  );

  it(
    'through the CLI: exit 0 with a whole file, or exit 2 with located messages, no stack and no file',
    { timeout: 60_000 + FUZZ_RUNS * 300 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ovsim-fuzz-'));
      const runs = Math.max(10, Math.round(FUZZ_RUNS / 10));
      try {
        await fc.assert(
          fc.asyncProperty(scenarioFile, async ({ file, text }) => {
            const path = join(dir, file);
            const out = join(dir, 'out.cdr');
            writeFileSync(path, text);
            // Generated traffic is cut short (a day of it would take the test's time, not test more).
            const r = await cli(
              'generate',
              path,
              '--out',
              out,
              '--workers',
              '1',
              '--start',
              '2024-01-01T00:00:00Z',
              ...short(text),
            );
            const context = `${r.stderr}\n--- for ---\n${text.slice(0, 2000)}`;
            expect(r.stderr, context).not.toMatch(/internal error|\n\s+at /);
            expect([0, 2], context).toContain(r.code);
            if (r.code === 2) {
              expect(existsSync(out), context).toBe(false);
              for (const line of r.stderr.trimEnd().split('\n')) {
                expect(line, context).toMatch(/^(ovsim: )?(\S+:\d+:\d+ |--\S)/);
              }
            } else {
              for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
              rmSync(out);
            }
            expect(readdirSync(dir).sort(), context).toEqual([file]);
            rmSync(path);
          }),
          { numRuns: runs, seed: FUZZ_SEED + 1 },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

/**
 * `--set` overrides that keep a generate: block small (the in-process test reads the hostile blocks as they are; here
 * a valid one could ask for a day of traffic or a meeting of thousands).
 */
function short(text: string): string[] {
  if (!/generate/.test(text)) return [];
  const small = ['duration=10m', 'sessions.limit=3'];
  for (const kind of ['meeting', 'webinar', 'ipcam']) small.push(`${kind}.participants=2`);
  return small.flatMap((s) => ['--set', s]);
}
