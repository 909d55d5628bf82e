/**
 * Sessions, connections and streams of the fake OpenVidu REST API, answering as OpenVidu 2.32.1's
 * SessionRestController does (statuses, and which refusals have an empty body and which a JSON one).
 */
import type { Router } from 'express';
import { OvsimError } from '../../errors.js';
import { httpStatusOf } from '../refusal-status.js';
import type { Action } from '../../model/commands.js';
import { createIpcam, createPending, ROLES } from './connection-factory.js';
import { sendJavaJson } from './java-json.js';
import { activeConnectionJson, connectionsOf, pendingConnectionJson, sessionJson } from './json-views.js';
import { emptyAnswer, javaError, springError } from './openvidu-errors.js';
import {
  bad,
  objectBody,
  optBoolean,
  optEnum,
  optMediaNodeId,
  optObject,
  optString,
  readRecordingProps,
} from './rest-body.js';
import { sessionModeRefusal } from './output-mode-before-215.js';
import { flag, headerPolicy, param, type RouteContext } from './route-context.js';

const CODECS = ['MEDIA_SERVER_PREFERRED', 'NONE', 'VP8', 'VP9', 'H264'] as const;
const SESSION_ID = /^[a-zA-Z0-9_-]+$/;

export function addSessionRoutes(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;
  const notFound = (id: string) => () => emptyAnswer(404, `no session "${id}"`);

  router.post('/sessions', (req, res) => {
    res.locals['javaPath'] = '/sessions';
    const b = objectBody(req);
    const tooNew = sessionModeRefusal(b, sim.currentProfile.minor);
    if (tooNew !== undefined) throw tooNew;
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
      throw emptyAnswer(409, `customSessionId: a session "${customSessionId}" already exists`);
    }
    const args: Record<string, unknown> = { session: world.freeHandle(customSessionId ?? 'session') };
    if (customSessionId !== undefined) args['customSessionId'] = customSessionId;
    if (recordingMode !== undefined) args['recordingMode'] = recordingMode;
    if (rec && Object.keys(rec.props).length > 0) args['defaultRecording'] = rec.props;
    const pro = sim.currentProfile.edition !== 'ce';
    if (nodeId !== undefined && pro) args['mediaNode'] = ctx.nodeHandle(nodeId, 'mediaNode.id', 400);
    ctx.exec({ type: 'createSession', args } as Action);
    const sessionId = sim.view.describeSessions().find((x) => x.handle === args['session'])?.sessionId ?? '';
    world.sessionProps.set(sessionId, {
      mediaMode,
      customSessionId,
      forcedVideoCodec,
      allowTranscoding,
      mediaNode: pro ? nodeId : undefined,
      shmSize: rec?.shmSize,
      ignoreFailedStreams: rec?.ignoreFailedStreams,
      policy,
    });
    sendJavaJson(res, 200, sessionJson(ctx.view(req), ctx.session(sessionId, notFound(sessionId)), false));
  });

  router.get('/sessions', (req, res) => {
    const vc = ctx.view(req);
    const pending = flag(req, 'pendingConnections', false);
    const stats = flag(req, 'webRtcStats', false);
    const content = sim.view.describeSessions().map((s) => sessionJson(vc, s, pending, stats));
    sendJavaJson(res, 200, { numberOfElements: content.length, content });
  });

  router.get('/sessions/:sessionId', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, notFound(id));
    const json = sessionJson(
      ctx.view(req),
      s,
      flag(req, 'pendingConnections', false),
      flag(req, 'webRtcStats', false),
    );
    sendJavaJson(res, 200, json);
  });

  router.delete('/sessions/:sessionId', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, notFound(id));
    ctx.exec({ type: 'closeSession', args: { session: s.handle } });
    res.status(204).end();
  });

  addConnectionRoutes(router, ctx);
}

