/**
 * Runs the cases of the validator's golden-diagnostics corpus and renders what `ovsim validate` reports for each:
 * every diagnostic (severity, `FILE:LINE: RULE: message`) and the summary. A corpus file holds one case per line:
 *
 * - `lines`: text lines, fed as bytes through {@link validateFiles} (standard input, file name `-`), the path of
 *   `ovsim validate`; or `base64`: the exact bytes (invalid UTF-8, CRLF, no final newline);
 * - `bodies`: `[name, body]` pairs fed to `pushEvent`, the path of the live WebHook receiver;
 * - `options`: the validator's options (`server`, `version`, `events`, `destroyedMemory`, `inputStartToleranceMs`,
 *   `maxLineBytes`).
 *
 * `npm run golden:diagnostics` rewrites the expected outputs (`<file>.expected.txt`) from the corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ServerKind } from '../../../src/cli/options.js';
import type { StreamSummary } from '../../../src/validate/stream-validator.js';
import { LifecycleValidator } from '../../../src/validate/validate-lines.js';
import {
  formatDiagnostic,
  formatSummary,
  validateFiles,
  type ValidateFilesOptions,
} from '../../../src/validate/validate-files.js';
import type { Diagnostic } from '../../../src/validate/rules.js';

export const CORPUS_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface CaseOptions {
  readonly server?: ServerKind;
  readonly version?: string;
  readonly events?: readonly string[];
  readonly destroyedMemory?: number;
  readonly inputStartToleranceMs?: number;
  readonly maxLineBytes?: number;
}

export interface Case {
  readonly name: string;
  readonly options?: CaseOptions;
  readonly lines?: readonly string[];
  readonly base64?: string;
  readonly bodies?: ReadonlyArray<readonly [string, Record<string, unknown>]>;
}

export interface CaseResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: StreamSummary;
}

/** The corpus files (`*.jsonl`) of the folder, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
}

export function readCorpus(file: string): Case[] {
  return readFileSync(join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Case);
}

export async function runCase(c: Case): Promise<CaseResult> {
  const opts = { ...(c.options ?? {}) } as ValidateFilesOptions;
  if (c.bodies !== undefined) {
    const { server: _server, ...rest } = opts;
    const v = new LifecycleValidator(rest);
    const diagnostics: Diagnostic[] = [];
    c.bodies.forEach(([name, body], i) =>
      diagnostics.push(...v.pushEvent(name, structuredClone(body), { file: 'live', line: i + 1 })),
    );
    diagnostics.push(...v.finish());
    return { diagnostics, summary: v.summary() };
  }
  const bytes =
    c.base64 !== undefined
      ? Buffer.from(c.base64, 'base64')
      : Buffer.from((c.lines ?? []).map((l) => `${l}\n`).join(''), 'utf8');
  const stdin = Readable.from(bytes.length === 0 ? [] : [bytes]);
  const { diagnostics, summary } = await validateFiles(['-'], { ...opts, stdin });
  return { diagnostics, summary };
}

/** The text of one case's outcome in an expected-output file. */
export function renderResult(c: Case, r: CaseResult): string {
  const head = `## ${c.name}${c.options === undefined ? '' : ` ${JSON.stringify(c.options)}`}`;
  const lines = r.diagnostics.map((d) => `${d.severity} ${formatDiagnostic(d)}`);
  return [head, ...lines, formatSummary(r.summary), ''].join('\n');
}

/** The expected output of a whole corpus file. */
export async function renderCorpus(file: string): Promise<string> {
  const parts: string[] = [];
  for (const c of readCorpus(file)) parts.push(renderResult(c, await runCase(c)));
  return parts.join('\n');
}
