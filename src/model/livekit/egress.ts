/**
 * `EgressInfo` and its results (`livekit_egress.proto`). Every egress timestamp is in **nanoseconds** since the
 * epoch (livekit/protocol `livekit/livekit_egress.go` writes `time.Now().UnixNano()`), durations too.
 */
import { defineMessage, type Int64, type OneofCase } from './descriptor.js';
import {
  ParticipantEgressRequestDesc,
  RoomCompositeEgressRequestDesc,
  TrackCompositeEgressRequestDesc,
  TrackEgressRequestDesc,
  WebEgressRequestDesc,
  type ParticipantEgressRequest,
  type RoomCompositeEgressRequest,
  type TrackCompositeEgressRequest,
  type TrackEgressRequest,
  type WebEgressRequest,
} from './egress-requests.js';
import {
  EgressSourceType,
  EgressStatus,
  StreamInfoStatus,
  type EgressSourceTypeName,
  type EgressStatusName,
  type StreamInfoStatusName,
} from './enums.js';

export interface StreamInfo {
  url?: string;
  /** Nanoseconds. */
  startedAt?: Int64;
  endedAt?: Int64;
  duration?: Int64;
  status?: StreamInfoStatusName;
  error?: string;
  lastRetryAt?: Int64;
  retries?: number;
}
export interface StreamInfoList {
  info?: readonly StreamInfo[];
}
export interface FileInfo {
  filename?: string;
  /** Nanoseconds. */
  startedAt?: Int64;
  endedAt?: Int64;
  /** Nanoseconds. */
  duration?: Int64;
  /** Bytes. */
  size?: Int64;
  location?: string;
}
export interface SegmentsInfo {
  playlistName?: string;
  livePlaylistName?: string;
  duration?: Int64;
  size?: Int64;
  playlistLocation?: string;
  livePlaylistLocation?: string;
  segmentCount?: Int64;
  startedAt?: Int64;
  endedAt?: Int64;
}
export interface ImagesInfo {
  filenamePrefix?: string;
  imageCount?: Int64;
  startedAt?: Int64;
  endedAt?: Int64;
}

export type EgressRequestCase =
  | OneofCase<'roomComposite', RoomCompositeEgressRequest>
  | OneofCase<'web', WebEgressRequest>
  | OneofCase<'participant', ParticipantEgressRequest>
  | OneofCase<'trackComposite', TrackCompositeEgressRequest>
  | OneofCase<'track', TrackEgressRequest>;

/** The deprecated single result, still filled by Egress next to the `*Results` lists. */
export type EgressResultCase =
  OneofCase<'stream', StreamInfoList> | OneofCase<'file', FileInfo> | OneofCase<'segments', SegmentsInfo>;

export interface EgressInfo {
  egressId?: string;
  roomId?: string;
  roomName?: string;
  sourceType?: EgressSourceTypeName;
  status?: EgressStatusName;
  /** Nanoseconds. */
  startedAt?: Int64;
  endedAt?: Int64;
  updatedAt?: Int64;
  request?: EgressRequestCase;
  streamResults?: readonly StreamInfo[];
  fileResults?: readonly FileInfo[];
  segmentResults?: readonly SegmentsInfo[];
  imageResults?: readonly ImagesInfo[];
  error?: string;
  errorCode?: number;
  details?: string;
  manifestLocation?: string;
  backupStorageUsed?: boolean;
  retryCount?: number;
  result?: EgressResultCase;
}

