/**
 * Facts: what happened in a simulated server, protocol-neutral. The engine produces them; a wire renderer turns them
 * into one server flavour's bytes (OpenVidu 2's CDR lines and WebHook bodies: `ov2-events.ts`). A fact names the
 * entities it is about (their unchanging fields, see entities.ts) and carries what changed; `at` is its instant, ms
 * since the epoch.
 *
 * The vocabulary is OpenVidu's (reasons such as `lastParticipantLeft`, recording statuses) because that is the
 * behaviour simulated; a renderer for another flavour maps it (LiveKit: a published stream is one track per kind, a
 * subscription emits nothing, a recording is an egress whose status sequence starts at `starting`).
 */
import type {
  BroadcastFacts,
  ConnectionFacts,
  MasterNodeFacts,
  MediaNodeFacts,
  NodeStatus,
  RecordingFacts,
  RecordingStatus,
  SessionFacts,
  StreamFacts,
  SubscriptionFacts,
} from './entities.js';

/** A node as the autoscaling decision weighs it. */
export interface AutoscalingNodeView {
  readonly id: string;
  /** null while launching. */
  readonly environmentId: string | null;
  readonly ip: string | null;
  /** Percent. */
  readonly load: number;
  readonly status: NodeStatus;
}

/** One decision of a Pro cluster's autoscaling: why, what it launches and terminates, and what it saw. */
export interface AutoscalingDecision {
  readonly clusterId: string;
  /** OpenVidu's explanation, in its words. */
  readonly reason: string;
  readonly launch: {
    readonly total: number;
    readonly newNodes: number;
    readonly waitingIdleToTerminateNodes: readonly AutoscalingNodeView[];
    readonly canceledNodes: readonly AutoscalingNodeView[];
  };
  readonly terminate: {
    readonly total: number;
    readonly runningNodes: readonly AutoscalingNodeView[];
    readonly launchingNodes: readonly AutoscalingNodeView[];
  };
  readonly config: {
    readonly maxNodes: number;
    readonly minNodes: number;
    /** Percent. */
    readonly maxAvgLoad: number;
    readonly minAvgLoad: number;
  };
  readonly status: {
    readonly numNodes: number;
    readonly totalLoad: number;
    readonly avgLoad: number;
    readonly runningNodes: readonly AutoscalingNodeView[];
    readonly launchingNodes: readonly AutoscalingNodeView[];
    readonly waitingIdleToTerminateNodes: readonly AutoscalingNodeView[];
    readonly canceledNodes: readonly AutoscalingNodeView[];
  };
}

export type Fact =
  | { readonly type: 'sessionCreated'; readonly at: number; readonly session: SessionFacts }
  | {
      readonly type: 'sessionClosed';
      readonly at: number;
      readonly session: SessionFacts;
      readonly reason: string;
    }
  /**
   * OpenVidu's garbage collector dropped a session nobody ever joined. OpenVidu 2 logs nothing for it (no
   * sessionDestroyed): the fact tells the ground truth that the session is gone.
   */
  | { readonly type: 'sessionGarbageCollected'; readonly at: number; readonly session: SessionFacts }
  | { readonly type: 'connectionJoined'; readonly at: number; readonly connection: ConnectionFacts }
  /**
   * A participant's media connection is up (ICE connected: LiveKit's ACTIVE state, when `participant_joined` is
   * sent). Only LiveKit-based servers emit it; OpenVidu 2 logs a participant at its join.
   */
  | { readonly type: 'connectionActive'; readonly at: number; readonly connection: ConnectionFacts }
  | {
      readonly type: 'connectionLeft';
      readonly at: number;
      readonly connection: ConnectionFacts;
      readonly reason: string;
    }
  /** A stream goes up (OpenVidu 2: the OUTBOUND WebRTC connection); `at` is the stream's `createdAt`. */
  | { readonly type: 'streamPublished'; readonly at: number; readonly stream: StreamFacts }
  | {
      readonly type: 'streamUnpublished';
      readonly at: number;
      readonly stream: StreamFacts;
      readonly reason: string;
    }
  /** A participant receives a stream (OpenVidu 2: an INBOUND WebRTC connection). */
  | { readonly type: 'subscribed'; readonly at: number; readonly subscription: SubscriptionFacts }
  | {
      readonly type: 'unsubscribed';
      readonly at: number;
      readonly subscription: SubscriptionFacts;
      readonly reason: string;
    }
  /**
   * A recording's status: `starting` when it is asked for (OpenVidu 2 logs nothing then), `started`, `stopped`,
   * `ready` or `failed`. `size` (bytes) and `duration` (s) are the file's, 0 until it is processed.
   */
  | {
      readonly type: 'recordingStatus';
      readonly at: number;
      readonly recording: RecordingFacts;
      readonly status: RecordingStatus;
      readonly reason: string | undefined;
      readonly size: number;
      readonly duration: number;
    }
  /** A signal: `from` null when sent by the server (REST); `to` the recipients' connection ids in join order. */
  | {
      readonly type: 'signal';
      readonly at: number;
      readonly session: SessionFacts;
      readonly from: string | null;
      readonly to: readonly string[];
      readonly signalType: string | null;
      readonly data: string | null;
    }
  | {
      readonly type: 'filterEvent';
      readonly at: number;
      readonly stream: StreamFacts;
      readonly filterType: string;
      readonly eventType: string;
      readonly data: string;
    }
  | { readonly type: 'broadcastStarted'; readonly at: number; readonly broadcast: BroadcastFacts }
  | {
      readonly type: 'broadcastStopped';
      readonly at: number;
      readonly broadcast: BroadcastFacts;
      readonly reason: string;
    }
  | {
      readonly type: 'mediaNodeStatus';
      readonly at: number;
      readonly node: MediaNodeFacts;
      readonly newStatus: NodeStatus;
      readonly oldStatus: NodeStatus | null;
    }
  /** A node stopped answering: what it hosted, in the order it lists them. */
  | {
      readonly type: 'nodeCrashed';
      readonly at: number;
      readonly node: MediaNodeFacts;
      readonly sessionIds: readonly string[];
      readonly recordingIds: readonly string[];
      readonly broadcasts: readonly string[];
    }
  | { readonly type: 'nodeRecovered'; readonly at: number; readonly node: MediaNodeFacts }
  | { readonly type: 'autoscaling'; readonly at: number; readonly decision: AutoscalingDecision }
  | { readonly type: 'masterNodeRegistered'; readonly at: number; readonly node: MasterNodeFacts }
  | {
      readonly type: 'masterNodeDeregistered';
      readonly at: number;
      readonly node: MasterNodeFacts;
      readonly reason: string;
    };

export type FactType = Fact['type'];
export type FactOf<T extends FactType> = Extract<Fact, { readonly type: T }>;
