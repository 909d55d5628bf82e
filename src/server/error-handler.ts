/**
 * The one place that maps errors to HTTP statuses. Bodies are `{"error":{"status","code","message"}}`.
 *
 * - A refused action: OpenVidu's status for its reason (refusal-status.ts: 409, or 406, 503…).
 * - Any other OvsimError: its own status (BAD_INPUT 400, NOT_FOUND 404, REFUSED 409, 401 for authentication).
 * - Body parser errors: too large → 413, unparsable → 400 naming the body.
 * - Anything else: 500 with a generic message (details only in the server's log).
 *
 * Under `/openvidu/` (the fake OpenVidu REST API) the same status is answered with OpenVidu's (Spring's) error body
 * instead: `{"timestamp","status","error","message","path"}`.
 */
import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { OvsimError } from '../errors.js';
import { httpStatusOf } from './refusal-status.js';

export interface HttpErrorBody {
  readonly error: { readonly status: number; readonly code: string; readonly message: string };
}

/** Builds the handler; `log` receives unexpected errors (default: stderr). */
export function createErrorHandler(
  log: (e: unknown) => void = (e) => console.error('ovsim serve: internal error:', e),
) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const body = describeError(err, log);
    const path = new URL(req.originalUrl, 'http://x').pathname;
    if (path.startsWith('/openvidu/')) {
      res.status(body.error.status).json(openviduErrorBody(body, path));
      return;
    }
    res.status(body.error.status).json(body);
  };
}

/** Status, code and message for an error (exported for the tests of the mapping). */
export function describeError(err: unknown, log: (e: unknown) => void = () => undefined): HttpErrorBody {
  if (err instanceof OvsimError) {
    return { error: { status: httpStatusOf(err), code: err.code, message: err.message } };
  }
  const e = err as { type?: unknown; status?: unknown; limit?: unknown; message?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.type === 'entity.too.large') {
      const limit = typeof e.limit === 'number' ? ` of ${Math.round(e.limit / 1024)} kB` : '';
      return {
        error: { status: 413, code: 'TOO_LARGE', message: `body: request body exceeds the limit${limit}` },
      };
    }
    if (e.type === 'entity.parse.failed') {
      return {
        error: { status: 400, code: 'BAD_INPUT', message: `body: not valid JSON (${String(e.message)})` },
      };
    }
    return {
      error: { status: e.status, code: 'BAD_INPUT', message: `body: ${String(e.message ?? 'bad request')}` },
    };
  }
  log(err);
  return { error: { status: 500, code: 'INTERNAL', message: 'internal error (see the server log)' } };
}

/** OpenVidu's REST error body for the same status and message. */
export function openviduErrorBody(body: HttpErrorBody, path: string): Record<string, unknown> {
  const { status, message } = body.error;
  return { timestamp: Date.now(), status, error: STATUS_CODES[status] ?? 'Error', message, path };
}
