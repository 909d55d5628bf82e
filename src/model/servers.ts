/**
 * The servers ovsim imitates (`--server`, also a scenario header's `server:`): OpenVidu 2 (CDR and WebHooks, the
 * default), OpenVidu 3's LiveKit webhooks, OpenVidu 3 PRO's v2-compatibility webhooks, and OpenVidu Meet's webhooks.
 * The three OpenVidu 3 flavours run the same simulated server (LiveKit's behaviour: rooms, ICE, timeouts); only
 * their wire differs. Kept apart from the CLI's option parsing: the library's types name them, and its consumers
 * have no yargs types.
 */
import { OvsimError } from '../errors.js';

export const SERVERS = ['openvidu2', 'openvidu3', 'openvidu3-v2compat', 'meet'] as const;
export type ServerKind = (typeof SERVERS)[number];
export const DEFAULT_SERVER: ServerKind = 'openvidu2';

/** What each server sends, for help texts. */
export const SERVER_DESCRIPTIONS: Readonly<Record<ServerKind, string>> = {
  openvidu2: 'OpenVidu 2.x: CDR lines and OpenVidu WebHook bodies (the default)',
  openvidu3: 'OpenVidu 3 (LiveKit): signed LiveKit WebhookEvent bodies, Go protojson',
  'openvidu3-v2compat': "OpenVidu 3 PRO's v2-compatibility module: the 8 OpenVidu 2 WebHook events, degraded",
  meet: 'OpenVidu Meet: meetingStarted, participantJoined, recordingEnded… with X-Signature',
};

export function isServerKind(value: unknown): value is ServerKind {
  return typeof value === 'string' && (SERVERS as readonly string[]).includes(value);
}

/** `--server` text to a kind. @throws OvsimError BAD_INPUT naming the option and the choices */
export function parseServerKind(value: string, option = '--server'): ServerKind {
  if (isServerKind(value)) return value;
  throw new OvsimError('BAD_INPUT', `${option} "${value}" must be one of ${SERVERS.join(', ')}`);
}

/** Whether the server runs LiveKit underneath (every OpenVidu 3 flavour). */
export function isLivekitBased(kind: ServerKind): boolean {
  return kind !== 'openvidu2';
}

/** Whether the server writes OpenVidu CDR files (only OpenVidu 2 does). */
export function writesCdr(kind: ServerKind): boolean {
  return kind === 'openvidu2';
}
