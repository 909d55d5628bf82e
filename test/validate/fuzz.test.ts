/**
 * Fuzzing `ovsim validate` and `ovsim receive` with hostile input: real lines broken in every way (truncated,
 * values swapped for huge numbers, deep nesting, odd Unicode, wrong types), random bytes, byte order marks, long
 * lines. Whatever comes in: no crash, no hang, no stack trace, every diagnostic located and of a known rule, every
 * line counted. Small by default; OVSIM_FUZZ_RUNS=5000 for a long run (OVSIM_FUZZ_SEED picks another sequence).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver, type ReceivedRequest } from '../../src/server/receiver.js';
import { RULES, type Diagnostic } from '../../src/validate/rules.js';
import { validateFiles } from '../../src/validate/validate-files.js';
import { cli } from '../cli/run-cli.js';
import { toWebhook, VALID_2_16, VALID_CDR } from './fixtures.js';
import { OPENVIDU_2_16_WEBHOOK, OPENVIDU_PRO_2_17_CDR } from './real-format-lines.js';

const RUNS = Math.max(1, Number(process.env.OVSIM_FUZZ_RUNS ?? 150));
const SEED = Number(process.env.OVSIM_FUZZ_SEED ?? 1617);
const TIMEOUT = 60_000 + RUNS * 100;

const REAL = [
  ...VALID_CDR,
  ...VALID_CDR.map(toWebhook),
  ...VALID_2_16,
  ...OPENVIDU_2_16_WEBHOOK,
  ...OPENVIDU_PRO_2_17_CDR,
];

const hostileValue = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '123456789012345678901234567890',
    '-0',
    '0.1e-400',
    '9007199254740993',
    'null',
    'true',
    '[]',
    '{}',
    '"\\ud800"',
    '"\\u0000"',
    '"\u2028\u2029"',
    '"\u202e\u0301😀"',
    '"\\/"',
    '""',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((k) => `${'['.repeat(k)}${']'.repeat(k)}`),
  fc.integer({ min: 1, max: 3000 }).map((k) => `${'{"a":'.repeat(k)}1${'}'.repeat(k)}`),
  fc.integer({ min: 1000, max: 20_000 }).map((k) => `"${'x'.repeat(k)}"`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
);

/** One line of input, as bytes. */
const hostileLine: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(...REAL).map((l) => Buffer.from(l)),
  fc.tuple(fc.constantFrom(...REAL), fc.nat()).map(([l, n]) => Buffer.from(l.slice(0, n % (l.length + 1)))),
  fc.tuple(fc.constantFrom(...REAL), fc.nat(), hostileValue).map(([l, n, v]) => {
    // Replace the value after the n-th colon (up to the next , or }) by a hostile one.
    const colons = [...l.matchAll(/":/g)].map((m) => (m.index ?? 0) + 2);
    const at = colons[n % Math.max(1, colons.length)] ?? 0;
    const end = l.slice(at).search(/[,}]/);
    return Buffer.from(`${l.slice(0, at)}${v}${end < 0 ? '' : l.slice(at + end)}`);
  }),
  fc
    .tuple(fc.constantFrom(...REAL), fc.constantFrom('\uFEFF', '\r', '\u0000', ' ', '\t'))
    .map(([l, p]) => Buffer.from(p + l)),
  fc
    .tuple(fc.constantFrom(...REAL), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
    .map(([l, b, n]) => {
      const buf = Buffer.from(l);
      const at = n % (buf.length + 1);
      return Buffer.concat([buf.subarray(0, at), Buffer.from(b.filter((x) => x !== 0x0a)), buf.subarray(at)]);
    }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a))),
);

