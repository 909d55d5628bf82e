/**
 * What one LiveKit build writes, by version — each fact from livekit/livekit's history (the commit and the release
 * that first has it):
 * - `participant_connection_aborted` for a participant whose media never connected: from v1.9.1 (#3848, 2025-08-13);
 *   from v1.3.3 (#1234, 2022-12-18) until then nothing at all; before v1.3.3 a `participant_left` with no
 *   `participant_joined` before it (livekit#1130);
 * - `ParticipantInfo.disconnectReason`: from v1.8.0 (#2930);
 * - `Room.departureTimeout`: from v1.6.0 (#2549); earlier servers waited a fixed 20 s grace but did not write it;
 * - `Room.enabledCodecs`: the default codec list of `pkg/config/config.go` at that release;
 * - `ParticipantInfo.clientProtocol`: from v1.9.12 (#4293);
 * - `User-Agent: LiveKit` on webhook requests: protocol 3c88d0f7 (2026-08-01), which the HEAD read pins while its
 *   `version.go` still says 1.13.5: ovsim gives it to 1.13.5 and later; earlier builds sent Go's default
 *   (`Go-http-client/1.1`).
 * Plus the build's protojson spacing (`detrand`: fixed per binary) and two report-driven quirks that no release in
 * the history read can be pinned to (see docs/openvidu3.md): a duplicated `participant_left` (livekit#2649) and
 * egresses that fill only the deprecated `result.file` (livekit/node-sdks#625).
 */
import { OvsimError } from '../../errors.js';
import type { Codec } from '../livekit/models.js';

/** The LiveKit release read for the defaults (livekit/livekit 788d4c35 is 1.13.5 plus a month). */
export const DEFAULT_LIVEKIT_VERSION = '1.13.5';

export interface LivekitProfileOptions {
  /** `1.13.5`, `v1.9.0`… default {@link DEFAULT_LIVEKIT_VERSION}. */
  readonly version?: string | undefined;
  /** The build's `detrand` choice: `, ` after every comma; default false (`,`). */
  readonly spaceAfterComma?: boolean | undefined;
  /** Send every `participant_left` twice, as reported in livekit#2649; default false. */
  readonly duplicateParticipantLeft?: boolean | undefined;
  /** `legacy-only`: egresses leave `fileResults` empty and fill the deprecated `result.file` alone. */
  readonly egressFileResults?: 'both' | 'legacy-only' | undefined;
  /** `room.enable_full_room_in_webhooks`: the full Room in track events instead of `{sid, name}`. */
  readonly fullRoomInWebhooks?: boolean | undefined;
  /** `room.departure_timeout`, seconds (written in `Room`); default 20. */
  readonly departureTimeout?: number | undefined;
  /** `room.empty_timeout`, seconds; default 300. */
  readonly emptyTimeout?: number | undefined;
}

type Version = readonly [number, number, number];

/** Parses `1.9`, `1.9.1`, `v1.9.1`. @throws OvsimError BAD_INPUT */
export function parseLivekitVersion(text: string): Version {
  const m = /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) throw new OvsimError('BAD_INPUT', `LiveKit version "${text}" is not a version such as 1.9.1`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function atLeast(v: Version, major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/** How the server reports a participant whose media never connected. */
export type AbortedReport = 'participant_left' | 'nothing' | 'participant_connection_aborted';

const CODECS_1_9_1 = [
  'audio/PCMU',
  'audio/PCMA',
  'audio/opus',
  'audio/red',
  'video/VP8',
  'video/H264',
  'video/VP9',
  'video/AV1',
  'video/H265',
  'video/rtx',
];
const CODECS_1_8_2 = [
  'audio/opus',
  'audio/red',
  'video/VP8',
  'video/H264',
  'video/VP9',
  'video/AV1',
  'video/rtx',
];
const CODECS_1_5_0 = ['audio/opus', 'audio/red', 'video/VP8', 'video/H264', 'video/VP9', 'video/AV1'];
const CODECS_EARLY = ['audio/opus', 'audio/red', 'video/VP8', 'video/H264'];

export class LivekitProfile {
  readonly version: string;
  readonly spaceAfterComma: boolean;
  readonly duplicateParticipantLeft: boolean;
  readonly legacyFileResultOnly: boolean;
  readonly fullRoomInWebhooks: boolean;
  readonly departureTimeoutS: number;
  readonly emptyTimeoutS: number;
  readonly aborted: AbortedReport;
  /** `ParticipantInfo.clientProtocol` of browser clients (from v1.9.12, #4293), else 0 (omitted). */
  readonly clientProtocol: number;
  readonly writesDisconnectReason: boolean;
  readonly writesDepartureTimeout: boolean;
  readonly enabledCodecs: readonly Codec[];
  /** The webhook request's User-Agent. */
  readonly userAgent: string;

  constructor(o: LivekitProfileOptions = {}) {
    const v = parseLivekitVersion(o.version ?? DEFAULT_LIVEKIT_VERSION);
    this.version = v.join('.');
    this.spaceAfterComma = o.spaceAfterComma ?? false;
    this.duplicateParticipantLeft = o.duplicateParticipantLeft ?? false;
    this.legacyFileResultOnly = o.egressFileResults === 'legacy-only';
    this.fullRoomInWebhooks = o.fullRoomInWebhooks ?? false;
    this.departureTimeoutS = o.departureTimeout ?? 20;
    this.emptyTimeoutS = o.emptyTimeout ?? 300;
    this.clientProtocol = atLeast(v, 1, 9, 12) ? 1 : 0;
    this.aborted = atLeast(v, 1, 9, 1)
      ? 'participant_connection_aborted'
      : atLeast(v, 1, 3, 3)
        ? 'nothing'
        : 'participant_left';
    this.writesDisconnectReason = atLeast(v, 1, 8, 0);
    this.writesDepartureTimeout = atLeast(v, 1, 6, 0);
    const codecs = atLeast(v, 1, 9, 1)
      ? CODECS_1_9_1
      : atLeast(v, 1, 8, 2)
        ? CODECS_1_8_2
        : atLeast(v, 1, 5, 0)
          ? CODECS_1_5_0
          : CODECS_EARLY;
    this.enabledCodecs = codecs.map((mime) => ({ mime }));
    this.userAgent = atLeast(v, 1, 13, 5) ? 'LiveKit' : 'Go-http-client/1.1';
  }
}
