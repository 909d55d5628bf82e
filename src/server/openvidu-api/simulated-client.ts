/**
 * The simulated browser behind a REST-created connection: what openvidu-browser would do with the token, as engine
 * actions. An `auto` client's moves are drawn when the connection is created (so the draws do not depend on wall
 * timing) and queued as decisions on the engine's virtual clock; each decision re-checks the world when it falls due
 * (the application may have deleted the connection or closed the session meanwhile) and then does nothing.
 */
import type { SessionDetail } from '../../engine/engine.js';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../model/commands.js';
import type { LiveSimulation } from '../live-simulation.js';
import { drawMs } from './client-policy.js';
import type { RestConnection, RestWorld } from './rest-world.js';

/** Where a simulated client's actions come from (shown as the cause's origin). */
export interface ClientOrigin {
  readonly client: string;
  readonly move: 'join' | 'publish' | 'leave';
}

/** Queues an `auto` client's join, publish and leave on the virtual clock. */
export function planClient(sim: LiveSimulation, world: RestWorld, c: RestConnection): void {
  const p = c.policy;
  if (p.mode !== 'auto' || c.type !== 'WEBRTC') return;
  const rng = world.clientRng;
  const joinAt = c.createdAt + (drawMs(rng, p.join) ?? 0);
  const publishes = typeof p.publish === 'number' ? rng.chance(p.publish) : p.publish;
  const publishAt = joinAt + (drawMs(rng, p.publishAfter) ?? 0);
  const stay = drawMs(rng, p.stay);

  sim.scheduleDecision(
    joinAt,
    () => (isPending(sim, world, c) ? joinAction(c, {}) : undefined),
    origin(c, 'join'),
  );
  if (publishes) {
    sim.scheduleDecision(
      publishAt,
      () => {
        const live = liveConnection(sim, c);
        // The role is read when the move falls due: PATCH may have changed it meanwhile.
        if (!live || live.stream || c.role === 'SUBSCRIBER' || live.role === 'SUBSCRIBER') return undefined;
        return publishAction(c, {});
      },
      origin(c, 'publish'),
    );
  }
  if (stay !== undefined) {
    sim.scheduleDecision(
      joinAt + stay,
      () =>
        liveConnection(sim, c)
          ? { type: 'leave', args: { participant: c.handle, reason: p.leaveReason } }
          : undefined,
      origin(c, 'leave'),
    );
  }
}

/** Overrides accepted by a manual join (`POST /api/clients/{id}/join`). */
export interface JoinOverrides {
  readonly clientData?: string | undefined;
  readonly platform?: string | undefined;
  readonly location?: string | undefined;
  readonly ip?: string | undefined;
}

/** The join openvidu-browser's `Session.connect(token, metadata)` causes. */
export function joinAction(c: RestConnection, o: JoinOverrides): Action {
  const args: Record<string, unknown> = {
    session: c.sessionHandle,
    participant: c.handle,
    customConnectionId: c.connectionId,
    serverData: c.serverData,
    role: c.role,
  };
  const clientData = o.clientData ?? c.policy.clientData;
  const platform = o.platform ?? c.policy.platform;
  if (clientData !== undefined) args['clientData'] = clientData;
  if (platform !== undefined) args['platform'] = platform;
  if (o.location !== undefined) args['location'] = o.location;
  if (o.ip !== undefined) args['ip'] = o.ip;
  return { type: 'join', args } as Action;
}

/** Overrides accepted by a manual publish. */
export interface PublishOverrides {
  readonly videoSource?: 'CAMERA' | 'SCREEN' | 'CUSTOM' | undefined;
  readonly audio?: boolean | undefined;
  readonly video?: boolean | undefined;
  readonly frameRate?: number | undefined;
  readonly dimensions?: string | undefined;
}

export function publishAction(c: RestConnection, o: PublishOverrides): Action {
  const args: Record<string, unknown> = {
    participant: c.handle,
    videoSource: o.videoSource ?? c.policy.videoSource,
    audio: o.audio ?? c.policy.audio,
    video: o.video ?? c.policy.video,
  };
  if (o.frameRate !== undefined) args['frameRate'] = o.frameRate;
  if (o.dimensions !== undefined) args['dimensions'] = o.dimensions;
  return { type: 'publish', args } as Action;
}

/** The connection's session as the engine has it, if it is still the session the connection was made for. */
export function sessionOf(sim: LiveSimulation, c: RestConnection): SessionDetail | undefined {
  const s = sim.view.describeSession(c.sessionId);
  return s && s.handle === c.sessionHandle ? s : undefined;
}

function isPending(sim: LiveSimulation, world: RestWorld, c: RestConnection): boolean {
  return (
    world.connections.get(c.connectionId) === c && c.status === 'pending' && sessionOf(sim, c) !== undefined
  );
}

function liveConnection(sim: LiveSimulation, c: RestConnection) {
  return sessionOf(sim, c)?.connections.find((x) => x.connectionId === c.connectionId);
}

function origin(c: RestConnection, move: ClientOrigin['move']): ClientOrigin {
  return { client: c.connectionId, move };
}

/** A REST-created connection by id, or 404 naming where to find the ids. */
export function restConnection(world: RestWorld, connectionId: string): RestConnection {
  const c = world.connections.get(connectionId);
  if (!c) {
    throw new OvsimError(
      'NOT_FOUND',
      `connection "${connectionId}" was not created through the OpenVidu REST API or is gone (GET /api/clients lists them)`,
    );
  }
  return c;
}