/** A file: lines joined by LF or CRLF, with or without a last newline. */
const hostileFile = fc
  .record({
    lines: fc.array(hostileLine, { minLength: 1, maxLength: 16 }),
    crlf: fc.boolean(),
    lastNewline: fc.boolean(),
  })
  .map(({ lines, crlf, lastNewline }) => {
    const eol = Buffer.from(crlf ? '\r\n' : '\n');
    const parts = lines.flatMap((l, i) => (i < lines.length - 1 || lastNewline ? [l, eol] : [l]));
    return { bytes: Buffer.concat(parts), lines: lines.length };
  });

/** What must hold for every diagnostic of any input. */
function expectLocated(ds: readonly Diagnostic[], file: string, lines: number): void {
  for (const d of ds) {
    expect(d.file).toBe(file);
    expect(Object.hasOwn(RULES, d.rule)).toBe(true);
    expect(d.severity === 'error' || d.severity === 'warning').toBe(true);
    expect(Number.isInteger(d.line) && d.line >= (d.rule === 'empty-input' ? 0 : 1) && d.line <= lines).toBe(
      true,
    );
    expect(d.message).not.toBe('');
    expect(d.message).not.toMatch(/\n\s+at /);
  }
}

describe('fuzz: ovsim validate', () => {
  it(
    `checks ${RUNS} hostile files without crashing, every finding located`,
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileFile, fc.constantFrom(64, 4096, 1024 * 1024), async (input, maxLineBytes) => {
          const result = await validateFiles(['-'], {
            stdin: Readable.from([input.bytes]),
            maxLineBytes,
          });
          // A last line without LF that is empty is no line.
          const counted = result.summary.lines;
          expect(counted === input.lines || counted === input.lines - 1).toBe(true);
          expectLocated(result.diagnostics, '-', input.lines);
          expect(result.ok).toBe(result.summary.errors === 0);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );

  it(
    'through the command line: exit 0 or 1, never an internal error or a stack trace',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ovsim-fuzz-'));
      const files = fc.sample(hostileFile, { numRuns: Math.max(5, Math.ceil(RUNS / 10)), seed: SEED });
      for (const [i, f] of files.entries()) {
        const path = join(dir, `case-${i}.jsonl`);
        writeFileSync(path, f.bytes);
        for (const format of ['text', 'sarif'] as const) {
          const r = await cli('validate', '--format', format, path);
          expect([0, 1]).toContain(r.code);
          expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
          if (format === 'sarif') expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
        }
      }
    },
    TIMEOUT,
  );
});

/** 413 over the size limit, 400 unless a JSON object nested at most 64 deep (a BOM aside), else 200. */
function expectedAnswer(body: Buffer): number {
  if (body.length > 8192) return 413;
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  try {
    const v = JSON.parse(text) as unknown;
    return deepest <= 64 && typeof v === 'object' && v !== null && !Array.isArray(v) ? 200 : 400;
  } catch {
    return 400;
  }
}

describe('fuzz: ovsim receive', () => {
  let receiver: WebhookReceiver;
  let url = '';
  const seen: ReceivedRequest[] = [];
  beforeAll(async () => {
    receiver = new WebhookReceiver({ maxBodyBytes: 8192, onRequest: (r) => seen.push(r) });
    url = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it(
    `answers ${RUNS} hostile bodies with 200, 400 or 413 and stays up`,
    async () => {
      const bodies = fc.sample(hostileLine, { numRuns: RUNS, seed: SEED });
      for (const body of bodies) {
        const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        expect(res.status).toBe(expectedAnswer(body));
      }
      const ok = await fetch(url, {
        method: 'POST',
        body: '{"sessionId":"ses_Fz1","timestamp":1700000000000,"event":"sessionCreated"}',
      });
      expect(ok.status).toBe(200);
      expect(receiver.stats.requests).toBe(RUNS + 1);
      expect(seen).toHaveLength(RUNS + 1);
      for (const r of seen) {
        expectLocated(r.diagnostics, 'webhook', RUNS + 1);
        if (r.answer === 400) expect(r.json).toBeUndefined();
      }
    },
    TIMEOUT,
  );
});
