/**
 * The egress requests an `EgressInfo` echoes (`livekit_egress.proto`): the v1 request types (room composite, web,
 * participant, track composite, track) with their outputs and upload configs. Not modelled: the newer
 * `StartEgressRequest` and `ExportReplayRequest` members of the `request` oneof.
 */
import { defineMessage, type OneofCase } from './descriptor.js';
import {
  AudioCodec,
  AudioMixing,
  EncodedFileType,
  EncodingOptionsPreset,
  ImageCodec,
  ImageFileSuffix,
  SegmentedFileProtocol,
  SegmentedFileSuffix,
  StreamProtocol,
  VideoCodec,
  type AudioCodecName,
  type AudioMixingName,
  type EncodedFileTypeName,
  type EncodingOptionsPresetName,
  type ImageCodecName,
  type ImageFileSuffixName,
  type SegmentedFileProtocolName,
  type SegmentedFileSuffixName,
  type StreamProtocolName,
  type VideoCodecName,
} from './enums.js';

export interface ProxyConfig {
  url?: string;
  username?: string;
  password?: string;
}
export interface S3Upload {
  accessKey?: string;
  secret?: string;
  sessionToken?: string;
  assumeRoleArn?: string;
  assumeRoleExternalId?: string;
  region?: string;
  endpoint?: string;
  bucket?: string;
  forcePathStyle?: boolean;
  metadata?: Readonly<Record<string, string>>;
  tagging?: string;
  contentDisposition?: string;
  proxy?: ProxyConfig;
}
export interface GCPUpload {
  credentials?: string;
  bucket?: string;
  proxy?: ProxyConfig;
}
export interface AzureBlobUpload {
  accountName?: string;
  accountKey?: string;
  containerName?: string;
}
export interface AliOSSUpload {
  accessKey?: string;
  secret?: string;
  region?: string;
  endpoint?: string;
  bucket?: string;
}
/** The upload oneof shared by the file, segment and image outputs. */
export type UploadCase =
  | OneofCase<'s3', S3Upload>
  | OneofCase<'gcp', GCPUpload>
  | OneofCase<'azure', AzureBlobUpload>
  | OneofCase<'aliOSS', AliOSSUpload>;

export interface EncodedFileOutput {
  fileType?: EncodedFileTypeName;
  filepath?: string;
  disableManifest?: boolean;
  output?: UploadCase;
}
export interface DirectFileOutput {
  filepath?: string;
  disableManifest?: boolean;
  output?: UploadCase;
}
export interface StreamOutput {
  protocol?: StreamProtocolName;
  urls?: readonly string[];
}
export interface SegmentedFileOutput {
  protocol?: SegmentedFileProtocolName;
  filenamePrefix?: string;
  playlistName?: string;
  livePlaylistName?: string;
  /** Seconds. */
  segmentDuration?: number;
  filenameSuffix?: SegmentedFileSuffixName;
  disableManifest?: boolean;
  output?: UploadCase;
}
export interface ImageOutput {
  /** Seconds. */
  captureInterval?: number;
  width?: number;
  height?: number;
  filenamePrefix?: string;
  filenameSuffix?: ImageFileSuffixName;
  imageCodec?: ImageCodecName;
  disableManifest?: boolean;
  output?: UploadCase;
}
export interface EncodingOptions {
  width?: number;
  height?: number;
  depth?: number;
  framerate?: number;
  audioCodec?: AudioCodecName;
  audioBitrate?: number;
  audioFrequency?: number;
  videoCodec?: VideoCodecName;
  videoBitrate?: number;
  /** Seconds (a double). */
  keyFrameInterval?: number;
  audioQuality?: number;
  videoQuality?: number;
}
export interface FilterParams {
  includeEvents?: readonly string[];
  excludeEvents?: readonly string[];
}
export interface WebhookConfig {
  url?: string;
  signingKey?: string;
  filterParams?: FilterParams;
}

type EncodingCase = OneofCase<'preset', EncodingOptionsPresetName> | OneofCase<'advanced', EncodingOptions>;
type LegacyOutputCase =
  | OneofCase<'file', EncodedFileOutput>
  | OneofCase<'stream', StreamOutput>
  | OneofCase<'segments', SegmentedFileOutput>;
