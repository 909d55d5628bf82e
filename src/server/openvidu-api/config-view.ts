/**
 * `GET /openvidu/api/config` and its sub-paths, as OpenVidu 2.32.1's ConfigRestController writes them
 * (`getConfig`, `getOpenViduServerVersion`, `getOpenViduPublicUrl`, …), with the defaults of its
 * application.properties and the settings `serve` was given.
 */
import type { Request } from 'express';
import type { Profile } from '../../model/profile.js';

/** Where OpenVidu keeps its files (application.properties; OpenviduConfig appends the final `/`). */
export const RECORDING_PATH = '/opt/openvidu/recordings/';
const CUSTOM_LAYOUT_PATH = '/opt/openvidu/custom-layout/';

/** The address the server is reached at: `--public-url` (ws→http, wss→https), else the request's own. */
export interface PublicAddress {
  /** `OPENVIDU_PUBLICURL`: scheme, host and port (when not the scheme's default), no final `/`. */
  readonly publicUrl: string;
  /** `OpenviduConfig.getFinalUrl()`: the public URL with a final `/`. */
  readonly finalUrl: string;
  readonly domain: string;
  readonly port: number;
}

export function publicAddress(req: Request, configured: string | undefined): PublicAddress {
  const base =
    configured !== undefined && configured !== ''
      ? configured
      : `${req.protocol}://${req.headers.host ?? 'localhost'}`;
  const url = new URL(base.replace(/^wss:/, 'https:').replace(/^ws:/, 'http:'));
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  const publicUrl = `${url.protocol}//${url.host}`;
  return { publicUrl, finalUrl: `${publicUrl}/`, domain: url.hostname, port };
}

/** The keys CE's `getConfig` adds, in its order; each `when` names the switch its key depends on. */
const KEYS: ReadonlyArray<readonly [string, 'cdr' | 'recording' | 'webhook' | undefined]> = [
  ['VERSION', undefined],
  ['DOMAIN_OR_PUBLIC_IP', undefined],
  ['HTTPS_PORT', undefined],
  ['OPENVIDU_PUBLICURL', undefined],
  ['OPENVIDU_CDR', undefined],
  ['OPENVIDU_CDR_PATH', 'cdr'],
  ['OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH', undefined],
  ['OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH', undefined],
  ['OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH', undefined],
  ['OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH', undefined],
  ['OPENVIDU_STREAMS_FORCED_VIDEO_CODEC', undefined],
  ['OPENVIDU_STREAMS_ALLOW_TRANSCODING', undefined],
  ['OPENVIDU_WEBRTC_SIMULCAST', undefined],
  ['OPENVIDU_SESSIONS_GARBAGE_INTERVAL', undefined],
  ['OPENVIDU_SESSIONS_GARBAGE_THRESHOLD', undefined],
  ['OPENVIDU_RECORDING', undefined],
  ['OPENVIDU_RECORDING_VERSION', 'recording'],
  ['OPENVIDU_RECORDING_PATH', 'recording'],
  ['OPENVIDU_RECORDING_PUBLIC_ACCESS', 'recording'],
  ['OPENVIDU_RECORDING_NOTIFICATION', 'recording'],
  ['OPENVIDU_RECORDING_CUSTOM_LAYOUT', 'recording'],
  ['OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT', 'recording'],
  ['OPENVIDU_RECORDING_COMPOSED_URL', 'recording'],
  ['OPENVIDU_WEBHOOK', undefined],
  ['OPENVIDU_WEBHOOK_ENDPOINT', 'webhook'],
  ['OPENVIDU_WEBHOOK_HEADERS', 'webhook'],
  ['OPENVIDU_WEBHOOK_EVENTS', 'webhook'],
];

/** The configuration values: OpenVidu's defaults, then `overrides` (the settings `serve` resolved). */
export function configValues(
  profile: Profile,
  address: PublicAddress,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const values: Record<string, unknown> = {
    VERSION: profile.release,
    DOMAIN_OR_PUBLIC_IP: address.domain,
    HTTPS_PORT: address.port,
    OPENVIDU_PUBLICURL: address.publicUrl,
    OPENVIDU_CDR: false,
    OPENVIDU_CDR_PATH: '/opt/openvidu/cdr/',
    OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 1000,
    OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH: 300,
    OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH: 1000,
    OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH: 300,
    OPENVIDU_STREAMS_FORCED_VIDEO_CODEC: 'MEDIA_SERVER_PREFERRED',
    OPENVIDU_STREAMS_ALLOW_TRANSCODING: false,
    OPENVIDU_WEBRTC_SIMULCAST: false,
    OPENVIDU_SESSIONS_GARBAGE_INTERVAL: 900,
    OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 3600,
    // ovsim always records (OpenVidu answers 501 to recording calls when this is false).
    OPENVIDU_RECORDING: true,
    OPENVIDU_RECORDING_VERSION: profile.release,
    OPENVIDU_RECORDING_PATH: RECORDING_PATH,
    OPENVIDU_RECORDING_PUBLIC_ACCESS: false,
    OPENVIDU_RECORDING_NOTIFICATION: 'publisher_moderator',
    OPENVIDU_RECORDING_CUSTOM_LAYOUT: CUSTOM_LAYOUT_PATH,
    OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 120,
    OPENVIDU_WEBHOOK: false,
    ...overrides,
  };
  for (const key of ['OPENVIDU_CDR_PATH', 'OPENVIDU_RECORDING_PATH', 'OPENVIDU_RECORDING_CUSTOM_LAYOUT']) {
    const v = values[key];
    if (typeof v === 'string' && v !== '' && !v.endsWith('/')) values[key] = `${v}/`;
  }
  return values;
}

/**
 * The JSON of `GET /config`: `getConfig`'s keys in its order, each group only when its switch is on (and the
 * composed-recording URL only when set). Pro and Enterprise also tell their edition (their controller is not
 * open source: the key's place is a guess). Keys OpenVidu does not have are left out.
 */
export function configJson(
  profile: Profile,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, when] of KEYS) {
    if (when !== undefined && values[`OPENVIDU_${when.toUpperCase()}`] !== true) continue;
    const v = values[key];
    if (v === undefined || (key === 'OPENVIDU_RECORDING_COMPOSED_URL' && (v === null || v === ''))) continue;
    json[key] = v;
    if (key === 'VERSION' && profile.edition !== 'ce') json['OPENVIDU_EDITION'] = profile.edition;
  }
  return json;
}
