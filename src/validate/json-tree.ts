/**
 * A JSON reader that keeps what `JSON.parse` throws away and a byte-exact check needs: every key in wire order
 * (duplicates included), the raw text of every number, where each value starts, the whitespace between tokens and
 * how each string was escaped. The LiveKit checker compares this with what Go's protojson writes, the Meet checker
 * with what `JSON.stringify` writes: each is a {@link Dialect}. It validates as it reads (no `JSON.parse` first) and
 * recurses once per level, refusing text nested deeper than {@link MAX_JSON_DEPTH}.
 */
import { MAX_JSON_DEPTH, TooDeepError } from './raw-json.js';

interface Span {
  /** Offset of the value's first character. */
  readonly start: number;
  /** Offset just past it. */
  readonly end: number;
}
export interface ObjectNode extends Span {
  readonly kind: 'object';
  readonly members: readonly Member[];
}
export interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}
export interface ArrayNode extends Span {
  readonly kind: 'array';
  readonly items: readonly JsonNode[];
}
export interface StringNode extends Span {
  readonly kind: 'string';
  readonly value: string;
}
export interface NumberNode extends Span {
  readonly kind: 'number';
  readonly raw: string;
  readonly value: number;
}
export interface LiteralNode extends Span {
  readonly kind: 'true' | 'false' | 'null';
}
export type JsonNode = ObjectNode | ArrayNode | StringNode | NumberNode | LiteralNode;

/** How a serializer writes compact JSON: whether a space may follow commas, and which escapes it uses. */
export interface Dialect {
  /** Named in messages: `Go's protojson`, `JSON.stringify`. */
  readonly name: string;
  /** protobuf-go's `detrand` may add one space after every comma (the same choice for a whole binary). */
  readonly spaceAfterComma: boolean;
  /**
   * Why the escape `\uXXXX` (its code unit) is not how this serializer writes that character, or undefined.
   * Short escapes other than `\/` are the same in both dialects and checked here.
   */
  unicodeEscape(code: number, hex: string): string | undefined;
}

const SHORT_FOR: Readonly<Record<number, string>> = { 8: 'b', 9: 't', 10: 'n', 12: 'f', 13: 'r' };

/** Go's protojson: `\uXXXX` (lower-case hex) only for controls that have no short form. */
export const GO_PROTOJSON: Dialect = {
  name: "Go's protojson",
  spaceAfterComma: true,
  unicodeEscape: (code, hex) =>
    controlEscape(code, hex) ?? (code >= 0x20 ? 'a character it writes as itself' : undefined),
};

/** `JSON.stringify`: as Go's, plus `\udXXX` for a lone surrogate (well-formed stringify, ES2019). */
export const JS_STRINGIFY: Dialect = {
  name: 'JSON.stringify',
  spaceAfterComma: false,
  unicodeEscape: (code, hex) =>
    controlEscape(code, hex) ??
    (code >= 0x20 && !(code >= 0xd800 && code <= 0xdfff) ? 'a character it writes as itself' : undefined),
};

function controlEscape(code: number, hex: string): string | undefined {
  const short = SHORT_FOR[code];
  if (short !== undefined) return `a character it writes \\${short}`;
  if (/[A-F]/.test(hex)) return 'upper-case hex (it writes lower case)';
  return undefined;
}

/** Invalid JSON, at an offset of the text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset + 1}`);
  }
}

export interface JsonTree {
  readonly root: JsonNode;
  /** Structural commas, and how many of them a single space follows. */
  readonly commas: number;
  readonly spacedCommas: number;
  /** The first way the text differs from the dialect's compact output, or undefined. */
  readonly problem: string | undefined;
}

/**
 * Reads `text` as one JSON value.
 * @throws JsonSyntaxError for text that is not JSON; TooDeepError past `maxDepth` levels of nesting
 */
export function parseJsonTree(text: string, dialect: Dialect, maxDepth: number = MAX_JSON_DEPTH): JsonTree {
  const r = new Reader(text, dialect, maxDepth);
  const root = r.value(r.space(0, false), 1);
  const end = r.space(root.end, false);
  if (end !== text.length) throw new JsonSyntaxError('text after the JSON value', end);
  return { root, commas: r.commas, spacedCommas: r.spacedCommas, problem: r.problem };
}

class Reader {
  commas = 0;
  spacedCommas = 0;
  problem: string | undefined;

  constructor(
    private readonly t: string,
    private readonly dialect: Dialect,
    private readonly maxDepth: number,
  ) {}

