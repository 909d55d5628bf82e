/**
 * The one live simulation behind `ovsim serve`: an Engine fed by a scenario's steps and by live actions, paced by the
 * runtime's Pacer (the one `run` and `load` use), writing every event to a bounded log and to its listeners (the
 * WebSocket feed, the WebHook sender, a CDR file). The pacer owns the server's only timer; the engine stays pure.
 */
import { ActionRefused, type Batch, type Cause, type Engine } from '../engine/engine.js';
import { Engine as EngineClass } from '../engine/engine.js';
import type { Edition, Profile } from '../model/profile.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Action } from '../model/commands.js';
import { resolveSettings } from '../scenario/simulate-scenario.js';
import { EventLog, type LogEntry } from './event-log.js';
import { httpStatusOf } from './refusal-status.js';
import { Pacer, systemClock, type BatchSource, type WallClock } from '../runtime/pacing.js';
import { ScenarioProgress } from './scenario-progress.js';
import {
  causeView,
  checkSpeed,
  clusterSettingsView,
  isStep,
  MAX_SPEED,
  refusalMessage,
  scenarioStart,
} from './live-simulation-support.js';
import type { WorldPatch } from './view-types.js';
import { WorldProjection } from './world-projection.js';
import type { ServerKind } from '../model/servers.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import { LivekitView } from './livekit-view.js';
import type { LivekitProfile } from '../model/ov3/livekit-profile.js';
import type { LivekitEventEntry, LivekitPageView } from './livekit-view-types.js';

/** The world projection's read side, and the one change the REST API makes to it (a recording deleted). */
export type ProjectionReads = Pick<
  WorldProjection,
  'sessionRecord' | 'storedRecording' | 'storedRecordingIds' | 'nodeTimes' | 'forgetRecording'
>;

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
  /** OPENVIDU_SESSIONS_GARBAGE_INTERVAL and _THRESHOLD, seconds, over the scenario's (default 900 and 3600). */
  readonly sessionsGarbageInterval?: number | undefined;
  readonly sessionsGarbageThreshold?: number | undefined;
  /**
   * The server imitated (default openvidu2). Every OpenVidu 3 kind runs the engine with LiveKit's behaviour;
   * `openvidu3` also renders each cascade's LiveKit events for the page and the WebHook sender.
   */
  readonly server?: ServerKind | undefined;
  /** `--livekit-version` and `--livekit-json-spacing` over the scenario's. */
  readonly livekitVersion?: string | undefined;
  readonly jsonSpacing?: 'compact' | 'spaced' | undefined;
  /** Start paused instead of letting virtual time flow at once; default false. */
  readonly paused?: boolean | undefined;
  /** Events kept in the log; default 20 000. */
  readonly logCapacity?: number | undefined;
  /** Wall clock, epoch ms, for a virtual start of "now"; default Date.now. */
  readonly wallClock?: (() => number) | undefined;
  /** The pacer's clock and timers; default the process's (tests drive a manual one). */
  readonly pacerClock?: WallClock | undefined;
}

export { MAX_SPEED, MIN_SPEED } from './live-simulation-support.js';

