/**
 * The OpenVidu 2 rendering of facts: which CDR event each fact is, and its data (keys of the catalogue, values as
 * OpenVidu 2 writes them). The serializer (profile.ts) writes that data as CDR lines and WebHook bodies.
 *
 * Each `fill` assigns every key its event may carry — `undefined` for one it omits — so that the bulk paths can fill
 * one reused object per event type and serialize it (no object per event), while `toCdrEvent` fills a new one: the
 * same function, the same bytes.
 */
import type { CdrEvent, EventName } from './catalogue.js';
import type { ConnectionFacts, StreamFacts } from './entities.js';
import type { AutoscalingDecision, AutoscalingNodeView, Fact, FactOf, FactType } from './facts.js';
import { JavaDouble, javaHashSetOrder } from './java.js';

/** Event data being filled: the catalogue's keys. */
export type EventFields = Record<string, unknown>;

/** The CDR event a fact is, or undefined when OpenVidu 2 logs nothing for it. */
export function eventNameOf(f: Fact): EventName | undefined {
  switch (f.type) {
    case 'sessionCreated':
      return 'sessionCreated';
    case 'sessionClosed':
      return 'sessionDestroyed';
    case 'sessionGarbageCollected':
      return undefined;
    case 'connectionJoined':
      return 'participantJoined';
    case 'connectionActive':
      return undefined;
    case 'connectionLeft':
      return 'participantLeft';
    case 'streamPublished':
    case 'subscribed':
      return 'webrtcConnectionCreated';
    case 'streamUnpublished':
    case 'unsubscribed':
      return 'webrtcConnectionDestroyed';
    case 'recordingStatus':
      return f.status === 'starting' ? undefined : 'recordingStatusChanged';
    case 'signal':
      return 'signalSent';
    case 'filterEvent':
      return 'filterEventDispatched';
    case 'broadcastStarted':
      return 'broadcastStarted';
    case 'broadcastStopped':
      return 'broadcastStopped';
    case 'mediaNodeStatus':
      return 'mediaNodeStatusChanged';
    case 'nodeCrashed':
      return 'nodeCrashed';
    case 'nodeRecovered':
      return 'nodeRecovered';
    case 'autoscaling':
      return 'autoscaling';
    case 'masterNodeRegistered':
      return 'HANodeRegistered';
    case 'masterNodeDeregistered':
      return 'HANodeDeregistered';
  }
}

/** Fills `d` with the data of the fact's event (see eventNameOf, which must have named one). */
export function fillEventData(f: Fact, d: EventFields): void {
  (FILL[f.type as Exclude<FactType, Silent>] as (f: Fact, d: EventFields) => void)(f, d);
}

/** The fact as an OpenVidu 2 CDR event (new data), or undefined when OpenVidu 2 logs nothing for it. */
export function toCdrEvent(f: Fact): CdrEvent | undefined {
  const name = eventNameOf(f);
  if (name === undefined) return undefined;
  const data: EventFields = {};
  fillEventData(f, data);
  return { name, data } as CdrEvent;
}

function seconds(from: number, to: number): number {
  return Math.trunc((to - from) / 1000);
}

function connection(
  d: EventFields,
  c: ConnectionFacts,
  at: number,
  startTime: number | undefined,
  reason: string | undefined,
): void {
  d.sessionId = c.session.sessionId;
  d.uniqueSessionId = c.session.uniqueSessionId;
  d.timestamp = at;
  d.startTime = startTime;
  d.duration = startTime === undefined ? undefined : seconds(startTime, at);
  d.reason = reason;
  d.participantId = c.connectionId;
  d.connectionId = c.connectionId;
  d.location = c.location;
  d.ip = c.ip;
  d.platform = c.platform;
  d.clientData = c.clientData;
  d.serverData = c.serverData;
}

