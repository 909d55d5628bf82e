import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run-cli.js';
import { readTruth } from '../../src/score/read-inputs.js';
import type { Truth } from '../../src/truth/truth-schema.js';

export interface GeneratedRun {
  /** The WebHook bodies written, parsed. */
  readonly events: Record<string, unknown>[];
  readonly truth: Truth;
  readonly hooksFile: string;
  readonly truthFile: string;
}

/** `ovsim generate <scenario> --format webhook --out … --truth … [extra]`, in-process; the truth read back and checked. */
export async function generateWithTruth(scenario: string, ...extra: string[]): Promise<GeneratedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-truth-'));
  const hooksFile = join(dir, 'hooks.jsonl');
  const truthFile = join(dir, 'truth.json');
  const r = await cli(
    'generate',
    scenario,
    '--format',
    'webhook',
    '--out',
    hooksFile,
    '--truth',
    truthFile,
    ...extra,
  );
  if (r.code !== 0) throw new Error(`generate ${scenario} exited ${r.code}: ${r.stderr}`);
  const events = readFileSync(hooksFile, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { events, truth: await readTruth(truthFile), hooksFile, truthFile };
}
