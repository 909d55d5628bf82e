/**
 * The small pure pieces of the live simulation: speed checks, the cluster settings the page explains, and how a
 * cascade's cause and a refused step are shown.
 */
import {
  clusterConfig,
  SILENT_RETRY_MS,
  type ActionRefused,
  type Cause,
  type ClusterConfig,
} from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import { parseInstant } from '../scenario/simulate-scenario.js';
import type { CauseView } from './event-log.js';
import type { ClusterSettingsView } from './simulation-views.js';

/** Slowest and fastest speeds accepted, virtual ms per wall ms. */
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 10_000;

export function checkSpeed(speed: number, field: string): void {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new OvsimError(
      'BAD_INPUT',
      `${field} must be a number from ${MIN_SPEED} to ${MAX_SPEED} (1 = real time)`,
    );
  }
}

/** The cluster options with OpenVidu's defaults filled in as the engine applies them, for the page to explain. */
export function clusterSettingsView(c: Partial<ClusterConfig>): ClusterSettingsView {
  const config = clusterConfig(c);
  const nodes = config.mediaNodes;
  return {
    initialNodes: typeof nodes === 'number' ? nodes : nodes.length,
    reconnectionTimeout: config.reconnectionTimeout ?? (config.autoscaling.enabled ? 3 : -1),
    loadInterval: config.loadInterval,
    silentRetryMs: SILENT_RETRY_MS,
    autoscaling: { ...config.autoscaling },
  };
}

export function scenarioStart(s: Scenario): number | undefined {
  if (s.start === undefined || s.start === 'now') return undefined;
  return parseInstant(s.start);
}

export function isStep(origin: unknown): origin is ScenarioStep {
  return typeof origin === 'object' && origin !== null && 'index' in origin && 'action' in origin;
}

export function causeView(cause: Cause): CauseView {
  if (cause.kind === 'timer') return { kind: 'timer', label: cause.label };
  const step = isStep(cause.origin) ? cause.origin.index : undefined;
  return step === undefined
    ? { kind: 'action', type: cause.action.type, args: cause.action.args, origin: 'api' }
    : { kind: 'action', type: cause.action.type, args: cause.action.args, origin: 'scenario', step };
}

export function refusalMessage(e: ActionRefused): string {
  return isStep(e.origin) ? `steps[${e.origin.index}].${e.action.type}: ${e.message}` : e.message;
}
