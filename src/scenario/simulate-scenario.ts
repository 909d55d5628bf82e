/**
 * Runs a parsed scenario through the engine on virtual time, yielding batches of events as they happen.
 * Pure: the caller resolves the start instant (`--start now` reads the wall clock in the CLI, not here).
 */
import type { ClusterConfig } from '../engine/engine.js';
import { ActionRefused, Engine, type Batch, type EngineOptions } from '../engine/engine.js';
import { OvsimError, ScenarioError } from '../errors.js';
import { Profile, type Edition } from '../model/profile.js';
import { serverSettings, type ServerSettings } from '../model/ov3/server-wire.js';
import { DEFAULT_SERVER, isLivekitBased, type ServerKind } from '../model/servers.js';
import { locateField } from './parse-scenario.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import { explainInstant, explainWhen, rangeProblem } from '../model/time-bounds.js';
import { checkVersionedValues } from './version-features.js';

/** The default virtual start: a fixed instant, so fixtures are reproducible. */
export const DEFAULT_START = '2024-01-01T00:00:00.000Z';
export const DEFAULT_SEED = 1;

export interface SimulationSettings {
  readonly seed: string | number;
  /** Virtual start instant, ms since the epoch. */
  readonly start: number;
  readonly profile: Profile;
  readonly engine: EngineOptions;
  /** The server imitated (OpenVidu 2 by default) and its OpenVidu 3 wire settings. */
  readonly server: ServerSettings;
}

export interface SettingsOverrides {
  readonly seed?: string | number | undefined;
  readonly start?: number | undefined;
  readonly version?: string | undefined;
  readonly edition?: Edition | undefined;
  /** The wall clock for a scenario that says `start: now` (ms since the epoch); default `Date.now()`. */
  readonly now?: number | undefined;
  /** `--server`. */
  readonly server?: ServerKind | undefined;
  /** `--livekit-version`. */
  readonly livekitVersion?: string | undefined;
  /** `--livekit-json-spacing`. */
  readonly jsonSpacing?: 'compact' | 'spaced' | undefined;
}

/** Parses an ISO 8601 instant with a time zone (or a date alone, taken as UTC midnight) to epoch ms. */
export function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.test(text))
    return undefined;
  const ms = globalThis.Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Settings from the scenario's own `seed`, `start` and `openvidu`, overridden by the command line.
 * @throws ScenarioError when the start or a step's instant is outside the instants ovsim writes (time-bounds.ts),
 *   or a step asks for a value the version does not have (version-features.ts), located at the field; OvsimError BAD_INPUT when it is the overriding start that is.
 */
export function resolveSettings(scenario: Scenario, overrides: SettingsOverrides = {}): SimulationSettings {
  const seed = overrides.seed ?? scenario.seed ?? DEFAULT_SEED;
  const start = overrides.start ?? scenarioStart(scenario, overrides.now);
  checkInstants(scenario, start, overrides.start !== undefined);
  const edition = overrides.edition ?? scenario.openvidu.edition ?? 'ce';
  const profile = new Profile(overrides.version ?? scenario.openvidu.version ?? undefined, edition);
  checkVersionedValues(scenario, profile.minor);
  const server = serverOf(scenario, overrides);
  const lk = scenario.openvidu.livekit;
  return {
    seed,
    start,
    profile,
    server,
    engine: {
      ...(isLivekitBased(server.kind)
        ? { livekit: { departureTimeout: lk?.departureTimeout, emptyTimeout: lk?.emptyTimeout } }
        : {}),
      seed,
      start,
      recordingAutostopTimeout: scenario.openvidu.recordingAutostopTimeout ?? 120,
      ...behaviourOptions(scenario.openvidu, profile),
      geoLocation: edition !== 'ce',
      mediaNodePrefix: profile.minor >= 17 ? 'media_' : 'kms_',
      edition,
      ...(scenario.openvidu.cluster ? { cluster: clusterOptions(scenario.openvidu.cluster) } : {}),
    },
  };
}

