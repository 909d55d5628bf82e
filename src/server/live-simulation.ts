/**
 * The one live simulation behind `ovsim serve`: an Engine fed by a scenario's steps and by live actions, paced by a
 * LiveClock with a single timer, writing every event to a bounded log and to its listeners (the WebSocket feed, the
 * WebHook sender, a CDR file). All timers of the server live here; the engine stays pure.
 */
import { clusterConfig, SILENT_RETRY_MS, type ClusterConfig } from '../engine/engine.js';
import { ActionRefused, type Batch, type Cause, type Engine, type EngineSnapshot } from '../engine/engine.js';
import { Engine as EngineClass } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { Edition, Profile } from '../model/profile.js';
import type { Scenario, ScenarioStep } from '../scenario/scenario.js';
import type { Action } from '../scenario/schema.js';
import { parseInstant, resolveSettings } from '../scenario/simulate-scenario.js';
import { EventLog, type CauseView, type LogEntry } from './event-log.js';
import { httpStatusOf } from './refusal-status.js';
import { LiveClock, MAX_SPEED, MIN_SPEED, type ClockView } from './live-clock.js';
import { ScenarioProgress } from './scenario-progress.js';
import type { NextStepView, WorldPatch } from './view-types.js';
import { WorldProjection } from './world-projection.js';

export interface LiveSimulationOptions {
  /** Seed override (default: the scenario's, else 1). */
  readonly seed?: string | number | undefined;
  /** Virtual start instant override, ms since the epoch (default: the scenario's `start`, else the wall clock). */
  readonly start?: number | undefined;
  /** OpenVidu version whose field set is written (default: the scenario's, else 2.32). */
  readonly version?: string | undefined;
  readonly edition?: Edition | undefined;
  /** Initial speed, virtual ms per wall ms; default 1. */
  readonly speed?: number | undefined;
  /** OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, seconds, over the scenario's (default: the scenario's, else 120). */
  readonly recordingAutostopTimeout?: number | undefined;
  /** Start paused instead of letting virtual time flow at once; default false. */
  readonly paused?: boolean | undefined;
  /** Events kept in the log; default 20 000. */
  readonly logCapacity?: number | undefined;
  /** Wall clock, epoch ms, for a virtual start of "now"; default Date.now. */
  readonly wallClock?: (() => number) | undefined;
}

/** The engine's read side. */
export type EngineView = Pick<
  Engine,
  | 'now'
  | 'mediaNodeId'
  | 'snapshot'
  | 'isHandleFree'
  | 'describeSession'
  | 'describeSessions'
  | 'describeRecordings'
>;

/** What a load may override, over the server's options and the scenario's own settings. */
export interface LoadOverrides {
  readonly seed?: string | number | undefined;
  /** Virtual start, ms since the epoch. */
  readonly start?: number | undefined;
  /** Edition chosen for this load (the page's "empty world — Pro"); beats `--edition` and the scenario's. */
  readonly edition?: Edition | undefined;
}

/** A cascade as clients see it. */
export interface BatchView {
  readonly id: number;
  /** Virtual instant the cascade began, ms since the epoch. */
  readonly at: number;
  readonly cause: CauseView;
  readonly events: readonly LogEntry[];
  /** The records of the world projection this cascade touched. */
  readonly world: WorldPatch;
}

export interface ScenarioView {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly steps: number;
}

/** The Pro cluster's settings as the engine applies them (OpenVidu's defaults filled in), for the page to explain. */
export interface ClusterSettingsView {
  /** Media nodes launched at start. */
  readonly initialNodes: number;
  /** OPENVIDU_PRO_CLUSTER_RECONNECTION_TIMEOUT, seconds; -1 = a crashed node is never given up. */
  readonly reconnectionTimeout: number;
  /** Seconds between two load samples of the autoscaling. */
  readonly loadInterval: number;
  /** How long OpenVidu retries a silent media node before declaring it crashed, ms. */
  readonly silentRetryMs: number;
  readonly autoscaling: ClusterConfig['autoscaling'];
}

export interface StateView {
  readonly clock: ClockView;
  readonly scenario: ScenarioView;
  readonly openvidu: {
    readonly version: string;
    readonly edition: Edition;
    readonly mediaNodeId: string;
    /** Pro and Enterprise only (null in CE). */
    readonly cluster: ClusterSettingsView | null;
  };
  readonly seed: string | number;
  /** Virtual start instant of the loaded world, ms since the epoch. */
  readonly start: number;
  /** Virtual instant of the next queued step or timer; null when nothing is queued. */
  readonly nextAt: number | null;
  /** The next scenario step not yet run (null when all ran), and how many are left. */
  readonly nextStep: NextStepView | null;
  readonly stepsLeft: number;
  /** Actions run live (control API, page, REST clients) since the last load or reset. */
  readonly liveActions: number;
  readonly log: { readonly oldest: number; readonly newest: number };
  readonly snapshot: EngineSnapshot;
}

