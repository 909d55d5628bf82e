/**
 * The enums of the modelled LiveKit messages, by number, from `livekit/protocol` `protobufs/*.proto` (the commit
 * livekit-server pins; see docs/openvidu3.md). Protojson writes a singular enum by name and omits it at number 0.
 */
import { defineEnum, type EnumName } from './descriptor.js';

export const TrackType = defineEnum('livekit.TrackType', { 0: 'AUDIO', 1: 'VIDEO', 2: 'DATA' });
export const TrackSource = defineEnum('livekit.TrackSource', {
  0: 'UNKNOWN',
  1: 'CAMERA',
  2: 'MICROPHONE',
  3: 'SCREEN_SHARE',
  4: 'SCREEN_SHARE_AUDIO',
});
export const VideoQuality = defineEnum('livekit.VideoQuality', {
  0: 'LOW',
  1: 'MEDIUM',
  2: 'HIGH',
  3: 'OFF',
});
export const VideoLayerMode = defineEnum('livekit.VideoLayer.Mode', {
  0: 'MODE_UNUSED',
  1: 'ONE_SPATIAL_LAYER_PER_STREAM',
  2: 'MULTIPLE_SPATIAL_LAYERS_PER_STREAM',
  3: 'ONE_SPATIAL_LAYER_PER_STREAM_INCOMPLETE_RTCP_SR',
});
export const EncryptionType = defineEnum('livekit.Encryption.Type', { 0: 'NONE', 1: 'GCM', 2: 'CUSTOM' });
export const AudioTrackFeature = defineEnum('livekit.AudioTrackFeature', {
  0: 'TF_STEREO',
  1: 'TF_NO_DTX',
  2: 'TF_AUTO_GAIN_CONTROL',
  3: 'TF_ECHO_CANCELLATION',
  4: 'TF_NOISE_SUPPRESSION',
  5: 'TF_ENHANCED_NOISE_CANCELLATION',
  6: 'TF_PRECONNECT_BUFFER',
});
export const BackupCodecPolicy = defineEnum('livekit.BackupCodecPolicy', {
  0: 'PREFER_REGRESSION',
  1: 'SIMULCAST',
  2: 'REGRESSION',
});
export const PacketTrailerFeature = defineEnum('livekit.PacketTrailerFeature', {
  0: 'PTF_USER_TIMESTAMP',
  1: 'PTF_FRAME_ID',
  2: 'PTF_USER_DATA',
});
export const DisconnectReason = defineEnum('livekit.DisconnectReason', {
  0: 'UNKNOWN_REASON',
  1: 'CLIENT_INITIATED',
  2: 'DUPLICATE_IDENTITY',
  3: 'SERVER_SHUTDOWN',
  4: 'PARTICIPANT_REMOVED',
  5: 'ROOM_DELETED',
  6: 'STATE_MISMATCH',
  7: 'JOIN_FAILURE',
  8: 'MIGRATION',
  9: 'SIGNAL_CLOSE',
  10: 'ROOM_CLOSED',
  11: 'USER_UNAVAILABLE',
  12: 'USER_REJECTED',
  13: 'SIP_TRUNK_FAILURE',
  14: 'CONNECTION_TIMEOUT',
  15: 'MEDIA_FAILURE',
  16: 'AGENT_ERROR',
});
export const ParticipantState = defineEnum('livekit.ParticipantInfo.State', {
  0: 'JOINING',
  1: 'JOINED',
  2: 'ACTIVE',
  3: 'DISCONNECTED',
});
export const ParticipantKind = defineEnum('livekit.ParticipantInfo.Kind', {
  0: 'STANDARD',
  1: 'INGRESS',
  2: 'EGRESS',
  3: 'SIP',
  4: 'AGENT',
  7: 'CONNECTOR',
  8: 'BRIDGE',
});
export const ParticipantKindDetail = defineEnum('livekit.ParticipantInfo.KindDetail', {
  0: 'CLOUD_AGENT',
  1: 'FORWARDED',
  2: 'CONNECTOR_WHATSAPP',
  3: 'CONNECTOR_TWILIO',
  4: 'BRIDGE_RTSP',
  5: 'SIMULATION',
});
export const ClientCapability = defineEnum('livekit.ClientInfo.Capability', {
  0: 'CAP_UNUSED',
  1: 'CAP_PACKET_TRAILER',
  2: 'CAP_COMPRESSION_DEFLATE_RAW',
});
export const AudioCodec = defineEnum('livekit.AudioCodec', {
  0: 'DEFAULT_AC',
  1: 'OPUS',
  2: 'AAC',
  3: 'AC_MP3',
});
export const VideoCodec = defineEnum('livekit.VideoCodec', {
  0: 'DEFAULT_VC',
  1: 'H264_BASELINE',
  2: 'H264_MAIN',
  3: 'H264_HIGH',
  4: 'VP8',
});
export const ImageCodec = defineEnum('livekit.ImageCodec', { 0: 'IC_DEFAULT', 1: 'IC_JPEG' });