/** The server of `--server` or the scenario's header, and its LiveKit build. */
function serverOf(scenario: Scenario, o: SettingsOverrides): ServerSettings {
  const lk = scenario.openvidu.livekit ?? {};
  const spacing = o.jsonSpacing ?? lk.jsonSpacing;
  return serverSettings(o.server ?? scenario.openvidu.server ?? DEFAULT_SERVER, {
    version: o.livekitVersion ?? lk.version,
    spaceAfterComma: spacing === 'spaced',
    duplicateParticipantLeft: lk.duplicateParticipantLeft,
    egressFileResults: lk.egressFileResults,
    fullRoomInWebhooks: lk.fullRoomInWebhooks,
    departureTimeout: lk.departureTimeout,
    emptyTimeout: lk.emptyTimeout,
  });
}

/**
 * The server behaviours a version profile implies, unless the scenario says otherwise: OpenVidu Pro 2.22's repeated
 * `ready` (OpenVidu#747), and the garbage collector of non-active sessions, which 2.13 introduced (900 s / 3600 s).
 */
function behaviourOptions(
  o: Scenario['openvidu'],
  profile: Profile,
): Pick<EngineOptions, 'repeatReady' | 'sessionsGarbageInterval' | 'sessionsGarbageThreshold'> {
  return {
    repeatReady: o.repeatReady ?? (profile.minor === 22 && profile.edition !== 'ce'),
    sessionsGarbageInterval: o.sessionsGarbageInterval ?? (profile.minor >= 13 ? 900 : 0),
    sessionsGarbageThreshold: o.sessionsGarbageThreshold ?? 3600,
  };
}

/** The scenario's own start instant (the fixed default when it has none; the wall clock for `now`). */
function scenarioStart(scenario: Scenario, now: number | undefined): number {
  const text = scenario.start ?? DEFAULT_START;
  // `start: now` asks for the wall clock (callers may pin it with `now`); any other start is fixed, so the run is
  // reproducible.
  const start = text === 'now' ? (now ?? globalThis.Date.now()) : parseInstant(text);
  if (start === undefined) {
    throw scenarioProblem(scenario, 'start', `"${text}" is not an ISO 8601 instant`);
  }
  return start;
}

/** The start and the instant of every step are within the range ovsim writes. */
function checkInstants(scenario: Scenario, start: number, overridden: boolean): void {
  const problem = explainInstant(start);
  if (problem !== undefined) {
    if (overridden) throw new OvsimError('BAD_INPUT', `the start instant (--start) ${problem}`);
    throw scenarioProblem(scenario, 'start', problem);
  }
  // Steps are in time order: the first out of range is the one to report.
  const step = scenario.steps.find((s) => rangeProblem(start + s.at) !== undefined);
  if (step === undefined) return;
  const path = `steps[${step.index}]`;
  const message = `this step would run at ${explainWhen(start + step.at) ?? ''}; use an earlier start or a shorter offset`;
  throw new ScenarioError([{ location: locateField(scenario, path) ?? step.location, path, message }]);
}

function scenarioProblem(scenario: Scenario, path: string, message: string): ScenarioError {
  return new ScenarioError([{ location: locateField(scenario, path), path, message }]);
}

/** The scenario's `openvidu.cluster` as engine options (only what is given; the engine fills OpenVidu's defaults). */
function clusterOptions(c: NonNullable<Scenario['openvidu']['cluster']>): Partial<ClusterConfig> {
  const a = c.autoscaling ?? {};
  return {
    ...(c.id !== undefined ? { id: c.id } : {}),
    ...(c.mediaNodes !== undefined ? { mediaNodes: c.mediaNodes } : {}),
    ...(c.reconnectionTimeout !== undefined ? { reconnectionTimeout: c.reconnectionTimeout } : {}),
    ...(c.loadInterval !== undefined ? { loadInterval: c.loadInterval } : {}),
    autoscaling: {
      enabled: a.enabled ?? false,
      minNodes: a.minNodes ?? 1,
      maxNodes: a.maxNodes ?? 2,
      minLoad: a.minLoad ?? 20,
      maxLoad: a.maxLoad ?? 70,
    },
  };
}

