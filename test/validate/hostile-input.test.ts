/**
 * Inputs that used to stop or mislead `ovsim validate` (issue 16 items 4, 5, 9 and 12): deep nesting, huge lines,
 * bytes that are not UTF-8, a byte order mark, an empty input.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8, parseByteSize, readLines } from '../../src/validate/line-reader.js';
import { nestsDeeperThan, valueDepth } from '../../src/validate/raw-json.js';
import { formatDiagnostic, validateFiles } from '../../src/validate/validate-files.js';
import { LifecycleValidator } from '../../src/validate/validate-lines.js';
import { SESSION_1, VALID_CDR } from './fixtures.js';

const bytes = (...parts: Array<string | Buffer>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

/** Validates bytes given as standard input; returns the formatted diagnostics and the summary. */
async function validateBytes(
  input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer>,
  maxLineBytes?: number,
) {
  const stdin = Readable.from(Buffer.isBuffer(input) ? [input] : input);
  const result = await validateFiles(['-'], { stdin, ...(maxLineBytes ? { maxLineBytes } : {}) });
  return { found: result.diagnostics.map(formatDiagnostic), summary: result.summary, ok: result.ok };
}

describe('deep nesting (issue 16 item 4)', () => {
  const deep = `{"sessionCreated":{"sessionId":"a","timestamp":1,"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;

  it('reports a line nested 10 000 deep as one unparsable-line and checks the lines after it', async () => {
    const { found, summary } = await validateBytes(bytes(`${deep}\n`, VALID_CDR.join('\n'), '\n'));
    expect(found).toEqual([
      '-:1: unparsable-line: not checked: arrays and objects nested deeper than 64 levels',
    ]);
    expect(summary).toMatchObject({ lines: VALID_CDR.length + 1, events: VALID_CDR.length, errors: 1 });
  });

  it('refuses a parsed body nested too deep instead of overflowing the stack', () => {
    let body: unknown = 1;
    for (let i = 0; i < 20_000; i++) body = [body];
    const v = new LifecycleValidator();
    const found = v.pushEvent(
      'sessionCreated',
      { sessionId: 'a', timestamp: 1, x: body },
      { file: 'w', line: 1 },
    );
    expect(found.map((d) => d.rule)).toEqual(['unparsable-line']);
  });

  it('measures depth without recursion, ignoring brackets inside strings', () => {
    expect(nestsDeeperThan('[[["[[[[[["]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[["\\"["]]]]', 3)).toBe(true);
    expect(valueDepth({ a: [{ b: 1 }] })).toBe(3);
  });
});

describe('line size limit (issue 16 item 5)', () => {
  it('reports a line over the limit, skips it and checks the next lines', async () => {
    const long = `{"sessionCreated":{"sessionId":"a","timestamp":1,"x":"${'x'.repeat(2000)}"}}`;
    const { found, summary } = await validateBytes(bytes(`${long}\n`, VALID_CDR.join('\n')), 1000);
    expect(found).toEqual([
      `-:1: line-too-long: ${long.length} bytes, over the limit of 1000 (--max-line-size): not checked`,
    ]);
    expect(summary).toMatchObject({ lines: VALID_CDR.length + 1, events: VALID_CDR.length });
  });

  it('keeps memory flat while reading a 96 MiB line (the limit is 1 MiB)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x'); // the same chunk again and again: no garbage of the test's own
    const head = '{"sessionCreated":{"sessionId":"big","timestamp":1,"x":"';
    let peak = 0;
    async function* input(): AsyncGenerator<Buffer> {
      yield bytes(`${SESSION_1[0] ?? ''}\n${head}`);
      const base = process.memoryUsage().rss;
      for (let i = 0; i < 96 * 16; i++) {
        yield chunk;
        if (i % 16 === 0) peak = Math.max(peak, process.memoryUsage().rss - base);
      }
      yield bytes(`"}}\n${SESSION_1.slice(1).join('\n')}\n`);
    }
    const { found, summary } = await validateBytes(input());
    // Reading the line whole (readline did) costs its size at least.
    expect(peak).toBeLessThan(32 * 1024 * 1024);
    expect(found).toEqual([
      `-:2: line-too-long: ${head.length + 96 * 1024 * 1024 + 3} bytes, over the limit of 1048576 (--max-line-size): not checked`,
    ]);
    expect(summary).toMatchObject({ lines: SESSION_1.length + 1, events: SESSION_1.length });
  });

  it('splits lines across chunks, drops the CR of CRLF and keeps a last line without LF', async () => {
    const chunks = ['{"a":1}\r', '\n{"b"', ':2}\n\n', '{"c":3}'].map((t) => Buffer.from(t));
    const lines = [];
    for await (const l of readLines(Readable.from(chunks), 100)) lines.push(l);
    expect(lines).toEqual([
      { kind: 'text', lineNo: 1, text: '{"a":1}', invalidUtf8: undefined },
      { kind: 'text', lineNo: 2, text: '{"b":2}', invalidUtf8: undefined },
      { kind: 'text', lineNo: 3, text: '', invalidUtf8: undefined },
      { kind: 'text', lineNo: 4, text: '{"c":3}', invalidUtf8: undefined },
    ]);
  });

  it('parses sizes with units', () => {
    expect(['65536', '1MiB', '512KiB', '2MB', '64k', '0', 'lots'].map(parseByteSize)).toEqual([
      65536,
      1048576,
      524288,
      2000000,
      65536,
      undefined,
      undefined,
    ]);
  });
});

describe('encoding (issue 16 item 12)', () => {
  it('reports a leading byte order mark on its own and checks the line after it', async () => {
    const { found, summary } = await validateBytes(bytes('\uFEFF', VALID_CDR.join('\n')));
    expect(found).toEqual([
      '-:1: encoding: the line starts with a byte order mark (U+FEFF); OpenVidu writes UTF-8 without one',
    ]);
    expect(summary).toMatchObject({ events: VALID_CDR.length, errors: 1 });
  });

  it('reports bytes that are not UTF-8, with their position', async () => {
    const line = SESSION_1[1] ?? '';
    const at = line.indexOf('Mike');
    const broken = bytes(line.slice(0, at), Buffer.from([0xc3, 0x28]), line.slice(at + 2));
    const { found } = await validateBytes(bytes(`${SESSION_1[0] ?? ''}\n`, broken, '\n'));
    expect(found[0]).toBe(
      `-:2: encoding: invalid UTF-8 at byte ${at + 1} (C3 28 6B 65); OpenVidu writes UTF-8`,
    );
  });

  it('finds the first invalid sequence as RFC 3629 defines them', () => {
    const cases: Array<[number[], number]> = [
      [[0x61, 0xe2, 0x82, 0xac], 4], // "a€": valid
      [[0xc0, 0xaf], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x61, 0xe2, 0x82], 1], // truncated
      [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
    ];
    for (const [b, at] of cases) expect(firstInvalidUtf8(Buffer.from(b))).toBe(at);
    expect(decodeUtf8(Buffer.from([0xff])).invalidUtf8).toBe('invalid UTF-8 at byte 1 (FF)');
  });
});

describe('empty input (issue 16 item 9)', () => {
  it('warns that an empty input checked nothing', async () => {
    const { found, ok, summary } = await validateBytes(Buffer.alloc(0));
    expect(found).toEqual(['-:0: empty-input: no lines to check']);
    expect(ok).toBe(true);
    expect(summary).toMatchObject({ lines: 0, warnings: 1 });
  });
});
