/**
 * `IngressInfo` (`livekit_ingress.proto`). The proto does not state the unit of `IngressState.*At`; they are set by
 * the livekit/ingress service (not read here): ovsim treats them as nanoseconds like the egress ones [inferred].
 */
import { defineMessage, type Int64, type OneofCase } from './descriptor.js';
import {
  AudioCodec,
  IngressAudioEncodingPreset,
  IngressInput,
  IngressStateStatus,
  IngressVideoEncodingPreset,
  TrackSource,
  VideoCodec,
  type AudioCodecName,
  type IngressAudioEncodingPresetName,
  type IngressInputName,
  type IngressStateStatusName,
  type IngressVideoEncodingPresetName,
  type TrackSourceName,
  type VideoCodecName,
} from './enums.js';
import { TrackInfoDesc, VideoLayerDesc, type TrackInfo, type VideoLayer } from './models.js';

export interface IngressAudioEncodingOptions {
  audioCodec?: AudioCodecName;
  bitrate?: number;
  disableDtx?: boolean;
  channels?: number;
}
export interface IngressVideoEncodingOptions {
  videoCodec?: VideoCodecName;
  frameRate?: number;
  layers?: readonly VideoLayer[];
}
export interface IngressAudioOptions {
  name?: string;
  source?: TrackSourceName;
  encodingOptions?:
    OneofCase<'preset', IngressAudioEncodingPresetName> | OneofCase<'options', IngressAudioEncodingOptions>;
}
export interface IngressVideoOptions {
  name?: string;
  source?: TrackSourceName;
  encodingOptions?:
    OneofCase<'preset', IngressVideoEncodingPresetName> | OneofCase<'options', IngressVideoEncodingOptions>;
}
export interface InputVideoState {
  mimeType?: string;
  averageBitrate?: number;
  width?: number;
  height?: number;
  framerate?: number;
}
export interface InputAudioState {
  mimeType?: string;
  averageBitrate?: number;
  channels?: number;
  sampleRate?: number;
}
export interface IngressState {
  status?: IngressStateStatusName;
  error?: string;
  video?: InputVideoState;
  audio?: InputAudioState;
  roomId?: string;
  startedAt?: Int64;
  endedAt?: Int64;
  updatedAt?: Int64;
  resourceId?: string;
  tracks?: readonly TrackInfo[];
}
export interface IngressInfo {
  ingressId?: string;
  name?: string;
  streamKey?: string;
  url?: string;
  inputType?: IngressInputName;
  bypassTranscoding?: boolean;
  /** proto3 `optional`: written when set, `false` included. */
  enableTranscoding?: boolean;
  audio?: IngressAudioOptions;
  video?: IngressVideoOptions;
  roomName?: string;
  participantIdentity?: string;
  participantName?: string;
  participantMetadata?: string;
  reusable?: boolean;
  state?: IngressState;
  /** proto3 `optional`: written when set, `false` included. */
  enabled?: boolean;
}

