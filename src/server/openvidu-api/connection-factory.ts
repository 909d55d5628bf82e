/**
 * Connections made through the REST API: a pending WEBRTC connection with its token (`SessionManager.newToken`),
 * or an IP camera that joins at once (`KurentoSessionManager.publishIpcam`). Their properties are read as
 * openvidu-java-client's `ConnectionProperties.fromJson` reads them.
 */
import type { SessionDetail } from '../../engine/engine.js';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../model/commands.js';
import type { LiveSimulation } from '../live-simulation.js';
import type { ClientPolicy } from './client-policy.js';
import { bad, optBoolean, optEnum, optNumber, optObject, optString, type Body } from './rest-body.js';
import type { RestConnection, RestWorld, Role } from './rest-world.js';
import { planClient } from './simulated-client.js';

export const ROLES = ['PUBLISHER', 'SUBSCRIBER', 'MODERATOR'] as const;

/** `ConnectionProperties.checkRtspUri`'s schemes. */
const RTSP_SCHEMES = ['file', 'rtsp', 'rtsps', 'http', 'https'];

interface ConnectionInput {
  data: string;
  record: boolean;
  role: Role;
  kurentoOptions: Body | null;
  customIceServers: unknown[];
}

function readConnectionInput(b: Body): ConnectionInput {
  const ice = b['customIceServers'];
  if (ice !== undefined && ice !== null && !Array.isArray(ice))
    throw bad('customIceServers: an array is required');
  return {
    data: optString(b, 'data') ?? '',
    record: optBoolean(b, 'record') ?? true,
    role: optEnum(b, 'role', ROLES) ?? 'PUBLISHER',
    kurentoOptions: optObject(b, 'kurentoOptions') ?? null,
    customIceServers: Array.isArray(ice) ? ice : [],
  };
}

/** `tok_` + an upper-case letter + 15 alphanumerics, as OpenVidu's RandomIdGenerator makes them. */
function tokenId(world: RestWorld): string {
  return `tok_${world.idRng.upper()}${world.idRng.alphanumeric(15)}`;
}

/** A WEBRTC connection waiting for its client, with a fresh `con_` id and token; its client's moves are queued. */
export function createPending(
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
    if (!world.connections.has(connectionId) && !s.connections.some((c) => c.connectionId === connectionId))
      break;
  }
  const token = `${base}?sessionId=${encodeURIComponent(s.sessionId)}&token=${tokenId(world)}`;
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

/** An IP camera joins (and publishes) at once; its token is a bare `tok_…` (no client ever uses it). */
export function createIpcam(sim: LiveSimulation, world: RestWorld, s: SessionDetail, b: Body) {
  const input = readConnectionInput(b);
  const rtspUri = optString(b, 'rtspUri');
  if (rtspUri === undefined || rtspUri === '') throw bad('"rtspUri" parameter is not a valid rtsp uri');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/\S+$/.exec(rtspUri)?.[1]?.toLowerCase();
  if (scheme === undefined || !RTSP_SCHEMES.includes(scheme)) {
    throw bad(
      `Error in parameter 'rtspUri': RTSP URI does not contain a valid protocol [${RTSP_SCHEMES.join(', ')}]`,
    );
  }
  const adaptativeBitrate = optBoolean(b, 'adaptativeBitrate');
  const onlyPlayWithSubscribers = optBoolean(b, 'onlyPlayWithSubscribers');
  const networkCache = optNumber(b, 'networkCache');
  if (networkCache !== undefined && (!Number.isInteger(networkCache) || networkCache < 0)) {
    throw bad('networkCache: a non-negative integer (ms) is required');
  }
  const handle = world.freeHandle('ipcam');
  const args: Record<string, unknown> = {
    session: s.handle,
    participant: handle,
    type: 'IPCAM',
    rtspUri,
    serverData: input.data,
  };
  if (adaptativeBitrate !== undefined) args['adaptativeBitrate'] = adaptativeBitrate;
  if (onlyPlayWithSubscribers !== undefined) args['onlyPlayWithSubscribers'] = onlyPlayWithSubscribers;
  if (networkCache !== undefined) args['networkCache'] = networkCache;
  const token = tokenId(world);
  sim.execute({ type: 'join', args } as Action);
  const detail = sim.view.describeSession(s.sessionId)?.connections.find((c) => c.handle === handle);
  if (!detail) throw new OvsimError('INTERNAL', 'the IP camera did not join');
  const rest: RestConnection = {
    connectionId: detail.connectionId,
    sessionId: s.sessionId,
    sessionHandle: s.handle,
    handle,
    type: 'IPCAM',
    createdAt: detail.joinedAt,
    token,
    serverData: input.data,
    record: input.record,
    role: 'PUBLISHER',
    kurentoOptions: null,
    customIceServers: [],
    status: 'active',
    activeAt: detail.joinedAt,
    policy: world.policy,
  };
  world.connections.set(detail.connectionId, rest);
  return { detail, rest };
}
