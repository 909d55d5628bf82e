/**
 * The serializer of the bulk paths (`generate`, load delivery), writing UTF-8 bytes straight into a growing buffer
 * instead of building strings: no string concatenation, no rope flattening, no UTF-8 encoding pass and far less
 * garbage. Its output is byte for byte the UTF-8 of Profile's string serializer (tested property-wise); the string
 * serializer stays the reference and serves everything that is not bulk.
 *
 * Per event type and format a writer is compiled into straight-line code: the constant parts (keys, quotes, commas,
 * the CDR wrapper and the WebHook trailer) become byte stores, values go through small helpers with an ASCII fast
 * path (non-ASCII or escaped text falls back to `gsonQuote` and a UTF-8 encoder).
 */
import { mayBeAbsent, type FieldSpec } from './catalogue.js';
import { gsonQuote, javaDoubleToString } from './java.js';

/**
 * An append-only byte buffer. Bytes from `mark` on (the piece being written) stay contiguous: when the buffer is
 * full, the piece moves to a new, larger buffer and the old one is left to whoever holds views of it. So views
 * handed out (`piece`, `take`) are never overwritten.
 */
export class ByteBuffer {
  buf: Uint8Array;
  pos = 0;
  /** Start of the piece being written. */
  mark = 0;
  private readonly size: number;

  constructor(size = 256 * 1024) {
    this.size = size;
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  /** Makes room for `n` more bytes after `pos` (may move the current piece to a new buffer, changing `pos`). */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const kept = this.pos - this.mark;
    const next = Buffer.allocUnsafeSlow(Math.max(this.size, 2 * (kept + n)));
    next.set(this.buf.subarray(this.mark, this.pos));
    this.buf = next;
    this.mark = 0;
    this.pos = kept;
  }

  /** Starts a new piece at the current position. */
  begin(): void {
    this.mark = this.pos;
  }

  /** The current piece's bytes (a view; never overwritten later). */
  piece(): Uint8Array {
    return this.buf.subarray(this.mark, this.pos);
  }

  /**
   * Everything written since the last `take`, as a view of a buffer of its own (`view.buffer`); writing goes on in
   * `next` when given (a buffer handed back, see BufferPool), else in a fresh buffer.
   */
  take(next?: Uint8Array): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = next !== undefined && next.length >= this.size ? next : Buffer.allocUnsafeSlow(this.size);
    this.pos = 0;
    this.mark = 0;
    return out;
  }
}

/**
 * Buffers whose bytes were handed over (to a file stream, to another thread) and came back once used: reusing them
 * keeps a long run from leaving hundreds of megabytes of dead buffers for the garbage collector to find.
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];

  /** A buffer handed back (whole: a view's `.buffer`), or undefined when none is free. */
  get(): Uint8Array | undefined {
    return this.free.pop();
  }

  put(buffer: ArrayBufferLike): void {
    if (this.free.length < 16) this.free.push(new Uint8Array(buffer));
  }
}

/** Writes the event data into the buffer (at its `pos`, moving it on). */
export type ByteWriter = (data: Readonly<Record<string, unknown>>, out: ByteBuffer) => void;

/** A field as the byte writer sees it. */
export interface ByteField {
  readonly key: string;
  readonly spec: FieldSpec;
}

const encoder = new TextEncoder();

/** Text that is not plain ASCII (or needs escaping): encoded as UTF-8 at `p`; returns the new position. */
function writeUtf8(o: ByteBuffer, p: number, text: string): number {
  o.pos = p;
  o.reserve(text.length * 3);
  const { written } = encoder.encodeInto(text, o.buf.subarray(o.pos));
  return o.pos + written;
}

/** Unquoted text (numbers, nested JSON) at `p`; returns the new position. */
function writeRaw(o: ByteBuffer, p: number, text: string): number {
  const n = text.length;
  if (p + n > o.buf.length) {
    o.pos = p;
    o.reserve(n);
    p = o.pos;
  }
  const b = o.buf;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return writeUtf8(o, p, text);
    b[p + i] = c;
  }
  return p + n;
}

/**
 * A JSON string as `gsonQuote` writes it, at `p`; returns the new position. Quotes and backslashes (JSON inside
 * `clientData`, `videoDimensions`…) are escaped here; control characters and non-ASCII text go through `gsonQuote`.
 */
function writeString(o: ByteBuffer, p: number, s: string): number {
  const n = s.length;
  if (p + 2 * n + 2 > o.buf.length) {
    o.pos = p;
    o.reserve(2 * n + 2);
    p = o.pos;
  }
  const b = o.buf;
  let q = p;
  b[q++] = 34;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x80) return writeUtf8(o, p, gsonQuote(s));
    if (c === 34 || c === 92) b[q++] = 92;
    b[q++] = c;
  }
  b[q++] = 34;
  return q;
}

