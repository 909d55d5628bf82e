/**
 * The control API's part about simulated clients, mounted under `/api/`:
 *
 * - `GET /api/client-policy` — the server's policy and the sessions' own.
 * - `PUT /api/client-policy` — the server's policy for new connections (`"manual"`, `"auto"` or a policy object).
 * - `PUT|DELETE /api/client-policy/sessions/{sessionId}` — a live session's own policy.
 * - `GET /api/clients` — the connections created through the OpenVidu REST API and their status.
 * - `POST /api/clients/{connectionId}/{join|publish|unpublish|leave}` — what a `manual` client does, now.
 */
import express, { type Request, type Router } from 'express';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../model/commands.js';
import type { LiveSimulation } from '../live-simulation.js';
import { DEFAULT_CLIENT_POLICY, describeClientPolicy, parseClientPolicy } from './client-policy.js';
import { optBoolean, optEnum, optNumber, optString, type Body } from './rest-body.js';
import type { RestConnection, RestWorld } from './rest-world.js';
import { joinAction, publishAction, restConnection, sessionOf } from './simulated-client.js';

const MOVES = ['join', 'publish', 'unpublish', 'leave'] as const;

export function createClientsRouter(sim: LiveSimulation, world: RestWorld, bodyLimitBytes: number): Router {
  const router = express.Router();
  router.use(express.json({ limit: bodyLimitBytes, strict: false }));
  addPolicyRoutes(router, sim, world);
  router.get('/clients', (_req, res) => {
    res.json({
      clients: [...world.connections.values()].map((c) => ({
        connectionId: c.connectionId,
        sessionId: c.sessionId,
        type: c.type,
        status: c.status,
        role: c.role,
        createdAt: c.createdAt,
        activeAt: c.activeAt ?? null,
        mode: c.policy.mode,
      })),
    });
  });

  router.post('/clients/:connectionId/:move', (req, res) => {
    const move = String(req.params['move']);
    if (!(MOVES as readonly string[]).includes(move)) {
      throw new OvsimError('NOT_FOUND', `move: "${move}" is not one of ${MOVES.join(', ')}`);
    }
    const c = restConnection(world, String(req.params['connectionId']));
    const action = moveAction(sim, c, move as (typeof MOVES)[number], body(req));
    const batch = sim.execute(action);
    res.json({
      batch,
      client: {
        connectionId: c.connectionId,
        status: world.connections.get(c.connectionId)?.status ?? 'gone',
      },
    });
  });

  return router;
}

/** The server's client policy and the sessions' own. */
function addPolicyRoutes(router: Router, sim: LiveSimulation, world: RestWorld): void {
  router.get('/client-policy', (_req, res) => {
    const sessions: Record<string, unknown> = {};
    for (const [id, p] of world.sessionProps) if (p.policy) sessions[id] = describeClientPolicy(p.policy);
    res.json({ server: describeClientPolicy(world.policy), sessions });
  });

  router.put('/client-policy', (req, res) => {
    world.policy = parseClientPolicy(req.body, 'body', DEFAULT_CLIENT_POLICY);
    res.json({ server: describeClientPolicy(world.policy) });
  });

  router.put('/client-policy/sessions/:sessionId', (req, res) => {
    const id = String(req.params['sessionId']);
    if (!sim.view.describeSession(id))
      throw new OvsimError('NOT_FOUND', `sessionId: no live session "${id}"`);
    const policy = parseClientPolicy(req.body, 'body', world.policy);
    const props = world.sessionProps.get(id);
    if (props) props.policy = policy;
    else {
      world.sessionProps.set(id, {
        mediaMode: 'ROUTED',
        customSessionId: undefined,
        forcedVideoCodec: 'MEDIA_SERVER_PREFERRED',
        allowTranscoding: false,
        mediaNode: undefined,
        shmSize: undefined,
        ignoreFailedStreams: undefined,
        policy,
      });
    }
    res.json({ sessionId: id, policy: describeClientPolicy(policy) });
  });

  router.delete('/client-policy/sessions/:sessionId', (req, res) => {
    const props = world.sessionProps.get(String(req.params['sessionId']));
    if (props) props.policy = undefined;
    res.status(204).end();
  });
}

/** What a `manual` client's move does, refused when its connection is not in the state the move needs. */
function moveAction(sim: LiveSimulation, c: RestConnection, move: (typeof MOVES)[number], b: Body): Action {
  if (move === 'join') {
    if (c.status !== 'pending')
      throw new OvsimError(
        'REFUSED',
        `connection "${c.connectionId}" is already ${c.status}: its token was used`,
      );
    if (!sessionOf(sim, c))
      throw new OvsimError('NOT_FOUND', `the session of connection "${c.connectionId}" is closed`);
    return joinAction(c, {
      clientData: optString(b, 'clientData'),
      platform: optString(b, 'platform'),
      location: optString(b, 'location'),
      ip: optString(b, 'ip'),
    });
  }
  if (c.status !== 'active')
    throw new OvsimError('REFUSED', `connection "${c.connectionId}" has not joined yet (POST …/join first)`);
  if (move === 'publish') {
    return publishAction(c, {
      videoSource: optEnum(b, 'videoSource', ['CAMERA', 'SCREEN', 'CUSTOM'] as const),
      audio: optBoolean(b, 'audio'),
      video: optBoolean(b, 'video'),
      frameRate: optNumber(b, 'frameRate'),
      dimensions: optString(b, 'dimensions'),
    });
  }
  if (move === 'unpublish') return { type: 'unpublish', args: { participant: c.handle } };
  const reason = optEnum(b, 'reason', ['disconnect', 'networkDisconnect'] as const) ?? 'disconnect';
  return { type: 'leave', args: { participant: c.handle, reason } };
}

function body(req: Request): Body {
  const b: unknown = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b))
    throw new OvsimError('BAD_INPUT', 'body: a JSON object is required');
  return b as Body;
}
