/**
 * The text of a scenario file as the yaml library parsed it, kept to locate problems: `file:line:col` of any path
 * into the scenario (`steps[3].publish.participant`), and the collector of located problems.
 */
import path from 'node:path';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ScenarioError, type ScenarioProblem, type SourceLocation } from '../errors.js';
import { findExcessiveNesting, findJsonSyntaxError } from './json-syntax.js';
import { ScenarioHeader } from './header-schema.js';

const HEADER_KEYS = Object.keys(ScenarioHeader.shape);

/** One step of a path into the scenario: a mapping key or a list index. */
export type Segment = string | number;

export type Mapping = Record<string, unknown>;

/** The parsed text of one scenario file, kept to locate problems. */
export interface Source {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/* Problems and their locations                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

/** Collects problems so that one run reports all of them. */
export class Problems {
  private readonly list: ScenarioProblem[] = [];

  get found(): boolean {
    return this.list.length > 0;
  }

  add(location: SourceLocation | undefined, path: readonly Segment[], message: string): void {
    this.list.push({ location, path: formatPath(path), message });
  }

  /** Adds a problem about `path`, located at the node of `at` (the field's key when possible). */
  addAt(src: Source, path: readonly Segment[], message: string, at: readonly Segment[] = path): void {
    this.add(locate(src, at), path, message);
  }

  /** Sorted by position so the report reads top to bottom, whatever order the checks ran in. */
  toError(): ScenarioError {
    const sorted = [...this.list].sort((a, b) => comparePositions(a.location, b.location));
    return new ScenarioError(sorted);
  }
}

function comparePositions(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return a.line - b.line || a.col - b.col;
}

/** `steps[7].publish.participant`, quoting keys that would not read as names. */
export function formatPath(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (!/^[A-Za-z_$][\w$-]*$/.test(s)) return `[${JSON.stringify(s)}]`;
      return i === 0 ? s : `.${s}`;
    })
    .join('');
}

/**
 * Finds where `path` stands in the file: the key of the deepest mapping entry on the path (so a missing field
 * points at its parent's key), or the list item when the path ends in an index.
 */
export function locate(src: Source, path: readonly Segment[]): SourceLocation | undefined {
  let node: unknown = src.doc.contents;
  let anchor: unknown = node;
  for (const segment of path) {
    const child = findChild(src, node, segment);
    if (child === undefined) break;
    anchor = child.anchor;
    node = child.value;
  }
  return locateNode(src, anchor);
}

function findChild(
  src: Source,
  parent: unknown,
  segment: Segment,
): { anchor: unknown; value: unknown } | undefined {
  const node = resolveAlias(src, parent);
  if (isMap(node)) {
    const pair = node.items.find((p) => keyToText(p.key) === String(segment));
    return pair && { anchor: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { anchor: item, value: item };
  }
  return undefined;
}

function resolveAlias(src: Source, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

function keyToText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

export function locateNode(src: Source, node: unknown): SourceLocation | undefined {
  if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
  return offsetToLocation(src.file, src.lines, node.range[0]);
}

/** Line and column of `offset` in `text`, counted directly (for a text not given to the parser). */
function locateOffset(file: string, text: string, offset: number): SourceLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { file, line, col: offset - before.lastIndexOf('\n') };
}

function offsetToLocation(file: string, lines: LineCounter, offset: number): SourceLocation {
  const { line, col } = lines.linePos(offset);
  return { file, line, col };
}

/* Syntax                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/** Parses the text with the yaml library (JSON is YAML too, which gives JSON files the same node positions). */
export function parseSource(text: string, file: string, problems: Problems): Source | undefined {
  const json = path.extname(file).toLowerCase() === '.json';
  const syntax = json ? 'JSON' : 'YAML';
  const deep = findExcessiveNesting(text);
  if (deep !== undefined) {
    problems.add(locateOffset(file, text, deep.offset), [], `${syntax} too deep: ${deep.message}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    ...(json ? { schema: 'json' } : {}),
  });
  for (const e of doc.errors) {
    problems.add(offsetToLocation(file, lines, e.pos[0]), [], `${syntax} syntax error: ${e.message}`);
  }
  // The yaml parser still accepts a little more than JSON (trailing commas); a .json file must stay readable by
  // every JSON tool, so it is held to JSON.parse too.
  if (json && doc.errors.length === 0) checkStrictJson(text, file, lines, problems);
  return { file, text, doc, lines };
}

function checkStrictJson(text: string, file: string, lines: LineCounter, problems: Problems): void {
  try {
    JSON.parse(text);
  } catch (e) {
    // V8 names the position of only some mistakes; the scanner locates every one (and its wording is the same
    // whatever Node's version). Should it ever disagree with JSON.parse, the file's first character still locates it.
    const found = findJsonSyntaxError(text);
    const reason = found?.message ?? (e instanceof Error ? e.message : String(e));
    problems.add(offsetToLocation(file, lines, found?.offset ?? 0), [], `JSON syntax error: ${reason}`);
  }
}

/** The document as plain values; the top level must be a mapping. */
export function toPlainValue(src: Source, problems: Problems): unknown {
  let value: unknown;
  try {
    value = src.doc.toJS();
  } catch (e) {
    // Unresolved aliases and alias bombs are only detected while converting.
    problems.add(
      locateNode(src, src.doc.contents),
      [],
      `YAML error: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  }
  if (value === null || value === undefined) {
    problems.add(
      offsetToLocation(src.file, src.lines, 0),
      [],
      'the file is empty; a scenario needs steps: (a list of timed actions)',
    );
  } else if (!isMapping(value)) {
    const keys = HEADER_KEYS.join(', ');
    problems.add(
      locateNode(src, src.doc.contents),
      [],
      `a scenario is a mapping of ${keys}; got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * YAML reads `version: 2.30` as the number 2.3; the version is a label, so it is kept as written
 * (`"2.30"`) instead of being printed back from the number.
 */
export function keepVersionAsWritten(src: Source, root: Mapping): void {
  const openvidu = root['openvidu'];
  if (!isMapping(openvidu) || typeof openvidu['version'] !== 'number') return;
  const node = findChild(src, findChild(src, src.doc.contents, 'openvidu')?.value, 'version')?.value;
  if (isScalar(node) && node.range) openvidu['version'] = src.text.slice(node.range[0], node.range[1]).trim();
}

/** `steps[3].at` → ['steps', 3, 'at']; the inverse of formatPath for the paths ovsim writes. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) segments.push(Number(m[1]));
    else if (m[2] !== undefined) segments.push(JSON.parse(`"${m[2]}"`) as string);
    else if (m[3] !== undefined) segments.push(m[3]);
  }
  return segments;
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as the user wrote it, short: strings quoted, collections by kind. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