export type {
  BatchSink,
  BatchView,
  ClockView,
  ClusterSettingsView,
  EngineView,
  LoadOverrides,
  ScenarioView,
  SimulationListener,
  SimulationMessage,
  StateView,
} from './simulation-views.js';
import type {
  BatchSink,
  BatchView,
  ClusterSettingsView,
  EngineView,
  LoadOverrides,
  SimulationListener,
  SimulationMessage,
  StateView,
} from './simulation-views.js';

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
  private pacer!: Pacer;
  /** The view of the batch the pacer handed on last (what `step` returns). */
  private lastView: BatchView | null = null;
  /** A step runs only what keeps the world going, not the autoscaling's background samples. */
  private stepping = false;
  private batchCount = 0;
  private start = 0;
  private progress = new ScenarioProgress([], 0);
  private liveActions = 0;
  private readonly worldProjection = new WorldProjection();
  private livekitView: LivekitView | undefined;
  private readonly livekitListeners = new Set<(e: WebhookEvent, entry: LivekitEventEntry) => void>();
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
    if (!options.paused) this.pacer.resume();
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
    this.rebuild(this.speed);
    this.pump();
    const state = this.state();
    this.emit({ type: 'reset', state });
    return state;
  }

  /** Lets virtual time flow (start and resume are the same: from where it stands). */
  resume(): StateView {
    this.pacer.resume();
    return this.controlChanged();
  }

  pause(): StateView {
    this.pump(); // run what is due up to this instant first
    this.pacer.pause();
    return this.controlChanged();
  }

  /** @param speed virtual ms per wall ms, MIN_SPEED..MAX_SPEED (1 = real time) */
  setSpeed(speed: number): StateView {
    checkSpeed(speed, 'speed');
    this.pump();
    this.pacer.setSpeed(speed);
    return this.controlChanged();
  }

  /**
   * Runs the next queued cascade that produces events (a step or a timer), jumping virtual time to it; pauses first.
   * Returns the batch, or null when nothing is queued.
   */
  step(): BatchView | null {
    this.pump();
    this.pacer.pause();
    this.lastView = null;
    this.stepping = true;
    try {
      this.pacer.stepOne();
    } finally {
      this.stepping = false;
    }
    const result = this.lastView;
    this.pacer.advanceTo(this.engine.now);
    this.controlChanged();
    return result;
  }

  /** Applies one action now, at the current virtual time. Throws ActionRefused (with OpenVidu's status) if refused. */
  execute(action: Action): BatchView {
    this.pump();
    this.liveActions++;
    const batch = this.engine.execute(action, 'api');
    const view = this.record(batch);
    this.pacer.advanceTo(this.engine.now);
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
    this.pacer.wake();
    this.pump();
  }

  /** Current virtual time, ms since the epoch, after running what is due. */
  virtualNow(): number {
    this.pump();
    return this.clockNow();
  }

  /** Whether virtual time flows (false while paused). */
  get running(): boolean {
    return this.pacer.running;
  }

  /** Read access to the engine (the OpenVidu REST API's views); act on it only through `execute`. */
  get view(): EngineView {
    return this.engine;
  }

  /** The seed the current world runs with. */
  get currentSeed(): string | number {
    return this.seed;
  }

  /** What the REST API reads of the world projection: what the engine no longer holds. */
  get projection(): ProjectionReads {
    return this.worldProjection;
  }

  /** The whole world projection (what `hello` and `GET /api/world` send). */
  world(): WorldPatch {
    return this.worldProjection.full();
  }

  state(): StateView {
    // What the page announces: the next step or timer of the run, not background work (autoscaling's samples, the
    // garbage collector's passes), which a live server runs without a word.
    const next = this.engine.nextRunAt();
    return {
      clock: {
        status: this.pacer.running ? 'running' : 'paused',
        speed: this.speed,
        virtualNow: this.clockNow(),
      },
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
      ...(this.livekitView
        ? { server: { kind: this.livekitView.serverKind, livekitVersion: this.livekitView.livekitVersion } }
        : {}),
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

  /** The LiveKit events and world of an `openvidu3` run (undefined for the other servers). */
  livekit(): LivekitPageView | undefined {
    return this.livekitView?.page();
  }

  /** Registers a receiver of every LiveKit event (`openvidu3`); returns the function that removes it. */
  onLivekitEvent(listener: (e: WebhookEvent, entry: LivekitEventEntry) => void): () => void {
    this.livekitListeners.add(listener);
    return () => this.livekitListeners.delete(listener);
  }

  /** The LiveKit build an OpenVidu 3 run imitates (undefined for OpenVidu 2). */
  get livekitProfile(): LivekitProfile | undefined {
    return this.livekitView?.profile;
  }

  /** The version profile events are serialized with now (it follows the loaded scenario's `openvidu:`). */
  get currentProfile(): Profile {
    return this.profile;
  }

  /** Stops the pacing timer; the simulation no longer moves. */
  close(): void {
    this.closed = true;
    this.pacer.stop();
    this.listeners.clear();
    this.sinks.clear();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pacing

  private rebuild(speed: number): void {
    const wall = this.options.wallClock ?? Date.now;
    const start = this.overrides.start ?? this.options.start ?? scenarioStart(this.scenario) ?? wall();
    // The server is chosen when serve starts: a scenario loaded later plays on it, whatever server it names.
    const settings = resolveSettings(this.scenario, {
      seed: this.overrides.seed ?? this.options.seed,
      start,
      version: this.options.version,
      edition: this.overrides.edition ?? this.options.edition,
      server: this.options.server ?? 'openvidu2',
      livekitVersion: this.options.livekitVersion,
      jsonSpacing: this.options.jsonSpacing,
    });
    // OpenVidu Meet runs on OpenVidu 3's LiveKit: its page shows the rooms underneath.
    this.livekitView =
      settings.server.kind === 'openvidu3' || settings.server.kind === 'meet'
        ? new LivekitView(settings.server, (e, entry) => {
            for (const l of this.livekitListeners) l(e, entry);
          })
        : undefined;
    const autostop = this.options.recordingAutostopTimeout;
    const decide = (ticket: unknown): Action | undefined => {
      const fn = this.decisions.get(ticket as number);
      this.decisions.delete(ticket as number);
      return fn?.();
    };
    this.decisions.clear();
    const { sessionsGarbageInterval: gcInterval, sessionsGarbageThreshold: gcThreshold } = this.options;
    this.engine = new EngineClass({
      ...(autostop === undefined
        ? settings.engine
        : { ...settings.engine, recordingAutostopTimeout: autostop }),
      ...(gcInterval === undefined ? {} : { sessionsGarbageInterval: gcInterval }),
      ...(gcThreshold === undefined ? {} : { sessionsGarbageThreshold: gcThreshold }),
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
    this.worldProjection.clear(settings.profile.edition, this.engine.mediaNodeId);
    this.pacer?.stop();
    this.pacer = new Pacer({
      source: this.liveSource(),
      speed,
      origin: start,
      endless: true,
      maxBurst: MAX_ITEMS_PER_TICK,
      clock: this.options.pacerClock ?? systemClock({ keepAlive: false }),
      onBatch: (batch) => void (this.lastView = this.record(batch)),
    });
    // Only an engine bug rejects (a refusal is a message): let it surface as before, uncaught.
    this.pacer.start().catch((e: unknown) =>
      queueMicrotask(() => {
        throw e;
      }),
    );
    this.pacer.pause();
    this.log.clear();
    this.batchCount = 0;
  }

  /** The speed set, virtual ms per wall ms (serve never runs at `max`: it maps it to MAX_SPEED). */
  private get speed(): number {
    const speed = this.pacer.currentSpeed;
    return speed === 'max' ? MAX_SPEED : speed;
  }

  /** Virtual time: the pacer's, or the engine's when a cascade took it further. */
  private clockNow(): number {
    return Math.max(this.pacer.virtualNow() ?? this.start, this.engine.now);
  }

  /** The engine as the pacer's source: background samples run too, a refused scenario step becomes a message. */
  private liveSource(): BatchSource {
    return {
      peekAt: () => this.engine.nextAt(),
      take: () => this.takeNext(),
      // OpenVidu 3: a participant becoming ACTIVE is facts without an OpenVidu 2 event.
      hasOutput: (b) => this.engine.hasOutput(b),
      reach: (t) => {
        if (t > this.engine.now) for (const b of this.engine.runUntil(t)) this.record(b);
      },
    };
  }

  /** Runs what is due by the current virtual instant (nothing while paused), so answers see the world as of now. */
  private pump(): void {
    if (this.closed) return;
    this.pacer.catchUp();
    this.pacer.advanceTo(this.engine.now);
  }

  /** Runs the next queued item; a refused scenario step becomes a `refused` message instead of stopping the world. */
  private takeNext(): Batch | undefined {
    try {
      const batch = this.engine.runNext(!this.stepping);
      if (batch?.cause.kind === 'action' && isStep(batch.cause.origin))
        this.progress.ran(batch.cause.origin.index);
      return batch;
    } catch (e) {
      if (!(e instanceof ActionRefused)) throw e;
      if (isStep(e.origin)) this.progress.ran(e.origin.index);
      const cause: Cause = { kind: 'action', action: e.action, origin: e.origin };
      this.emit({
        type: 'refused',
        message: refusalMessage(e),
        status: httpStatusOf(e),
        cause: causeView(cause),
      });
      return { at: this.engine.now, cause, events: [] };
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
    const world = this.worldProjection.apply(id, batch, events, () => this.engine.snapshot());
    const livekit = this.livekitView?.apply(id, batch.facts ?? []);
    const view: BatchView = { id, at: batch.at, cause, events, world, ...(livekit ? { livekit } : {}) };
    if (events.length > 0 || (livekit?.events.length ?? 0) > 0) {
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