export const EgressSourceType = defineEnum('livekit.EgressSourceType', {
  0: 'EGRESS_SOURCE_TYPE_WEB',
  1: 'EGRESS_SOURCE_TYPE_SDK',
});
export const EgressStatus = defineEnum('livekit.EgressStatus', {
  0: 'EGRESS_STARTING',
  1: 'EGRESS_ACTIVE',
  2: 'EGRESS_ENDING',
  3: 'EGRESS_COMPLETE',
  4: 'EGRESS_FAILED',
  5: 'EGRESS_ABORTED',
  6: 'EGRESS_LIMIT_REACHED',
});
export const StreamInfoStatus = defineEnum('livekit.StreamInfo.Status', {
  0: 'ACTIVE',
  1: 'FINISHED',
  2: 'FAILED',
});
export const EncodingOptionsPreset = defineEnum('livekit.EncodingOptionsPreset', {
  0: 'H264_720P_30',
  1: 'H264_720P_60',
  2: 'H264_1080P_30',
  3: 'H264_1080P_60',
  4: 'PORTRAIT_H264_720P_30',
  5: 'PORTRAIT_H264_720P_60',
  6: 'PORTRAIT_H264_1080P_30',
  7: 'PORTRAIT_H264_1080P_60',
  8: 'PASSTHROUGH',
});
export const EncodedFileType = defineEnum('livekit.EncodedFileType', {
  0: 'DEFAULT_FILETYPE',
  1: 'MP4',
  2: 'OGG',
  3: 'MP3',
});
export const StreamProtocol = defineEnum('livekit.StreamProtocol', {
  0: 'DEFAULT_PROTOCOL',
  1: 'RTMP',
  2: 'SRT',
  3: 'WEBSOCKET',
});
export const SegmentedFileProtocol = defineEnum('livekit.SegmentedFileProtocol', {
  0: 'DEFAULT_SEGMENTED_FILE_PROTOCOL',
  1: 'HLS_PROTOCOL',
});
export const SegmentedFileSuffix = defineEnum('livekit.SegmentedFileSuffix', { 0: 'INDEX', 1: 'TIMESTAMP' });
export const ImageFileSuffix = defineEnum('livekit.ImageFileSuffix', {
  0: 'IMAGE_SUFFIX_INDEX',
  1: 'IMAGE_SUFFIX_TIMESTAMP',
  2: 'IMAGE_SUFFIX_NONE_OVERWRITE',
});
export const AudioMixing = defineEnum('livekit.AudioMixing', {
  0: 'DEFAULT_MIXING',
  1: 'DUAL_CHANNEL_AGENT',
  2: 'DUAL_CHANNEL_ALTERNATE',
});