export const StreamInfoDesc = defineMessage<StreamInfo>()('livekit.StreamInfo', [
  { name: 'url', no: 1, kind: 'string' },
  { name: 'startedAt', no: 2, kind: 'int64' },
  { name: 'endedAt', no: 3, kind: 'int64' },
  { name: 'duration', no: 4, kind: 'int64' },
  { name: 'status', no: 5, kind: 'enum', enum: StreamInfoStatus },
  { name: 'error', no: 6, kind: 'string' },
  { name: 'lastRetryAt', no: 7, kind: 'int64' },
  { name: 'retries', no: 8, kind: 'uint32' },
]);
export const StreamInfoListDesc = defineMessage<StreamInfoList>()('livekit.StreamInfoList', [
  { name: 'info', no: 1, kind: 'message', repeated: true, message: () => StreamInfoDesc },
]);
export const FileInfoDesc = defineMessage<FileInfo>()('livekit.FileInfo', [
  { name: 'filename', no: 1, kind: 'string' },
  { name: 'startedAt', no: 2, kind: 'int64' },
  { name: 'endedAt', no: 3, kind: 'int64' },
  { name: 'duration', no: 6, kind: 'int64' },
  { name: 'size', no: 4, kind: 'int64' },
  { name: 'location', no: 5, kind: 'string' },
]);
export const SegmentsInfoDesc = defineMessage<SegmentsInfo>()('livekit.SegmentsInfo', [
  { name: 'playlistName', no: 1, kind: 'string' },
  { name: 'livePlaylistName', no: 8, kind: 'string' },
  { name: 'duration', no: 2, kind: 'int64' },
  { name: 'size', no: 3, kind: 'int64' },
  { name: 'playlistLocation', no: 4, kind: 'string' },
  { name: 'livePlaylistLocation', no: 9, kind: 'string' },
  { name: 'segmentCount', no: 5, kind: 'int64' },
  { name: 'startedAt', no: 6, kind: 'int64' },
  { name: 'endedAt', no: 7, kind: 'int64' },
]);
export const ImagesInfoDesc = defineMessage<ImagesInfo>()('livekit.ImagesInfo', [
  { name: 'filenamePrefix', no: 4, kind: 'string' },
  { name: 'imageCount', no: 1, kind: 'int64' },
  { name: 'startedAt', no: 2, kind: 'int64' },
  { name: 'endedAt', no: 3, kind: 'int64' },
]);

export const EgressInfoDesc = defineMessage<EgressInfo>()('livekit.EgressInfo', [
  { name: 'egressId', no: 1, kind: 'string' },
  { name: 'roomId', no: 2, kind: 'string' },
  { name: 'roomName', no: 13, kind: 'string' },
  { name: 'sourceType', no: 26, kind: 'enum', enum: EgressSourceType },
  { name: 'status', no: 3, kind: 'enum', enum: EgressStatus },
  { name: 'startedAt', no: 10, kind: 'int64' },
  { name: 'endedAt', no: 11, kind: 'int64' },
  { name: 'updatedAt', no: 18, kind: 'int64' },
  {
    name: 'roomComposite',
    no: 4,
    kind: 'message',
    oneof: 'request',
    message: () => RoomCompositeEgressRequestDesc,
  },
  { name: 'web', no: 14, kind: 'message', oneof: 'request', message: () => WebEgressRequestDesc },
  {
    name: 'participant',
    no: 19,
    kind: 'message',
    oneof: 'request',
    message: () => ParticipantEgressRequestDesc,
  },
  {
    name: 'trackComposite',
    no: 5,
    kind: 'message',
    oneof: 'request',
    message: () => TrackCompositeEgressRequestDesc,
  },
  { name: 'track', no: 6, kind: 'message', oneof: 'request', message: () => TrackEgressRequestDesc },
  { name: 'streamResults', no: 15, kind: 'message', repeated: true, message: () => StreamInfoDesc },
  { name: 'fileResults', no: 16, kind: 'message', repeated: true, message: () => FileInfoDesc },
  { name: 'segmentResults', no: 17, kind: 'message', repeated: true, message: () => SegmentsInfoDesc },
  { name: 'imageResults', no: 20, kind: 'message', repeated: true, message: () => ImagesInfoDesc },
  { name: 'error', no: 9, kind: 'string' },
  { name: 'errorCode', no: 22, kind: 'int32' },
  { name: 'details', no: 21, kind: 'string' },
  { name: 'manifestLocation', no: 23, kind: 'string' },
  { name: 'backupStorageUsed', no: 25, kind: 'bool' },
  { name: 'retryCount', no: 27, kind: 'int32' },
  { name: 'stream', no: 7, kind: 'message', oneof: 'result', message: () => StreamInfoListDesc },
  { name: 'file', no: 8, kind: 'message', oneof: 'result', message: () => FileInfoDesc },
  { name: 'segments', no: 12, kind: 'message', oneof: 'result', message: () => SegmentsInfoDesc },
]);
