/**
 * Reading what `JSON.parse` hides: key order (including duplicates and integer-like keys, which JS objects
 * reorder), the raw text of each value (`0` vs `0.0`) and how the text was escaped (Gson vs others, spec §1.2).
 * The scanner only runs on text `JSON.parse` accepted, so it can assume valid JSON. It recurses once per
 * level of nesting, so it refuses text nested deeper than {@link MAX_JSON_DEPTH} (OpenVidu's deepest line, an
 * `autoscaling` event, nests 6 levels) instead of overflowing the stack.
 */

/** Deepest nesting of arrays and objects the validator reads; deeper lines are `unparsable-line`. */
export const MAX_JSON_DEPTH = 64;

/** Thrown by {@link RawScanner} for text nested deeper than {@link MAX_JSON_DEPTH}. */
export class TooDeepError extends Error {
  constructor() {
    super(`arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** One member of a JSON object: its decoded key and the raw text of its value. */
export interface RawMember {
  readonly key: string;
  /** Offset of the first character of the value in the scanned text. */
  readonly start: number;
  /** Offset just past the value. */
  readonly end: number;
  /** Members of the value when it is an object (collected while skipping it anyway). */
  readonly inner: readonly RawMember[] | undefined;
}

/** Result of scanning one object. */
export interface ScannedObject {
  readonly members: RawMember[];
  /** Offset just past the closing brace. */
  readonly end: number;
}

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x08, '\\b'],
  [0x09, '\\t'],
  [0x0a, '\\n'],
  [0x0c, '\\f'],
  [0x0d, '\\r'],
]);

/**
 * Scans valid JSON text, collecting the members of objects on demand and the first way in which the text
 * differs from Gson's compact output (spec §1.1-§1.2). One scanner per line.
 */
export class RawScanner {
  /** First Gson-form problem found so far (whitespace or escaping), or `undefined`. */
  problem: string | undefined;
  /** Offset of the next backslash at or after the last search, -1 if none: keeps string scans linear. */
  private slash = -2;

  constructor(readonly text: string) {
    // Gson escapes the two JS line separators; a raw one can only sit inside a string of valid JSON.
    if (text.includes('\u2028') || text.includes('\u2029')) {
      this.problem = 'raw U+2028/U+2029 in a string (Gson writes \\u2028 and \\u2029)';
    }
  }

  /** Skips whitespace, noting it: Gson's compact writer never puts any outside strings. */
  skipSpace(i: number): number {
    const t = this.text;
    let j = i;
    while (j < t.length) {
      const c = t.charCodeAt(j);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      j++;
    }
    if (j !== i) this.problem ??= 'whitespace outside strings (Gson writes compact JSON)';
    return j;
  }

  /**
   * Scans the object whose `{` is at or after `i` (after optional whitespace), at nesting level `depth`.
   * @throws TooDeepError past {@link MAX_JSON_DEPTH} levels
   */
  object(i: number, depth = 1): ScannedObject {
    if (depth > MAX_JSON_DEPTH) throw new TooDeepError();
    const t = this.text;
    let j = this.skipSpace(i) + 1; // past '{'
    const members: RawMember[] = [];
    j = this.skipSpace(j);
    if (t[j] === '}') return { members, end: j + 1 };
    for (;;) {
      j = this.skipSpace(j);
      const keyEnd = this.string(j);
      const rawKey = t.slice(j + 1, keyEnd - 1);
      const key = rawKey.includes('\\') ? (JSON.parse(t.slice(j, keyEnd)) as string) : rawKey;
      j = this.skipSpace(keyEnd) + 1; // past ':'
      const start = this.skipSpace(j);
      let end: number;
      let inner: RawMember[] | undefined;
      if (t[start] === '{') {
        const nested = this.object(start, depth + 1);
        end = nested.end;
        inner = nested.members;
      } else {
        end = this.value(start, depth + 1);
      }
      members.push({ key, start, end, inner });
      j = this.skipSpace(end);
      if (t[j] === ',') {
        j++;
        continue;
      }
      return { members, end: j + 1 }; // t[j] === '}'
    }
  }

  /**
   * Returns the offset just past the value starting at `i`, at nesting level `depth`.
   * @throws TooDeepError past {@link MAX_JSON_DEPTH} levels
   */
  value(i: number, depth = 1): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.string(i);
    if (c === '{' || c === '[') {
      if (depth > MAX_JSON_DEPTH) throw new TooDeepError();
      const close = c === '{' ? '}' : ']';
      let j = this.skipSpace(i + 1);
      if (t[j] === close) return j + 1;
      for (;;) {
        j = this.skipSpace(j);
        if (c === '{') {
          j = this.skipSpace(this.string(j)) + 1;
          j = this.skipSpace(j);
        }
        j = this.skipSpace(this.value(j, depth + 1));
        if (t[j] === ',') {
          j++;
          continue;
        }
        return j + 1;
      }
    }
    // number, true, false, null: up to the next delimiter
    let j = i;
    while (j < t.length) {
      const d = t[j];
      if (d === ',' || d === '}' || d === ']' || d === ' ' || d === '\t' || d === '\n' || d === '\r') break;
      j++;
    }
    return j;
  }

  /** Returns the offset just past the string whose opening quote is at `i`, checking its escapes. */
  string(i: number): number {
    const t = this.text;
    let j = i + 1;
    for (;;) {
      const quote = t.indexOf('"', j);
      if (quote === -1) return t.length; // unreachable for valid JSON
      if (this.slash !== -1 && this.slash < j) this.slash = t.indexOf('\\', j);
      if (this.slash === -1 || this.slash > quote) return quote + 1;
      j = this.escape(this.slash);
    }
  }

  /** Checks the escape sequence at `i` (a backslash) against Gson's choices; returns the offset past it. */
  private escape(i: number): number {
    const t = this.text;
    const c = t[i + 1];
    if (c !== 'u') {
      if (c === '/') this.problem ??= 'escaped "/" (Gson writes "/" unescaped)';
      return i + 2;
    }
    const hex = t.slice(i + 2, i + 6);
    const cp = Number.parseInt(hex, 16);
    if (this.problem === undefined) {
      const short = SHORT_ESCAPES.get(cp);
      if (short !== undefined) this.problem = `\\u${hex} escape where Gson writes ${short}`;
      else if (cp >= 0x20 && cp !== 0x2028 && cp !== 0x2029) {
        this.problem = `\\u${hex} escape of a character Gson writes as itself`;
      } else if (/[A-F]/.test(hex)) this.problem = `upper-case hex in \\u${hex} (Gson writes lower case)`;
    }
    return i + 6;
  }
}

/** A JSON integer as Java writes a `long`/`int`: digits only, no fraction, no exponent. */
export const JAVA_INTEGER = /^-?(?:0|[1-9]\d*)$/;

/** Any Java `Double.toString` shape: a decimal point always, optional `E` exponent without `+`. */
export const JAVA_DOUBLE_SHAPE = /^-?\d+\.\d+(?:E-?\d+)?$/;

/**
 * Whether JSON text nests arrays and objects deeper than `max` levels, in one pass without recursion (for text
 * about to be parsed and re-serialized, which recurses: `JSON.stringify` overflows the stack at ~10 000 levels).
 */
export function nestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Nesting depth of a parsed JSON value (1 for a flat object), counted without recursion; stops past `max`. */
export function valueDepth(value: unknown, max: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<readonly [unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, d);
    if (deepest > max) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}