interface MultiOutputs {
  fileOutputs?: readonly EncodedFileOutput[];
  streamOutputs?: readonly StreamOutput[];
  segmentOutputs?: readonly SegmentedFileOutput[];
  imageOutputs?: readonly ImageOutput[];
  webhooks?: readonly WebhookConfig[];
}

export interface RoomCompositeEgressRequest extends MultiOutputs {
  roomName?: string;
  layout?: string;
  audioOnly?: boolean;
  audioMixing?: AudioMixingName;
  videoOnly?: boolean;
  customBaseUrl?: string;
  output?: LegacyOutputCase;
  options?: EncodingCase;
}
export interface WebEgressRequest extends MultiOutputs {
  url?: string;
  audioOnly?: boolean;
  videoOnly?: boolean;
  awaitStartSignal?: boolean;
  output?: LegacyOutputCase;
  options?: EncodingCase;
}
export interface ParticipantEgressRequest extends MultiOutputs {
  roomName?: string;
  identity?: string;
  screenShare?: boolean;
  options?: EncodingCase;
}
export interface TrackCompositeEgressRequest extends MultiOutputs {
  roomName?: string;
  audioTrackId?: string;
  videoTrackId?: string;
  output?: LegacyOutputCase;
  options?: EncodingCase;
}
export interface TrackEgressRequest {
  roomName?: string;
  trackId?: string;
  output?: OneofCase<'file', DirectFileOutput> | OneofCase<'websocketUrl', string>;
  webhooks?: readonly WebhookConfig[];
}

const upload = (s3: number, gcp: number, azure: number, aliOSS: number) =>
  [
    { name: 's3', no: s3, kind: 'message', oneof: 'output', message: () => S3UploadDesc },
    { name: 'gcp', no: gcp, kind: 'message', oneof: 'output', message: () => GCPUploadDesc },
    { name: 'azure', no: azure, kind: 'message', oneof: 'output', message: () => AzureBlobUploadDesc },
    { name: 'aliOSS', no: aliOSS, kind: 'message', oneof: 'output', message: () => AliOSSUploadDesc },
  ] as const;