export const IngressInput = defineEnum('livekit.IngressInput', {
  0: 'RTMP_INPUT',
  1: 'WHIP_INPUT',
  2: 'URL_INPUT',
});
export const IngressStateStatus = defineEnum('livekit.IngressState.Status', {
  0: 'ENDPOINT_INACTIVE',
  1: 'ENDPOINT_BUFFERING',
  2: 'ENDPOINT_PUBLISHING',
  3: 'ENDPOINT_ERROR',
  4: 'ENDPOINT_COMPLETE',
});
export const IngressAudioEncodingPreset = defineEnum('livekit.IngressAudioEncodingPreset', {
  0: 'OPUS_STEREO_96KBPS',
  1: 'OPUS_MONO_64KBS',
});
export const IngressVideoEncodingPreset = defineEnum('livekit.IngressVideoEncodingPreset', {
  0: 'H264_720P_30FPS_3_LAYERS',
  1: 'H264_1080P_30FPS_3_LAYERS',
  2: 'H264_540P_25FPS_2_LAYERS',
  3: 'H264_720P_30FPS_1_LAYER',
  4: 'H264_1080P_30FPS_1_LAYER',
  5: 'H264_720P_30FPS_3_LAYERS_HIGH_MOTION',
  6: 'H264_1080P_30FPS_3_LAYERS_HIGH_MOTION',
  7: 'H264_540P_25FPS_2_LAYERS_HIGH_MOTION',
  8: 'H264_720P_30FPS_1_LAYER_HIGH_MOTION',
  9: 'H264_1080P_30FPS_1_LAYER_HIGH_MOTION',
});

export type TrackTypeName = EnumName<typeof TrackType>;
export type TrackSourceName = EnumName<typeof TrackSource>;
export type VideoQualityName = EnumName<typeof VideoQuality>;
export type VideoLayerModeName = EnumName<typeof VideoLayerMode>;
export type EncryptionTypeName = EnumName<typeof EncryptionType>;
export type AudioTrackFeatureName = EnumName<typeof AudioTrackFeature>;
export type BackupCodecPolicyName = EnumName<typeof BackupCodecPolicy>;
export type PacketTrailerFeatureName = EnumName<typeof PacketTrailerFeature>;
export type DisconnectReasonName = EnumName<typeof DisconnectReason>;
export type ParticipantStateName = EnumName<typeof ParticipantState>;
export type ParticipantKindName = EnumName<typeof ParticipantKind>;
export type ParticipantKindDetailName = EnumName<typeof ParticipantKindDetail>;
export type ClientCapabilityName = EnumName<typeof ClientCapability>;
export type AudioCodecName = EnumName<typeof AudioCodec>;
export type VideoCodecName = EnumName<typeof VideoCodec>;
export type ImageCodecName = EnumName<typeof ImageCodec>;
export type EgressSourceTypeName = EnumName<typeof EgressSourceType>;
export type EgressStatusName = EnumName<typeof EgressStatus>;
export type StreamInfoStatusName = EnumName<typeof StreamInfoStatus>;
export type EncodingOptionsPresetName = EnumName<typeof EncodingOptionsPreset>;
export type EncodedFileTypeName = EnumName<typeof EncodedFileType>;
export type StreamProtocolName = EnumName<typeof StreamProtocol>;
export type SegmentedFileProtocolName = EnumName<typeof SegmentedFileProtocol>;
export type SegmentedFileSuffixName = EnumName<typeof SegmentedFileSuffix>;
export type ImageFileSuffixName = EnumName<typeof ImageFileSuffix>;
export type AudioMixingName = EnumName<typeof AudioMixing>;
export type IngressInputName = EnumName<typeof IngressInput>;
export type IngressStateStatusName = EnumName<typeof IngressStateStatus>;
export type IngressAudioEncodingPresetName = EnumName<typeof IngressAudioEncodingPreset>;
export type IngressVideoEncodingPresetName = EnumName<typeof IngressVideoEncodingPreset>;

export const JobType = defineEnum('livekit.JobType', {
  0: 'JT_ROOM',
  1: 'JT_PUBLISHER',
  2: 'JT_PARTICIPANT',
});
export const JobStatus = defineEnum('livekit.JobStatus', {
  0: 'JS_PENDING',
  1: 'JS_RUNNING',
  2: 'JS_SUCCESS',
  3: 'JS_FAILED',
});
export type JobTypeName = EnumName<typeof JobType>;
export type JobStatusName = EnumName<typeof JobStatus>;
