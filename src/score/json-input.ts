/**
 * Reading a JSON document and checking it against a zod schema, with errors that name the source, the line and
 * column, and the field (`usage.json:12:9 sessions[2].participants[0].seconds: …`). Positions are found only when
 * something is wrong (the yaml library reads JSON with positions; JSON.parse reads it fast).
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { OvsimError } from '../errors.js';

/** Parses `text` (from `source`, a file name or URL) and checks it; @throws OvsimError BAD_INPUT naming where */
export function parseJsonAs<T>(text: string, source: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /at position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? syntaxErrorOffset(text) : Number(position);
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/\s+/g, ' ');
    const where = offset === undefined ? source : `${source}:${lineCol(text, offset)}`;
    throw new OvsimError('BAD_INPUT', `${where}: ${what} is not JSON: ${reason}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    return `${source}${locate(text, path)} ${formatPath(path) || '(top level)'}: ${issue.message}`;
  });
  const more = parsed.error.issues.length > 5 ? `\n… and ${parsed.error.issues.length - 5} more` : '';
  throw new OvsimError('BAD_INPUT', `${what} is not valid:\n${lines.join('\n')}${more}`);
}

/** `sessions[2].participants[0].seconds` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** `:line:col` of the deepest node of `path` that exists in the text ('' when none can be found). */
function locate(text: string, path: readonly (string | number)[]): string {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, schema: 'json', prettyErrors: false });
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `:${line}:${col}`;
    }
  }
  return '';
}

/** Where the yaml library sees the first syntax error, when V8's message has no position. */
function syntaxErrorOffset(text: string): number | undefined {
  return parseDocument(text, { schema: 'json', prettyErrors: false }).errors[0]?.pos[0];
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `${line}:${offset - start + 1}`;
}
