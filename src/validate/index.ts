/** Public API of the lifecycle validator (`ovsim validate`, and the live WebHook receiver). */
export { RULES, type Diagnostic, type RuleId, type Severity, type Where } from './rules.js';
export { LifecycleValidator, type Summary, type ValidatorOptions } from './validate-lines.js';
export {
  formatDiagnostic,
  formatSummary,
  validateFiles,
  type ValidateFilesOptions,
  type ValidationResult,
} from './validate-files.js';
