/**
 * The engine: a virtual clock, a scheduler ordered by (time, sequence), and the state machines of sessions,
 * participants, streams and recordings. It takes commands — from a scenario timeline (`schedule`) or live, one at a
 * time (`execute`) — and yields the CDR events OpenVidu 2.x would log, with the cascades of spec §4, each once, here.
 *
 * Pure and deterministic: no wall clock, no Math.random, no timers, no I/O. Same options and commands ⇒ same events.
 */
import { OvsimError, withoutStack } from '../../errors.js';
import type { CdrEvent, EventData, EventName } from '../../model/catalogue.js';
import type { Edition } from '../../model/profile.js';
import { javaHashMapOrder, javaHashSetOrder, javaMapToString } from '../../model/java.js';
import type { Action, ActionOf } from '../../scenario/schema.js';
import {
  activityOf,
  MediaCluster,
  type ClusterConfig,
  type HostedActivity,
  type HostedSessions,
  type NodeStatus,
} from './cluster.js';
import * as ids from '../ids.js';
import { MetadataSource } from '../metadata.js';
import { Rng } from '../rng.js';
import { Scheduler } from '../scheduler.js';
import {
  publisherCount,
  type InboundState,
  type RecordingStatus,
  type OutputMode,
  type ParticipantState,
  type RecordingProps,
  type RecordingState,
  type SessionState,
  type StreamState,
  type Timer,
} from './state.js';

export interface EngineOptions {
  /** Seed of every random stream. */
  readonly seed: string | number;
  /** Virtual start instant, ms since the epoch. */
  readonly start: number;
  /** OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT in seconds; default 120. */
  readonly recordingAutostopTimeout?: number;
  /** Pro GeoIP locations (`"City, Country"`) instead of CE's `"unknown"`; default: true unless CE. */
  readonly geoLocation?: boolean;
  /** Prefix of media node ids: `media_` (2.17+, default) or `kms_`. */
  readonly mediaNodePrefix?: string;
  /**
   * Remember handles of closed entities to explain later references ("session s1 was closed") — right for scripted
   * scenarios; turn off for endless generated streams so memory depends only on live entities. Default true.
   */
  readonly rememberClosedHandles?: boolean;
  /**
   * The media server's id, when several engines simulate one server (the generator runs one engine per session):
   * default drawn from the seed's `nodes` stream with `mediaNodePrefix`.
   */
  readonly mediaNodeId?: string;
  /** `ce` (default), `pro` or `enterprise`: Pro adds the media node cluster, broadcasts; Enterprise adds HA nodes. */
  readonly edition?: Edition;
  /** Pro cluster settings (defaults: one node, no autoscaling). */
  readonly cluster?: Partial<ClusterConfig>;
  /**
   * Pro sessions hosted on a media node simulated elsewhere (the generator runs one engine per session and one for
   * the cluster): this engine keeps no cluster of its own, but its composed recordings and broadcasts name the node.
   */
  readonly hostNodeId?: string;
  /**
   * The cluster's sessions run in engines of their own (generated Pro runs): node loads, autoscaling and node
   * termination ask this of them.
   */
  readonly hostedSessions?: HostedSessions;
}

const DEFAULT_CLUSTER: ClusterConfig = {
  id: undefined,
  mediaNodes: 1,
  reconnectionTimeout: undefined,
  loadInterval: 10,
  autoscaling: { enabled: false, minNodes: 1, maxNodes: 2, minLoad: 20, maxLoad: 70 },
};

/** What made a batch of events happen. */
export type Cause =
  | { readonly kind: 'action'; readonly action: Action; readonly origin: unknown }
  | { readonly kind: 'timer'; readonly label: string };

/** The events of one cascade: one command or one internal timer, at one virtual instant. */
export interface Batch {
  /** Virtual time the cascade began (ms since the epoch). */
  readonly at: number;
  readonly cause: Cause;
  readonly events: readonly CdrEvent[];
}

/** An action OpenVidu would refuse; `origin` is what the caller attached (e.g. the scenario step). */
export class ActionRefused extends OvsimError {
  readonly origin: unknown;
  readonly action: Action;
  constructor(action: Action, origin: unknown, cause: OvsimError) {
    super(cause.code, cause.message, { status: cause.status });
    this.name = 'ActionRefused';
    this.origin = origin;
    this.action = action;
  }
}

type Item =
  | { readonly kind: 'action'; readonly action: Action; readonly origin: unknown }
  | { readonly kind: 'timer'; readonly timer: Timer }
  | { readonly kind: 'decision'; readonly decide: () => Action | undefined; readonly origin: unknown };

const DEFAULT_RECORDING: RecordingProps = {
  name: undefined,
  outputMode: 'COMPOSED',
  hasAudio: true,
  hasVideo: true,
  resolution: '1280x720',
  frameRate: 25,
  recordingLayout: 'BEST_FIT',
  customLayout: undefined,
  outcome: 'ready',
};

const RECORDER_ID = 'RECORDER';

function refuse(message: string, status = 409): never {
  throw withoutStack(() => new OvsimError('REFUSED', message, { status }));
}

function notFound(message: string): never {
  throw withoutStack(() => new OvsimError('NOT_FOUND', message));
}

export class Engine {
  private clock: number;
  private readonly queue = new Scheduler<Item>();
  private readonly rngIds: Rng;
  private readonly rngTiming: Rng;
  private readonly rngMedia: Rng;
  private readonly meta: MetadataSource;
  private readonly autostopMs: number;
  private readonly geoLocation: boolean;
  /** The CE media server's id, written as `media_node_id` where spec §2.7 says. */
  readonly mediaNodeId: string;

  private readonly sessions = new Map<string, SessionState>();
  private readonly participants = new Map<string, ParticipantState>();
  /**
   * Recordings by handle, and the next recording number per session id: made at the first recording. Most generated
   * sessions never record, and an empty Map weighs about 190 bytes — per session, promoted by the young GC.
   */
  private recordingsByHandle: Map<string, RecordingState> | undefined;
  private recordingNumbers: Map<string, number> | undefined;
  /** Session ids in use by live sessions (custom ids must be unique among them). */
  private readonly liveSessionIds = new Map<string, SessionState>();
  /** What closed entities were, by handle; only when remembered (`rememberClosedHandles`). */
  private readonly closedHandles: Map<string, string> | undefined;
  private stopped = false;
  private readonly edition: Edition;
  /** Pro and Enterprise: the media nodes. */
  readonly cluster: MediaCluster | undefined;
  private booted = false;
  /** Queued items that keep a finite run going (everything but background sampling). */
  private foreground = 0;
  /** Enterprise: HA master nodes' addresses by handle. */
  private readonly masterNodes: Map<string, string> | undefined;
  private hostNodeId: string | undefined;
  /** Generated Pro runs: every node of the cluster is down (see rehost), so nobody can join. */
  private noMediaNode = false;

  /** The events of the cascade being run (a scratch list reused by every cascade, see endCascade). */
  private readonly out: CdrEvent[] = [];

  private get recordings(): Map<string, RecordingState> {
    return (this.recordingsByHandle ??= new Map());
  }

  /** Recording ids ever used, per session id: the next free `SESSION~n` (recording folders outlive sessions). */
  private get recordingCounters(): Map<string, number> {
    return (this.recordingNumbers ??= new Map());
  }
  private firstInCascade = true;

  constructor(options: EngineOptions) {
    const root = new Rng(options.seed);
    this.rngIds = root.fork('ids');
    this.rngTiming = root.fork('timing');
    this.rngMedia = root.fork('media');
    this.meta = new MetadataSource(root.fork('metadata'));
    this.clock = options.start;
    this.autostopMs = (options.recordingAutostopTimeout ?? 120) * 1000;
    this.geoLocation = options.geoLocation ?? (options.edition ?? 'ce') !== 'ce';
    this.closedHandles = (options.rememberClosedHandles ?? true) ? new Map() : undefined;
    this.mediaNodeId =
      options.mediaNodeId ?? ids.newMediaNodeId(root.fork('nodes'), options.mediaNodePrefix ?? 'media_');
    this.edition = options.edition ?? 'ce';
    this.masterNodes = this.edition === 'enterprise' ? new Map() : undefined;
    this.hostNodeId = options.hostNodeId;
    if (this.edition !== 'ce') {
      const c = options.cluster ?? {};
      this.cluster = new MediaCluster(
        this.clusterHost(),
        root.fork('cluster'),
        { ...DEFAULT_CLUSTER, ...c, autoscaling: { ...DEFAULT_CLUSTER.autoscaling, ...c.autoscaling } },
        (options.mediaNodePrefix ?? 'media_') === 'media_',
      );
      if (options.hostedSessions) this.cluster.hostElsewhere(options.hostedSessions);
      // The initial media nodes come up at the start instant, before anything else.
      this.push(this.clock, {
        kind: 'timer',
        timer: { label: 'cluster boot', fire: () => this.boot(), cancelled: false, background: false },
      });
    } else {
      this.cluster = undefined;
    }
  }

