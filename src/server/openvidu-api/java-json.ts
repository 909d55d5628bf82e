/**
 * REST bodies as OpenVidu writes them: `JsonObject.toString()` (Gson, HTML-safe escaping off, nulls kept), sent
 * with `RestUtils.getResponseHeaders()`'s bare `Content-Type: application/json`. Numbers Java holds as doubles
 * (a recording's `duration`) are marked with `JavaDouble` so that they keep their `.0`.
 */
import type { Response } from 'express';
import { gsonQuote, JavaDouble, javaDoubleToString } from '../../model/java.js';

export { JavaDouble };

/** Gson's text of a JSON tree: insertion order, `undefined` members skipped, `JavaDouble`s in Java's form. */
export function javaJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  switch (typeof v) {
    case 'string':
      return gsonQuote(v);
    case 'number':
      return Number.isInteger(v) ? String(v) : javaDoubleToString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) return `[${v.map(javaJson).join(',')}]`;
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== undefined) parts.push(`${gsonQuote(k)}:${javaJson(x)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}

/** Answers `status` with the Gson text of `body` and OpenVidu's headers. */
export function sendJavaJson(res: Response, status: number, body: unknown): void {
  const bytes = Buffer.from(javaJson(body), 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/** A plain-text answer, as Spring writes a controller's `String` (`text/plain;charset=UTF-8`). */
export function sendPlainText(res: Response, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  res.status(200);
  res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}
