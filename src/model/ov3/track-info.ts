/**
 * The `TrackInfo` of a published stream's tracks, as livekit-server fills it from the client's `AddTrackRequest`
 * (livekit-client 2.x defaults) and a real `track_unpublished` of 2026 shows it: audio as `audio/red` with
 * `stream: "camera"` and the browser's processing features, video as VP8 with three simulcast layers (two for a
 * screen share), each with its quality, size, target bitrate and SSRC; `version.unixMicro` from the publish instant.
 * An IP camera is an ingress: H.264 video in one layer and Opus audio, no browser features.
 */
import type { LivekitTrackFacts, StreamFacts } from '../entities.js';
import type { AudioTrackFeatureName, VideoQualityName } from '../livekit/enums.js';
import type { TimedVersion, TrackInfo, VideoLayer } from '../livekit/models.js';

/** The browser processing a default microphone track reports. */
const MIC_FEATURES: readonly AudioTrackFeatureName[] = [
  'TF_AUTO_GAIN_CONTROL',
  'TF_ECHO_CANCELLATION',
  'TF_NOISE_SUPPRESSION',
];

/** The stream's tracks in publish order: audio, then video. */
export function tracksOf(stream: StreamFacts): TrackInfo[] {
  const lk = stream.livekit;
  if (lk === undefined) return [];
  const out: TrackInfo[] = [];
  if (lk.audio) out.push(audioTrack(stream, lk.audio));
  if (lk.video) out.push(videoTrack(stream, lk.video));
  return out;
}

function isIngress(stream: StreamFacts): boolean {
  return stream.owner.ipcam !== undefined;
}

function streamName(stream: StreamFacts): string {
  return stream.videoSource === 'SCREEN' ? 'screen_share' : 'camera';
}

function version(stream: StreamFacts, t: LivekitTrackFacts): TimedVersion {
  return { unixMicro: BigInt(stream.createdAt) * 1000n + BigInt(t.micros) };
}

function audioTrack(stream: StreamFacts, t: LivekitTrackFacts): TrackInfo {
  const ingress = isIngress(stream);
  const mime = ingress ? 'audio/opus' : 'audio/red';
  return {
    sid: t.sid,
    source: 'MICROPHONE',
    mimeType: mime,
    mid: t.mid,
    codecs: [{ mimeType: mime, mid: t.mid, cid: t.cid }],
    ...(ingress ? {} : { stream: streamName(stream) }),
    version: version(stream, t),
    ...(ingress ? {} : { audioFeatures: MIC_FEATURES, backupCodecPolicy: 'SIMULCAST' as const }),
  };
}

function videoTrack(stream: StreamFacts, t: LivekitTrackFacts): TrackInfo {
  const ingress = isIngress(stream);
  const [width, height] = dimensionsOf(stream);
  const layers = simulcastLayers(width, height, t.ssrcs, stream.videoSource === 'SCREEN');
  const mime = ingress ? 'video/H264' : 'video/VP8';
  return {
    sid: t.sid,
    type: 'VIDEO',
    width,
    height,
    simulcast: layers.length > 1,
    source: stream.videoSource === 'SCREEN' ? 'SCREEN_SHARE' : 'CAMERA',
    layers,
    mimeType: mime,
    mid: t.mid,
    codecs: [{ mimeType: mime, mid: t.mid, cid: t.cid, layers: layers.map(withRid) }],
    ...(ingress ? {} : { stream: streamName(stream) }),
    version: version(stream, t),
  };
}

/** The stream's size: what the client sent (`{"width":…,"height":…}`), an IP camera's 1280x720. */
function dimensionsOf(stream: StreamFacts): [number, number] {
  const d = stream.dimensions;
  if (d !== null) {
    const parsed = JSON.parse(d) as { width?: unknown; height?: unknown };
    if (typeof parsed.width === 'number' && typeof parsed.height === 'number')
      return [parsed.width, parsed.height];
  }
  return [1280, 720];
}

const QUALITIES: readonly VideoQualityName[] = ['LOW', 'MEDIUM', 'HIGH'];

/** livekit-client's simulcast: the full size on top, then halves (three layers; a screen share two). */
function simulcastLayers(
  width: number,
  height: number,
  ssrcs: readonly number[],
  screen: boolean,
): VideoLayer[] {
  const n = ssrcs.length;
  const layers: VideoLayer[] = [];
  for (let i = 0; i < n; i++) {
    const scale = 2 ** (n - 1 - i);
    const w = Math.round(width / scale);
    const h = Math.round(height / scale);
    const quality = n === 1 ? 'HIGH' : QUALITIES[screen ? (i === 0 ? 0 : 2) : i]!;
    const spatial = n === 1 ? {} : { spatialLayer: i };
    layers.push({ quality, width: w, height: h, bitrate: bitrateFor(w, h), ssrc: ssrcs[i]!, ...spatial });
  }
  return layers;
}

/** A codec's layers also name their RTP stream id: `q`, `h`, `f` by quality. */
function withRid(layer: VideoLayer): VideoLayer {
  return { ...layer, rid: layer.quality === 'LOW' ? 'q' : layer.quality === 'MEDIUM' ? 'h' : 'f' };
}

/** livekit-client's preset bitrates by height (h180 160 kb/s, h360 450, h540 800, h720 1.7 Mb/s, h1080 3 Mb/s). */
function bitrateFor(width: number, height: number): number {
  const h = Math.min(width, height);
  if (h >= 1080) return 3_000_000;
  if (h >= 720) return 1_700_000;
  if (h >= 540) return 800_000;
  if (h >= 360) return 450_000;
  if (h >= 180) return 160_000;
  return 90_000;
}
