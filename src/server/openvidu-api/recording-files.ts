/**
 * Recording files. OpenVidu 2.32.1 gives a `ready` or `failed` recording the URL
 * `<finalUrl>openvidu/recordings/<id>/<name>.<ext>` (RecordingManagerUtilsLocalStorage.getRecordingUrl; the extension
 * from RecordingManagerUtils.getExtensionFromRecording: `zip` for INDIVIDUAL, `mp4` with video, `webm` audio-only)
 * and serves the file there behind the same Basic auth. ovsim serves a small structurally valid file of that type
 * for each `ready` recording: an MP4 or WebM header carrying the recording's duration and no media, or a ZIP holding
 * the recording's metadata.
 */
import express, { type Router } from 'express';
import { crc32 } from 'node:zlib';

/** OpenVidu's `RequestMappings.RECORDINGS`. */
export const RECORDINGS_PATH = '/openvidu/recordings';

export interface RecordingFileInfo {
  readonly id: string;
  readonly name: string;
  readonly sessionId: string;
  readonly outputMode: string;
  readonly hasVideo: boolean;
  readonly createdAt: number;
  readonly duration: number;
  readonly status: string;
}

export function recordingExtension(
  r: Pick<RecordingFileInfo, 'outputMode' | 'hasVideo'>,
): 'zip' | 'mp4' | 'webm' {
  if (r.outputMode === 'INDIVIDUAL') return 'zip';
  return r.hasVideo ? 'mp4' : 'webm';
}

/** The `url` of a recording: set once it is `ready` or `failed` (RecordingService.sealRecordingMetadataFileAsReady). */
export function recordingUrl(finalUrl: string, r: RecordingFileInfo): string | null {
  if (r.status !== 'ready' && r.status !== 'failed') return null;
  return `${finalUrl}${RECORDINGS_PATH.slice(1)}/${r.id}/${r.name}.${recordingExtension(r)}`;
}

/** The router of `/openvidu/recordings/<id>/<file>`: the file of a `ready` recording, else 404. */
export function createRecordingFilesRouter(find: (id: string) => RecordingFileInfo | undefined): Router {
  const router = express.Router();
  router.get('/:id/:file', (req, res) => {
    const r = find(String(req.params['id']));
    const ext = r === undefined ? undefined : recordingExtension(r);
    if (r === undefined || r.status !== 'ready' || req.params['file'] !== `${r.name}.${ext}`) {
      res.status(404).end();
      return;
    }
    const bytes = ext === 'zip' ? zipOf(r) : ext === 'mp4' ? mp4Of(r.duration) : webmOf(r.duration);
    res.status(200);
    res.setHeader(
      'Content-Type',
      ext === 'zip' ? 'application/zip' : ext === 'mp4' ? 'video/mp4' : 'video/webm',
    );
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  });
  return router;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** ISO BMFF: `ftyp` and a `moov` whose `mvhd` gives the duration (ms timescale); no tracks. */
export function mp4Of(durationSeconds: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2mp41', 'latin1'));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale (after version/flags, creation and modification times)
  mvhd.writeUInt32BE(Math.round(durationSeconds * 1000), 16);
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  const matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
  matrix.forEach((v, i) => mvhd.writeUInt32BE(v, 36 + 4 * i));
  mvhd.writeUInt32BE(1, 96); // next track id
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd))]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v, 0);
  return b;
}

/** An EBML element with a one-byte size (every element here is under 127 bytes). */
function ebml(id: number[], data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id), Buffer.from([0x80 | data.length]), data]);
}

function uint(v: number): Buffer {
  const bytes: number[] = [];
  for (let x = v; x > 0 || bytes.length === 0; x = Math.floor(x / 256)) bytes.unshift(x % 256);
  return Buffer.from(bytes);
}

/** WebM: the EBML header and a Segment whose Info gives the duration; no tracks. */
export function webmOf(durationSeconds: number): Buffer {
  const duration = Buffer.alloc(8);
  duration.writeDoubleBE(durationSeconds * 1000, 0);
  const header = ebml(
    [0x1a, 0x45, 0xdf, 0xa3],
    Buffer.concat([
      ebml([0x42, 0x86], uint(1)),
      ebml([0x42, 0xf7], uint(1)),
      ebml([0x42, 0xf2], uint(4)),
      ebml([0x42, 0xf3], uint(8)),
      ebml([0x42, 0x82], Buffer.from('webm', 'latin1')),
      ebml([0x42, 0x87], uint(4)),
      ebml([0x42, 0x85], uint(2)),
    ]),
  );
  const info = ebml(
    [0x15, 0x49, 0xa9, 0x66],
    Buffer.concat([
      ebml([0x2a, 0xd7, 0xb1], uint(1_000_000)),
      ebml([0x44, 0x89], duration),
      ebml([0x4d, 0x80], Buffer.from('ovsim', 'latin1')),
      ebml([0x57, 0x41], Buffer.from('ovsim', 'latin1')),
    ]),
  );
  return Buffer.concat([header, ebml([0x18, 0x53, 0x80, 0x67], info)]);
}

const DOS_DATE_1980_01_01 = (1 << 5) | 1;

/** A ZIP with one stored entry, `<id>.json`: the recording's metadata and an empty list of stream files. */
export function zipOf(r: RecordingFileInfo): Buffer {
  const name = Buffer.from(`${r.id}.json`, 'utf8');
  const data = Buffer.from(
    JSON.stringify({ createdAt: r.createdAt, id: r.id, name: r.name, sessionId: r.sessionId, files: [] }),
    'utf8',
  );
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // version made by
  central.writeUInt16LE(20, 6); // version needed
  central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
