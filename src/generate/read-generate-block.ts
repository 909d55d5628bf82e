/**
 * Turns a scenario's raw `generate:` block (plus `--set` overrides) into a validated `GenerateConfig`, with
 * messages that name the field: `scenario.yaml:12:11 generate.sessions.rate: "5/fortnight" is not a rate …`.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { OvsimError, ScenarioError, type ScenarioProblem, type SourceLocation } from '../errors.js';
import { GenerateSchema, type GenerateConfig } from './generate-schema.js';

type Segment = string | number;
/** Where a field of the scenario is written; undefined when it cannot be told. */
export type Locate = (path: readonly Segment[]) => SourceLocation | undefined;

/**
 * Applies `--set` overrides (`generate.sessions.rate=5/min`, `faults.networkDrop=0.1`) to a raw block, returning a
 * new block (the input is not modified). Values are read as YAML scalars or flow collections: `5` is a number,
 * `true` a boolean, `[1, 2]` a list, `5/min` a string. The `generate.` prefix is optional.
 *
 * @throws OvsimError BAD_INPUT for an override that is not `path=value`
 */
export function applySetOverrides(raw: unknown, overrides: readonly string[]): unknown {
  let root: unknown = structuredClone(raw ?? {});
  for (const o of overrides) {
    const eq = o.indexOf('=');
    const keyText = eq > 0 ? o.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/.test(keyText)) {
      throw new OvsimError(
        'BAD_INPUT',
        `--set "${o}" must be path=value, e.g. --set generate.sessions.rate=5/min`,
      );
    }
    const keys = keyText.split('.');
    if (keys[0] === 'generate') keys.shift();
    if (keys.length === 0) throw new OvsimError('BAD_INPUT', `--set "${o}" must name a field of generate`);
    root = setPath(root, keys, readValue(o.slice(eq + 1)));
  }
  return root;
}

function readValue(text: string): unknown {
  try {
    return parseYaml(text) ?? text;
  } catch {
    return text;
  }
}

function setPath(node: unknown, keys: readonly string[], value: unknown): unknown {
  const [head, ...rest] = keys;
  if (head === undefined) return value;
  const obj: Record<string, unknown> =
    typeof node === 'object' && node !== null && !Array.isArray(node)
      ? { ...(node as Record<string, unknown>) }
      : {};
  obj[head] = setPath(obj[head], rest, value);
  return obj;
}

/**
 * Validates a raw `generate:` block, filling every default.
 *
 * @param raw the block as written (`undefined` or `null` count as `{}`)
 * @param where where the block is written, to locate problems at `file:line:col`: a function from a path
 *   (`['generate', 'sessions', 'rate']`) to its place (the deepest written parent for a field the file lacks, such
 *   as an override's), or a file to read the block from; without it problems are unlocated
 * @throws ScenarioError (exit 2) listing every problem as `generate.<path>: message`
 */
export function readGenerateBlock(raw: unknown, where?: string | Locate): GenerateConfig {
  const result = GenerateSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const locate: Locate =
    where === undefined ? () => undefined : typeof where === 'string' ? locator(where) : where;
  const problems: ScenarioProblem[] = result.error.issues.map((issue) => describe(issue, raw, locate));
  // Top to bottom, as the parser reports the rest of the file (unlocated ones last).
  const rank = (p: ScenarioProblem) => (p.location ? p.location.line * 1e6 + p.location.col : 1e15);
  throw new ScenarioError(problems.sort((a, b) => rank(a) - rank(b)));
}

function describe(issue: z.core.$ZodIssue, raw: unknown, locate: Locate): ScenarioProblem {
  let path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
  let message = issue.message;
  // A bare value stands for `{ dist: constant, value }`: report it where the user wrote it.
  if (path.at(-1) === 'value' && !isObject(valueAt(raw, path.slice(0, -1)))) path = path.slice(0, -1);
  if (valueAt(raw, path) === undefined && issue.code !== 'unrecognized_keys') message = 'is required';
  const full: Segment[] = ['generate', ...path];
  if (issue.code === 'unrecognized_keys') {
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    // At the first unknown key, which is what the user has to fix.
    return { location: locate([...full, issue.keys[0] ?? '']), path: formatPath(full), message };
  }
  return { location: locate(full), path: formatPath(full), message };
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const s of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

function formatPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Finds the deepest node of `path` that the file has (re-reading the file: cheap, and only after an error). */
function locator(file: string): (path: readonly Segment[]) => SourceLocation | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return () => undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const seg of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        next = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
        const r = (next as { range?: [number, number, number] } | undefined)?.range;
        if (r) offset = r[0];
      } else break;
      node = next;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { file, line, col };
  };
}