  /** Skips whitespace from `i`, noting it unless it is the one space a comma may carry. */
  space(i: number, afterComma: boolean): number {
    let j = i;
    while (j < this.t.length && ' \t\n\r'.includes(this.t[j]!)) j++;
    if (j === i) return j;
    if (afterComma && j === i + 1 && this.t[i] === ' ' && this.dialect.spaceAfterComma) {
      this.spacedCommas++;
    } else {
      this.problem ??= `whitespace outside strings at character ${i + 1} (${this.dialect.name} writes compact JSON)`;
    }
    return j;
  }

  value(i: number, depth: number): JsonNode {
    const c = this.t[i];
    if (c === '{' || c === '[') {
      if (depth > this.maxDepth) throw new TooDeepError();
      return c === '{' ? this.object(i, depth) : this.array(i, depth);
    }
    if (c === '"') return this.string(i);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(i);
    for (const word of ['true', 'false', 'null'] as const) {
      if (this.t.startsWith(word, i)) return { kind: word, start: i, end: i + word.length };
    }
    throw new JsonSyntaxError(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`, i);
  }

  private object(i: number, depth: number): ObjectNode {
    const members: Member[] = [];
    let j = this.space(i + 1, false);
    if (this.t[j] === '}') return { kind: 'object', members, start: i, end: j + 1 };
    for (;;) {
      if (this.t[j] !== '"') throw new JsonSyntaxError('expected a key', j);
      const key = this.string(j);
      j = this.space(key.end, false);
      if (this.t[j] !== ':') throw new JsonSyntaxError('expected ":"', j);
      const value = this.value(this.space(j + 1, false), depth + 1);
      members.push({ key: key.value, keyStart: key.start, value });
      j = this.space(value.end, false);
      if (this.t[j] === '}') return { kind: 'object', members, start: i, end: j + 1 };
      j = this.comma(j);
    }
  }

  private array(i: number, depth: number): ArrayNode {
    const items: JsonNode[] = [];
    let j = this.space(i + 1, false);
    if (this.t[j] === ']') return { kind: 'array', items, start: i, end: j + 1 };
    for (;;) {
      const item = this.value(j, depth + 1);
      items.push(item);
      j = this.space(item.end, false);
      if (this.t[j] === ']') return { kind: 'array', items, start: i, end: j + 1 };
      j = this.comma(j);
    }
  }

  private comma(j: number): number {
    if (this.t[j] !== ',') throw new JsonSyntaxError('expected "," or a closing bracket', j);
    this.commas++;
    return this.space(j + 1, true);
  }

  private string(i: number): StringNode {
    const t = this.t;
    let out = '';
    let j = i + 1;
    let from = j;
    for (;;) {
      const c = t.charCodeAt(j);
      if (Number.isNaN(c)) throw new JsonSyntaxError('unterminated string', i);
      if (c === 0x22) return { kind: 'string', value: out + t.slice(from, j), start: i, end: j + 1 };
      if (c < 0x20) throw new JsonSyntaxError('raw control character in a string', j);
      if (c !== 0x5c) {
        j++;
        continue;
      }
      out += t.slice(from, j);
      const e = t[j + 1];
      if (e === 'u') {
        const hex = t.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('bad \\u escape', j);
        const code = Number.parseInt(hex, 16);
        const why = this.dialect.unicodeEscape(code, hex);
        if (why !== undefined) this.problem ??= `\\u${hex} escapes ${why} (${this.dialect.name})`;
        out += String.fromCharCode(code);
        j += 6;
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) throw new JsonSyntaxError('bad escape', j);
        if (e === '/') this.problem ??= `escaped "/" (${this.dialect.name} writes "/" as itself)`;
        out += decoded;
        j += 2;
      }
      from = j;
    }
  }

  private number(i: number): NumberNode {
    const m = NUMBER.exec(this.t.slice(i, i + 400));
    if (m === null) throw new JsonSyntaxError('bad number', i);
    const raw = m[0];
    return { kind: 'number', raw, value: Number(raw), start: i, end: i + raw.length };
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The plain JavaScript value of a node, as `JSON.parse` would give it (a repeated key: the last one wins). */
export function toValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const m of node.members) {
        // `__proto__` is an own key in parsed JSON, not the prototype.
        if (m.key === '__proto__') {
          Object.defineProperty(out, m.key, {
            value: toValue(m.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else out[m.key] = toValue(m.value);
      }
      return out;
    }
    case 'array':
      return node.items.map(toValue);
    case 'string':
      return node.value;
    case 'number':
      return node.value;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
  }
}

/** The member of an object node named `key` (the first, when repeated). */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.kind !== 'object') return undefined;
  return node.members.find((m) => m.key === key)?.value;
}
