/**
 * The few named errors of ovsim. Each has a stable `code`; `main` maps them to exit codes
 * (user errors → 2, everything else → 1 with a short message) and the HTTP error handler maps them to statuses.
 */
export type ErrorCode =
  | 'BAD_INPUT' // a scenario or option that cannot be used (exit 2, HTTP 400)
  | 'NOT_FOUND' // an unknown entity (HTTP 404)
  | 'REFUSED' // an action OpenVidu would refuse (exit 2 in scenarios, HTTP 409 or OpenVidu's own status)
  | 'IO' // a file or socket could not be used
  | 'INTERRUPTED' // stopped by SIGINT/SIGTERM before the end (exit 130)
  | 'INTERNAL';

/**
 * An error ovsim raises on purpose, with a `code` that decides the exit code (`BAD_INPUT` → 2) and, for HTTP, a
 * `status`; anything else reaching the top is reported as an internal error.
 */
export class OvsimError extends Error {
  readonly code: ErrorCode;
  /** HTTP status the server answers with; defaults derived from `code`. */
  readonly status: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OvsimError';
    this.code = code;
    this.status = options?.status ?? defaultStatus(code);
  }
}

/**
 * Makes an error without capturing a stack trace. For refusals: expected outcomes, reported by their message alone (an
 * HTTP status, a scenario line, a count of skipped actions), which a generated run meets by the thousand — capturing a
 * stack for each cost 2–3 % of busy-day's generation.
 */
export function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function defaultStatus(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'REFUSED':
      return 409;
    case 'IO':
    case 'INTERRUPTED':
    case 'INTERNAL':
      return 500;
  }
}

/** Where in a scenario file something is: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One problem found in a scenario, located in its file, e.g. `s.yaml:23:5 steps[7].publish: participant "bob" …`. */
export interface ScenarioProblem {
  readonly location: SourceLocation | undefined;
  /** Dotted path of the offending field, e.g. `steps[7].publish.participant`. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: ScenarioProblem): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.col} ` : '';
  return `${where}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A scenario that cannot be read, is invalid, or asks for something OpenVidu would refuse. Exit code 2. */
export class ScenarioError extends OvsimError {
  readonly problems: readonly ScenarioProblem[];
  constructor(problems: readonly ScenarioProblem[]) {
    super('BAD_INPUT', problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}
