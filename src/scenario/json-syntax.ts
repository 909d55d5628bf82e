/**
 * Finds where a JSON text first breaks RFC 8259, for messages that must name a line and column: `JSON.parse` says
 * what is wrong but, for several mistakes (`[1,]`, a truncated file), not where. Iterative (an explicit stack), so
 * nesting depth cannot overflow the call stack; linear in the text.
 */

export interface JsonSyntaxError {
  /** Offset (UTF-16 code units) of the offending character; the text's length for an unexpected end. */
  readonly offset: number;
  readonly message: string;
}

type Expect = 'value' | 'key-or-end' | 'key' | 'colon' | 'comma-or-end' | 'done';

/** The first syntax error of `text` as JSON, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const closers: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (message: string, at = i): JsonSyntaxError => ({ offset: at, message });
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) {
      return expect === 'done' ? undefined : fail('unexpected end of the file', text.length);
    }
    const c = text[i]!;
    switch (expect) {
      case 'done':
        return fail(`unexpected ${show(c)} after the end of the JSON value`);
      case 'colon':
        if (c !== ':') return fail(`expected ":" after a property name, found ${show(c)}`);
        i++;
        expect = 'value';
        continue;
      case 'comma-or-end': {
        const closer = closers.at(-1);
        if (c === closer) {
          closers.pop();
          i++;
          expect = closers.length === 0 ? 'done' : 'comma-or-end';
        } else if (c === ',') {
          i++;
          expect = closer === '}' ? 'key' : 'value';
        } else return fail(`expected "," or "${closer ?? ''}", found ${show(c)}`);
        continue;
      }
      case 'key-or-end':
      case 'key':
        if (c === '}' && expect === 'key-or-end') {
          closers.pop();
          i++;
          expect = closers.length === 0 ? 'done' : 'comma-or-end';
          continue;
        }
        if (c !== '"') {
          const trailing = c === '}' ? ' (JSON allows no comma before "}")' : '';
          return fail(`expected a property name in double quotes, found ${show(c)}${trailing}`);
        }
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        }
        expect = 'colon';
        continue;
      case 'value': {
        if (c === '{' || c === '[') {
          closers.push(c === '{' ? '}' : ']');
          i++;
          if (c === '{') expect = 'key-or-end';
          else if (text[skipSpace(text, i)] === ']') {
            i = skipSpace(text, i) + 1;
            closers.pop();
            expect = closers.length === 0 ? 'done' : 'comma-or-end';
          } else expect = 'value';
          continue;
        }
        const end = scanScalar(text, i);
        if (typeof end !== 'number') {
          if (c === ']' && closers.at(-1) === ']')
            return fail('expected a value (JSON allows no comma before "]")');
          return end;
        }
        i = end;
        expect = closers.length === 0 ? 'done' : 'comma-or-end';
        continue;
      }
    }
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A string, number or literal starting at `i`: the offset after it, or the error. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text[i]!;
  if (c === '"') return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  if (m) {
    const next = text[i + m[0].length];
    if (next !== undefined && /[\w.+-]/.test(next))
      return { offset: i + m[0].length, message: `unexpected ${show(next)} in a number` };
    return i + m[0].length;
  }
  return {
    offset: i,
    message: `expected a value (a string, number, object, array, true, false or null), found ${show(c)}`,
  };
}

/** A string starting at the quote at `start`: the offset after its closing quote, or the error. */
function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20)
      return {
        offset: i,
        message: 'a control character (a tab or line break) inside a string must be escaped',
      };
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else return { offset: i, message: `invalid escape sequence \\${e ?? ''} in a string` };
      continue;
    }
    i++;
  }
  return { offset: text.length, message: 'unexpected end of the file inside a string' };
}

function show(c: string): string {
  return JSON.stringify(c);
}

/** Nesting a scenario may have: far beyond any real one, far below what the YAML parser's recursion survives. */
export const MAX_NESTING = 100;
/** Indentation (columns) a YAML line may have, for the same reason (block nesting is by indentation). */
export const MAX_INDENT = 400;

/**
 * Finds where a YAML or JSON text nests deeper than {@link MAX_NESTING} brackets or indents a line more than
 * {@link MAX_INDENT} columns. The YAML parser recurses once per level, and a recursion that ends in a stack overflow
 * can take the whole process down (V8 aborts when it compiles a regular expression without stack left), so such a
 * text is refused before it is parsed. Quoted strings and comments are skipped; linear, no recursion.
 */
export function findExcessiveNesting(text: string): JsonSyntaxError | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c === ' ') {
      if (++indent > MAX_INDENT)
        return { offset: i, message: `a line is indented more than ${MAX_INDENT} columns` };
      continue;
    }
    const wasLineStart = lineStart;
    lineStart = false;
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i, c);
    } else if (c === '#' && (wasLineStart || /\s/.test(text[i - 1] ?? ' '))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return { offset: i, message: `nested more than ${MAX_NESTING} levels deep` };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** The offset of the closing quote of the string opened at `start` (or the text's end): `\"` and `''` escape. */
function skipQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
