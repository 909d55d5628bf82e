/**
 * OpenVidu identifiers (spec §3), drawn from a seeded stream.
 */
import type { Rng } from './rng.js';

/** `ses_` + [A-Z] + 9 alphanumerics, e.g. `ses_Jd8tUyvhXO`. */
export function newSessionId(rng: Rng): string {
  return `ses_${rng.upper()}${rng.alphanumeric(9)}`;
}

/** `con_` + [A-Z] + 9 alphanumerics, e.g. `con_EIeO06zgMz`. */
export function newConnectionId(rng: Rng): string {
  return `con_${rng.upper()}${rng.alphanumeric(9)}`;
}

/** The connection id OpenVidu derives from `openviduCustomConnectionId`: non-word characters and `con_` removed. */
export function customConnectionId(custom: string): string {
  return `con_${custom.replace(/\W/g, '').replace(/con_/g, '')}`;
}

/** `ipc_IPCAM_<scheme>_<XXXX>_<host…>` with `/`→`_`, `-` removed, `.`→`_`, `:`→`_` in the suffix. */
export function newIpcamConnectionId(rng: Rng, rtspUri: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(rtspUri);
  const scheme = m?.[1] ?? 'rtsp';
  const rest = m?.[2] ?? rtspUri;
  const code = rng.alphanumeric(4).toUpperCase();
  const suffix = `IPCAM_${scheme}_${code}_${rest}`
    .replace(/\//g, '_')
    .replace(/-/g, '')
    .replace(/[.:]/g, '_');
  return `ipc_${suffix}`;
}

const MEDIA_PREFIX: Record<string, string> = { CAMERA: 'CAM', SCREEN: 'SCR', CUSTOM: 'CUS', IPCAM: 'IPC' };

/** `str_` + CAM|SCR|CUS|IPC|MIC + `_` + [A-Z] + 3 alphanumerics + `_` + connection id. */
export function newStreamId(rng: Rng, videoSource: string | undefined, connectionId: string): string {
  const kind = videoSource === undefined ? 'MIC' : (MEDIA_PREFIX[videoSource] ?? videoSource.slice(0, 3));
  return `str_${kind}_${rng.upper()}${rng.alphanumeric(3)}_${connectionId}`;
}

/** Media node id: `media_` (2.17+) or `kms_` (older) + [A-Z] + 7 alphanumerics. */
export function newMediaNodeId(rng: Rng, prefix: string): string {
  return `${prefix}${rng.upper()}${rng.alphanumeric(7)}`;
}

/** `tok_` + [A-Z] + 15 alphanumerics. */
export function newTokenId(rng: Rng): string {
  return `tok_${rng.upper()}${rng.alphanumeric(15)}`;
}