/** Connections and streams of a session. */
function addConnectionRoutes(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;
  const notFound = (id: string) => () => emptyAnswer(404, `no session "${id}"`);
  const badRequest = (id: string) => () => emptyAnswer(400, `no session "${id}"`);

  router.post('/sessions/:sessionId/connection', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, notFound(id));
    const b = objectBody(req);
    const type = optEnum(b, 'type', ['WEBRTC', 'IPCAM'] as const) ?? 'WEBRTC';
    if (type === 'IPCAM') {
      const c = createIpcam(sim, world, s, b);
      const after = ctx.session(id, notFound(id));
      sendJavaJson(res, 200, activeConnectionJson(ctx.view(req), after, c.detail, c.rest));
      return;
    }
    const c = createPending(
      sim,
      world,
      s,
      b,
      ctx.tokenBase(req),
      headerPolicy(req, world.policyFor(s.sessionId)),
    );
    sendJavaJson(res, 200, pendingConnectionJson(c));
  });

  router.get('/sessions/:sessionId/connection', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, notFound(id));
    // listConnections: pendingConnections defaults to true here.
    const content = connectionsOf(
      ctx.view(req),
      s,
      flag(req, 'pendingConnections', true),
      flag(req, 'webRtcStats', false),
    );
    sendJavaJson(res, 200, { numberOfElements: content.length, content });
  });

  router.get('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    const id = param(req, 'sessionId');
    sendJavaJson(res, 200, ctx.connection(req, ctx.session(id, badRequest(id)), param(req, 'connectionId')));
  });

  addConnectionUpdateRoute(router, ctx);
  addDisconnectRoutes(router, ctx);
}

/** `PATCH …/connection/<id>`: a Pro connection's role and recording flag. */
function addConnectionUpdateRoute(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;
  const notFound = (id: string) => () => emptyAnswer(404, `no session "${id}"`);
  router.patch('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    // Updating a connection is OpenVidu Pro's: CE has no PATCH handler on this path.
    if (sim.currentProfile.edition === 'ce') {
      res.setHeader('Allow', 'GET, DELETE');
      throw springError(405, 'PATCH …/connection/{connectionId} is an OpenVidu Pro API');
    }
    const id = param(req, 'sessionId');
    const s = ctx.session(id, notFound(id));
    const connectionId = param(req, 'connectionId');
    const b = objectBody(req);
    const role = optEnum(b, 'role', ROLES);
    const record = optBoolean(b, 'record');
    ctx.connection(req, s, connectionId); // 404 first
    const rest = world.connections.get(connectionId);
    if (rest && rest.sessionHandle === s.handle) {
      if (role !== undefined) rest.role = role;
      if (record !== undefined) rest.record = record;
    }
    sendJavaJson(res, 200, ctx.connection(req, s, connectionId));
  });
}

/** Forced disconnection of a connection (or the invalidation of a pending one) and forced unpublishing. */
function addDisconnectRoutes(router: Router, ctx: RouteContext): void {
  const { world } = ctx;
  const badRequest = (id: string) => () => emptyAnswer(400, `no session "${id}"`);
  router.delete('/sessions/:sessionId/connection/:connectionId', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, badRequest(id));
    const connectionId = param(req, 'connectionId');
    const active = s.connections.find((c) => c.connectionId === connectionId);
    if (active) {
      ctx.exec({ type: 'forceDisconnect', args: { participant: active.handle, by: 'server' } });
    } else {
      const pending = world.connections.get(connectionId);
      if (!pending || pending.sessionHandle !== s.handle || pending.status !== 'pending') {
        throw emptyAnswer(404, `connection "${connectionId}" is not in session "${s.sessionId}"`);
      }
      // A pending connection is only invalidated: its token stops working, nothing is logged.
      world.connections.delete(connectionId);
    }
    res.status(204).end();
  });

  router.delete('/sessions/:sessionId/stream/:streamId', (req, res) => {
    const id = param(req, 'sessionId');
    const s = ctx.session(id, badRequest(id));
    if (!ctx.isActive(s)) throw emptyAnswer(404, `session "${id}" has no connected participant`);
    const streamId = param(req, 'streamId');
    const owner = s.connections.find((c) => c.stream?.streamId === streamId);
    if (!owner) throw emptyAnswer(404, `stream "${streamId}" is not published in session "${s.sessionId}"`);
    if (owner.type === 'IPCAM')
      throw emptyAnswer(405, `stream "${streamId}" is an IP camera's: disconnect the camera`);
    ctx.exec({ type: 'forceUnpublish', args: { participant: owner.handle, by: 'server' } });
    res.status(204).end();
  });
}

/** `POST /sessions/{id}/connection`'s 400 path (Java names the connection path in its body). */
export function connectionPath(sessionId: string): string {
  return `/sessions/${sessionId}/connection`;
}

/** Rethrows a property error of `readRecordingProps`/`bad` as `generateErrorResponse` at `path`. */
export function asJavaError(e: unknown, path: string): never {
  const status = e instanceof OvsimError ? httpStatusOf(e) : undefined;
  if (status === 400 || status === 422) throw javaError(status, (e as OvsimError).message, path);
  throw e;
}
