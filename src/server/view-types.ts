/**
 * What the server sends the workshop page: the contract between `src/server/` and the page's `// @ts-check` modules
 * in `public/`, which import these types in JSDoc (types only: this file has no runtime code and imports nothing that
 * needs Node). The page reads the world from the projection the server keeps (`WorldPatch`), the live controls from
 * the snapshot (`PageState`), and never re-derives either from the events.
 */
import type { CauseView, LogEntry } from './event-log.js';
import type { LivekitBatchView, LivekitPageView, LivekitServerKind } from './livekit-view-types.js';

export type { CauseView, LogEntry };
export type * from './livekit-view-types.js';

/** The Pro cluster's settings as the engine applies them. */
export interface PageClusterSettings {
  readonly initialNodes: number;
  /** Seconds; -1 = a crashed node is never given up. */
  readonly reconnectionTimeout: number;
  readonly loadInterval: number;
  /** How long OpenVidu retries a silent media node before declaring it crashed, ms. */
  readonly silentRetryMs: number;
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minNodes: number;
    readonly maxNodes: number;
    readonly minLoad: number;
    readonly maxLoad: number;
  };
}

/** The part of the engine's snapshot the page's controls read (what is live now). */
export interface PageSnapshot {
  readonly stopped: boolean;
  readonly edition: 'ce' | 'pro' | 'enterprise';
  readonly clusterId: string | null;
  readonly mediaNodes: ReadonlyArray<{
    readonly handle: string;
    readonly id: string;
    readonly ip: string;
    readonly status: string;
    readonly crashed: boolean;
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
    readonly recordingMode: string;
    readonly autostopArmed: boolean;
    readonly mediaNode: string | null;
    readonly broadcasting: boolean;
    readonly participants: ReadonlyArray<{
      readonly handle: string;
      readonly connectionId: string;
      readonly type: 'WEBRTC' | 'IPCAM';
      readonly role: string;
      readonly stream: { readonly streamId: string; readonly videoSource: string | null } | null;
      readonly subscribedTo: readonly string[];
    }>;
    readonly recordings: ReadonlyArray<{
      readonly handle: string;
      readonly id: string;
      readonly status: string;
    }>;
  }>;
}

/** The next scenario step, for the page's "next step" banner. */
export interface NextStepView {
  /** Position in the scenario's `steps`, 0-based. */
  readonly index: number;
  /** Virtual instant it runs at, ms since the epoch. */
  readonly at: number;
  readonly type: string;
  readonly args: unknown;
}

/** `GET /api/state`, and the state in every feed message, as the page reads it. */
export interface PageState {
  readonly clock: {
    readonly status: 'running' | 'paused';
    readonly speed: number;
    readonly virtualNow: number;
  };
  readonly scenario: {
    readonly name: string;
    readonly description: string;
    readonly file: string;
    readonly steps: number;
  };
  readonly openvidu: {
    readonly version: string;
    readonly edition: 'ce' | 'pro' | 'enterprise';
    readonly mediaNodeId: string;
    readonly cluster: PageClusterSettings | null;
  };
  readonly seed: string | number;
  /** The virtual start instant of the loaded world, ms since the epoch. */
  readonly start: number;
  /** Virtual instant of the next queued step or timer; null when nothing is queued. */
  readonly nextAt: number | null;
  /** The next scenario step not yet run, and how many are left (0 and null when all ran). */
  readonly nextStep: NextStepView | null;
  readonly stepsLeft: number;
  /** Actions sent live (the page, the control API, REST clients) since the last load or reset. */
  readonly liveActions: number;
  readonly log: { readonly oldest: number; readonly newest: number };
  readonly snapshot: PageSnapshot;
  /** `serve --server openvidu3` only: the page then shows LiveKit's rooms and events. */
  readonly server?: { readonly kind: LivekitServerKind; readonly livekitVersion: string };
}

/** A cascade: one cause, its events, and how the world projection changed. */
export interface PageBatch {
  readonly id: number;
  readonly at: number;
  readonly cause: CauseView;
  readonly events: readonly LogEntry[];
  /** The records of the world projection this cascade touched. */
  readonly world: WorldPatch;
  /** `serve --server openvidu3`: the cascade's LiveKit events and the LiveKit world after them. */
  readonly livekit?: LivekitBatchView;
}

// ---------------------------------------------------------------------------------------------------------------
// The world projection: every entity the run has seen, with its history, kept after it is gone.

/** A status an entity went through, with the event that says so. */
export interface StatusStep {
  readonly status: string;
  readonly at: number;
  /** The event's seq (its position in the run). */
  readonly seq: number;
  readonly reason: string | null;
}

