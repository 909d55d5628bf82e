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
  const { sim, world } = ctx;
  const pro = (req: Request) => {
    if (sim.currentProfile.edition === 'ce')
      throw springError(404, `no ${req.method} ${req.originalUrl} in OpenVidu CE`);
  };
  const nodeQuery = (req: Request) => ({
    withSessions: req.query['sessions'] === 'true',
    withRecordings: req.query['recordings'] === 'true',
  });
  const nodeJson = (req: Request, id: string) =>
    mediaNodeJson(ctx.view(req), ctx.mustNode(id), sim.view.describeSessions(), nodeQuery(req));
  const summary = (req: Request, n: ReturnType<RouteContext['mustNode']>) =>
    mediaNodeJson(ctx.view(req), n, sim.view.describeSessions(), nodeQuery(req));
  const liveSession = (id: string) => ctx.session(id, () => emptyAnswer(404, `no session "${id}"`));

  router.get('/health', (req, res) => {
    pro(req);
    const up = sim.view.snapshot().mediaNodes.some((n) => n.status === 'running' && !n.crashed);
    sendJavaJson(res, up ? 200 : 503, { status: up ? 'UP' : 'DOWN' });
  });

  router.get('/media-nodes', (req, res) => {
    pro(req);
    const vc = ctx.view(req);
    const sessions = sim.view.describeSessions();
    const content = sim.view.snapshot().mediaNodes.map((n) => mediaNodeJson(vc, n, sessions, nodeQuery(req)));
    sendJavaJson(res, 200, { numberOfElements: content.length, content });
  });

  router.get('/media-nodes/:nodeId', (req, res) => {
    pro(req);
    sendJavaJson(res, 200, nodeJson(req, param(req, 'nodeId')));
  });

  router.post('/media-nodes', async (req, res) => {
    pro(req);
    objectBody(req);
    const handle = world.freeHandle('node');
    ctx.exec({ type: 'launchMediaNode', args: { node: handle } });
    const id = sim.view.snapshot().mediaNodes.find((n) => n.handle === handle)?.id ?? '';
    if (req.query['wait'] === 'true') {
      const launched = () => sim.view.snapshot().mediaNodes.find((n) => n.id === id)?.status !== 'launching';
      await waitFor(sim, launched, ctx.o.maxWaitMs);
    }
    sendJavaJson(res, 200, nodeJson(req, id));
  });

  router.patch('/media-nodes/:nodeId', (req, res) => {
    pro(req);
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
    sendJavaJson(res, 200, after ? nodeJson(req, id) : { ...summary(req, node), status: 'terminated' });
  });

  router.delete('/media-nodes/:nodeId', (req, res) => {
    pro(req);
    const id = param(req, 'nodeId');
    const node = ctx.mustNode(id);
    const q = req.query['deletion-strategy'];
    const strategy = q === undefined ? 'if-no-sessions' : String(q);
    if (strategy !== 'now' && strategy !== 'if-no-sessions' && strategy !== 'when-no-sessions') {
      throw bad(`deletion-strategy: "${strategy}" is not one of now, if-no-sessions, when-no-sessions`);
    }
    const before = summary(req, node);
    ctx.exec({ type: 'removeMediaNode', args: { node: node.handle, strategy } });
    const after = sim.view.snapshot().mediaNodes.find((n) => n.id === id);
    if (after?.status === 'waiting-idle-to-terminate') {
      sendJavaJson(res, 202, nodeJson(req, id));
      return;
    }
    if (req.query['wait'] === 'true') {
      res.status(204).end();
      return;
    }
    sendJavaJson(res, 200, after ? nodeJson(req, id) : { ...before, status: 'terminated' });
  });

  router.post('/broadcast/start', (req, res) => {
    pro(req);
    const b = objectBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const url = optString(b, 'broadcastUrl');
    if (url === undefined) throw bad('broadcastUrl: the RTMP address is required');
    const s = liveSession(sessionId);
    ctx.exec({ type: 'startBroadcast', args: { session: s.handle, broadcastUrl: url } });
    sendJavaJson(res, 200, sessionJson(ctx.view(req), liveSession(sessionId), false));
  });

  router.post('/broadcast/stop', (req, res) => {
    pro(req);
    const sessionId = optString(objectBody(req), 'session');
    if (sessionId === undefined) throw bad('session: the session id is required');
    const s = liveSession(sessionId);
    ctx.exec({ type: 'stopBroadcast', args: { session: s.handle } });
    sendJavaJson(res, 200, sessionJson(ctx.view(req), liveSession(sessionId), false));
  });
}
