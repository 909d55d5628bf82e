/**
 * OpenVidu 2.x's REST API under `/openvidu/api/`: sessions, connections, streams, recordings, signals, the
 * configuration and, in Pro and Enterprise, media nodes, broadcasts and health — backed by the live simulation, so
 * every call that changes the world is an engine action and its CDR/WebHook events are exactly OpenVidu's.
 * Handlers validate and delegate; errors are OvsimErrors with OpenVidu's statuses, shaped by the one error handler.
 */
import express, { type Request, type Router } from 'express';
import type { ConnectionDetail, SessionDetail } from '../../engine/engine.js';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../scenario/schema.js';
import type { LiveSimulation } from '../live-simulation.js';
import { httpStatusOf } from '../refusal-status.js';
import { parseClientPolicy, type ClientPolicy } from './client-policy.js';
import {
  activeConnectionJson,
  connectionsOf,
  mediaNodeJson,
  pendingConnectionJson,
  recordingJson,
  sessionJson,
  tokenJson,
  type ViewContext,
} from './json-views.js';
import {
  bad,
  objectBody,
  optBoolean,
  optEnum,
  optMediaNodeId,
  optNumber,
  optObject,
  optString,
  readRecordingProps,
  type Body,
} from './rest-body.js';
import type { RestConnection, RestWorld, Role } from './rest-world.js';
import { planClient } from './simulated-client.js';
import { waitFor } from './wait-for.js';

/** Header that sets the client policy of a session (on `POST /sessions`) or of one connection (`POST …/connection`). */
export const CLIENT_POLICY_HEADER = 'x-ovsim-client-policy';

const ROLES = ['PUBLISHER', 'SUBSCRIBER', 'MODERATOR'] as const;
const CODECS = ['MEDIA_SERVER_PREFERRED', 'NONE', 'VP8', 'VP9', 'H264'] as const;
const SESSION_ID = /^[a-zA-Z0-9_-]+$/;

export interface OpenviduRouterOptions {
  readonly simulation: LiveSimulation;
  readonly world: RestWorld;
  readonly bodyLimitBytes: number;
  /** Properties shown by `GET /config` over the built-in ones (e.g. the WebHook settings `serve` resolved). */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /** Base of tokens, e.g. `wss://my.openvidu.ip`; default `wss://` + the request's Host. */
  readonly publicUrl?: string | undefined;
  /** Longest wait of an answer for the simulation (recording start/stop, media node `wait`), wall ms. */
  readonly maxWaitMs?: number | undefined;
}

