/**
 * OpenVidu 2.x's REST API under `/openvidu/api/`: sessions, connections, streams, recordings, signals, the
 * configuration and, in Pro and Enterprise, media nodes, broadcasts and health — backed by the live simulation, so
 * every call that changes the world is an engine action and its CDR/WebHook events are exactly OpenVidu's. Bodies,
 * statuses and error shapes are OpenVidu 2.32.1's (see json-views.ts and openvidu-errors.ts); its clock is the
 * simulation's virtual clock, the clock of the CDR/WebHook timestamps.
 */
import express, { type Router } from 'express';
import { openviduErrorHandler, springError } from './openvidu-errors.js';
import { addProRoutes } from './pro-routes.js';
import { addRecordingRoutes } from './recording-routes.js';
import { RouteContext, type OpenviduRouterOptions } from './route-context.js';
import { addSessionRoutes } from './session-routes.js';

export { CLIENT_POLICY_HEADER, type OpenviduRouterOptions } from './route-context.js';

export function createOpenviduRouter(o: OpenviduRouterOptions): Router {
  const ctx = new RouteContext(o);
  const router = express.Router();
  router.use(express.json({ limit: o.bodyLimitBytes, strict: false }));
  addSessionRoutes(router, ctx);
  addRecordingRoutes(router, ctx);
  addProRoutes(router, ctx);
  router.use((req, _res, next) => {
    next(springError(404, `OpenVidu has no ${req.method} ${req.originalUrl}`));
  });
  router.use(openviduErrorHandler(() => ctx.now()));
  return router;
}