  private boot(): void {
    if (this.booted) return;
    this.booted = true;
    this.cluster?.boot();
  }

  private clusterHost() {
    return {
      stamp: () => this.stamp(),
      emit: <N extends EventName>(name: N, data: EventData<N>) => this.emit(name, data),
      setTimer: (delayMs: number, label: string, fire: () => void, background = false) =>
        this.setTimer(delayMs, label, fire, background),
      closeSession: (s: SessionState, reason: string, keep: boolean) => this.closeSession(s, reason, keep),
      activity: (s: SessionState) => ({
        recordingId: s.recording?.id,
        broadcasting: s.broadcast !== undefined,
      }),
      loadOf: (s: SessionState) => sessionLoad(s),
    };
  }

  private push(at: number, item: Item, order?: number): void {
    if (!(item.kind === 'timer' && item.timer.background)) this.foreground++;
    this.queue.push(at, item, order);
  }

  /** Tie-breaks of actions scheduled `first`: below every sequence number, in the order they were scheduled. */
  private firstOrder = Number.MIN_SAFE_INTEGER;

  /** Current virtual time, ms since the epoch. */
  get now(): number {
    return this.clock;
  }

  /**
   * Generated Pro runs, where sessions run in engines of their own on nodes of this engine's cluster: node `nodeId`
   * stopped answering. Logs `nodeCrashed` at `at` with what the node hosted, as the session engines report it
   * (`hostedActivity`); with `terminate` (the reconnection timeout is over: autoscaling's 3 s), `terminating` too.
   * Without it (OpenVidu's default without autoscaling: an infinite reconnection timeout) no status changes.
   */
  crashHostingNode(at: number, nodeId: string, hosted: HostedActivity, terminate = false): Batch {
    return this.clusterStep(at, `media node ${nodeId} crashed`, (c) =>
      c.crashHosting(nodeId, hosted, terminate),
    );
  }

  /** Generated Pro runs: the node of a terminating `crashHostingNode`, its sessions closed, is `terminated` at `at`. */
  terminateCrashedNode(at: number, nodeId: string): Batch {
    return this.clusterStep(at, `media node ${nodeId} given up`, (c) => c.terminateCrashedHosting(nodeId));
  }

  /** Generated Pro runs: node `nodeId` of a `crashHostingNode` answers again at `at` (`nodeRecovered`). */
  recoverHostingNode(at: number, nodeId: string): Batch {
    return this.clusterStep(at, `media node ${nodeId} recovered`, (c) => c.recoverHosting(nodeId));
  }

  /**
   * Generated Pro runs: a session hosted on node `nodeId` elsewhere ended at `at`; a node waiting to go idle then
   * terminates if it hosts no other (see HostedSessions).
   */
  hostedSessionEnded(at: number, nodeId: string): Batch {
    return this.clusterStep(at, `session ended on ${nodeId}`, (c) => c.hostedSessionEnded(nodeId));
  }

  /**
   * One step of the cluster at `at`, as a cascade of its own stamped at `at` — even when the clock is already later:
   * generated runs drive the cluster at the instants of sessions that run apart, each ahead of the others by up to its
   * own cascade (a session that ended at 12:00:05.3 retires its node then, before another session's crash at
   * 12:00:02 reaches the cluster). The clock then stays at the later of the two.
   */
  private clusterStep(at: number, label: string, step: (cluster: MediaCluster) => void): Batch {
    const later = this.clock;
    this.clock = at;
    const start = this.beginCascade();
    step(this.pro(label));
    if (this.clock < later) this.clock = later;
    return this.endCascade(start, { kind: 'timer', label });
  }

  /** The load this engine's active sessions put on the node hosting them, in percent (generated Pro runs). */
  hostedLoad(): number {
    let load = 0;
    for (const s of this.sessions.values()) if (s.active) load += sessionLoad(s);
    return load;
  }

  /** What this engine's active sessions hold, as `nodeCrashed` lists it (generated Pro runs, see crashHostingNode). */
  hostedActivity(): HostedActivity {
    return activityOf(
      [...this.sessions.values()].filter((s) => s.active),
      this.clusterHost(),
    );
  }

  /**
   * Moves the sessions of this engine to another node of the cluster simulated apart, before any of them is active
   * (OpenVidu places a session on a node at its first join): generated Pro runs, when the planned node crashed first.
   * `null`: no node of the cluster is running, and joins are refused until the sessions are moved to one.
   */
  rehost(nodeId: string | null): void {
    for (const s of this.sessions.values())
      if (s.active)
        throw new OvsimError('INTERNAL', `cannot move active session ${s.sessionId} to ${String(nodeId)}`);
    this.noMediaNode = nodeId === null;
    if (nodeId !== null) this.hostNodeId = nodeId;
  }