/** What listeners (the feed, sinks) receive. */
export type SimulationMessage =
  | { readonly type: 'batch'; readonly batch: BatchView }
  | { readonly type: 'refused'; readonly message: string; readonly status: number; readonly cause: CauseView }
  | { readonly type: 'control'; readonly state: StateView }
  | { readonly type: 'reset'; readonly state: StateView };

export type SimulationListener = (m: SimulationMessage) => void;

/** Receives each cascade's engine events with their log entries (sinks that serialize themselves: CDR file, WebHook). */
export type BatchSink = (batch: Batch, entries: readonly LogEntry[]) => void;

/** A scenario with no steps: the world people build with clicks. */
export const EMPTY_SCENARIO: Scenario = {
  file: '(live)',
  name: 'live',
  description: 'An empty world: create sessions and join them with the controls.',
  seed: undefined,
  start: undefined,
  openvidu: {},
  steps: [],
};

/** Longest single wait of the pacing timer, wall ms: a far-off item is re-checked rather than waited for blindly. */
const MAX_TIMER_MS = 60_000;
/** Items run per timer tick at most, so one tick at high speed cannot block the event loop for long. */
const MAX_ITEMS_PER_TICK = 5_000;

export class LiveSimulation {
  readonly log: EventLog;
  private readonly options: LiveSimulationOptions;
  private readonly listeners = new Set<SimulationListener>();
  private readonly sinks = new Set<BatchSink>();
  private scenario: Scenario = EMPTY_SCENARIO;
  private overrides: LoadOverrides = {};
  private engine!: Engine;
  private profile!: Profile;
  private cluster: ClusterSettingsView | null = null;
  private seed!: string | number;
  private clock!: LiveClock;
  private batchCount = 0;
  private start = 0;
  private progress = new ScenarioProgress([], 0);
  private liveActions = 0;
  private readonly projection = new WorldProjection();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /**
   * The decisions queued on the engine, by number: the engine's world holds only the number (its work is data), the
   * closure stays here until it falls due.
   */
  private readonly decisions = new Map<number, () => Action | undefined>();
  private nextDecision = 0;