/** A whole number as `'' + Math.trunc(v)` writes it, at `p` (room for 24 bytes was reserved). */
function writeInteger(o: ByteBuffer, p: number, v: number): number {
  let x = Math.trunc(v);
  if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER)) return writeRaw(o, p, '' + x);
  const b = o.buf;
  let digits = 1;
  for (let t = x; t >= 10; t = Math.floor(t / 10)) digits++;
  let q = p + digits;
  do {
    const next = Math.floor(x / 10);
    b[--q] = 48 + (x - next * 10);
    x = next;
  } while (x > 0);
  return p + digits;
}

function writeStringArray(o: ByteBuffer, p: number, v: readonly string[]): number {
  o.pos = p;
  o.reserve(2);
  p = o.pos;
  o.buf[p++] = 91;
  for (let i = 0; i < v.length; i++) {
    if (i > 0) {
      o.pos = p;
      o.reserve(1);
      p = o.pos;
      o.buf[p++] = 44;
    }
    p = writeString(o, p, v[i] as string);
  }
  o.pos = p;
  o.reserve(1);
  p = o.pos;
  o.buf[p++] = 93;
  return p;
}

/** Straight-line stores of an ASCII constant at `p + offset`. */
function stores(text: string, offset = 0): string {
  let code = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) throw new Error(`not ASCII: ${text}`);
    code += `b[p+${offset + i}]=${c};`;
  }
  return code;
}

/** Bytes reserved per field for its key and a non-text value (numbers, booleans, null). */
const VALUE_ROOM = 32;

/**
 * Compiles the byte writer of one event: `{` fields `}` with an optional ASCII `prefix` before and `trailer` inside
 * the object (the CDR line's `{"name":` … `}` and the WebHook body's `,"event":"name"`). The source is built only from
 * catalogue keys, never from data. `json` fields are written with `writeJson` (the string serializer's).
 */
export function compileByteWriter(
  name: string,
  fields: readonly ByteField[],
  prefix: string,
  trailer: string,
  suffix: string,
  writeJson: (v: unknown) => string,
  missing: (what: string) => never,
): ByteWriter {
  const lines: string[] = [];
  lines.push(`${stores(prefix + '{')}p+=${prefix.length + 1};`);
  fields.forEach(({ key, spec }) => {
    const quotedKey = `${gsonQuote(key)}:`;
    const value =
      spec.type === 'string'
        ? 'p=str(o,p,v);b=o.buf;'
        : spec.type === 'long' || spec.type === 'int'
          ? 'p=int(o,p,v);b=o.buf;'
          : spec.type === 'double'
            ? 'p=raw(o,p,dbl(v));b=o.buf;'
            : spec.type === 'boolean'
              ? `if(v){${stores('true')}p+=4;}else{${stores('false')}p+=5;}`
              : spec.type === 'stringArray'
                ? 'p=arr(o,p,v);b=o.buf;'
                : 'p=raw(o,p,json(v));b=o.buf;';
    const miss = mayBeAbsent(spec) ? '' : `else miss(${JSON.stringify(`${name}.${key}`)});`;
    // The key (with its comma unless first), then the value; room for both is reserved beforehand (text values
    // reserve their own), so reserve again only after a value that may have moved the buffer.
    lines.push(
      `v=d[${JSON.stringify(key)}];`,
      `if(v!==undefined){o.pos=p;o.reserve(${quotedKey.length + 1 + VALUE_ROOM});p=o.pos;b=o.buf;` +
        `if(!f){b[p++]=44;}f=false;${stores(quotedKey)}p+=${quotedKey.length};` +
        `if(v===null){${stores('null')}p+=4;}else{${value}}}${miss}`,
    );
  });
  lines.push(
    `o.pos=p;o.reserve(${trailer.length + 1 + suffix.length});p=o.pos;b=o.buf;`,
    `${stores(trailer + '}' + suffix)}p+=${trailer.length + 1 + suffix.length};`,
    'o.pos=p;',
  );
  const factory = new Function(
    'str',
    'int',
    'raw',
    'dbl',
    'arr',
    'json',
    'miss',
    `return function (d, o) {\no.reserve(${prefix.length + 1});\nlet b=o.buf,p=o.pos,f=true,v;\n${lines.join('\n')}\n};`,
  ) as (...helpers: unknown[]) => ByteWriter;
  return factory(
    writeString,
    writeInteger,
    writeRaw,
    javaDoubleToString,
    writeStringArray,
    writeJson,
    missing,
  );
}