export function createOpenviduRouter(o: OpenviduRouterOptions): Router {
  const sim = o.simulation;
  const world = o.world;
  const router = express.Router();
  const vc = (): ViewContext => ({ world, edition: sim.currentProfile.edition });
  const pro = () => {
    if (sim.currentProfile.edition === 'ce') throw new OvsimError('NOT_FOUND', 'media nodes, broadcasts and health are OpenVidu Pro/Enterprise APIs (ovsim serve --edition pro)');
  };
  const exec = (action: Action) => sim.execute(action);

  router.use(express.json({ limit: o.bodyLimitBytes, strict: false }));

  // ---------------------------------------------------------------------------------------------------------------
  // Sessions

  router.post('/sessions', (req, res) => {
    const b = objectBody(req);
    const mediaMode = optEnum(b, 'mediaMode', ['ROUTED', 'RELAYED'] as const) ?? 'ROUTED';
    const recordingMode = optEnum(b, 'recordingMode', ['MANUAL', 'ALWAYS'] as const);
    const custom = optString(b, 'customSessionId');
    const customSessionId = custom === undefined || custom === '' ? undefined : custom;
    if (customSessionId !== undefined && !SESSION_ID.test(customSessionId)) {
      throw bad(`customSessionId: "${customSessionId}" may only have letters, digits, _ and -`);
    }
    const forcedVideoCodec = optEnum(b, 'forcedVideoCodec', CODECS) ?? 'MEDIA_SERVER_PREFERRED';
    const allowTranscoding = optBoolean(b, 'allowTranscoding') ?? false;
    const defaults = optObject(b, 'defaultRecordingProperties');
    const rec = defaults ? readRecordingProps(defaults, 'defaultRecordingProperties', 400) : undefined;
    const nodeId = optMediaNodeId(b, 'mediaNode');
    const policy = headerPolicy(req, world.policy);
    if (customSessionId !== undefined && sim.view.describeSession(customSessionId)) {
      throw new OvsimError('REFUSED', `customSessionId: a session "${customSessionId}" already exists`, { status: 409 });
    }
    const args: Record<string, unknown> = { session: world.freeHandle(customSessionId ?? 'session') };
    if (customSessionId !== undefined) args['customSessionId'] = customSessionId;
    if (recordingMode !== undefined) args['recordingMode'] = recordingMode;
    if (rec && Object.keys(rec.props).length > 0) args['defaultRecording'] = rec.props;
    if (nodeId !== undefined && sim.currentProfile.edition !== 'ce') args['mediaNode'] = nodeHandle(sim, nodeId, 'mediaNode.id', 400);
    exec({ type: 'createSession', args } as Action);
    const sessionId = sim.view.describeSessions().find((x) => x.handle === args['session'])?.sessionId ?? '';
    world.sessionProps.set(sessionId, {
      mediaMode,
      customSessionId,
      forcedVideoCodec,
      allowTranscoding,
      mediaNode: nodeId,
      shmSize: rec?.shmSize,
      policy,
    });
    res.json(sessionJson(vc(), mustSession(sim, sessionId, 404), false));
  });

  router.get('/sessions', (req, res) => {
    const pending = req.query['pendingConnections'] === 'true';
    const content = sim.view.describeSessions().map((s) => sessionJson(vc(), s, pending));
    res.json({ numberOfElements: content.length, content });
  });

  router.get('/sessions/:sessionId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 404);
    res.json(sessionJson(vc(), s, req.query['pendingConnections'] === 'true'));
  });

  router.delete('/sessions/:sessionId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 404);
    exec({ type: 'closeSession', args: { session: s.handle } });
    res.status(204).end();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Connections

  router.post('/sessions/:sessionId/connection', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 404);
    const b = objectBody(req);
    const type = optEnum(b, 'type', ['WEBRTC', 'IPCAM'] as const) ?? 'WEBRTC';
    if (type === 'IPCAM') {
      const c = createIpcam(sim, world, s, b);
      res.json(activeConnectionJson(mustSession(sim, s.sessionId, 404), c.detail, c.rest));
      return;
    }
    const c = createPending(sim, world, s, b, tokenBase(o, req), headerPolicy(req, world.policyFor(s.sessionId)));
    res.json(pendingConnectionJson(c));
  });

  router.get('/sessions/:sessionId/connection', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 404);
    const content = connectionsOf(vc(), s, true);
    res.json({ numberOfElements: content.length, content });
  });

  router.get('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 400);
    res.json(connectionJson(world, s, param(req, 'connectionId')));
  });

  router.patch('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 404);
    const id = param(req, 'connectionId');
    const b = objectBody(req);
    const role = optEnum(b, 'role', ROLES);
    const record = optBoolean(b, 'record');
    connectionJson(world, s, id); // 404 first
    const rest = world.connections.get(id);
    if (rest && rest.sessionHandle === s.handle) {
      if (role !== undefined) rest.role = role;
      if (record !== undefined) rest.record = record;
    }
    res.json(connectionJson(world, s, id));
  });

  router.delete('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 400);
    const id = param(req, 'connectionId');
    const active = s.connections.find((c) => c.connectionId === id);
    if (active) {
      exec({ type: 'forceDisconnect', args: { participant: active.handle, by: 'server' } });
    } else {
      const pending = world.connections.get(id);
      if (!pending || pending.sessionHandle !== s.handle || pending.status !== 'pending') {
        throw new OvsimError('NOT_FOUND', `connection "${id}" is not in session "${s.sessionId}"`);
      }
      // A pending connection is only invalidated: its token stops working, nothing is logged.
      world.connections.delete(id);
    }
    res.status(204).end();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Streams and signals

  router.delete('/sessions/:sessionId/stream/:streamId', (req, res) => {
    const s = mustSession(sim, param(req, 'sessionId'), 400);
    const streamId = param(req, 'streamId');
    const owner = s.connections.find((c) => c.stream?.streamId === streamId);
    if (!owner) throw new OvsimError('NOT_FOUND', `stream "${streamId}" is not published in session "${s.sessionId}"`);
    exec({ type: 'forceUnpublish', args: { participant: owner.handle, by: 'server' } });
    res.status(204).end();
  });

  router.post('/signal', (req, res) => {
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const to = b['to'];
    if (to !== undefined && to !== null && (!Array.isArray(to) || to.some((x) => typeof x !== 'string'))) {
      throw bad('to: an array of connection ids is required');
    }
    const type = optString(b, 'type');
    const data = optString(b, 'data');
    const s = mustSession(sim, sessionId, 404);
    const args: Record<string, unknown> = { session: s.handle };
    if (Array.isArray(to) && to.length > 0) {
      args['to'] = (to as string[]).map((id) => {
        const c = s.connections.find((x) => x.connectionId === id);
        if (!c) throw new OvsimError('REFUSED', `to: connection "${id}" is not connected to session "${s.sessionId}"`, { status: 406 });
        return c.handle;
      });
    }
    if (type !== undefined) args['type'] = type;
    if (data !== undefined) args['data'] = data;
    exec({ type: 'signal', args } as Action);
    res.status(200).end();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Recordings

  router.post('/recordings/start', async (req, res) => {
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const { props } = readRecordingProps(b, '', 422);
    optMediaNodeId(b, 'mediaNode');
    const s = mustSession(sim, sessionId, 404);
    if (world.sessionProps.get(s.sessionId)?.mediaMode === 'RELAYED') {
      throw new OvsimError('REFUSED', `session "${s.sessionId}" has mediaMode RELAYED and cannot be recorded`, { status: 409 });
    }
    exec({ type: 'startRecording', args: { session: s.handle, ...props } } as Action);
    const id = sim.view.describeSession(s.sessionId)?.recording?.id;
    if (id === undefined) throw new OvsimError('INTERNAL', 'the recording did not start');
    // OpenVidu answers once the recording is `started` (the composed recorder is up).
    await waitFor(sim, () => liveRecording(sim, id)?.status !== 'starting', o.maxWaitMs);
    res.json(recordingOrThrow(vc(), sim, world, id));
  });

  router.post('/recordings/stop/:recordingId', async (req, res) => {
    const id = param(req, 'recordingId');
    const live = liveRecording(sim, id);
    if (!live || (live.status !== 'started' && live.status !== 'starting')) {
      throw new OvsimError('NOT_FOUND', `no recording "${id}" in progress`);
    }
    if (live.status === 'starting') {
      throw new OvsimError('REFUSED', `recording "${id}" is still starting: stop it once it is started`, { status: 406 });
    }
    exec({ type: 'stopRecording', args: { recording: live.handle } });
    // CE answers with the recording `ready` (its processing is synchronous); Pro answers `stopped` at once.
    if (sim.currentProfile.edition === 'ce') {
      await waitFor(sim, () => {
        const st = world.recordings.get(id)?.status;
        return st === 'ready' || st === 'failed';
      }, o.maxWaitMs);
    }
    res.json(recordingOrThrow(vc(), sim, world, id));
  });

  router.get('/recordings/:recordingId', (req, res) => {
    res.json(recordingOrThrow(vc(), sim, world, param(req, 'recordingId')));
  });

  router.get('/recordings', (_req, res) => {
    const ids = new Set<string>([...world.recordings.keys(), ...sim.view.describeRecordings().map((r) => r.id)]);
    const items = [...ids]
      .filter((id) => !world.deletedRecordings.has(id))
      .map((id) => recordingOrThrow(vc(), sim, world, id))
      .sort((a, b) => Number(a['createdAt']) - Number(b['createdAt']));
    res.json({ count: items.length, items });
  });

  router.delete('/recordings/:recordingId', (req, res) => {
    const id = param(req, 'recordingId');
    recordingOrThrow(vc(), sim, world, id);
    const st = liveRecording(sim, id)?.status;
    if (st === 'started' || st === 'starting') {
      throw new OvsimError('REFUSED', `recording "${id}" is ${st}: stop it before deleting it`, { status: 409 });
    }
    world.recordings.delete(id);
    world.deletedRecordings.add(id);
    res.status(204).end();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Legacy tokens, configuration

  router.post('/tokens', (req, res) => {
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const s = mustSession(sim, sessionId, 404);
    const c = createPending(sim, world, s, b, tokenBase(o, req), headerPolicy(req, world.policyFor(s.sessionId)));
    res.json(tokenJson(c));
  });

  router.get('/config', (req, res) => {
    const profile = sim.currentProfile;
    const host = req.headers.host ?? 'localhost';
    res.json({
      VERSION: profile.version,
      DOMAIN_OR_PUBLIC_IP: host.replace(/:\d+$/, ''),
      HTTPS_PORT: Number(/:(\d+)$/.exec(host)?.[1] ?? 443),
      OPENVIDU_PUBLICURL: (o.publicUrl ?? `https://${host}`).replace(/^wss:/, 'https:'),
      OPENVIDU_EDITION: profile.edition,
      OPENVIDU_CDR: false,
      OPENVIDU_RECORDING: true,
      OPENVIDU_RECORDING_PUBLIC_ACCESS: false,
      OPENVIDU_WEBHOOK: false,
      OPENVIDU_SESSIONS_GARBAGE_INTERVAL: 900,
      OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 3600,
      ...o.config,
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Pro and Enterprise

  router.get('/health', (_req, res) => {
    pro();
    const up = sim.view.snapshot().mediaNodes.some((n) => n.status === 'running' && !n.crashed);
    res.status(up ? 200 : 503).json({ status: up ? 'UP' : 'DOWN' });
  });

  router.get('/media-nodes', (req, res) => {
    pro();
    const snap = sim.view.snapshot();
    const sessions = sim.view.describeSessions();
    const content = snap.mediaNodes.map((n) => mediaNodeJson(vc(), n, sessions, nodeQuery(req)));
    res.json({ numberOfElements: content.length, content });
  });

  router.get('/media-nodes/:nodeId', (req, res) => {
    pro();
    res.json(nodeJson(req, param(req, 'nodeId')));
  });

  router.post('/media-nodes', async (req, res) => {
    pro();
    objectBody(req);
    const handle = world.freeHandle('node');
    exec({ type: 'launchMediaNode', args: { node: handle } });
    const id = sim.view.snapshot().mediaNodes.find((n) => n.handle === handle)?.id ?? '';
    if (req.query['wait'] === 'true') {
      await waitFor(sim, () => sim.view.snapshot().mediaNodes.find((n) => n.id === id)?.status !== 'launching', o.maxWaitMs);
    }
    res.json(nodeJson(req, id));
  });

  router.patch('/media-nodes/:nodeId', (req, res) => {
    pro();
    const id = param(req, 'nodeId');
    const node = mustNode(sim, id);
    const b = objectBody(req);
    const status = optEnum(b, 'status', ['canceled', 'launching', 'waiting-idle-to-terminate', 'running', 'terminating'] as const);
    if (status === undefined) throw bad('status: the new status is required');
    if (status === node.status) {
      res.status(204).end();
      return;
    }
    try {
      exec({ type: 'setMediaNodeStatus', args: { node: node.handle, status } });
    } catch (e) {
      // OpenVidu answers 400 for a transition its status diagram does not allow.
      if (e instanceof OvsimError && httpStatusOf(e) === 409) throw bad(e.message);
      throw e;
    }
    const after = sim.view.snapshot().mediaNodes.find((n) => n.id === id);
    res.json(after ? nodeJson(req, id) : { ...nodeSummary(req, node), status: 'terminated' });
  });

  router.delete('/media-nodes/:nodeId', (req, res) => {
    pro();
    const id = param(req, 'nodeId');
    const node = mustNode(sim, id);
    const q = req.query['deletion-strategy'];
    const strategy = q === undefined ? 'if-no-sessions' : String(q);
    if (strategy !== 'now' && strategy !== 'if-no-sessions' && strategy !== 'when-no-sessions') {
      throw bad(`deletion-strategy: "${strategy}" is not one of now, if-no-sessions, when-no-sessions`);
    }
    const before = nodeSummary(req, node);
    exec({ type: 'removeMediaNode', args: { node: node.handle, strategy } });
    const after = sim.view.snapshot().mediaNodes.find((n) => n.id === id);
    if (after?.status === 'waiting-idle-to-terminate') {
      res.status(202).json(nodeJson(req, id));
      return;
    }
    if (req.query['wait'] === 'true') {
      res.status(204).end();
      return;
    }
    res.status(200).json(after ? nodeJson(req, id) : { ...before, status: 'terminated' });
  });

  router.post('/broadcast/start', (req, res) => {
    pro();
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const url = optString(b, 'broadcastUrl');
    if (url === undefined) throw bad('broadcastUrl: the RTMP address is required');
    const s = mustSession(sim, sessionId, 404);
    exec({ type: 'startBroadcast', args: { session: s.handle, broadcastUrl: url } });
    res.json(sessionJson(vc(), mustSession(sim, sessionId, 404), false));
  });

  router.post('/broadcast/stop', (req, res) => {
    pro();
    const sessionId = optString(objectBody(req), 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const s = mustSession(sim, sessionId, 404);
    exec({ type: 'stopBroadcast', args: { session: s.handle } });
    res.json(sessionJson(vc(), mustSession(sim, sessionId, 404), false));
  });

  router.use((req, _res, next) => {
    next(new OvsimError('NOT_FOUND', `OpenVidu has no ${req.method} ${req.originalUrl}`));
  });

  function nodeJson(req: Request, id: string): Record<string, unknown> {
    const n = mustNode(sim, id);
    return mediaNodeJson(vc(), n, sim.view.describeSessions(), nodeQuery(req));
  }

  function nodeSummary(req: Request, n: ReturnType<typeof mustNode>): Record<string, unknown> {
    return mediaNodeJson(vc(), n, sim.view.describeSessions(), nodeQuery(req));
  }

  return router;
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** The live session, or OpenVidu's status for "no such session" on this endpoint (404, some endpoints 400). */
function mustSession(sim: LiveSimulation, sessionId: string, status: 400 | 404): SessionDetail {
  const s = sim.view.describeSession(sessionId);
  if (!s) throw new OvsimError(status === 404 ? 'NOT_FOUND' : 'BAD_INPUT', `no session "${sessionId}"`, { status });
  return s;
}

function mustNode(sim: LiveSimulation, id: string) {
  const n = sim.view.snapshot().mediaNodes.find((x) => x.id === id);
  if (!n) throw new OvsimError('NOT_FOUND', `no media node "${id}"`);
  return n;
}

function nodeHandle(sim: LiveSimulation, id: string, field: string, status: number): string {
  const n = sim.view.snapshot().mediaNodes.find((x) => x.id === id);
  if (!n) throw new OvsimError('BAD_INPUT', `${field}: no media node "${id}"`, { status });
  return n.handle;
}

function nodeQuery(req: Request) {
  return { withSessions: req.query['sessions'] === 'true', withRecordings: req.query['recordings'] === 'true' };
}

function liveRecording(sim: LiveSimulation, id: string) {
  return sim.view.describeRecordings().find((r) => r.id === id);
}

function recordingOrThrow(vc: ViewContext, sim: LiveSimulation, world: RestWorld, id: string): Record<string, unknown> {
  const live = liveRecording(sim, id);
  const stored = world.recordings.get(id);
  if ((!live && !stored) || world.deletedRecordings.has(id)) throw new OvsimError('NOT_FOUND', `no recording "${id}"`);
  return recordingJson(vc, live, stored);
}

/** The Connection object of `connectionId` in `s`: active, else pending; 404 otherwise. */
function connectionJson(world: RestWorld, s: SessionDetail, connectionId: string): Record<string, unknown> {
  const active: ConnectionDetail | undefined = s.connections.find((c) => c.connectionId === connectionId);
  const rest = world.connections.get(connectionId);
  if (active) return activeConnectionJson(s, active, rest);
  if (rest && rest.sessionHandle === s.handle && rest.status === 'pending') return pendingConnectionJson(rest);
  throw new OvsimError('NOT_FOUND', `no connection "${connectionId}" in session "${s.sessionId}"`);
}

function headerPolicy(req: Request, base: ClientPolicy): ClientPolicy | undefined {
  const h = req.headers[CLIENT_POLICY_HEADER];
  if (h === undefined) return undefined;
  return parseClientPolicy(Array.isArray(h) ? h.join(',') : h, `header ${CLIENT_POLICY_HEADER}`, base);
}

function tokenBase(o: OpenviduRouterOptions, req: Request): string {
  return o.publicUrl ?? `wss://${req.headers.host ?? 'localhost:4443'}`;
}

interface ConnectionInput {
  data: string;
  record: boolean;
  role: Role;
  kurentoOptions: Body | null;
  customIceServers: unknown[];
}

function readConnectionInput(b: Body): ConnectionInput {
  const ice = b['customIceServers'];
  if (ice !== undefined && ice !== null && !Array.isArray(ice)) throw bad('customIceServers: an array is required');
  return {
    data: optString(b, 'data') ?? '',
    record: optBoolean(b, 'record') ?? true,
    role: optEnum(b, 'role', ROLES) ?? 'PUBLISHER',
    kurentoOptions: optObject(b, 'kurentoOptions') ?? null,
    customIceServers: Array.isArray(ice) ? ice : [],
  };
}

/** A WEBRTC connection waiting for its client, with a fresh `con_` id and token; its client's moves are queued. */
function createPending(
  sim: LiveSimulation,
  world: RestWorld,
  s: SessionDetail,
  b: Body,
  base: string,
  policy: ClientPolicy | undefined,
): RestConnection {
  const input = readConnectionInput(b);
  const rng = world.idRng;
  let connectionId = '';
  for (let i = 0; i < 100; i++) {
    connectionId = `con_${rng.upper()}${rng.alphanumeric(9)}`;
    if (!world.connections.has(connectionId) && !s.connections.some((c) => c.connectionId === connectionId)) break;
  }
  const token = `${base}?sessionId=${encodeURIComponent(s.sessionId)}&token=tok_${rng.upper()}${rng.alphanumeric(15)}`;
  const c: RestConnection = {
    connectionId,
    sessionId: s.sessionId,
    sessionHandle: s.handle,
    handle: world.freeHandle(connectionId),
    type: 'WEBRTC',
    createdAt: sim.virtualNow(),
    token,
    serverData: input.data,
    record: input.record,
    role: input.role,
    kurentoOptions: input.kurentoOptions,
    customIceServers: input.customIceServers,
    status: 'pending',
    activeAt: undefined,
    policy: policy ?? world.policyFor(s.sessionId),
  };
  world.connections.set(connectionId, c);
  planClient(sim, world, c);
  return c;
}

/** An IP camera joins (and publishes) at once. */
function createIpcam(sim: LiveSimulation, world: RestWorld, s: SessionDetail, b: Body) {
  const input = readConnectionInput(b);
  const rtspUri = optString(b, 'rtspUri');
  if (rtspUri === undefined || rtspUri === '') throw bad('rtspUri: required for type IPCAM');
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/.test(rtspUri)) throw bad(`rtspUri: "${rtspUri}" is not a valid URI`);
  const adaptativeBitrate = optBoolean(b, 'adaptativeBitrate');
  const onlyPlayWithSubscribers = optBoolean(b, 'onlyPlayWithSubscribers');
  const networkCache = optNumber(b, 'networkCache');
  if (networkCache !== undefined && (!Number.isInteger(networkCache) || networkCache < 0)) {
    throw bad('networkCache: a non-negative integer (ms) is required');
  }
  const handle = world.freeHandle('ipcam');
  const args: Record<string, unknown> = { session: s.handle, participant: handle, type: 'IPCAM', rtspUri, serverData: input.data };
  if (adaptativeBitrate !== undefined) args['adaptativeBitrate'] = adaptativeBitrate;
  if (onlyPlayWithSubscribers !== undefined) args['onlyPlayWithSubscribers'] = onlyPlayWithSubscribers;
  if (networkCache !== undefined) args['networkCache'] = networkCache;
  sim.execute({ type: 'join', args } as Action);
  const detail = mustSession(sim, s.sessionId, 404).connections.find((c) => c.handle === handle);
  if (!detail) throw new OvsimError('INTERNAL', 'the IP camera did not join');
  const connectionId = detail.connectionId;
  const rest: RestConnection = {
    connectionId,
    sessionId: s.sessionId,
    sessionHandle: s.handle,
    handle,
    type: 'IPCAM',
    createdAt: detail.joinedAt,
    token: null,
    serverData: input.data,
    record: input.record,
    role: 'PUBLISHER',
    kurentoOptions: null,
    customIceServers: [],
    status: 'active',
    activeAt: detail.joinedAt,
    policy: world.policy,
  };
  world.connections.set(connectionId, rest);
  return { detail, rest };
}
