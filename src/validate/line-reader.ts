/**
 * Splits a byte stream into lines for the validator with memory bounded by the line size limit, whatever the
 * input: a line longer than the limit is counted and skipped, never gathered (a 50 MB line used to cost
 * gigabytes through `readline`). Lines are checked as UTF-8 bytes, since decoding first would hide invalid
 * sequences behind U+FFFD.
 */
import { isUtf8 } from 'node:buffer';

/** The line size limit of `ovsim validate` and `ovsim receive` unless `--max-line-size` says otherwise. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** One line of input: its text, or only its size when it was longer than the limit. */
export type InputLine =
  | {
      readonly kind: 'text';
      readonly lineNo: number;
      readonly text: string;
      /** Why the bytes are not UTF-8 (the text then holds U+FFFD in their place), or undefined. */
      readonly invalidUtf8: string | undefined;
    }
  | { readonly kind: 'too-long'; readonly lineNo: number; readonly bytes: number };

/**
 * Decodes one line (or body) of bytes as UTF-8, saying where the first invalid sequence is, if any. A byte
 * order mark is kept as U+FEFF: the validator reports it.
 */
export function decodeUtf8(bytes: Buffer): { text: string; invalidUtf8: string | undefined } {
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text, invalidUtf8: undefined };
  const at = firstInvalidUtf8(bytes);
  const shown = [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return { text, invalidUtf8: `invalid UTF-8 at byte ${at + 1} (${shown.join(' ')})` };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/**
 * The lines of a byte stream, numbered from 1: split on LF, a CR before it dropped (CRLF files), a last line
 * without LF included. Lines over `maxBytes` come back as `too-long` with their size.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line when it is over the limit (then nothing of it is kept); -1 otherwise. */
  let over = -1;
  let lineNo = 0;
  const line = (): InputLine => {
    lineNo++;
    if (over >= 0) {
      const bytes = over;
      over = -1;
      return { kind: 'too-long', lineNo, bytes };
    }
    let bytes = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, held);
    parts = [];
    held = 0;
    if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1);
    if (bytes.length > maxBytes) return { kind: 'too-long', lineNo, bytes: bytes.length };
    return { kind: 'text', lineNo, ...decodeUtf8(bytes) };
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      const size = end - start;
      if (over >= 0) over += size;
      else if (held + size > maxBytes + 1) {
        // + 1: the CR of a CRLF line does not count. Past the limit, the line is only measured.
        over = held + size;
        parts = [];
        held = 0;
      } else if (size > 0) {
        parts.push(buf.subarray(start, end));
        held += size;
      }
      if (nl === -1) break;
      yield line();
      start = nl + 1;
    }
  }
  if (held > 0 || over >= 0) yield line();
}

/**
 * Parses a size option: bytes (`1048576`) or with a unit, `512KiB`, `1MiB`, `2MB`, `64k`. Returns undefined
 * for text that is not a positive size.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const scale: Record<string, number> = {
    b: 1,
    k: 1024,
    kib: 1024,
    kb: 1000,
    m: 1024 ** 2,
    mib: 1024 ** 2,
    mb: 1000 ** 2,
    g: 1024 ** 3,
    gib: 1024 ** 3,
    gb: 1000 ** 3,
  };
  const bytes = Math.floor(Number(m[1]) * (scale[unit] ?? 1));
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
