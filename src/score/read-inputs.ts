/**
 * The inputs of `ovsim score`, read: the truth file, and the consumer's view from a file or an http(s) URL (GET,
 * bounded in time and size). The only I/O of score/; everything else there is pure.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { OvsimError } from '../errors.js';
import { TruthDocument, TRUTH_FORMAT, type Truth } from '../truth/truth-schema.js';
import { ActualDocument, type Actual } from './actual-schema.js';
import { actualFromCsv } from './csv.js';
import { parseJsonAs } from './json-input.js';

export type ActualFormat = 'json' | 'csv';

export interface ActualSourceOptions {
  /** Force a format; default from the file's extension (.csv) or the response's Content-Type (text/csv), else JSON. */
  readonly format?: ActualFormat | undefined;
  /** Extra request headers for a URL (`Authorization: …`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Ms to wait for a URL's whole answer; default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Largest answer read from a URL, bytes; default 64 MiB. */
  readonly maxBytes?: number | undefined;
}

export interface ActualInput {
  readonly actual: Actual;
  readonly format: ActualFormat;
}

/** Reads and checks a truth file. @throws OvsimError BAD_INPUT (IO when it cannot be read) */
export async function readTruth(path: string): Promise<Truth> {
  const text = await readText(path, '--truth');
  // A document of another kind deserves a plain answer rather than a list of missing fields.
  const format = /"format"\s*:\s*"([^"]*)"/.exec(text.slice(0, 200))?.[1];
  if (format !== undefined && format !== TRUTH_FORMAT)
    throw new OvsimError(
      'BAD_INPUT',
      `${path}: format "${format}" is not ${TRUTH_FORMAT} (written by a newer ovsim?)`,
    );
  return parseJsonAs(text, path, TruthDocument, `the truth ${path}`);
}

/** Reads the consumer's view from a file or a URL. @throws OvsimError BAD_INPUT, IO when a URL does not answer */
export async function readActual(source: string, o: ActualSourceOptions = {}): Promise<ActualInput> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return fetchActual(source, o);
  const text = await readText(source, '--actual');
  const format = o.format ?? (extname(source).toLowerCase() === '.csv' ? 'csv' : 'json');
  return { actual: parseActual(text, source, format), format };
}

export function parseActual(text: string, source: string, format: ActualFormat): Actual {
  return format === 'csv'
    ? actualFromCsv(text, source)
    : parseJsonAs(text, source, ActualDocument, `the consumer's view ${source}`);
}

async function fetchActual(url: string, o: ActualSourceOptions): Promise<ActualInput> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OvsimError('BAD_INPUT', `--actual ${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new OvsimError('BAD_INPUT', `--actual ${url}: only http:// and https:// URLs can be read`);
  const timeoutMs = o.timeoutMs ?? 10_000;
  let text: string;
  let contentType: string;
  try {
    const res = await fetch(parsed, {
      headers: { accept: 'application/json, text/csv;q=0.9', ...o.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    contentType = res.headers.get('content-type') ?? '';
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel();
      throw new OvsimError('IO', `--actual ${url} answered ${res.status} ${res.statusText}`);
    }
    text = await readLimited(res, o.maxBytes ?? 64 * 1024 * 1024, url);
  } catch (e) {
    if (e instanceof OvsimError) throw e;
    const err = e as Error & { cause?: { code?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `no whole answer within ${timeoutMs} ms`
        : (err.cause?.code ?? err.message);
    throw new OvsimError('IO', `--actual ${url}: ${why}`, { cause: e });
  }
  const format = o.format ?? (/\btext\/csv\b/i.test(contentType) ? 'csv' : 'json');
  return { actual: parseActual(text, url, format), format };
}

async function readLimited(res: Response, maxBytes: number, url: string): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new OvsimError('IO', `--actual ${url}: the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OvsimError('BAD_INPUT', `${option} ${path}: no such file`);
    if (code === 'EISDIR') throw new OvsimError('BAD_INPUT', `${option} ${path}: is a directory`);
    throw new OvsimError('IO', `${option} ${path}: ${(e as Error).message}`);
  }
}