export interface SessionRecord {
  /** uniqueSessionId (sessionId before 2.17 had none): unique over the run even when a sessionId is reused. */
  readonly key: string;
  readonly sessionId: string;
  readonly handle: string;
  readonly createdAt: number;
  readonly closedAt: number | null;
  readonly reason: string | null;
  /** Pro: the media node (handle) that carried it, remembered after it closed. */
  readonly mediaNode: string | null;
  readonly broadcasts: ReadonlyArray<{
    readonly url: string;
    readonly startedAt: number;
    readonly stoppedAt: number | null;
    readonly reason: string | null;
  }>;
  /** Seqs of the events about the session itself (created, destroyed, signals, broadcasts). */
  readonly events: readonly number[];
}

export interface ParticipantRecord {
  /** connectionId. */
  readonly key: string;
  readonly session: string;
  readonly handle: string;
  readonly type: 'WEBRTC' | 'IPCAM';
  readonly platform: string;
  readonly clientData: string;
  readonly joinedAt: number;
  readonly leftAt: number | null;
  readonly reason: string | null;
  /** Seqs of its own events (joined, left, filter events). */
  readonly events: readonly number[];
}

export interface StreamRecord {
  /** `<connectionId>/<OUTBOUND|INBOUND>/<streamId>`. */
  readonly key: string;
  readonly session: string;
  /** The connection the WebRTC connection belongs to (the publisher for OUTBOUND, the subscriber for INBOUND). */
  readonly participant: string;
  readonly direction: 'OUTBOUND' | 'INBOUND';
  readonly streamId: string;
  /** INBOUND: the publisher's connectionId. */
  readonly from: string | null;
  readonly videoSource: string | null;
  readonly createdAt: number;
  readonly destroyedAt: number | null;
  readonly reason: string | null;
  readonly events: readonly number[];
}

export interface RecordingRecord {
  /** `<session key>/<recording id>`. */
  readonly key: string;
  readonly id: string;
  readonly session: string;
  readonly handle: string;
  readonly outputMode: string;
  readonly statuses: readonly StatusStep[];
  /** Bytes, once ready. */
  readonly size: number;
  readonly events: readonly number[];
}

export interface NodeRecord {
  /** The media node id. */
  readonly key: string;
  readonly handle: string;
  readonly ip: string | null;
  /** As its first `mediaNodeStatusChanged` gave them. */
  readonly environmentId: string | null;
  readonly uri: string | null;
  readonly statuses: readonly StatusStep[];
  readonly crashes: ReadonlyArray<{
    readonly at: number;
    readonly seq: number;
    readonly recoveredAt: number | null;
    readonly sessions: number;
  }>;
  readonly events: readonly number[];
}

export interface MasterRecord {
  readonly key: string;
  readonly handle: string;
  readonly ip: string;
  readonly registeredAt: number;
  readonly deregisteredAt: number | null;
  readonly reason: string | null;
  readonly events: readonly number[];
}

/** What happened to the CE media server: crashes, restarts, the server stopping. */
export interface MediaServerIncident {
  readonly kind: 'crash' | 'restart' | 'stop';
  readonly at: number;
  /** The cascade it caused. */
  readonly batch: number;
  readonly sessionsClosed: number;
  readonly connectionsDropped: number;
  readonly recordingsStopped: number;
}

export interface MediaServerRecord {
  readonly id: string;
  readonly incidents: readonly MediaServerIncident[];
}

/**
 * A change of the world projection: the records a cascade touched (whole records: the page replaces them by key),
 * and the sessions dropped from memory (with their participants, streams and recordings). `reset` replaces
 * everything (the `hello` of the feed and `GET /api/world` send a full one).
 */
export interface WorldPatch {
  readonly reset: boolean;
  readonly sessions: readonly SessionRecord[];
  readonly participants: readonly ParticipantRecord[];
  readonly streams: readonly StreamRecord[];
  readonly recordings: readonly RecordingRecord[];
  readonly nodes: readonly NodeRecord[];
  readonly masters: readonly MasterRecord[];
  readonly mediaServer: MediaServerRecord;
  /** Seqs of cluster-wide events (autoscaling decisions). */
  readonly clusterEvents: readonly number[];
  readonly removedSessions: readonly string[];
}

/** The feed's messages (`/api/feed`), as the page reads them. */
export type FeedMessage =
  | {
      readonly type: 'hello';
      readonly state: PageState;
      readonly events: readonly LogEntry[];
      readonly world: WorldPatch;
      readonly livekit?: LivekitPageView;
    }
  | { readonly type: 'batch'; readonly batch: PageBatch; readonly state: PageState }
  | {
      readonly type: 'refused';
      readonly message: string;
      readonly status: number;
      readonly cause: CauseView;
      readonly state: PageState;
    }
  | { readonly type: 'control'; readonly state: PageState }
  | {
      readonly type: 'reset';
      readonly state: PageState;
      readonly world: WorldPatch;
      readonly livekit?: LivekitPageView;
    }
  | {
      readonly type: 'webhook';
      readonly delivery: {
        readonly seq: number;
        readonly event: string;
        readonly attempt: number;
        readonly outcome: string;
        readonly ok: boolean;
        readonly latencyMs: number;
      };
    };
