/**
 * ovsim as a library: the public API, re-exported. Commands live in `src/cli`; nothing here runs on import.
 */
export { Engine, ActionRefused, finalReason } from './engine/engine.js';
export type { Batch, Cause, EngineOptions, EngineSnapshot } from './engine/engine.js';
export { REFUSAL_REASONS } from './model/refusals.js';
export type { RefusalReason } from './model/refusals.js';
export { CATALOGUE, EVENT_NAMES, CE_EVENT_NAMES } from './model/catalogue.js';
export type { CdrEvent, EventData, EventName, EventSpec, FieldSpec } from './model/catalogue.js';
export { Profile, KNOWN_VERSIONS, DEFAULT_VERSION, parseVersion } from './model/profile.js';
export type { Edition } from './model/profile.js';
export { javaDoubleToString, javaHashSetOrder, gsonQuote } from './model/java.js';
export { actionSchemas, ACTION_NAMES, parseDuration } from './scenario/schema.js';
export type { Action, ActionName, ActionOf } from './scenario/schema.js';
export type { Scenario, ScenarioStep } from './scenario/scenario.js';
export { parseScenarioText, readScenario, listBundledScenarios } from './scenario/parse-scenario.js';
export { resolveSettings, simulateScenario, DEFAULT_START } from './scenario/simulate-scenario.js';
export { generateScenario } from './runtime/generate.js';
export { LifecycleValidator, validateFiles, formatDiagnostic, formatSummary } from './validate/index.js';
export type { Diagnostic, Summary } from './validate/index.js';
export { createServer } from './server/public-server.js';
export type { OvsimServer, ServerAddress, ServerOptions } from './server/server-options.js';
export { OvsimError, ScenarioError } from './errors.js';
export { startRun } from './runtime/run.js';
export { runCli } from './cli/main.js';
