/**
 * How OpenVidu 2.32.1 answers errors, reproduced: most refusals of SessionRestController are
 * `new ResponseEntity<>(status)` — an empty body; some are built by `generateErrorResponse` — a JSON
 * `{timestamp,status,error,message,path}` whose `path` is the one the Java code names (not always the request's);
 * what never reaches a controller (unparsable body, unknown route, wrong method) gets Spring Boot's error body
 * `{timestamp,status,error,path}` with an ISO timestamp and no message.
 */
import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { OvsimError, type ErrorCode } from '../../errors.js';
import { httpStatusOf } from '../refusal-status.js';
import { sendJavaJson } from './java-json.js';

/** Where OpenVidu's REST API lives; `generateErrorResponse` prefixes its paths with it. */
export const API_BASE = '/openvidu/api';

/** Header carrying ovsim's explanation of an empty-bodied refusal (OpenVidu gives none; the body stays empty). */
export const REASON_HEADER = 'x-ovsim-reason';

/** A refusal shaped as OpenVidu shapes that one. */
export class OpenviduRefusal extends OvsimError {
  /** `generateErrorResponse`'s path after `/openvidu/api`; undefined for an empty body. */
  readonly javaPath: string | undefined;
  /** Spring Boot's error body instead (the request never reached a controller method). */
  readonly spring: boolean;
  /** What `javaPath` follows in the body: `/openvidu/api`, or nothing when the path is written whole (before 2.16). */
  readonly javaBase: string;
  constructor(
    status: number,
    message: string,
    javaPath: string | undefined,
    spring = false,
    javaBase = API_BASE,
  ) {
    super(codeOf(status), message, { status });
    this.name = 'OpenviduRefusal';
    this.javaPath = javaPath;
    this.spring = spring;
    this.javaBase = javaBase;
  }
}

function codeOf(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'INTERNAL';
  if (status === 400 || status === 422) return 'BAD_INPUT';
  return 'REFUSED';
}

/** `new ResponseEntity<>(HttpStatus.X)`: the status alone. */
export function emptyAnswer(status: number, message: string): OpenviduRefusal {
  return new OpenviduRefusal(status, message, undefined);
}

/** `SessionRestController.generateErrorResponse(message, path, status)`. */
export function javaError(status: number, message: string, path: string): OpenviduRefusal {
  return new OpenviduRefusal(status, message, path);
}

/**
 * `generateErrorResponse` of an OpenVidu before 2.16, whose REST API was under `/api` and whose Java names the whole
 * path (`"/api/recordings/start"`): the body carries that path as written.
 */
export function javaErrorBefore216(status: number, message: string, wholePath: string): OpenviduRefusal {
  return new OpenviduRefusal(status, message, wholePath, false, '');
}

/** An answer of Spring itself (no handler, wrong method). */
export function springError(status: number, message: string): OpenviduRefusal {
  return new OpenviduRefusal(status, message, undefined, true);
}

/** Spring's reason phrases (`HttpStatus.getReasonPhrase`) where Node's differ. */
const SPRING_REASONS: Readonly<Record<number, string>> = { 413: 'Content Too Large' };

function reason(status: number): string {
  return SPRING_REASONS[status] ?? STATUS_CODES[status] ?? 'Error';
}

/** Jackson's default form of a `java.util.Date` in Spring Boot's error body: `2024-01-01T00:00:00.000+00:00`. */
export function springTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '+00:00');
}

/** The body of `generateErrorResponse`: key order as `SessionRestController.generateErrorResponse` adds them. */
export function javaErrorBody(
  now: number,
  status: number,
  message: string,
  path: string,
  base = API_BASE,
): Record<string, unknown> {
  return { timestamp: now, status, error: reason(status), message, path: base + path };
}

/** Spring Boot's `DefaultErrorAttributes` body (message excluded, Boot's default). */
export function springErrorBody(now: number, status: number, path: string): Record<string, unknown> {
  return { timestamp: springTimestamp(now), status, error: reason(status), path };
}

/**
 * The router's error handler. `now` is the REST API's clock. OvsimErrors thrown by shared helpers map by status:
 * 400/422 (a property OpenVidu's builders reject) get `generateErrorResponse`'s body with the route's Java path
 * (`res.locals.javaPath`, else the request's), 5xx Spring's, anything else an empty body.
 */
export function openviduErrorHandler(now: () => number) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const path = new URL(req.originalUrl, 'http://x').pathname;
    const bodyError = parserError(err);
    if (bodyError !== undefined) {
      sendJavaJson(res, bodyError, springErrorBody(now(), bodyError, path));
      return;
    }
    if (!(err instanceof OvsimError)) {
      next(err); // a bug: the server's own handler logs it and answers 500
      return;
    }
    const status = httpStatusOf(err);
    const javaPath = err instanceof OpenviduRefusal ? err.javaPath : defaultJavaPath(err, res, path);
    if (err instanceof OpenviduRefusal && err.spring) {
      sendJavaJson(res, status, springErrorBody(now(), status, path));
    } else if (javaPath !== undefined) {
      const base = err instanceof OpenviduRefusal ? err.javaBase : API_BASE;
      sendJavaJson(res, status, javaErrorBody(now(), status, err.message, javaPath, base));
    } else if (status >= 500) {
      sendJavaJson(res, status, springErrorBody(now(), status, path));
    } else {
      res.status(status).setHeader(REASON_HEADER, headerSafe(err.message));
      res.end();
    }
  };
}

function defaultJavaPath(err: OvsimError, res: Response, path: string): string | undefined {
  const status = httpStatusOf(err);
  if (status !== 400 && status !== 422) return undefined;
  const fromRoute = (res.locals as { javaPath?: unknown }).javaPath;
  return typeof fromRoute === 'string' ? fromRoute : path.replace(API_BASE, '');
}

/** The status of a body-parser failure (unparsable or too large JSON), else undefined. */
function parserError(err: unknown): number | undefined {
  const e = err as { type?: unknown; status?: unknown } | null;
  if (e === null || typeof e !== 'object' || err instanceof OvsimError) return undefined;
  if (typeof e.type === 'string' && e.type.startsWith('entity.') && typeof e.status === 'number')
    return e.status;
  return undefined;
}

/** HTTP header values are Latin-1 without control characters. */
function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}
