/**
 * `livekit_models.proto` messages that appear in webhooks: Room, ParticipantInfo, TrackInfo and their parts. Every
 * property is optional: protojson omits zero values, so "absent" and "zero" write the same bytes. Units are the
 * proto's: `*At`/`creationTime` seconds, `*Ms` milliseconds, `unixMicro` microseconds.
 */
import { defineMessage, type Int64 } from './descriptor.js';
import {
  AudioTrackFeature,
  BackupCodecPolicy,
  ClientCapability,
  DisconnectReason,
  EncryptionType,
  PacketTrailerFeature,
  ParticipantKind,
  ParticipantKindDetail,
  ParticipantState,
  TrackSource,
  TrackType,
  VideoLayerMode,
  VideoQuality,
  type AudioTrackFeatureName,
  type BackupCodecPolicyName,
  type ClientCapabilityName,
  type DisconnectReasonName,
  type EncryptionTypeName,
  type PacketTrailerFeatureName,
  type ParticipantKindDetailName,
  type ParticipantKindName,
  type ParticipantStateName,
  type TrackSourceName,
  type TrackTypeName,
  type VideoLayerModeName,
  type VideoQualityName,
} from './enums.js';

export interface Codec {
  mime?: string;
  fmtpLine?: string;
}

export interface TimedVersion {
  /** Microseconds since the epoch. */
  unixMicro?: Int64;
  ticks?: number;
}

export interface Room {
  sid?: string;
  name?: string;
  /** Seconds. */
  emptyTimeout?: number;
  /** Seconds. */
  departureTimeout?: number;
  maxParticipants?: number;
  /** Seconds since the epoch. */
  creationTime?: Int64;
  /** Milliseconds since the epoch. */
  creationTimeMs?: Int64;
  turnPassword?: string;
  enabledCodecs?: readonly Codec[];
  metadata?: string;
  numParticipants?: number;
  numPublishers?: number;
  activeRecording?: boolean;
  version?: TimedVersion;
}

export interface ParticipantPermission {
  canSubscribe?: boolean;
  canPublish?: boolean;
  canPublishData?: boolean;
  canPublishSources?: readonly TrackSourceName[];
  hidden?: boolean;
  /** Deprecated in the proto: `ParticipantInfo.kind` replaces it. */
  recorder?: boolean;
  canUpdateMetadata?: boolean;
  /** Deprecated in the proto: `ParticipantInfo.kind` replaces it. */
  agent?: boolean;
  canSubscribeMetrics?: boolean;
  canManageAgentSession?: boolean;
}

export interface VideoLayer {
  quality?: VideoQualityName;
  width?: number;
  height?: number;
  /** Bits per second. */
  bitrate?: number;
  ssrc?: number;
  spatialLayer?: number;
  rid?: string;
  repairSsrc?: number;
}

export interface SimulcastCodecInfo {
  mimeType?: string;
  mid?: string;
  cid?: string;
  layers?: readonly VideoLayer[];
  videoLayerMode?: VideoLayerModeName;
  sdpCid?: string;
}

export interface TrackInfo {
  sid?: string;
  type?: TrackTypeName;
  name?: string;
  muted?: boolean;
  width?: number;
  height?: number;
  simulcast?: boolean;
  disableDtx?: boolean;
  source?: TrackSourceName;
  layers?: readonly VideoLayer[];
  mimeType?: string;
  mid?: string;
  codecs?: readonly SimulcastCodecInfo[];
  stereo?: boolean;
  disableRed?: boolean;
  encryption?: EncryptionTypeName;
  stream?: string;
  version?: TimedVersion;
  audioFeatures?: readonly AudioTrackFeatureName[];
  backupCodecPolicy?: BackupCodecPolicyName;
  packetTrailerFeatures?: readonly PacketTrailerFeatureName[];
}

/** Not modelled: `dataTracks` (data tracks are not simulated). */
export interface ParticipantInfo {
  sid?: string;
  identity?: string;
  state?: ParticipantStateName;
  tracks?: readonly TrackInfo[];
  metadata?: string;
  /** Seconds since the epoch. */
  joinedAt?: Int64;
  /** Milliseconds since the epoch. */
  joinedAtMs?: Int64;
  name?: string;
  version?: number;
  permission?: ParticipantPermission;
  region?: string;
  isPublisher?: boolean;
  kind?: ParticipantKindName;
  /** Written with keys sorted (Go's map order in protojson). */
  attributes?: Readonly<Record<string, string>>;
  disconnectReason?: DisconnectReasonName;
  kindDetails?: readonly ParticipantKindDetailName[];
  clientProtocol?: number;
  capabilities?: readonly ClientCapabilityName[];
}

export const CodecDesc = defineMessage<Codec>()('livekit.Codec', [
  { name: 'mime', no: 1, kind: 'string' },
  { name: 'fmtpLine', no: 2, kind: 'string' },
]);

export const TimedVersionDesc = defineMessage<TimedVersion>()('livekit.TimedVersion', [
  { name: 'unixMicro', no: 1, kind: 'int64' },
  { name: 'ticks', no: 2, kind: 'int32' },
]);

export const RoomDesc = defineMessage<Room>()('livekit.Room', [
  { name: 'sid', no: 1, kind: 'string' },
  { name: 'name', no: 2, kind: 'string' },
  { name: 'emptyTimeout', no: 3, kind: 'uint32' },
  { name: 'departureTimeout', no: 14, kind: 'uint32' },
  { name: 'maxParticipants', no: 4, kind: 'uint32' },
  { name: 'creationTime', no: 5, kind: 'int64' },
  { name: 'creationTimeMs', no: 15, kind: 'int64' },
  { name: 'turnPassword', no: 6, kind: 'string' },
  { name: 'enabledCodecs', no: 7, kind: 'message', repeated: true, message: () => CodecDesc },
  { name: 'metadata', no: 8, kind: 'string' },
  { name: 'numParticipants', no: 9, kind: 'uint32' },
  { name: 'numPublishers', no: 11, kind: 'uint32' },
  { name: 'activeRecording', no: 10, kind: 'bool' },
  { name: 'version', no: 13, kind: 'message', message: () => TimedVersionDesc },
]);

