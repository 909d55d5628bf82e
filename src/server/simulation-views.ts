/**
 * What the live simulation shows its clients (the page, the feed, the control API) and its sinks: the state, each
 * cascade, the clock, the scenario, the Pro cluster's settings, and the messages listeners receive.
 */
import type { Batch, ClusterConfig, Engine, EngineSnapshot } from '../engine/engine.js';
import type { Edition } from '../model/profile.js';
import type { CauseView, LogEntry } from './event-log.js';
import type { NextStepView, WorldPatch } from './view-types.js';
import type { LivekitBatchView, LivekitServerKind } from './livekit-view-types.js';

/** The OpenVidu 3 server imitated and its LiveKit build. */
export interface ServerView {
  readonly kind: LivekitServerKind;
  readonly livekitVersion: string;
}

export interface ClockView {
  readonly status: 'running' | 'paused';
  /** Virtual ms per wall ms (1 = real time). */
  readonly speed: number;
  /** Current virtual time, ms since the epoch. */
  readonly virtualNow: number;
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
  /** `serve --server openvidu3`: the cascade's LiveKit events and the LiveKit world after them. */
  readonly livekit?: LivekitBatchView;
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
  /** Only when the server imitated is not OpenVidu 2 (the OpenVidu 2 state keeps its exact shape). */
  readonly server?: ServerView;
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
