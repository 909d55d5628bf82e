/** Public API of the lifecycle validator (`ovsim validate`, and the live WebHook receiver). */
export { parseEventList, type FilterSummary } from './event-filter.js';
export { DEFAULT_MAX_LINE_BYTES } from './line-reader.js';
export {
  diagnosticWriter,
  OUTPUT_FORMATS,
  type DiagnosticWriter,
  type OutputFormat,
} from './output-formats.js';
export { RULES, type Diagnostic, type RuleId, type Severity, type Where } from './rules.js';
export { LifecycleValidator, type Summary, type ValidatorOptions } from './validate-lines.js';
export {
  createStreamValidator,
  type StreamSummary,
  type StreamValidator,
  type StreamValidatorOptions,
} from './stream-validator.js';
export { LivekitValidator, type LivekitSummary } from './livekit/livekit-validator.js';
export { MeetValidator, type MeetSummary } from './meet/meet-validator.js';
export { parseServerEvents, serverEventNames } from './server-events.js';
export {
  formatDiagnostic,
  formatFilter,
  formatSummary,
  validateFiles,
  type ValidateFilesOptions,
  type ValidationResult,
} from './validate-files.js';