/** A WebRTC connection of `owner`: its OUTBOUND (publishing `stream`) or an INBOUND (receiving it). */
function webrtc(
  d: EventFields,
  owner: ConnectionFacts,
  stream: StreamFacts,
  inbound: boolean,
  at: number,
  startTime: number | undefined,
  reason: string | undefined,
): void {
  const cam = inbound ? undefined : stream.owner.ipcam;
  const video = stream.video;
  d.sessionId = owner.session.sessionId;
  d.uniqueSessionId = owner.session.uniqueSessionId;
  d.timestamp = at;
  d.startTime = startTime;
  d.duration = startTime === undefined ? undefined : seconds(startTime, at);
  d.reason = reason;
  d.streamId = stream.streamId;
  d.participantId = owner.connectionId;
  d.connectionId = owner.connectionId;
  d.connection = inbound ? 'INBOUND' : 'OUTBOUND';
  d.receivingFrom = inbound ? stream.owner.connectionId : undefined;
  d.rtspUri = cam ? cam.rtspUri : undefined;
  d.adaptativeBitrate = cam ? cam.adaptativeBitrate : undefined;
  d.networkCache = cam ? cam.networkCache : undefined;
  d.onlyPlayWithSubscribers = cam ? cam.onlyPlayWithSubscribers : undefined;
  d.videoSource = video ? (stream.videoSource ?? null) : undefined;
  d.videoFramerate = video ? stream.frameRate : undefined;
  d.videoDimensions = video ? stream.dimensions : undefined;
  d.audioEnabled = stream.audio;
  d.videoEnabled = video;
}

function recording(f: FactOf<'recordingStatus'>, d: EventFields): void {
  const r = f.recording;
  const p = r.props;
  const composedVideo = p.outputMode !== 'INDIVIDUAL' && p.hasVideo;
  d.sessionId = r.session.sessionId;
  d.uniqueSessionId = r.session.uniqueSessionId;
  d.timestamp = f.at;
  d.startTime = r.createdAt;
  d.duration = f.duration;
  d.reason = f.reason;
  d.id = r.id;
  d.name = p.name ?? r.id;
  d.outputMode = p.outputMode;
  d.resolution = composedVideo ? p.resolution : undefined;
  d.frameRate = composedVideo ? p.frameRate : undefined;
  d.recordingLayout = composedVideo ? p.recordingLayout : undefined;
  d.customLayout =
    composedVideo && p.recordingLayout === 'CUSTOM' && p.customLayout ? p.customLayout : undefined;
  d.media_node_id = composedVideo ? r.mediaNodeId : undefined;
  d.hasAudio = p.hasAudio;
  d.hasVideo = p.hasVideo;
  d.size = f.size;
  d.status = f.status;
}

function node(d: EventFields, f: FactOf<'mediaNodeStatus' | 'nodeCrashed' | 'nodeRecovered'>): void {
  d.timestamp = f.at;
  d.id = f.node.id;
  d.environmentId = f.node.environmentId;
  d.ip = f.node.ip;
  d.uri = f.node.uri;
  d.clusterId = f.node.clusterId;
}

/** Nested numbers Java holds as doubles (loads, limits) are written `12.0`: the serializer's JavaDouble. */
function autoscaling(f: FactOf<'autoscaling'>, d: EventFields): void {
  const a: AutoscalingDecision = f.decision;
  const views = (list: readonly AutoscalingNodeView[]) =>
    list.map((n) => ({
      id: n.id,
      environmentId: n.environmentId,
      ip: n.ip,
      load: new JavaDouble(n.load),
      status: n.status,
    }));
  d.timestamp = f.at;
  d.clusterId = a.clusterId;
  d.reason = a.reason;
  d.mediaNodes = {
    launch: {
      total: a.launch.total,
      newNodes: a.launch.newNodes,
      waitingIdleToTerminateNodes: views(a.launch.waitingIdleToTerminateNodes),
      canceledNodes: views(a.launch.canceledNodes),
    },
    terminate: {
      total: a.terminate.total,
      runningNodes: views(a.terminate.runningNodes),
      launchingNodes: views(a.terminate.launchingNodes),
    },
  };
  d.system = {
    config: {
      maxNodes: a.config.maxNodes,
      minNodes: a.config.minNodes,
      maxAvgLoad: new JavaDouble(a.config.maxAvgLoad),
      minAvgLoad: new JavaDouble(a.config.minAvgLoad),
    },
    status: {
      numNodes: a.status.numNodes,
      totalLoad: new JavaDouble(a.status.totalLoad),
      avgLoad: new JavaDouble(a.status.avgLoad),
      runningNodes: views(a.status.runningNodes),
      launchingNodes: views(a.status.launchingNodes),
      waitingIdleToTerminateNodes: views(a.status.waitingIdleToTerminateNodes),
      canceledNodes: views(a.status.canceledNodes),
    },
  };
}