  /** Whether `stopServer` has run: every later action is refused. */
  get isStopped(): boolean {
    return this.stopped;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Driving

  /** Queues an action at virtual time `at`; `origin` comes back in batches and refusals (e.g. the scenario step). */
  schedule(at: number, action: Action, origin?: unknown): void {
    this.push(at, { kind: 'action', action, origin });
  }

  /**
   * Queues an action at virtual time `at` before anything else due at that instant: a media node crash the cluster
   * has already logged (generated Pro runs), which nothing planned for the same millisecond may precede.
   */
  scheduleFirst(at: number, action: Action, origin?: unknown): void {
    this.push(at, { kind: 'action', action, origin }, this.firstOrder++);
  }

  /**
   * Queues a decision at virtual time `at`: `decide` is called then and returns the action to apply now, or
   * `undefined` to do nothing. For live drivers whose plans may be overtaken by what happens meanwhile (a simulated
   * client whose connection was deleted before it joined). `decide` must only read, never act on, the engine.
   */
  scheduleDecision(at: number, decide: () => Action | undefined, origin?: unknown): void {
    this.push(at, { kind: 'decision', decide, origin });
  }

  /** Time of the next queued action or timer, if any. */
  nextAt(): number | undefined {
    return this.queue.peek()?.at;
  }

  /**
   * Runs the earliest queued item; `undefined` when nothing but background work (load sampling) is left, so a
   * finite scenario ends. Throws `ActionRefused`.
   */
  runNext(): Batch | undefined {
    return this.runOne(false);
  }

  private runOne(includeBackground: boolean): Batch | undefined {
    for (;;) {
      if (!includeBackground && this.foreground === 0) return undefined;
      const next = this.queue.pop();
      if (!next) return undefined;
      const item = next.item;
      if (!(item.kind === 'timer' && item.timer.background)) this.foreground--;
      if (next.at > this.clock) this.clock = next.at;
      if (item.kind === 'action') return this.execute(item.action, item.origin);
      if (item.kind === 'decision') {
        const action = item.decide();
        if (action === undefined) continue;
        return this.execute(action, item.origin);
      }
      if (item.timer.cancelled) continue;
      const at = this.beginCascade();
      item.timer.fire();
      return this.endCascade(at, { kind: 'timer', label: item.timer.label });
    }
  }

  /** Runs every item due at or before `t` (background work included), then moves the clock to `t`. */
  runUntil(t: number): Batch[] {
    const batches: Batch[] = [];
    for (let at = this.nextAt(); at !== undefined && at <= t; at = this.nextAt()) {
      const b = this.runOne(true);
      if (b && b.events.length > 0) batches.push(b);
    }
    if (t > this.clock) this.clock = t;
    return batches;
  }

  /** Applies one action now (live). Throws `ActionRefused` without changing anything when OpenVidu would refuse. */
  execute(action: Action, origin?: unknown): Batch {
    try {
      const at = this.beginCascade();
      this.dispatch(action);
      return this.endCascade(at, { kind: 'action', action, origin });
    } catch (e) {
      if (
        e instanceof OvsimError &&
        (e.code === 'REFUSED' || e.code === 'NOT_FOUND' || e.code === 'BAD_INPUT')
      ) {
        throw withoutStack(() => new ActionRefused(action, origin, e));
      }
      throw e;
    }
  }

  /**
   * Starts a cascade (one command or timer, at one instant): returns its instant. The events emitted until
   * `endCascade` are its batch. (Begin and end, not a callback: the hot path made a closure per batch.)
   */
  private beginCascade(): number {
    const at = this.clock;
    this.out.length = 0;
    this.firstInCascade = true;
    if (!this.booted && this.cluster) this.boot();
    return at;
  }

  /** The batch of the cascade begun at `at`: its events copied out of the scratch list, exactly sized. */
  private endCascade(at: number, cause: Cause): Batch {
    const events = this.out.slice();
    this.out.length = 0;
    return { at, cause, events };
  }

  private dispatch(action: Action): void {
    if (this.stopped)
      refuse('OpenVidu Server has been stopped (stopServer); no further action is possible', 503);
    switch (action.type) {
      case 'createSession':
        return this.createSession(action.args);
      case 'join':
        return this.join(action.args);
      case 'publish':
        return this.publish(action.args);
      case 'unpublish':
        return this.unpublishOwn(action.args.participant);
      case 'forceUnpublish':
        return this.forceUnpublish(action.args);
      case 'subscribe':
        return this.subscribeCmd(action.args);
      case 'unsubscribe':
        return this.unsubscribeCmd(action.args);
      case 'leave':
        return this.leaveCmd(action.args.participant, action.args.reason ?? 'disconnect');
      case 'forceDisconnect':
        return this.leaveCmd(
          action.args.participant,
          action.args.by === 'user' ? 'forceDisconnectByUser' : 'forceDisconnectByServer',
        );
      case 'startRecording':
        return this.startRecordingCmd(action.args);
      case 'stopRecording':
        return this.stopRecordingCmd(action.args);
      case 'signal':
        return this.signal(action.args);
      case 'filterEvent':
        return this.filterEvent(action.args);
      case 'closeSession':
        return this.closeSession(this.liveSession(action.args.session), 'sessionClosedByServer');
      case 'mediaServerReconnect':
        return this.mediaServerReconnect(action.args.node);
      case 'mediaServerCrash':
        return this.mediaServerCrash(action.args.node);
      case 'stopServer':
        this.closeActiveSessions('openviduServerStopped');
        this.stopped = true;
        return;
      case 'launchMediaNode':
        this.pro('launchMediaNode').launch(
          action.args.node,
          action.args.launchDelay,
          action.args.fail ?? false,
        );
        return;
      case 'setMediaNodeStatus':
        return this.pro('setMediaNodeStatus').patch(action.args.node, action.args.status as NodeStatus);
      case 'removeMediaNode':
        return this.pro('removeMediaNode').remove(action.args.node, action.args.strategy ?? 'if-no-sessions');
      case 'crashMediaNode':
        return this.pro('crashMediaNode').crash(action.args.node, action.args.recoverAfter);
      case 'startBroadcast':
        return this.startBroadcast(action.args.session, action.args.broadcastUrl);
      case 'stopBroadcast':
        return this.stopBroadcast(this.liveSession(action.args.session), 'broadcastStoppedByServer');
      case 'registerMasterNode':
        return this.registerMasterNode(action.args.node, action.args.ip);
      case 'deregisterMasterNode':
        return this.deregisterMasterNode(action.args.node, action.args.reason ?? 'mediaNodeStatusTerminated');
      default:
        return assertNever(action);
    }
  }

  /** The cluster, or a refusal naming the action for CE. */
  private pro(what: string): MediaCluster {
    if (!this.cluster) refuse(`${what} needs OpenVidu Pro or Enterprise (openvidu.edition: pro)`, 400);
    return this.cluster;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Time and emission

  /** The timestamp of the next event of the cascade: OpenVidu reads the clock per event, a millisecond or two apart. */
  private stamp(): number {
    if (!this.firstInCascade) this.clock += this.rngTiming.int(0, 1);
    this.firstInCascade = false;
    return this.clock;
  }

  /** Moves the clock forward inside a cascade (work that takes time: negotiation, container stop). */
  private elapse(ms: number): void {
    this.clock += ms;
  }

  private emit<N extends EventName>(name: N, data: EventData<N>): void {
    this.out.push({ name, data } as CdrEvent);
  }

  private setTimer(delayMs: number, label: string, fire: () => void, background = false): Timer {
    const timer: Timer = { label, fire, cancelled: false, background };
    this.push(this.clock + delayMs, { kind: 'timer', timer });
    return timer;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Handles

  private claimHandle(kind: string, handle: string): void {
    if (
      this.sessions.has(handle) ||
      this.participants.has(handle) ||
      this.recordingsByHandle?.has(handle) === true
    ) {
      refuse(`handle "${handle}" is already in use; give the new ${kind} another name`);
    }
    const was = this.closedHandles?.get(handle);
    if (was !== undefined) refuse(`handle "${handle}" was used by ${was}; give the new ${kind} another name`);
  }

  private forget(handle: string, what: string, map: Map<string, unknown>): void {
    map.delete(handle);
    this.closedHandles?.set(handle, what);
  }

  private gone(kind: string, handle: string): never {
    const was = this.closedHandles?.get(handle);
    if (was) notFound(`${kind} "${handle}" is gone: ${was}`);
    notFound(`unknown ${kind} "${handle}"`);
  }

  private liveSession(handle: string): SessionState {
    return this.sessions.get(handle) ?? this.gone('session', handle);
  }

  private liveParticipant(handle: string): ParticipantState {
    return this.participants.get(handle) ?? this.gone('participant', handle);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Event field builders (the order of keys is the catalogue's; these only supply values)

  private base(s: SessionState): { sessionId: string; uniqueSessionId: string; timestamp: number } {
    return { sessionId: s.sessionId, uniqueSessionId: s.uniqueSessionId, timestamp: this.stamp() };
  }

  private end(timestamp: number, startTime: number, reason: string | undefined) {
    return { startTime, duration: Math.trunc((timestamp - startTime) / 1000), reason };
  }

  /**
   * A webrtcConnectionCreated/Destroyed payload as one flat literal: the hottest allocation of a run. (Spreading
   * several partial objects made V8 copy properties one by one at run time; absent fields are `undefined`, which the
   * serializer treats exactly as missing.)
   */
  private webrtcData(
    owner: ParticipantState,
    stream: StreamState,
    inbound: boolean,
    timestamp: number,
    startTime: number | undefined,
    reason: string | undefined,
  ) {
    const cam = inbound ? undefined : stream.owner.ipcam;
    const video = stream.video;
    return {
      sessionId: owner.session.sessionId,
      uniqueSessionId: owner.session.uniqueSessionId,
      timestamp,
      startTime,
      duration: startTime === undefined ? undefined : Math.trunc((timestamp - startTime) / 1000),
      reason,
      streamId: stream.streamId,
      participantId: owner.connectionId,
      connectionId: owner.connectionId,
      connection: inbound ? 'INBOUND' : 'OUTBOUND',
      receivingFrom: inbound ? stream.owner.connectionId : undefined,
      rtspUri: cam ? cam.rtspUri : undefined,
      adaptativeBitrate: cam ? cam.adaptativeBitrate : undefined,
      networkCache: cam ? cam.networkCache : undefined,
      onlyPlayWithSubscribers: cam ? cam.onlyPlayWithSubscribers : undefined,
      videoSource: video ? (stream.videoSource ?? null) : undefined,
      videoFramerate: video ? stream.frameRate : undefined,
      videoDimensions: video ? stream.dimensions : undefined,
      audioEnabled: stream.audio,
      videoEnabled: video,
    };
  }

  private emitWebrtcCreated(
    owner: ParticipantState,
    stream: StreamState,
    inbound: boolean,
    createdAt: number,
  ): void {
    this.emit(
      'webrtcConnectionCreated',
      this.webrtcData(owner, stream, inbound, createdAt, undefined, undefined),
    );
  }

  private emitWebrtcDestroyed(
    owner: ParticipantState,
    stream: StreamState,
    inbound: boolean,
    createdAt: number,
    reason: string,
  ): void {
    const timestamp = this.stamp();
    this.emit(
      'webrtcConnectionDestroyed',
      this.webrtcData(
        owner,
        stream,
        inbound,
        timestamp,
        createdAt,
        reason,
      ) as EventData<'webrtcConnectionDestroyed'>,
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sessions

  private createSession(a: ActionOf<'createSession'>): void {
    this.claimHandle('session', a.session);
    if (a.mediaNode !== undefined) this.pro('createSession.mediaNode').node(a.mediaNode);
    const sessionId = a.customSessionId ?? ids.newSessionId(this.rngIds);
    if (this.liveSessionIds.has(sessionId)) {
      refuse(`a session with id "${sessionId}" already exists (OpenVidu answers 409)`);
    }
    const createdAt = this.stamp();
    const d = a.defaultRecording ?? {};
    const s: SessionState = {
      handle: a.session,
      sessionId,
      uniqueSessionId: `${sessionId}_${createdAt}`,
      createdAt,
      recordingMode: a.recordingMode ?? 'MANUAL',
      defaultRecording: stripUndefined(d),
      autoSubscribe: a.autoSubscribe ?? true,
      participants: new Map(),
      active: false,
      closed: false,
      recording: undefined,
      processing: [],
      autostop: undefined,
      pinnedNode: a.mediaNode,
      node: undefined,
      broadcast: undefined,
    };
    this.sessions.set(a.session, s);
    this.liveSessionIds.set(sessionId, s);
    this.emit('sessionCreated', { sessionId, uniqueSessionId: s.uniqueSessionId, timestamp: createdAt });
  }

  /**
   * Closes a session (REST DELETE, server stop, media server crash): evicts everyone (§4.2 with the reason, no
   * "last participant" logic), stops the recording (stopped → ready), finishes pending recordings, then
   * `sessionDestroyed`. (spec §4.5, §4.7, §4.8)
   */
  private closeSession(s: SessionState, reason: string, keepRecordingsUnfinished = false): void {
    this.cancelAutostop(s);
    for (const p of [...s.participants.values()]) this.evict(p, reason);
    if (keepRecordingsUnfinished) this.abandonRecordings(s, reason);
    else this.finishRecordings(s, reason);
    if (s.broadcast) this.stopBroadcast(s, reason);
    this.destroySession(s, reason);
  }

  /** Pro node crash: recordings get `stopped` only; their files are lost with the node (no `ready`). */
  private abandonRecordings(s: SessionState, reason: string): void {
    if (s.recording) this.stopRecording(s.recording, reason, true);
    for (const r of s.processing.slice()) {
      if (r.timer) r.timer.cancelled = true;
      remove(s.processing, r);
      this.forget(r.handle, `recording ${r.id} lost with its media node`, this.recordings);
    }
  }

  private destroySession(s: SessionState, reason: string): void {
    const timestamp = this.stamp();
    this.emit('sessionDestroyed', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp,
      startTime: s.createdAt,
      duration: Math.trunc((timestamp - s.createdAt) / 1000),
      reason: finalReason(reason),
    });
    s.closed = true;
    if (s.node && this.cluster) this.cluster.release(s, s.node);
    this.liveSessionIds.delete(s.sessionId);
    this.forget(s.handle, `session closed (${finalReason(reason)})`, this.sessions);
  }

  /** Closes every active session with `reason` (never-joined sessions log nothing, as OpenVidu). */
  private closeActiveSessions(reason: string): void {
    for (const s of [...this.sessions.values()]) if (s.active) this.closeSession(s, reason);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Participants

  private join(a: ActionOf<'join'>): void {
    this.claimHandle('participant', a.participant);
    const s = this.liveSession(a.session);
    // OpenVidu Pro places a session on a media node at its first connection; with none running, it fails.
    if (this.noMediaNode) refuse(`no media node is running to host session "${s.handle}"`, 503);
    const isIpcam = a.type === 'IPCAM';
    if (!isIpcam && a.rtspUri !== undefined) refuse('rtspUri is only for type: IPCAM connections', 400);
    const rtspUri = a.rtspUri ?? 'rtsp://dummyurl.com';
    let connectionId: string;
    if (isIpcam) connectionId = ids.newIpcamConnectionId(this.rngIds, rtspUri);
    else if (a.customConnectionId !== undefined) connectionId = ids.customConnectionId(a.customConnectionId);
    else connectionId = ids.newConnectionId(this.rngIds);
    if (s.participants.has(connectionId)) refuse(`connection id "${connectionId}" is already in session`);
    if (this.cluster && !s.node) s.node = this.cluster.place(s, s.pinnedNode);
    const p: ParticipantState = {
      handle: a.participant,
      session: s,
      connectionId,
      joinedAt: this.stamp(),
      location: a.location ?? (this.geoLocation ? this.meta.location() : 'unknown'),
      ip: a.ip !== undefined ? a.ip : isIpcam ? ipOfUri(rtspUri) : this.meta.ip(),
      platform: isIpcam ? 'IPCAM' : (a.platform ?? this.meta.platform()),
      clientData: isIpcam
        ? ''
        : a.clientData !== undefined
          ? metadataString(a.clientData)
          : this.meta.clientData(),
      serverData:
        a.serverData === null ? null : a.serverData !== undefined ? metadataString(a.serverData) : '',
      role: a.role ?? 'PUBLISHER',
      ipcam: isIpcam
        ? {
            rtspUri,
            adaptativeBitrate: a.adaptativeBitrate ?? true,
            networkCache: a.networkCache ?? 2000,
            onlyPlayWithSubscribers: a.onlyPlayWithSubscribers ?? true,
          }
        : undefined,
      stream: undefined,
      subscriptions: [],
    };
    this.participants.set(a.participant, p);
    s.participants.set(connectionId, p);
    s.active = true;
    this.emit('participantJoined', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp: p.joinedAt,
      participantId: p.connectionId,
      connectionId: p.connectionId,
      location: p.location,
      ip: p.ip,
      platform: p.platform,
      clientData: p.clientData,
      serverData: p.serverData,
    });
    if (p.ipcam) {
      // An IP camera publishes as soon as it is connected.
      this.startStream(p, {
        videoSource: 'IPCAM',
        audio: true,
        video: true,
        frameRate: null,
        dimensions: null,
      });
      return;
    }
    if (s.autoSubscribe) {
      for (const other of s.participants.values()) {
        if (other !== p && other.stream) {
          this.elapse(this.rngTiming.int(20, 120));
          this.subscribe(p, other.stream);
        }
      }
    }
  }

  private leaveCmd(handle: string, reason: string): void {
    const p = this.liveParticipant(handle);
    this.evict(p, reason);
    this.afterDeparture(p.session);
  }

  /**
   * One participant goes (spec §4.2): INBOUND(O←P) for every subscriber O, P's own INBOUNDs, P's OUTBOUND,
   * then `participantLeft`.
   */
  private evict(p: ParticipantState, reason: string): void {
    const s = p.session;
    if (p.stream) this.dropSubscribers(p.stream, reason);
    this.dropSubscriptions(p, reason);
    if (p.stream) this.dropOutbound(p, reason);
    // One flat literal per event: spreads of helper objects were a hot spot of generation (GC and copying).
    const timestamp = this.stamp();
    this.emit('participantLeft', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp,
      startTime: p.joinedAt,
      duration: Math.trunc((timestamp - p.joinedAt) / 1000),
      reason,
      participantId: p.connectionId,
      connectionId: p.connectionId,
      location: p.location,
      ip: p.ip,
      platform: p.platform,
      clientData: p.clientData,
      serverData: p.serverData,
    });
    s.participants.delete(p.connectionId);
    this.forget(p.handle, `participant left (${reason})`, this.participants);
  }

  /** The "last participant" logic of spec §4.4, run after a voluntary or forced departure. */
  private afterDeparture(s: SessionState): void {
    if (s.participants.size > 0) {
      this.checkAutostop(s);
      return;
    }
    // Pro: the broadcast stops as the last participant leaves, even while a recording waits for its auto-stop.
    if (s.broadcast) this.stopBroadcast(s, 'lastParticipantLeft');
    if (s.recording) {
      this.cancelAutostop(s);
      if (this.autostopMs === 0) {
        this.stopRecording(s.recording, 'lastParticipantLeft');
        this.finishRecordings(s, 'lastParticipantLeft');
        this.destroySession(s, 'lastParticipantLeft');
      } else {
        this.armAutostop(s);
      }
      return;
    }
    this.finishRecordings(s, 'lastParticipantLeft');
    this.destroySession(s, 'lastParticipantLeft');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streams

  private publish(a: ActionOf<'publish'>): void {
    const p = this.liveParticipant(a.participant);
    if (p.ipcam) refuse(`participant "${p.handle}" is an IP camera: it publishes when it joins`);
    if (p.stream) refuse(`participant "${p.handle}" is already publishing`);
    if (p.role === 'SUBSCRIBER')
      refuse(`participant "${p.handle}" has role SUBSCRIBER and may not publish`, 401);
    const video = a.video ?? true;
    const audio = a.audio ?? true;
    if (!video && !audio) refuse('a stream needs audio or video (both are false)', 400);
    this.startStream(p, {
      videoSource: a.videoSource ?? 'CAMERA',
      audio,
      video,
      frameRate: a.frameRate ?? this.rngMedia.pick([30, 30, 30, 24, 15, -1]),
      dimensions: videoDimensions(
        a.dimensions ?? this.rngMedia.pick(['640x480', '1280x720', '1280x720', '960x540']),
      ),
    });
  }

  private startStream(
    p: ParticipantState,
    o: {
      videoSource: string;
      audio: boolean;
      video: boolean;
      frameRate: number | null;
      dimensions: string | null;
    },
  ): void {
    const s = p.session;
    const stream: StreamState = {
      streamId: ids.newStreamId(this.rngIds, o.video ? o.videoSource : undefined, p.connectionId),
      owner: p,
      createdAt: this.stamp(),
      videoSource: o.video ? o.videoSource : undefined,
      frameRate: o.frameRate,
      dimensions: o.dimensions,
      audio: o.audio,
      video: o.video,
      subscribers: [],
    };
    this.touchRecording(s, +1);
    p.stream = stream;
    this.emitWebrtcCreated(p, stream, false, stream.createdAt);
    this.cancelAutostop(s);
    if (s.autoSubscribe) {
      for (const other of s.participants.values()) {
        if (other !== p && !other.ipcam) {
          this.elapse(this.rngTiming.int(20, 150));
          this.subscribe(other, stream);
        }
      }
    }
    if (s.recordingMode === 'ALWAYS' && !s.recording && publisherCount(s) === 1) {
      // OpenVidu starts it in a new thread once the first stream is published.
      this.elapse(this.rngTiming.int(5, 60));
      this.startRecording(s, undefined, s.defaultRecording, true);
    }
  }

  private subscribe(sub: ParticipantState, stream: StreamState): void {
    const inbound: InboundState = { subscriber: sub, stream, createdAt: this.stamp() };
    stream.subscribers.push(inbound);
    sub.subscriptions.push(inbound);
    this.emitWebrtcCreated(sub, stream, true, inbound.createdAt);
  }

  private dropInbound(inbound: InboundState, reason: string): void {
    this.emitWebrtcDestroyed(inbound.subscriber, inbound.stream, true, inbound.createdAt, reason);
    remove(inbound.stream.subscribers, inbound);
    remove(inbound.subscriber.subscriptions, inbound);
  }

  /** Every INBOUND connection receiving `stream` goes, in subscription order. */
  private dropSubscribers(stream: StreamState, reason: string): void {
    const list = stream.subscribers;
    for (let i = 0; i < list.length; i++) {
      const inbound = list[i]!;
      this.emitWebrtcDestroyed(inbound.subscriber, stream, true, inbound.createdAt, reason);
      remove(inbound.subscriber.subscriptions, inbound);
    }
    list.length = 0;
  }

  /**
   * Every INBOUND connection `p` owns goes, in the iteration order of OpenVidu's map of them (a Java HashMap keyed by
   * the publisher's connection id).
   */
  private dropSubscriptions(p: ParticipantState, reason: string): void {
    const list = p.subscriptions;
    if (list.length === 0) return;
    for (const inbound of javaHashMapOrder(list, publisherIdOf)) {
      this.emitWebrtcDestroyed(p, inbound.stream, true, inbound.createdAt, reason);
      remove(inbound.stream.subscribers, inbound);
    }
    list.length = 0;
  }

  private dropOutbound(p: ParticipantState, reason: string): void {
    const stream = p.stream;
    if (!stream) return;
    this.emitWebrtcDestroyed(p, stream, false, stream.createdAt, reason);
    this.touchRecording(p.session, -1);
    p.stream = undefined;
  }

  /** Unpublish (§4.3): OUTBOUND first, then the subscribers' INBOUNDs — the opposite of a leave. */
  private unpublish(p: ParticipantState, reason: string): void {
    const stream = p.stream;
    if (!stream) refuse(`participant "${p.handle}" is not publishing`);
    this.dropOutbound(p, reason);
    this.dropSubscribers(stream, reason);
    this.checkAutostop(p.session);
  }

  private unpublishOwn(handle: string): void {
    const p = this.liveParticipant(handle);
    if (p.ipcam) refuse(`participant "${p.handle}" is an IP camera and cannot unpublish`, 405);
    this.unpublish(p, 'unpublish');
  }

  private forceUnpublish(a: ActionOf<'forceUnpublish'>): void {
    const p = this.liveParticipant(a.participant);
    if (p.ipcam)
      refuse(`the stream of IP camera "${p.handle}" cannot be unpublished (OpenVidu answers 405)`, 405);
    this.unpublish(p, a.by === 'user' ? 'forceUnpublishByUser' : 'forceUnpublishByServer');
  }

  private subscribeCmd(a: ActionOf<'subscribe'>): void {
    const sub = this.liveParticipant(a.participant);
    const pub = this.liveParticipant(a.to);
    if (sub.ipcam) refuse(`IP camera "${sub.handle}" cannot subscribe`);
    if (sub === pub) refuse(`participant "${sub.handle}" cannot subscribe to itself`);
    if (sub.session !== pub.session) refuse(`"${sub.handle}" and "${pub.handle}" are in different sessions`);
    if (!pub.stream) refuse(`participant "${pub.handle}" is not publishing`);
    if (sub.subscriptions.some((i) => i.stream.owner === pub))
      refuse(`"${sub.handle}" is already subscribed to "${pub.handle}"`);
    this.subscribe(sub, pub.stream);
  }

  private unsubscribeCmd(a: ActionOf<'unsubscribe'>): void {
    const sub = this.liveParticipant(a.participant);
    const pub = this.liveParticipant(a.to);
    const inbound = sub.subscriptions.find((i) => i.stream.owner === pub);
    if (!inbound) refuse(`"${sub.handle}" is not subscribed to "${pub.handle}"`);
    this.dropInbound(inbound, 'unsubscribe');
  }

  /** Media server restarted as a new process (§4.8): recordings stop, every WebRTC connection is dropped. */
  private mediaServerReconnect(nodeHandle: string | undefined): void {
    const node =
      nodeHandle === undefined ? undefined : this.pro('mediaServerReconnect.node').node(nodeHandle);
    for (const s of [...this.sessions.values()]) {
      if (!s.active || (node && s.node !== node)) continue;
      // An empty session keeps counting down to its close; a populated one has nothing left to stop.
      if (s.participants.size > 0) this.cancelAutostop(s);
      if (s.recording) this.stopRecording(s.recording, 'mediaServerReconnect');
      this.finishRecordings(s, 'mediaServerReconnect');
      for (const p of s.participants.values()) {
        this.dropSubscriptions(p, 'mediaServerReconnect');
        if (p.stream) this.dropOutbound(p, 'mediaServerReconnect');
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Recordings

  private startRecordingCmd(a: ActionOf<'startRecording'>): void {
    const s = this.liveSession(a.session);
    if (a.recording !== undefined) this.claimHandle('recording', a.recording);
    if (s.recording) refuse(`session "${s.handle}" is already being recorded (OpenVidu answers 409)`);
    if (s.participants.size === 0)
      refuse(`session "${s.handle}" has no connected participants (OpenVidu answers 406)`, 406);
    // The action's recording properties (everything but the handles) override the session's defaults.
    const { session: _session, recording: _recording, ...options } = a;
    const requested = stripUndefined(options);
    this.startRecording(s, a.recording, { ...s.defaultRecording, ...requested }, false);
    // A recording started while nobody publishes arms the countdown (always `automaticStop`).
    if (publisherCount(s) === 0) this.armAutostop(s, 'automaticStop');
  }

  private startRecording(
    s: SessionState,
    handle: string | undefined,
    requested: Partial<RecordingProps>,
    automatic: boolean,
  ): RecordingState {
    const props: RecordingProps = { ...DEFAULT_RECORDING, ...requested };
    if (!props.hasAudio && !props.hasVideo)
      refuse('a recording needs hasAudio or hasVideo (both are false)', 422);
    const n = this.recordingCounters.get(s.sessionId) ?? 0;
    this.recordingCounters.set(s.sessionId, n + 1);
    const id = n === 0 ? s.sessionId : `${s.sessionId}~${n}`;
    const composedVideo = props.outputMode !== 'INDIVIDUAL' && props.hasVideo;
    const createdAt = this.stamp();
    const r: RecordingState = {
      handle: handle ?? `${s.handle}.recording${n}`,
      id,
      session: s,
      props,
      createdAt,
      mediaNodeId: this.recordingNodeId(s, composedVideo, automatic),
      status: 'starting',
      startedAt: undefined,
      stoppedAt: undefined,
      reason: undefined,
      streamMs: 0,
      activeStreams: publisherCount(s),
      lastTouch: createdAt,
      firstStreamAt: publisherCount(s) > 0 ? createdAt : undefined,
      lastStreamEnd: undefined,
      timer: undefined,
    };
    this.recordings.set(r.handle, r);
    s.recording = r;
    const startup = startupDelay(props.outputMode, composedVideo, this.rngTiming);
    if (startup === 0) this.markStarted(r);
    else r.timer = this.setTimer(startup, `recording ${r.id} started`, () => this.markStarted(r));
    return r;
  }

  /**
   * The `media_node_id` of a recording (spec §2.7): in Pro the node of every composed-with-video recording; in CE
   * only for ALWAYS-mode composed ones.
   */
  private recordingNodeId(s: SessionState, composedVideo: boolean, automatic: boolean): string | undefined {
    if (!composedVideo) return undefined;
    const proNode = s.node?.id ?? this.hostNodeId;
    if (proNode !== undefined) return proNode;
    return automatic ? this.mediaNodeId : undefined;
  }

  private markStarted(r: RecordingState): void {
    r.timer = undefined;
    r.status = 'started';
    r.startedAt = this.stamp();
    this.emitRecording(r, 'started', r.createdAt, undefined);
  }

  private stopRecordingCmd(a: ActionOf<'stopRecording'>): void {
    const r = this.recordingsByHandle?.get(a.recording) ?? this.gone('recording', a.recording);
    if (r.status === 'starting') {
      refuse(`recording "${r.handle}" is still starting (OpenVidu answers 406); stop it a little later`, 406);
    }
    if (r.status !== 'started')
      refuse(`recording "${r.handle}" is already ${r.status} (OpenVidu answers 409)`);
    const s = r.session;
    const emptyCountdown = s.autostop !== undefined && s.participants.size === 0;
    this.cancelAutostop(s);
    this.stopRecording(r, 'recordingStoppedByServer');
    if (emptyCountdown) {
      // Stopped during the auto-stop countdown of an empty session: the session closes right after (§4.6).
      this.finishRecordings(s, 'recordingStoppedByServer');
      this.destroySession(s, 'recordingStoppedByServer');
    }
  }

  /**
   * Stops a recording: `stopped` now (size 0, duration 0.0), then `ready`/`failed` after processing, on a timer —
   * unless the session closes first, which finishes it at once (`finishRecordings`).
   */
  private stopRecording(r: RecordingState, reason: string, lostWithNode = false): void {
    const s = r.session;
    if (r.status === 'starting') {
      r.timer!.cancelled = true;
      r.timer = undefined;
      if (r.props.outputMode === 'COMPOSED_QUICK_START') {
        // Closed while its container was still starting: stopped then failed, never started (§4.10) — or, its node
        // crashed, only stopped, as every recording of a crashed Pro node (§4.8).
        s.recording = undefined;
        r.reason = reason;
        r.status = 'stopped';
        r.stoppedAt = this.stamp();
        this.emitRecording(r, 'stopped', r.stoppedAt, reason);
        if (lostWithNode) {
          this.forget(r.handle, `recording ${r.id} lost with its media node`, this.recordings);
          return;
        }
        r.status = 'failed';
        this.emitRecording(r, 'failed', this.stamp(), reason, { size: 0, duration: 0 });
        this.forget(r.handle, `recording ${r.id} failed`, this.recordings);
        return;
      }
      this.markStarted(r);
    }
    this.touchRecording(s, 0);
    s.recording = undefined;
    r.status = 'stopped';
    r.reason = reason;
    r.stoppedAt = this.stamp();
    if (r.activeStreams > 0) r.lastStreamEnd = r.stoppedAt;
    this.emitRecording(r, 'stopped', r.stoppedAt, reason);
    s.processing.push(r);
    r.timer = this.setTimer(this.processingDelay(r), `recording ${r.id} ${r.props.outcome}`, () =>
      this.finish(r),
    );
  }

  /** Emits the pending `ready`/`failed` of the session's stopped recordings now (before the session goes). */
  private finishRecordings(s: SessionState, reason: string): void {
    if (s.recording) this.stopRecording(s.recording, reason);
    for (const r of s.processing.slice()) {
      if (r.timer) r.timer.cancelled = true;
      // CE processes synchronously inside the closing cascade: the clock moves by the processing time.
      this.elapse(this.processingDelay(r));
      this.finish(r);
    }
  }

  private finish(r: RecordingState): void {
    r.timer = undefined;
    remove(r.session.processing, r);
    const { size, duration } = this.recordedMedia(r);
    const status = r.props.outcome === 'failed' || size === 0 ? 'failed' : 'ready';
    r.status = status;
    this.emitRecording(r, status, this.stamp(), r.reason, { size, duration });
    this.forget(r.handle, `recording ${r.id} ${status}`, this.recordings);
  }

  private processingDelay(r: RecordingState): number {
    const seconds = ((r.stoppedAt ?? r.createdAt) - r.createdAt) / 1000;
    return r.props.outputMode === 'INDIVIDUAL'
      ? this.rngTiming.int(40, 400) + Math.round(seconds * 2)
      : this.rngTiming.int(800, 2500) + Math.round(seconds * 8);
  }

  /** Size (bytes) and duration (s, ms precision) consistent with what was recorded. */
  private recordedMedia(r: RecordingState): { size: number; duration: number } {
    const rng = this.rngMedia;
    if (r.props.outputMode === 'INDIVIDUAL') {
      const from = r.firstStreamAt;
      const to = r.lastStreamEnd ?? r.stoppedAt;
      if (from === undefined || to === undefined || r.streamMs <= 0) return { size: 0, duration: 0 };
      const bytesPerSecond = r.props.hasVideo ? rng.int(70_000, 160_000) : rng.int(5_000, 9_000);
      const duration = Math.max(0.001, (to - from - rng.int(60, 300)) / 1000);
      return {
        size: Math.round((r.streamMs / 1000) * bytesPerSecond) + rng.int(800, 4000),
        duration: round3(duration),
      };
    }
    const began = r.startedAt ?? r.createdAt;
    const duration = Math.max(0.04, ((r.stoppedAt ?? began) - began - rng.int(100, 600)) / 1000);
    const [w, h] = r.props.resolution.split('x').map(Number);
    const bitsPerSecond = r.props.hasVideo
      ? (w ?? 1280) * (h ?? 720) * r.props.frameRate * rng.real(0.065, 0.095) +
        (r.props.hasAudio ? 64_000 : 0)
      : 48_000;
    return {
      size: Math.round((duration * bitsPerSecond) / 8) + rng.int(2_000, 40_000),
      duration: round3(duration),
    };
  }

  private emitRecording(
    r: RecordingState,
    status: 'started' | 'stopped' | 'ready' | 'failed',
    timestamp: number,
    reason: string | undefined,
    media: { size: number; duration: number } = { size: 0, duration: 0 },
  ): void {
    const s = r.session;
    const composedVideo = r.props.outputMode !== 'INDIVIDUAL' && r.props.hasVideo;
    this.emit('recordingStatusChanged', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp,
      startTime: r.createdAt,
      duration: media.duration,
      reason,
      id: r.id,
      name: r.props.name ?? r.id,
      outputMode: r.props.outputMode,
      resolution: composedVideo ? r.props.resolution : undefined,
      frameRate: composedVideo ? r.props.frameRate : undefined,
      recordingLayout: composedVideo ? r.props.recordingLayout : undefined,
      customLayout:
        composedVideo && r.props.recordingLayout === 'CUSTOM' && r.props.customLayout
          ? r.props.customLayout
          : undefined,
      media_node_id: composedVideo ? r.mediaNodeId : undefined,
      hasAudio: r.props.hasAudio,
      hasVideo: r.props.hasVideo,
      size: media.size,
      status,
    });
  }

  /** Updates the recorded-stream integral before the number of published streams changes by `delta`. */
  private touchRecording(s: SessionState, delta: number): void {
    const r = s.recording;
    if (!r) return;
    const t = this.clock;
    r.streamMs += (t - r.lastTouch) * r.activeStreams;
    r.lastTouch = t;
    r.activeStreams += delta;
    if (delta > 0 && r.firstStreamAt === undefined) r.firstStreamAt = t;
    if (delta < 0 && r.activeStreams === 0) r.lastStreamEnd = t;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Auto-stop countdown (OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, §4.4)

  /** Arms the countdown when a recording runs and nobody publishes. */
  private checkAutostop(s: SessionState): void {
    if (s.recording && !s.autostop && publisherCount(s) === 0) this.armAutostop(s, 'automaticStop');
  }

  private armAutostop(s: SessionState, reason = 'automaticStop'): void {
    if (s.autostop) return;
    s.autostop = this.setTimer(this.autostopMs, `auto-stop countdown of ${s.sessionId}`, () => {
      s.autostop = undefined;
      if (publisherCount(s) > 0) return;
      if (s.recording) this.stopRecording(s.recording, reason);
      if (s.participants.size === 0) {
        this.finishRecordings(s, reason);
        this.destroySession(s, reason);
      }
    });
  }

  private cancelAutostop(s: SessionState): void {
    if (s.autostop) {
      s.autostop.cancelled = true;
      s.autostop = undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signals and filters

  private signal(a: ActionOf<'signal'>): void {
    const s = this.liveSession(a.session);
    let from: string | null = null;
    if (a.from !== undefined) {
      const sender = this.liveParticipant(a.from);
      if (sender.session !== s) refuse(`participant "${a.from}" is not in session "${s.handle}"`);
      if (sender.ipcam) refuse(`IP camera "${a.from}" cannot send signals`);
      from = sender.connectionId;
    }
    let recipients: string[];
    if (a.to !== undefined && a.to.length > 0) {
      recipients = a.to.map((h) => {
        const p = this.liveParticipant(h);
        if (p.session !== s)
          refuse(`participant "${h}" is not in session "${s.handle}" (OpenVidu answers 406)`, 406);
        return p.connectionId;
      });
    } else {
      recipients = [...s.participants.keys()];
      const r = s.recording;
      if (r && r.props.outputMode !== 'INDIVIDUAL' && r.props.hasVideo) recipients.push(RECORDER_ID);
    }
    if (recipients.length === 0)
      refuse(`session "${s.handle}" has nobody to signal (OpenVidu answers 406)`, 406);
    // Client signals carry `signal:<type>` and OpenVidu strips the prefix; server (REST) signals keep the raw type.
    const type = from === null ? (a.type ?? null) : (a.type ?? 'signal');
    const data = a.data ?? (from === null ? null : '');
    this.emit('signalSent', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp: this.stamp(),
      from,
      to: javaHashSetOrder(recipients),
      type,
      data,
    });
  }

  private filterEvent(a: ActionOf<'filterEvent'>): void {
    const p = this.liveParticipant(a.participant);
    if (!p.stream) refuse(`participant "${p.handle}" has no published stream to apply a filter to`);
    const s = p.session;
    const filterType = a.filterType ?? 'ZBarFilter';
    const eventType = a.eventType ?? 'CodeFound';
    const timestamp = this.stamp();
    const data =
      a.data ??
      javaMapToString([
        ['timestampMillis', String(timestamp)],
        ['codeType', 'EAN-13'],
        [
          'source',
          `${this.meta.hex(5)}-${this.meta.hex(4)}_kurento.MediaPipeline/${this.meta.hex(8)}-${this.meta.hex(8)}_kurento.${filterType}`,
        ],
        ['type', eventType],
        ['value', this.meta.barcode()],
        ['tags', '[]'],
        ['timestamp', String(Math.trunc(timestamp / 1000))],
      ]);
    this.emit('filterEventDispatched', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp,
      participantId: p.connectionId,
      connectionId: p.connectionId,
      streamId: p.stream.streamId,
      filterType,
      eventType,
      data,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Media server faults, broadcasts and HA master nodes (Pro, Enterprise)

  /**
   * CE: every active session closed with `nodeCrashed`. Pro: the node (or every node) crashes for good. An engine
   * whose sessions are hosted on a node of a cluster simulated apart (`hostNodeId`, generated Pro runs) takes
   * `node: <hostNodeId>` as that node's crash: its active sessions closed as a Pro crash closes them (recordings
   * left at `stopped`); the cluster's engine logs `nodeCrashed` (`crashHostingNode`).
   */
  private mediaServerCrash(nodeHandle: string | undefined): void {
    if (!this.cluster) {
      if (nodeHandle !== undefined && nodeHandle === this.hostNodeId) {
        for (const s of [...this.sessions.values()]) if (s.active) this.closeSession(s, 'nodeCrashed', true);
        return;
      }
      if (nodeHandle !== undefined) refuse('mediaServerCrash.node needs OpenVidu Pro or Enterprise', 400);
      this.closeActiveSessions('nodeCrashed');
      return;
    }
    const targets =
      nodeHandle === undefined
        ? this.cluster.list().filter((n) => n.status === 'running' && !n.crashed)
        : [this.cluster.node(nodeHandle)];
    for (const n of targets) this.cluster.crash(n.handle, undefined);
  }

  private startBroadcast(handle: string, url: string | undefined): void {
    this.pro('startBroadcast');
    const s = this.liveSession(handle);
    if (s.broadcast) refuse(`session "${s.handle}" is already broadcasting (OpenVidu answers 409)`);
    if (s.participants.size === 0)
      refuse(`session "${s.handle}" has no connected participants (OpenVidu answers 406)`, 406);
    s.broadcast = { url: url ?? `rtmp://live.example.com/app/${s.sessionId}`, startedAt: this.stamp() };
    this.emit('broadcastStarted', {
      sessionId: s.sessionId,
      uniqueSessionId: s.uniqueSessionId,
      timestamp: s.broadcast.startedAt,
      broadcastUrl: s.broadcast.url,
      media_node_id: s.node?.id ?? this.hostNodeId,
    });
  }

  private stopBroadcast(s: SessionState, reason: string): void {
    const b = s.broadcast;
    if (!b) refuse(`session "${s.handle}" is not broadcasting (OpenVidu answers 409)`);
    s.broadcast = undefined;
    const base = this.base(s);
    this.emit('broadcastStopped', {
      ...base,
      ...this.end(base.timestamp, b.startedAt, finalReason(reason)),
      broadcastUrl: b.url,
      media_node_id: s.node?.id ?? this.hostNodeId,
    });
  }

  private registerMasterNode(handle: string, ip: string | undefined): void {
    if (this.edition !== 'enterprise')
      refuse('registerMasterNode needs OpenVidu Enterprise (openvidu.edition: enterprise)', 400);
    const masters = this.masterNodes!;
    if (masters.has(handle)) refuse(`master node "${handle}" is already registered`);
    const address = ip ?? `10.5.0.${this.rngIds.int(2, 254)}`;
    masters.set(handle, address);
    this.emit('HANodeRegistered', { timestamp: this.stamp(), nodeId: `master_${address}`, ip: address });
  }

  private deregisterMasterNode(handle: string, reason: string): void {
    if (this.edition !== 'enterprise')
      refuse('deregisterMasterNode needs OpenVidu Enterprise (openvidu.edition: enterprise)', 400);
    const masters = this.masterNodes!;
    const address = masters.get(handle) ?? notFound(`unknown master node "${handle}"`);
    masters.delete(handle);
    this.emit('HANodeDeregistered', {
      timestamp: this.stamp(),
      nodeId: `master_${address}`,
      ip: address,
      reason,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading the state (for the server and the page)

  /** Whether `handle` may name a new entity (not live, and not remembered as closed). */
  isHandleFree(handle: string): boolean {
    return (
      !this.sessions.has(handle) &&
      !this.participants.has(handle) &&
      this.recordingsByHandle?.has(handle) !== true &&
      this.closedHandles?.has(handle) !== true
    );
  }

  /** The live session with OpenVidu id `sessionId`, in detail (for the OpenVidu REST API); undefined if none. */
  describeSession(sessionId: string): SessionDetail | undefined {
    const s = this.liveSessionIds.get(sessionId);
    return s ? this.sessionDetail(s) : undefined;
  }

  /** Every live session in detail, in creation order. */
  describeSessions(): SessionDetail[] {
    return [...this.sessions.values()].map((s) => this.sessionDetail(s));
  }

  /** Recordings the engine still tracks (starting, started, or stopped and processing), in creation order. */
  describeRecordings(): RecordingDetail[] {
    return [...(this.recordingsByHandle?.values() ?? [])].map((r) => this.recordingDetail(r));
  }

  private sessionDetail(s: SessionState): SessionDetail {
    return {
      handle: s.handle,
      sessionId: s.sessionId,
      createdAt: s.createdAt,
      recordingMode: s.recordingMode,
      defaultRecording: { ...DEFAULT_RECORDING, ...s.defaultRecording },
      recording: s.recording ? this.recordingDetail(s.recording) : undefined,
      broadcasting: s.broadcast !== undefined,
      mediaNodeId: s.node?.id,
      connections: [...s.participants.values()].map((p) => ({
        handle: p.handle,
        connectionId: p.connectionId,
        type: p.ipcam ? 'IPCAM' : 'WEBRTC',
        joinedAt: p.joinedAt,
        location: p.location,
        ip: p.ip,
        platform: p.platform,
        clientData: p.clientData,
        serverData: p.serverData,
        role: p.role,
        ipcam: p.ipcam,
        stream: p.stream
          ? {
              streamId: p.stream.streamId,
              createdAt: p.stream.createdAt,
              videoSource: p.stream.videoSource ?? null,
              audio: p.stream.audio,
              video: p.stream.video,
              frameRate: p.stream.frameRate,
              dimensions: p.stream.dimensions,
            }
          : undefined,
        subscriptions: p.subscriptions.map((i) => ({
          streamId: i.stream.streamId,
          createdAt: i.createdAt,
        })),
      })),
    };
  }

  private recordingDetail(r: RecordingState): RecordingDetail {
    return {
      handle: r.handle,
      id: r.id,
      sessionId: r.session.sessionId,
      props: r.props,
      createdAt: r.createdAt,
      status: r.status,
      mediaNodeId: r.mediaNodeId,
    };
  }

  /** A plain-data view of the live world. */
  snapshot(): EngineSnapshot {
    return {
      now: this.clock,
      stopped: this.stopped,
      edition: this.edition,
      clusterId: this.cluster?.clusterId ?? null,
      mediaNodes: (this.cluster?.list() ?? []).map((n) => ({
        handle: n.handle,
        id: n.id,
        ip: n.ip,
        status: n.status,
        crashed: n.crashed,
        load: this.cluster?.loadOfNode(n) ?? 0,
        sessions: [...n.sessions].map((x) => x.handle),
      })),
      masterNodes: [...(this.masterNodes ?? [])].map(([handle, ip]) => ({
        handle,
        nodeId: `master_${ip}`,
        ip,
      })),
      sessions: [...this.sessions.values()].map((s) => ({
        handle: s.handle,
        sessionId: s.sessionId,
        uniqueSessionId: s.uniqueSessionId,
        createdAt: s.createdAt,
        recordingMode: s.recordingMode,
        active: s.active,
        autostopArmed: s.autostop !== undefined,
        participants: [...s.participants.values()].map((p) => ({
          handle: p.handle,
          connectionId: p.connectionId,
          joinedAt: p.joinedAt,
          type: p.ipcam ? 'IPCAM' : 'WEBRTC',
          role: p.role,
          clientData: p.clientData,
          platform: p.platform,
          stream: p.stream
            ? {
                streamId: p.stream.streamId,
                createdAt: p.stream.createdAt,
                videoSource: p.stream.videoSource ?? null,
                audio: p.stream.audio,
                video: p.stream.video,
              }
            : null,
          subscribedTo: p.subscriptions.map((i) => i.stream.owner.handle),
        })),
        mediaNode: s.node?.handle ?? null,
        broadcasting: s.broadcast !== undefined,
        recordings: [...(s.recording ? [s.recording] : []), ...s.processing].map((r) => ({
          handle: r.handle,
          id: r.id,
          status: r.status,
          outputMode: r.props.outputMode,
          createdAt: r.createdAt,
        })),
      })),
    };
  }
}

export interface EngineSnapshot {
  readonly now: number;
  readonly stopped: boolean;
  readonly edition: Edition;
  readonly clusterId: string | null;
  readonly mediaNodes: ReadonlyArray<{
    readonly handle: string;
    readonly id: string;
    readonly ip: string;
    readonly status: string;
    readonly crashed: boolean;
    /** Percent. */
    readonly load: number;
    readonly sessions: readonly string[];
  }>;
  readonly masterNodes: ReadonlyArray<{
    readonly handle: string;
    readonly nodeId: string;
    readonly ip: string;
  }>;
  readonly sessions: ReadonlyArray<{
    readonly handle: string;
    readonly sessionId: string;
    readonly uniqueSessionId: string;
    readonly createdAt: number;
    readonly recordingMode: string;
    readonly active: boolean;
    readonly autostopArmed: boolean;
    readonly mediaNode: string | null;
    readonly broadcasting: boolean;
    readonly participants: ReadonlyArray<{
      readonly handle: string;
      readonly connectionId: string;
      readonly joinedAt: number;
      readonly type: 'WEBRTC' | 'IPCAM';
      readonly role: string;
      readonly clientData: string;
      readonly platform: string;
      readonly stream: {
        readonly streamId: string;
        readonly createdAt: number;
        readonly videoSource: string | null;
        readonly audio: boolean;
        readonly video: boolean;
      } | null;
      readonly subscribedTo: readonly string[];
    }>;
    readonly recordings: ReadonlyArray<{
      readonly handle: string;
      readonly id: string;
      readonly status: string;
      readonly outputMode: OutputMode;
      readonly createdAt: number;
    }>;
  }>;
}

/** A live session as the OpenVidu REST API shows it (see `Engine.describeSession`). */
export interface SessionDetail {
  readonly handle: string;
  readonly sessionId: string;
  readonly createdAt: number;
  readonly recordingMode: 'MANUAL' | 'ALWAYS';
  /** The session's default recording properties, OpenVidu's defaults filled in. */
  readonly defaultRecording: RecordingProps;
  /** The recording in progress (starting or started). */
  readonly recording: RecordingDetail | undefined;
  readonly broadcasting: boolean;
  /** Pro: the media node hosting the session (chosen at its first join). */
  readonly mediaNodeId: string | undefined;
  /** Connected participants in join order. */
  readonly connections: readonly ConnectionDetail[];
}

/** A connected participant (an `active` connection): the participant's own fields, as the engine keeps them. */
export interface ConnectionDetail extends Pick<
  ParticipantState,
  'handle' | 'connectionId' | 'location' | 'ip' | 'platform' | 'clientData' | 'serverData' | 'role' | 'ipcam'
> {
  readonly type: 'WEBRTC' | 'IPCAM';
  /** `activeAt`, ms since the epoch. */
  readonly joinedAt: number;
  readonly stream:
    | {
        readonly streamId: string;
        readonly createdAt: number;
        readonly videoSource: string | null;
        readonly audio: boolean;
        readonly video: boolean;
        readonly frameRate: number | null;
        /** `{"width":…,"height":…}` as openvidu-browser sends it, or null. */
        readonly dimensions: string | null;
      }
    | undefined;
  /** Streams this participant receives. */
  readonly subscriptions: ReadonlyArray<{ readonly streamId: string; readonly createdAt: number }>;
}

/** A recording the engine still tracks. */
export interface RecordingDetail {
  readonly handle: string;
  readonly id: string;
  readonly sessionId: string;
  readonly props: RecordingProps;
  readonly createdAt: number;
  readonly status: RecordingStatus;
  readonly mediaNodeId: string | undefined;
}

function assertNever(x: never): never {
  throw new OvsimError('INTERNAL', `unhandled action ${JSON.stringify(x)}`);
}

/**
 * The load a session puts on its media node, in percent: what OpenVidu Pro's CPU-based load roughly follows —
 * each published stream, each subscription, a composed recording's headless browser, a broadcast.
 */
function sessionLoad(s: SessionState): number {
  let load = 0;
  for (const p of s.participants.values()) {
    if (p.stream) load += 4;
    load += 1.5 * p.subscriptions.length;
  }
  const r = s.recording;
  if (r && r.props.outputMode !== 'INDIVIDUAL' && r.props.hasVideo) load += 12;
  if (s.broadcast) load += 10;
  return load;
}

/** OpenVidu's `RecordingManager.finalReason`: a participant's own departure reasons become `lastParticipantLeft`. */
export function finalReason(reason: string): string {
  switch (reason) {
    case 'disconnect':
    case 'forceDisconnectByUser':
    case 'forceDisconnectByServer':
    case 'networkDisconnect':
      return 'lastParticipantLeft';
    default:
      return reason;
  }
}

function startupDelay(mode: OutputMode, composedVideo: boolean, rng: Rng): number {
  if (!composedVideo) return 0; // INDIVIDUAL and audio-only COMPOSED start with no container
  return mode === 'COMPOSED_QUICK_START' ? rng.int(300, 900) : rng.int(1200, 2600);
}

/** openvidu-browser sends the dimensions as `JSON.stringify({width, height})`. */
function videoDimensions(wxh: string): string {
  let json = DIMENSIONS.get(wxh);
  if (json === undefined) {
    const [w, h] = wxh.split('x').map(Number);
    json = JSON.stringify({ width: w, height: h });
    // A few sizes recur (drawn, or a scenario's own): remembered, within a bound whatever the input.
    if (DIMENSIONS.size < 256) DIMENSIONS.set(wxh, json);
  }
  return json;
}

const DIMENSIONS = new Map<string, string>();

/** A string is sent verbatim; anything else JSON-stringified, as openvidu-browser does with metadata. */
function metadataString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The address OpenVidu resolves for an IP camera's host: literal IPv4 hosts only (no DNS in a simulator). */
function ipOfUri(uri: string): string | null {
  const m = /^[a-z]+:\/\/(?:[^@/]*@)?(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/|$)/i.exec(uri);
  return m?.[1] ?? null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Takes `item` out of `list` (where it is at most once), keeping the order of the rest (no array made, unlike splice). */
function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i < 0) return;
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
  list.pop();
}

/** The key of an INBOUND connection in its subscriber's map: the publisher's connection id. */
function publisherIdOf(inbound: InboundState): string {
  return inbound.stream.owner.connectionId;
}
