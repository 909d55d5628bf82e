/**
 * `ovsim serve`'s HTTP server: the page at `/`, the control API at `/api/`, the WebSocket feed at `/api/feed`, all
 * behind OpenVidu's Basic auth, around one LiveSimulation. Further APIs (the OpenVidu REST API of issue 7 under
 * `/openvidu/api/`) plug in through `mounts` and share the simulation, the auth and the error handler.
 */
import http from 'node:http';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import express, { type Router } from 'express';
import { OvsimError } from '../errors.js';
import { Authenticator, DEFAULT_SECRET, checkExposure } from './auth.js';
import { createControlApi } from './control-api.js';
import { createErrorHandler } from './error-handler.js';
import { Feed } from './feed.js';
import { listenOn } from './listen.js';
import { LiveSimulation } from './live-simulation.js';
import { logRequests, type ServerLog } from './request-log.js';
import type { OvsimServer, ServerAddress, ServerOptions as PublicServerOptions } from './server-options.js';
import { WebhookPanel } from './webhook-panel.js';

export type { OvsimServer, ServerAddress };

/** The page's static files: `src/server/public/` at the package root, the same from `src/` (tsx) and `dist/`. */
export const PUBLIC_DIR = join(PACKAGE_ROOT, 'src', 'server', 'public');
export const DEFAULT_HOST = '127.0.0.1';
/** Default port: OpenVidu's 4443 plus 1000, so both can run side by side. */
export const DEFAULT_PORT = 5443;
/** Default limit of request bodies, bytes (256 kB). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** What a mounted router receives. */
export interface ServerContext {
  readonly simulation: LiveSimulation;
  readonly auth: Authenticator;
  readonly webhook: WebhookPanel;
  readonly bodyLimitBytes: number;
}

/** An extra API mounted at `path` (behind the auth, before the page, errors through the one error handler). */
export interface ServerMount {
  readonly path: string;
  readonly router: (ctx: ServerContext) => Router;
}

/**
 * What `createServer` takes here: the public options (`server-options.ts`) plus `mounts`, an extension point that
 * exposes Express types and so stays out of the library's published API.
 */
export interface ServerOptions extends Omit<PublicServerOptions, 'openviduApi'> {
  readonly mounts?: readonly ServerMount[] | undefined;
  /** Receives each request with the events it caused, and every other cascade (`serve --log`); default none. */
  readonly log?: ServerLog | undefined;
}

/** Builds the server (not listening yet). @throws OvsimError BAD_INPUT for the default secret on an exposed host */
export function createServer(options: ServerOptions = {}): OvsimServer {
  const host = options.host ?? DEFAULT_HOST;
  const secret = options.secret ?? DEFAULT_SECRET;
  checkExposure(host, secret);
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new OvsimError('BAD_INPUT', `--port ${port} must be an integer from 0 to 65535`);
  }
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const simulation = new LiveSimulation(options, options.scenario);
  const auth = new Authenticator(secret);
  const webhook = options.webhook ?? new WebhookPanel(undefined);
  const ctx: ServerContext = { simulation, auth, webhook, bodyLimitBytes };

  const app = express();
  const logging = options.log ? logRequests(simulation, options.log) : undefined;
  if (logging) app.use(logging.middleware);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(auth.middleware);
  app.use(
    '/api',
    createControlApi({ simulation, auth, webhook, bodyLimitBytes, scenariosDir: options.scenariosDir }),
  );
  for (const m of options.mounts ?? []) app.use(m.path, m.router(ctx));
  app.use('/api', (req, _res, next) => {
    next(
      new OvsimError(
        'NOT_FOUND',
        `no endpoint ${req.method} ${req.originalUrl} (see the README's control API)`,
      ),
    );
  });
  app.use(express.static(PUBLIC_DIR, { index: 'index.html', fallthrough: true }));
  app.use((req, _res, next) =>
    next(new OvsimError('NOT_FOUND', `nothing at ${req.method} ${req.originalUrl}`)),
  );
  app.use(createErrorHandler(options.logError));

  const server = http.createServer(app);
  const feed = new Feed(simulation, auth, options.feedMaxBufferedBytes);
  feed.attach(server);
  const unsubscribeWebhook = webhook.onDelivery((d) => feed.broadcast({ type: 'webhook', delivery: d }));
  let bound: ServerAddress | undefined;

  return {
    simulation,
    feed,
    webhook,
    get address() {
      return bound;
    },
    async listen() {
      const a = await listenOn(server, port, host);
      const shownHost = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      bound = { host: a.address, port: a.port, url: `http://${shownHost}:${a.port}` };
      return bound;
    },
    async close() {
      unsubscribeWebhook();
      logging?.detach();
      simulation.close();
      feed.close();
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