/** The facts OpenVidu 2 logs nothing for. */
type Silent = 'connectionActive';

const FILL: { readonly [T in Exclude<FactType, Silent>]: (f: FactOf<T>, d: EventFields) => void } = {
  sessionCreated(f, d) {
    d.sessionId = f.session.sessionId;
    d.uniqueSessionId = f.session.uniqueSessionId;
    d.timestamp = f.at;
  },
  sessionClosed(f, d) {
    d.sessionId = f.session.sessionId;
    d.uniqueSessionId = f.session.uniqueSessionId;
    d.timestamp = f.at;
    d.startTime = f.session.createdAt;
    d.duration = seconds(f.session.createdAt, f.at);
    d.reason = f.reason;
  },
  sessionGarbageCollected() {
    // Never called: OpenVidu 2 logs nothing for it (eventNameOf).
  },
  connectionJoined: (f, d) => connection(d, f.connection, f.at, undefined, undefined),
  connectionLeft: (f, d) => connection(d, f.connection, f.at, f.connection.joinedAt, f.reason),
  streamPublished: (f, d) => webrtc(d, f.stream.owner, f.stream, false, f.at, undefined, undefined),
  streamUnpublished: (f, d) => webrtc(d, f.stream.owner, f.stream, false, f.at, f.stream.createdAt, f.reason),
  subscribed: (f, d) =>
    webrtc(d, f.subscription.subscriber, f.subscription.stream, true, f.at, undefined, undefined),
  unsubscribed: (f, d) =>
    webrtc(
      d,
      f.subscription.subscriber,
      f.subscription.stream,
      true,
      f.at,
      f.subscription.createdAt,
      f.reason,
    ),
  recordingStatus: recording,
  signal(f, d) {
    d.sessionId = f.session.sessionId;
    d.uniqueSessionId = f.session.uniqueSessionId;
    d.timestamp = f.at;
    d.from = f.from;
    d.to = javaHashSetOrder(f.to);
    d.type = f.signalType;
    d.data = f.data;
  },
  filterEvent(f, d) {
    const owner = f.stream.owner;
    d.sessionId = owner.session.sessionId;
    d.uniqueSessionId = owner.session.uniqueSessionId;
    d.timestamp = f.at;
    d.participantId = owner.connectionId;
    d.connectionId = owner.connectionId;
    d.streamId = f.stream.streamId;
    d.filterType = f.filterType;
    d.eventType = f.eventType;
    d.data = f.data;
  },
  broadcastStarted(f, d) {
    const b = f.broadcast;
    d.sessionId = b.session.sessionId;
    d.uniqueSessionId = b.session.uniqueSessionId;
    d.timestamp = f.at;
    d.broadcastUrl = b.url;
    d.media_node_id = b.mediaNodeId;
  },
  broadcastStopped(f, d) {
    const b = f.broadcast;
    d.sessionId = b.session.sessionId;
    d.uniqueSessionId = b.session.uniqueSessionId;
    d.timestamp = f.at;
    d.startTime = b.startedAt;
    d.duration = seconds(b.startedAt, f.at);
    d.reason = f.reason;
    d.broadcastUrl = b.url;
    d.media_node_id = b.mediaNodeId;
  },
  mediaNodeStatus(f, d) {
    node(d, f);
    d.newStatus = f.newStatus;
    d.oldStatus = f.oldStatus;
  },
  nodeCrashed(f, d) {
    node(d, f);
    d.nodeRole = 'medianode';
    d.sessionIds = f.sessionIds;
    d.recordingIds = f.recordingIds;
    d.broadcasts = f.broadcasts;
  },
  nodeRecovered(f, d) {
    node(d, f);
    d.nodeRole = 'medianode';
  },
  autoscaling,
  masterNodeRegistered(f, d) {
    d.timestamp = f.at;
    d.nodeId = f.node.nodeId;
    d.ip = f.node.ip;
  },
  masterNodeDeregistered(f, d) {
    d.timestamp = f.at;
    d.nodeId = f.node.nodeId;
    d.ip = f.node.ip;
    d.reason = f.reason;
  },
};