export const ParticipantPermissionDesc = defineMessage<ParticipantPermission>()(
  'livekit.ParticipantPermission',
  [
    { name: 'canSubscribe', no: 1, kind: 'bool' },
    { name: 'canPublish', no: 2, kind: 'bool' },
    { name: 'canPublishData', no: 3, kind: 'bool' },
    { name: 'canPublishSources', no: 9, kind: 'enum', repeated: true, enum: TrackSource },
    { name: 'hidden', no: 7, kind: 'bool' },
    { name: 'recorder', no: 8, kind: 'bool' },
    { name: 'canUpdateMetadata', no: 10, kind: 'bool' },
    { name: 'agent', no: 11, kind: 'bool' },
    { name: 'canSubscribeMetrics', no: 12, kind: 'bool' },
    { name: 'canManageAgentSession', no: 13, kind: 'bool' },
  ],
);

export const VideoLayerDesc = defineMessage<VideoLayer>()('livekit.VideoLayer', [
  { name: 'quality', no: 1, kind: 'enum', enum: VideoQuality },
  { name: 'width', no: 2, kind: 'uint32' },
  { name: 'height', no: 3, kind: 'uint32' },
  { name: 'bitrate', no: 4, kind: 'uint32' },
  { name: 'ssrc', no: 5, kind: 'uint32' },
  { name: 'spatialLayer', no: 6, kind: 'int32' },
  { name: 'rid', no: 7, kind: 'string' },
  { name: 'repairSsrc', no: 8, kind: 'uint32' },
]);

export const SimulcastCodecInfoDesc = defineMessage<SimulcastCodecInfo>()('livekit.SimulcastCodecInfo', [
  { name: 'mimeType', no: 1, kind: 'string' },
  { name: 'mid', no: 2, kind: 'string' },
  { name: 'cid', no: 3, kind: 'string' },
  { name: 'layers', no: 4, kind: 'message', repeated: true, message: () => VideoLayerDesc },
  { name: 'videoLayerMode', no: 5, kind: 'enum', enum: VideoLayerMode },
  { name: 'sdpCid', no: 6, kind: 'string' },
]);

export const TrackInfoDesc = defineMessage<TrackInfo>()('livekit.TrackInfo', [
  { name: 'sid', no: 1, kind: 'string' },
  { name: 'type', no: 2, kind: 'enum', enum: TrackType },
  { name: 'name', no: 3, kind: 'string' },
  { name: 'muted', no: 4, kind: 'bool' },
  { name: 'width', no: 5, kind: 'uint32' },
  { name: 'height', no: 6, kind: 'uint32' },
  { name: 'simulcast', no: 7, kind: 'bool' },
  { name: 'disableDtx', no: 8, kind: 'bool' },
  { name: 'source', no: 9, kind: 'enum', enum: TrackSource },
  { name: 'layers', no: 10, kind: 'message', repeated: true, message: () => VideoLayerDesc },
  { name: 'mimeType', no: 11, kind: 'string' },
  { name: 'mid', no: 12, kind: 'string' },
  { name: 'codecs', no: 13, kind: 'message', repeated: true, message: () => SimulcastCodecInfoDesc },
  { name: 'stereo', no: 14, kind: 'bool' },
  { name: 'disableRed', no: 15, kind: 'bool' },
  { name: 'encryption', no: 16, kind: 'enum', enum: EncryptionType },
  { name: 'stream', no: 17, kind: 'string' },
  { name: 'version', no: 18, kind: 'message', message: () => TimedVersionDesc },
  { name: 'audioFeatures', no: 19, kind: 'enum', repeated: true, enum: AudioTrackFeature },
  { name: 'backupCodecPolicy', no: 20, kind: 'enum', enum: BackupCodecPolicy },
  { name: 'packetTrailerFeatures', no: 21, kind: 'enum', repeated: true, enum: PacketTrailerFeature },
]);

export const ParticipantInfoDesc = defineMessage<ParticipantInfo>()('livekit.ParticipantInfo', [
  { name: 'sid', no: 1, kind: 'string' },
  { name: 'identity', no: 2, kind: 'string' },
  { name: 'state', no: 3, kind: 'enum', enum: ParticipantState },
  { name: 'tracks', no: 4, kind: 'message', repeated: true, message: () => TrackInfoDesc },
  { name: 'metadata', no: 5, kind: 'string' },
  { name: 'joinedAt', no: 6, kind: 'int64' },
  { name: 'joinedAtMs', no: 17, kind: 'int64' },
  { name: 'name', no: 9, kind: 'string' },
  { name: 'version', no: 10, kind: 'uint32' },
  { name: 'permission', no: 11, kind: 'message', message: () => ParticipantPermissionDesc },
  { name: 'region', no: 12, kind: 'string' },
  { name: 'isPublisher', no: 13, kind: 'bool' },
  { name: 'kind', no: 14, kind: 'enum', enum: ParticipantKind },
  { name: 'attributes', no: 15, kind: 'string', map: true },
  { name: 'disconnectReason', no: 16, kind: 'enum', enum: DisconnectReason },
  { name: 'kindDetails', no: 18, kind: 'enum', repeated: true, enum: ParticipantKindDetail },
  { name: 'clientProtocol', no: 20, kind: 'int32' },
  { name: 'capabilities', no: 21, kind: 'enum', repeated: true, enum: ClientCapability },
]);
