/**
 * The servers ovsim imitates (`--server`, also a scenario header's `server:`): OpenVidu 2 (CDR and WebHooks, the
 * default), OpenVidu 3's LiveKit webhooks, OpenVidu 3 PRO's v2-compatibility webhooks, and OpenVidu Meet's webhooks.
 * Kept apart from the CLI's option parsing: the library's types name them, and its consumers have no yargs types.
 */
export const SERVERS = ['openvidu2', 'openvidu3', 'openvidu3-v2compat', 'meet'] as const;
export type ServerKind = (typeof SERVERS)[number];
export const DEFAULT_SERVER: ServerKind = 'openvidu2';
