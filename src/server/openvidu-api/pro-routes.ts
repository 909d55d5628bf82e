/**
 * The Pro and Enterprise part of the fake OpenVidu REST API: media nodes, broadcasts and health. Their Java is not
 * open source; statuses and fields follow OpenVidu's REST documentation. In CE these paths do not exist (Spring's
 * 404).
 */
import type { Request, Router } from 'express';
import { OvsimError } from '../../errors.js';
import { httpStatusOf } from '../refusal-status.js';
import { sendJavaJson } from './java-json.js';
import { mediaNodeJson, sessionJson } from './json-views.js';
import { emptyAnswer, springError } from './openvidu-errors.js';
import { bad, objectBody, optEnum, optString } from './rest-body.js';
import { param, type RouteContext } from './route-context.js';
import { waitFor } from './wait-for.js';

const NODE_STATUSES = [
  'canceled',
  'launching',
  'waiting-idle-to-terminate',
  'running',
  'terminating',
] as const;

export function addProRoutes(router: Router, ctx: RouteContext): void {
  const { sim } = ctx;
  router.get('/health', (req, res) => {
    proOnly(ctx, req);
    const up = sim.view.snapshot().mediaNodes.some((n) => n.status === 'running' && !n.crashed);
    sendJavaJson(res, up ? 200 : 503, { status: up ? 'UP' : 'DOWN' });
  });

  router.get('/media-nodes', (req, res) => {
    proOnly(ctx, req);
    const vc = ctx.view(req);
    const sessions = sim.view.describeSessions();
    const content = sim.view.snapshot().mediaNodes.map((n) => mediaNodeJson(vc, n, sessions, nodeQuery(req)));
    sendJavaJson(res, 200, { numberOfElements: content.length, content });
  });

  router.get('/media-nodes/:nodeId', (req, res) => {
    proOnly(ctx, req);
    sendJavaJson(res, 200, nodeJson(ctx, req, param(req, 'nodeId')));
  });

  addNodeLaunchRoute(router, ctx);
  addNodeStatusRoute(router, ctx);
  addNodeDeleteRoute(router, ctx);
  addBroadcastRoutes(router, ctx);
}

/** In CE these paths do not exist: Spring's 404. */
function proOnly(ctx: RouteContext, req: Request): void {
  if (ctx.sim.currentProfile.edition === 'ce')
    throw springError(404, `no ${req.method} ${req.originalUrl} in OpenVidu CE`);
}

function nodeQuery(req: Request): { withSessions: boolean; withRecordings: boolean } {
  return {
    withSessions: req.query['sessions'] === 'true',
    withRecordings: req.query['recordings'] === 'true',
  };
}

type LiveNode = ReturnType<RouteContext['mustNode']>;

function nodeSummary(ctx: RouteContext, req: Request, n: LiveNode): Record<string, unknown> {
  return mediaNodeJson(ctx.view(req), n, ctx.sim.view.describeSessions(), nodeQuery(req));
}

function nodeJson(ctx: RouteContext, req: Request, id: string): Record<string, unknown> {
  return nodeSummary(ctx, req, ctx.mustNode(id));
}

function liveSession(ctx: RouteContext, id: string): ReturnType<RouteContext['session']> {
  return ctx.session(id, () => emptyAnswer(404, `no session "${id}"`));
}

/** `POST /media-nodes`: launches one (and with `?wait=true` answers once it is no longer launching). */
function addNodeLaunchRoute(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;
  router.post('/media-nodes', async (req, res) => {
    proOnly(ctx, req);
    objectBody(req);
    const handle = world.freeHandle('node');
    ctx.exec({ type: 'launchMediaNode', args: { node: handle } });
    const id = sim.view.snapshot().mediaNodes.find((n) => n.handle === handle)?.id ?? '';
    if (req.query['wait'] === 'true') {
      const launched = () => sim.view.snapshot().mediaNodes.find((n) => n.id === id)?.status !== 'launching';
      await waitFor(sim, launched, ctx.o.maxWaitMs);
    }
    sendJavaJson(res, 200, nodeJson(ctx, req, id));
  });
}

/** `PATCH /media-nodes/<id>`: a status change the node's diagram allows. */
function addNodeStatusRoute(router: Router, ctx: RouteContext): void {
  const { sim } = ctx;
  router.patch('/media-nodes/:nodeId', (req, res) => {
    proOnly(ctx, req);
    const id = param(req, 'nodeId');
    const node = ctx.mustNode(id);
    const status = optEnum(objectBody(req), 'status', NODE_STATUSES);
    if (status === undefined) throw bad('status: the new status is required');
    if (status === node.status) {
      res.status(204).end();
      return;
    }
    try {
      ctx.exec({ type: 'setMediaNodeStatus', args: { node: node.handle, status } });
    } catch (e) {
      // OpenVidu answers 400 for a transition its status diagram does not allow.
      if (e instanceof OvsimError && httpStatusOf(e) === 409) throw bad(e.message);
      throw e;
    }
    const after = sim.view.snapshot().mediaNodes.find((n) => n.id === id);
    sendJavaJson(
      res,
      200,
      after ? nodeJson(ctx, req, id) : { ...nodeSummary(ctx, req, node), status: 'terminated' },
    );
  });
}

/** `DELETE /media-nodes/<id>` with a deletion strategy. */
function addNodeDeleteRoute(router: Router, ctx: RouteContext): void {
  const { sim } = ctx;
  router.delete('/media-nodes/:nodeId', (req, res) => {
    proOnly(ctx, req);
    const id = param(req, 'nodeId');
    const node = ctx.mustNode(id);
    const q = req.query['deletion-strategy'];
    const strategy = q === undefined ? 'if-no-sessions' : String(q);
    if (strategy !== 'now' && strategy !== 'if-no-sessions' && strategy !== 'when-no-sessions') {
      throw bad(`deletion-strategy: "${strategy}" is not one of now, if-no-sessions, when-no-sessions`);
    }
    const before = nodeSummary(ctx, req, node);
    ctx.exec({ type: 'removeMediaNode', args: { node: node.handle, strategy } });
    const after = sim.view.snapshot().mediaNodes.find((n) => n.id === id);
    if (after?.status === 'waiting-idle-to-terminate') {
      sendJavaJson(res, 202, nodeJson(ctx, req, id));
      return;
    }
    if (req.query['wait'] === 'true') {
      res.status(204).end();
      return;
    }
    sendJavaJson(res, 200, after ? nodeJson(ctx, req, id) : { ...before, status: 'terminated' });
  });
}

function addBroadcastRoutes(router: Router, ctx: RouteContext): void {
  router.post('/broadcast/start', (req, res) => {
    proOnly(ctx, req);
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const url = optString(b, 'broadcastUrl');
    if (url === undefined) throw bad('broadcastUrl: the RTMP address is required');
    const s = liveSession(ctx, sessionId);
    ctx.exec({ type: 'startBroadcast', args: { session: s.handle, broadcastUrl: url } });
    sendJavaJson(res, 200, sessionJson(ctx.view(req), liveSession(ctx, sessionId), false));
  });

  router.post('/broadcast/stop', (req, res) => {
    proOnly(ctx, req);
    const sessionId = optString(objectBody(req), 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const s = liveSession(ctx, sessionId);
    ctx.exec({ type: 'stopBroadcast', args: { session: s.handle } });
    sendJavaJson(res, 200, sessionJson(ctx.view(req), liveSession(ctx, sessionId), false));
  });
}