/**
 * Yields every batch of events of the scenario, in order, until nothing is left to happen. A step OpenVidu would
 * refuse ends the run with a ScenarioError naming the step (`file:line:col steps[7].publish: …`).
 */
export function* simulateScenario(
  scenario: Scenario,
  settings: SimulationSettings,
): Generator<Batch, Engine> {
  const engine = startScenarioEngine(scenario, settings);
  for (let batch = nextScenarioBatch(engine); batch; batch = nextScenarioBatch(engine)) yield batch;
  return engine;
}

/** A simulated server with the scenario's steps queued, for callers that keep hold of the engine. */
export function startScenarioEngine(scenario: Scenario, settings: SimulationSettings): Engine {
  const engine = new Engine(settings.engine);
  for (const step of scenario.steps) engine.schedule(settings.start + step.at, step.action, step);
  PLAYING.set(engine, { scenario, lastStep: undefined });
  return engine;
}

/** The scenario each engine of startScenarioEngine plays, and its last step run: to locate a batch out of range. */
const PLAYING = new WeakMap<Engine, { readonly scenario: Scenario; lastStep: ScenarioStep | undefined }>();

/**
 * The engine's next batch with events; undefined when nothing is left to happen. A refused scenario step throws a
 * ScenarioError naming it.
 */
export function nextScenarioBatch(engine: Engine): Batch | undefined {
  // Bounded by the engine's queue: each runNext consumes one queued item.
  for (;;) {
    let batch: Batch | undefined;
    try {
      batch = engine.runNext();
    } catch (e) {
      if (e instanceof ActionRefused && isStep(e.origin)) throw stepError(e.origin, e.message);
      throw e;
    }
    if (!batch) return undefined;
    const playing = PLAYING.get(engine);
    if (playing && batch.cause.kind === 'action' && isStep(batch.cause.origin))
      playing.lastStep = batch.cause.origin;
    // A batch without output matters only when it ends something silently (the ground truth reads it).
    if (!engine.hasOutput(batch) && !endsSilently(batch)) continue;
    if (playing && rangeProblem(batch.at) !== undefined) throw lateBatchError(batch, playing);
    return batch;
  }
}

/**
 * A batch past the range (time-bounds.ts), after every instant the scenario states was checked: a timeout or
 * delay (a recording's auto-stop, a media node's launch) that ends past it. Located at the step that led to it.
 */
function lateBatchError(
  batch: Batch,
  playing: { scenario: Scenario; lastStep: ScenarioStep | undefined },
): ScenarioError {
  const what = batch.cause.kind === 'timer' ? batch.cause.label : batch.cause.action.type;
  const step = playing.lastStep ?? playing.scenario.steps.at(-1);
  const path = step === undefined ? '' : `steps[${step.index}]`;
  const message =
    `${what} would happen at ${explainWhen(batch.at) ?? ''}; ` +
    'use an earlier start or shorter timeouts and delays';
  return new ScenarioError([
    { location: locateField(playing.scenario, path) ?? step?.location, path, message },
  ]);
}

function endsSilently(batch: Batch): boolean {
  return batch.facts?.some((f) => f.type === 'sessionGarbageCollected') === true;
}

function isStep(origin: unknown): origin is ScenarioStep {
  return typeof origin === 'object' && origin !== null && 'index' in origin && 'action' in origin;
}

/** A refusal located at its step. */
export function stepError(step: ScenarioStep, message: string): ScenarioError {
  return new ScenarioError([
    { location: step.location, path: `steps[${step.index}].${step.action.type}`, message },
  ]);
}