export const ProxyConfigDesc = defineMessage<ProxyConfig>()('livekit.ProxyConfig', [
  { name: 'url', no: 1, kind: 'string' },
  { name: 'username', no: 2, kind: 'string' },
  { name: 'password', no: 3, kind: 'string' },
]);
export const S3UploadDesc = defineMessage<S3Upload>()('livekit.S3Upload', [
  { name: 'accessKey', no: 1, kind: 'string' },
  { name: 'secret', no: 2, kind: 'string' },
  { name: 'sessionToken', no: 11, kind: 'string' },
  { name: 'assumeRoleArn', no: 12, kind: 'string' },
  { name: 'assumeRoleExternalId', no: 13, kind: 'string' },
  { name: 'region', no: 3, kind: 'string' },
  { name: 'endpoint', no: 4, kind: 'string' },
  { name: 'bucket', no: 5, kind: 'string' },
  { name: 'forcePathStyle', no: 6, kind: 'bool' },
  { name: 'metadata', no: 7, kind: 'string', map: true },
  { name: 'tagging', no: 8, kind: 'string' },
  { name: 'contentDisposition', no: 9, kind: 'string' },
  { name: 'proxy', no: 10, kind: 'message', message: () => ProxyConfigDesc },
]);
export const GCPUploadDesc = defineMessage<GCPUpload>()('livekit.GCPUpload', [
  { name: 'credentials', no: 1, kind: 'string' },
  { name: 'bucket', no: 2, kind: 'string' },
  { name: 'proxy', no: 3, kind: 'message', message: () => ProxyConfigDesc },
]);
export const AzureBlobUploadDesc = defineMessage<AzureBlobUpload>()('livekit.AzureBlobUpload', [
  { name: 'accountName', no: 1, kind: 'string' },
  { name: 'accountKey', no: 2, kind: 'string' },
  { name: 'containerName', no: 3, kind: 'string' },
]);
export const AliOSSUploadDesc = defineMessage<AliOSSUpload>()('livekit.AliOSSUpload', [
  { name: 'accessKey', no: 1, kind: 'string' },
  { name: 'secret', no: 2, kind: 'string' },
  { name: 'region', no: 3, kind: 'string' },
  { name: 'endpoint', no: 4, kind: 'string' },
  { name: 'bucket', no: 5, kind: 'string' },
]);
export const EncodedFileOutputDesc = defineMessage<EncodedFileOutput>()('livekit.EncodedFileOutput', [
  { name: 'fileType', no: 1, kind: 'enum', enum: EncodedFileType },
  { name: 'filepath', no: 2, kind: 'string' },
  { name: 'disableManifest', no: 6, kind: 'bool' },
  ...upload(3, 4, 5, 7),
]);
export const DirectFileOutputDesc = defineMessage<DirectFileOutput>()('livekit.DirectFileOutput', [
  { name: 'filepath', no: 1, kind: 'string' },
  { name: 'disableManifest', no: 5, kind: 'bool' },
  ...upload(2, 3, 4, 6),
]);
export const StreamOutputDesc = defineMessage<StreamOutput>()('livekit.StreamOutput', [
  { name: 'protocol', no: 1, kind: 'enum', enum: StreamProtocol },
  { name: 'urls', no: 2, kind: 'string', repeated: true },
]);
export const SegmentedFileOutputDesc = defineMessage<SegmentedFileOutput>()('livekit.SegmentedFileOutput', [
  { name: 'protocol', no: 1, kind: 'enum', enum: SegmentedFileProtocol },
  { name: 'filenamePrefix', no: 2, kind: 'string' },
  { name: 'playlistName', no: 3, kind: 'string' },
  { name: 'livePlaylistName', no: 11, kind: 'string' },
  { name: 'segmentDuration', no: 4, kind: 'uint32' },
  { name: 'filenameSuffix', no: 10, kind: 'enum', enum: SegmentedFileSuffix },
  { name: 'disableManifest', no: 8, kind: 'bool' },
  ...upload(5, 6, 7, 9),
]);
export const ImageOutputDesc = defineMessage<ImageOutput>()('livekit.ImageOutput', [
  { name: 'captureInterval', no: 1, kind: 'uint32' },
  { name: 'width', no: 2, kind: 'int32' },
  { name: 'height', no: 3, kind: 'int32' },
  { name: 'filenamePrefix', no: 4, kind: 'string' },
  { name: 'filenameSuffix', no: 5, kind: 'enum', enum: ImageFileSuffix },
  { name: 'imageCodec', no: 6, kind: 'enum', enum: ImageCodec },
  { name: 'disableManifest', no: 7, kind: 'bool' },
  ...upload(8, 9, 10, 11),
]);
export const EncodingOptionsDesc = defineMessage<EncodingOptions>()('livekit.EncodingOptions', [
  { name: 'width', no: 1, kind: 'int32' },
  { name: 'height', no: 2, kind: 'int32' },
  { name: 'depth', no: 3, kind: 'int32' },
  { name: 'framerate', no: 4, kind: 'int32' },
  { name: 'audioCodec', no: 5, kind: 'enum', enum: AudioCodec },
  { name: 'audioBitrate', no: 6, kind: 'int32' },
  { name: 'audioFrequency', no: 7, kind: 'int32' },
  { name: 'videoCodec', no: 8, kind: 'enum', enum: VideoCodec },
  { name: 'videoBitrate', no: 9, kind: 'int32' },
  { name: 'keyFrameInterval', no: 10, kind: 'double' },
  { name: 'audioQuality', no: 11, kind: 'int32' },
  { name: 'videoQuality', no: 12, kind: 'int32' },
]);
export const FilterParamsDesc = defineMessage<FilterParams>()('livekit.FilterParams', [
  { name: 'includeEvents', no: 1, kind: 'string', repeated: true },
  { name: 'excludeEvents', no: 2, kind: 'string', repeated: true },
]);
export const WebhookConfigDesc = defineMessage<WebhookConfig>()('livekit.WebhookConfig', [
  { name: 'url', no: 1, kind: 'string' },
  { name: 'signingKey', no: 2, kind: 'string' },
  { name: 'filterParams', no: 3, kind: 'message', message: () => FilterParamsDesc },
]);