export const IngressAudioEncodingOptionsDesc = defineMessage<IngressAudioEncodingOptions>()(
  'livekit.IngressAudioEncodingOptions',
  [
    { name: 'audioCodec', no: 1, kind: 'enum', enum: AudioCodec },
    { name: 'bitrate', no: 2, kind: 'uint32' },
    { name: 'disableDtx', no: 3, kind: 'bool' },
    { name: 'channels', no: 4, kind: 'uint32' },
  ],
);
export const IngressVideoEncodingOptionsDesc = defineMessage<IngressVideoEncodingOptions>()(
  'livekit.IngressVideoEncodingOptions',
  [
    { name: 'videoCodec', no: 1, kind: 'enum', enum: VideoCodec },
    { name: 'frameRate', no: 2, kind: 'double' },
    { name: 'layers', no: 3, kind: 'message', repeated: true, message: () => VideoLayerDesc },
  ],
);
export const IngressAudioOptionsDesc = defineMessage<IngressAudioOptions>()('livekit.IngressAudioOptions', [
  { name: 'name', no: 1, kind: 'string' },
  { name: 'source', no: 2, kind: 'enum', enum: TrackSource },
  { name: 'preset', no: 3, kind: 'enum', oneof: 'encodingOptions', enum: IngressAudioEncodingPreset },
  {
    name: 'options',
    no: 4,
    kind: 'message',
    oneof: 'encodingOptions',
    message: () => IngressAudioEncodingOptionsDesc,
  },
]);
export const IngressVideoOptionsDesc = defineMessage<IngressVideoOptions>()('livekit.IngressVideoOptions', [
  { name: 'name', no: 1, kind: 'string' },
  { name: 'source', no: 2, kind: 'enum', enum: TrackSource },
  { name: 'preset', no: 3, kind: 'enum', oneof: 'encodingOptions', enum: IngressVideoEncodingPreset },
  {
    name: 'options',
    no: 4,
    kind: 'message',
    oneof: 'encodingOptions',
    message: () => IngressVideoEncodingOptionsDesc,
  },
]);
export const InputVideoStateDesc = defineMessage<InputVideoState>()('livekit.InputVideoState', [
  { name: 'mimeType', no: 1, kind: 'string' },
  { name: 'averageBitrate', no: 2, kind: 'uint32' },
  { name: 'width', no: 3, kind: 'uint32' },
  { name: 'height', no: 4, kind: 'uint32' },
  { name: 'framerate', no: 5, kind: 'double' },
]);
export const InputAudioStateDesc = defineMessage<InputAudioState>()('livekit.InputAudioState', [
  { name: 'mimeType', no: 1, kind: 'string' },
  { name: 'averageBitrate', no: 2, kind: 'uint32' },
  { name: 'channels', no: 3, kind: 'uint32' },
  { name: 'sampleRate', no: 4, kind: 'uint32' },
]);
export const IngressStateDesc = defineMessage<IngressState>()('livekit.IngressState', [
  { name: 'status', no: 1, kind: 'enum', enum: IngressStateStatus },
  { name: 'error', no: 2, kind: 'string' },
  { name: 'video', no: 3, kind: 'message', message: () => InputVideoStateDesc },
  { name: 'audio', no: 4, kind: 'message', message: () => InputAudioStateDesc },
  { name: 'roomId', no: 5, kind: 'string' },
  { name: 'startedAt', no: 7, kind: 'int64' },
  { name: 'endedAt', no: 8, kind: 'int64' },
  { name: 'updatedAt', no: 10, kind: 'int64' },
  { name: 'resourceId', no: 9, kind: 'string' },
  { name: 'tracks', no: 6, kind: 'message', repeated: true, message: () => TrackInfoDesc },
]);
export const IngressInfoDesc = defineMessage<IngressInfo>()('livekit.IngressInfo', [
  { name: 'ingressId', no: 1, kind: 'string' },
  { name: 'name', no: 2, kind: 'string' },
  { name: 'streamKey', no: 3, kind: 'string' },
  { name: 'url', no: 4, kind: 'string' },
  { name: 'inputType', no: 5, kind: 'enum', enum: IngressInput },
  { name: 'bypassTranscoding', no: 13, kind: 'bool' },
  { name: 'enableTranscoding', no: 15, kind: 'bool', optional: true },
  { name: 'audio', no: 6, kind: 'message', message: () => IngressAudioOptionsDesc },
  { name: 'video', no: 7, kind: 'message', message: () => IngressVideoOptionsDesc },
  { name: 'roomName', no: 8, kind: 'string' },
  { name: 'participantIdentity', no: 9, kind: 'string' },
  { name: 'participantName', no: 10, kind: 'string' },
  { name: 'participantMetadata', no: 14, kind: 'string' },
  { name: 'reusable', no: 11, kind: 'bool' },
  { name: 'state', no: 12, kind: 'message', message: () => IngressStateDesc },
  { name: 'enabled', no: 16, kind: 'bool', optional: true },
]);