  constructor(options: LiveSimulationOptions = {}, scenario: Scenario = EMPTY_SCENARIO) {
    if (options.speed !== undefined) checkSpeed(options.speed, 'speed');
    this.options = options;
    this.log = new EventLog(options.logCapacity);
    this.scenario = scenario;
    this.rebuild(options.speed ?? 1);
    if (!options.paused) this.clock.resume();
    this.pump();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Control

  /** Replaces the scenario and resets to its start, paused (a changed version or edition rebuilds the profile). */
  load(scenario: Scenario, overrides: LoadOverrides = {}): StateView {
    this.scenario = scenario;
    this.overrides = overrides;
    return this.reset();
  }

  /** Back to the scenario's start: a new engine, an empty log, paused. */
  reset(): StateView {
    this.rebuild(this.clock.speed);
    this.pump();
    const state = this.state();
    this.emit({ type: 'reset', state });
    return state;
  }

  /** Lets virtual time flow (start and resume are the same: from where it stands). */
  resume(): StateView {
    this.clock.resume();
    return this.controlChanged();
  }

  pause(): StateView {
    this.pump(); // run what is due up to this instant first
    this.clock.pause();
    return this.controlChanged();
  }

  /** @param speed virtual ms per wall ms, MIN_SPEED..MAX_SPEED (1 = real time) */
  setSpeed(speed: number): StateView {
    checkSpeed(speed, 'speed');
    this.pump();
    this.clock.setSpeed(speed);
    return this.controlChanged();
  }

  /**
   * Runs the next queued cascade that produces events (a step or a timer), jumping virtual time to it; pauses first.
   * Returns the batch, or null when nothing is queued.
   */
  step(): BatchView | null {
    this.pump();
    this.clock.pause();
    let result: BatchView | null = null;
    for (let i = 0; i < MAX_ITEMS_PER_TICK && result === null && this.engine.nextAt() !== undefined; i++) {
      result = this.runOne();
    }
    this.clock.advanceTo(this.engine.now);
    this.controlChanged();
    return result;
  }

  /** Applies one action now, at the current virtual time. Throws ActionRefused (with OpenVidu's status) if refused. */
  execute(action: Action): BatchView {
    this.pump();
    this.liveActions++;
    const batch = this.engine.execute(action, 'api');
    const view = this.record(batch);
    this.clock.advanceTo(this.engine.now);
    this.pump();
    return view;
  }

  /**
   * Queues a decision on the engine's virtual clock (a simulated client's next move): at virtual time `at`, `decide`
   * returns the action to apply then, or undefined to skip. The pacing timer maps it to wall time like any step.
   */
  scheduleDecision(at: number, decide: () => Action | undefined, origin?: unknown): void {
    const ticket = this.nextDecision++;
    this.decisions.set(ticket, decide);
    this.engine.scheduleDecision(Math.max(at, this.engine.now), ticket, origin);
    this.pump();
  }

  /** Current virtual time, ms since the epoch, after running what is due. */
  virtualNow(): number {
    this.pump();
    return Math.max(this.clock.now(), this.engine.now);
  }

  /** Whether virtual time flows (false while paused). */
  get running(): boolean {
    return this.clock.running;
  }

  /** Read access to the engine (the OpenVidu REST API's views); act on it only through `execute`. */
  get view(): EngineView {
    return this.engine;
  }

  /** The seed the current world runs with. */
  get currentSeed(): string | number {
    return this.seed;
  }

  /** The whole world projection (what `hello` and `GET /api/world` send). */
  world(): WorldPatch {
    return this.projection.full();
  }

  state(): StateView {
    const next = this.engine.nextAt();
    return {
      clock: this.clock.view(),
      scenario: {
        name: this.scenario.name,
        description: this.scenario.description,
        file: this.scenario.file,
        steps: this.scenario.steps.length,
      },
      openvidu: {
        version: this.profile.version,
        edition: this.profile.edition,
        mediaNodeId: this.engine.mediaNodeId,
        cluster: this.cluster,
      },
      seed: this.seed,
      start: this.start,
      nextAt: next ?? null,
      nextStep: this.progress.next(),
      stepsLeft: this.progress.left,
      liveActions: this.liveActions,
      log: { oldest: this.log.oldest, newest: this.log.newest },
      snapshot: this.engine.snapshot(),
    };
  }

  /** Registers a listener of batches, refusals and control changes; returns the function that removes it. */
  subscribe(listener: SimulationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a sink of raw batches (with events); returns the function that removes it. */
  addSink(sink: BatchSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** The version profile events are serialized with now (it follows the loaded scenario's `openvidu:`). */
  get currentProfile(): Profile {
    return this.profile;
  }

  /** Stops the pacing timer; the simulation no longer moves. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    this.sinks.clear();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pacing

  private rebuild(speed: number): void {
    const wall = this.options.wallClock ?? Date.now;
    const start = this.overrides.start ?? this.options.start ?? scenarioStart(this.scenario) ?? wall();
    // The page and the fake REST API imitate OpenVidu 2: a scenario written for an OpenVidu 3 server plays as OpenVidu 2.
    const settings = resolveSettings(this.scenario, {
      seed: this.overrides.seed ?? this.options.seed,
      start,
      version: this.options.version,
      edition: this.overrides.edition ?? this.options.edition,
      server: 'openvidu2',
    });
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const autostop = this.options.recordingAutostopTimeout;
    const decide = (ticket: unknown): Action | undefined => {
      const fn = this.decisions.get(ticket as number);
      this.decisions.delete(ticket as number);
      return fn?.();
    };
    this.decisions.clear();
    this.engine = new EngineClass({
      ...(autostop === undefined
        ? settings.engine
        : { ...settings.engine, recordingAutostopTimeout: autostop }),
      decide,
    });
    this.profile = settings.profile;
    this.cluster =
      settings.profile.edition === 'ce' ? null : clusterSettingsView(settings.engine.cluster ?? {});
    this.seed = settings.seed;
    for (const step of this.scenario.steps) this.engine.schedule(start + step.at, step.action, step);
    this.start = start;
    this.progress = new ScenarioProgress(this.scenario.steps, start);
    this.liveActions = 0;
    this.projection.clear(settings.profile.edition, this.engine.mediaNodeId);
    this.clock = new LiveClock(start);
    this.clock.setSpeed(speed);
    this.log.clear();
    this.batchCount = 0;
  }

  /** Runs everything due at the current virtual time, then arms the timer for the next item. */
  private pump(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Paused means nothing happens by itself, not even what is due right now (so `step` shows the first step).
    if (!this.clock.running) return;
    const now = this.clock.now();
    let ran = 0;
    for (
      let at = this.engine.nextAt();
      at !== undefined && at <= now && ran < MAX_ITEMS_PER_TICK;
      at = this.engine.nextAt()
    ) {
      this.runOne();
      ran++;
    }
    if (ran < MAX_ITEMS_PER_TICK && now > this.engine.now) this.engine.runUntil(now); // nothing due: only moves time
    this.clock.advanceTo(this.engine.now);
    const next = this.engine.nextAt();
    const delay =
      ran >= MAX_ITEMS_PER_TICK ? 0 : next === undefined ? Infinity : this.clock.wallDelayUntil(next);
    if (delay === Infinity) return;
    this.timer = setTimeout(() => this.pump(), Math.min(Math.ceil(delay), MAX_TIMER_MS));
    this.timer.unref();
  }

  /** Runs the next queued item; a refused scenario step becomes a `refused` message instead of stopping the world. */
  private runOne(): BatchView | null {
    try {
      const batch = this.engine.runNext();
      if (batch?.cause.kind === 'action' && isStep(batch.cause.origin))
        this.progress.ran(batch.cause.origin.index);
      return batch && batch.events.length > 0 ? this.record(batch) : null;
    } catch (e) {
      if (!(e instanceof ActionRefused)) throw e;
      if (isStep(e.origin)) this.progress.ran(e.origin.index);
      this.emit({
        type: 'refused',
        message: refusalMessage(e),
        status: httpStatusOf(e),
        cause: causeView({ kind: 'action', action: e.action, origin: e.origin }),
      });
      return null;
    }
  }

  private record(batch: Batch): BatchView {
    const id = ++this.batchCount;
    const cause = causeView(batch.cause);
    const events = batch.events.map((event): LogEntry => {
      const data = event.data as { sessionId?: string; timestamp: number };
      const entry: LogEntry = {
        seq: this.log.nextSeq(),
        batch: id,
        name: event.name,
        timestamp: data.timestamp,
        sessionId: data.sessionId ?? null,
        cdr: this.profile.serializeCdr(event) ?? null,
        webhook: this.profile.serializeWebhook(event) ?? null,
        cause,
      };
      this.log.push(entry);
      return entry;
    });
    const world = this.projection.apply(id, batch, events, () => this.engine.snapshot());
    const view: BatchView = { id, at: batch.at, cause, events, world };
    if (events.length > 0) {
      for (const sink of this.sinks) {
        try {
          sink(batch, events);
        } catch {
          // Sinks count their own failures; the simulation goes on.
        }
      }
      this.emit({ type: 'batch', batch: view });
    }
    return view;
  }

  private controlChanged(): StateView {
    this.pump();
    const state = this.state();
    this.emit({ type: 'control', state });
    return state;
  }

  private emit(m: SimulationMessage): void {
    for (const l of this.listeners) {
      try {
        l(m);
      } catch {
        // A listener's failure is its own (sinks count theirs); the simulation goes on.
      }
    }
  }
}

function checkSpeed(speed: number, field: string): void {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new OvsimError(
      'BAD_INPUT',
      `${field} must be a number from ${MIN_SPEED} to ${MAX_SPEED} (1 = real time)`,
    );
  }
}

/** The cluster options with OpenVidu's defaults filled in as the engine applies them, for the page to explain. */
function clusterSettingsView(c: Partial<ClusterConfig>): ClusterSettingsView {
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

function scenarioStart(s: Scenario): number | undefined {
  if (s.start === undefined || s.start === 'now') return undefined;
  return parseInstant(s.start);
}

function isStep(origin: unknown): origin is ScenarioStep {
  return typeof origin === 'object' && origin !== null && 'index' in origin && 'action' in origin;
}

function causeView(cause: Cause): CauseView {
  if (cause.kind === 'timer') return { kind: 'timer', label: cause.label };
  const step = isStep(cause.origin) ? cause.origin.index : undefined;
  return step === undefined
    ? { kind: 'action', type: cause.action.type, args: cause.action.args, origin: 'api' }
    : { kind: 'action', type: cause.action.type, args: cause.action.args, origin: 'scenario', step };
}

function refusalMessage(e: ActionRefused): string {
  return isStep(e.origin) ? `steps[${e.origin.index}].${e.action.type}: ${e.message}` : e.message;
}