const legacyOutputs = (file: number, stream: number, segments: number) =>
  [
    { name: 'file', no: file, kind: 'message', oneof: 'output', message: () => EncodedFileOutputDesc },
    { name: 'stream', no: stream, kind: 'message', oneof: 'output', message: () => StreamOutputDesc },
    {
      name: 'segments',
      no: segments,
      kind: 'message',
      oneof: 'output',
      message: () => SegmentedFileOutputDesc,
    },
  ] as const;
const encoding = (preset: number, advanced: number) =>
  [
    { name: 'preset', no: preset, kind: 'enum', oneof: 'options', enum: EncodingOptionsPreset },
    { name: 'advanced', no: advanced, kind: 'message', oneof: 'options', message: () => EncodingOptionsDesc },
  ] as const;
const outputs = (file: number, stream: number, segment: number, image: number, webhooks: number) =>
  [
    { name: 'fileOutputs', no: file, kind: 'message', repeated: true, message: () => EncodedFileOutputDesc },
    { name: 'streamOutputs', no: stream, kind: 'message', repeated: true, message: () => StreamOutputDesc },
    {
      name: 'segmentOutputs',
      no: segment,
      kind: 'message',
      repeated: true,
      message: () => SegmentedFileOutputDesc,
    },
    { name: 'imageOutputs', no: image, kind: 'message', repeated: true, message: () => ImageOutputDesc },
    { name: 'webhooks', no: webhooks, kind: 'message', repeated: true, message: () => WebhookConfigDesc },
  ] as const;

export const RoomCompositeEgressRequestDesc = defineMessage<RoomCompositeEgressRequest>()(
  'livekit.RoomCompositeEgressRequest',
  [
    { name: 'roomName', no: 1, kind: 'string' },
    { name: 'layout', no: 2, kind: 'string' },
    { name: 'audioOnly', no: 3, kind: 'bool' },
    { name: 'audioMixing', no: 15, kind: 'enum', enum: AudioMixing },
    { name: 'videoOnly', no: 4, kind: 'bool' },
    { name: 'customBaseUrl', no: 5, kind: 'string' },
    ...legacyOutputs(6, 7, 10),
    ...encoding(8, 9),
    ...outputs(11, 12, 13, 14, 16),
  ],
);
export const WebEgressRequestDesc = defineMessage<WebEgressRequest>()('livekit.WebEgressRequest', [
  { name: 'url', no: 1, kind: 'string' },
  { name: 'audioOnly', no: 2, kind: 'bool' },
  { name: 'videoOnly', no: 3, kind: 'bool' },
  { name: 'awaitStartSignal', no: 12, kind: 'bool' },
  ...legacyOutputs(4, 5, 6),
  ...encoding(7, 8),
  ...outputs(9, 10, 11, 13, 14),
]);
export const ParticipantEgressRequestDesc = defineMessage<ParticipantEgressRequest>()(
  'livekit.ParticipantEgressRequest',
  [
    { name: 'roomName', no: 1, kind: 'string' },
    { name: 'identity', no: 2, kind: 'string' },
    { name: 'screenShare', no: 3, kind: 'bool' },
    ...encoding(4, 5),
    ...outputs(6, 7, 8, 9, 10),
  ],
);
export const TrackCompositeEgressRequestDesc = defineMessage<TrackCompositeEgressRequest>()(
  'livekit.TrackCompositeEgressRequest',
  [
    { name: 'roomName', no: 1, kind: 'string' },
    { name: 'audioTrackId', no: 2, kind: 'string' },
    { name: 'videoTrackId', no: 3, kind: 'string' },
    ...legacyOutputs(4, 5, 8),
    ...encoding(6, 7),
    ...outputs(11, 12, 13, 14, 15),
  ],
);
export const TrackEgressRequestDesc = defineMessage<TrackEgressRequest>()('livekit.TrackEgressRequest', [
  { name: 'roomName', no: 1, kind: 'string' },
  { name: 'trackId', no: 2, kind: 'string' },
  { name: 'file', no: 3, kind: 'message', oneof: 'output', message: () => DirectFileOutputDesc },
  { name: 'websocketUrl', no: 4, kind: 'string', oneof: 'output' },
  { name: 'webhooks', no: 5, kind: 'message', repeated: true, message: () => WebhookConfigDesc },
]);
