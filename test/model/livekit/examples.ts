/**
 * Hand-built, realistic bodies of the 14 LiveKit webhook events, shaped as livekit-server and egress/ingress fill them
 * (full room and participant on room/participant events, `{sid,name}` and `{sid,identity}` on track events,
 * `{sid,name}` from the egress info on egress events, `{name}` on ingress events; spec §1.2).
 */
import type { WebhookEvent } from '../../../src/model/livekit/webhook-event.js';
import type { ParticipantInfo, Room, TrackInfo } from '../../../src/model/livekit/models.js';
import type { EgressInfo } from '../../../src/model/livekit/egress.js';

const CODECS = [
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

export const ROOM: Room = {
  sid: 'RM_hT3kPq8ZsWnd',
  name: 'TestSession',
  emptyTimeout: 300,
  departureTimeout: 20,
  creationTime: 1767225600n,
  creationTimeMs: 1767225600123n,
  turnPassword: 'pXq7Zr2LmNv8KwTy4HsBd6Fc',
  enabledCodecs: CODECS.map((mime) => ({ mime })),
  numParticipants: 1,
  version: { unixMicro: 1767225601417342n, ticks: 1 },
};

const MIC: TrackInfo = {
  sid: 'TR_AMkXv7d9QpRz',
  source: 'MICROPHONE',
  mimeType: 'audio/red',
  mid: '1',
  codecs: [{ mimeType: 'audio/red', mid: '1', cid: 'd4c1b2a0-7f3e-4f8e-9d1c-2b6a5e4f3c21' }],
  stream: 'camera',
  version: { unixMicro: 1767225602511207n },
  audioFeatures: ['TF_AUTO_GAIN_CONTROL', 'TF_ECHO_CANCELLATION', 'TF_NOISE_SUPPRESSION'],
  backupCodecPolicy: 'SIMULCAST',
};

const CAMERA: TrackInfo = {
  sid: 'TR_VCp3mW8sKeYh',
  type: 'VIDEO',
  width: 1280,
  height: 720,
  simulcast: true,
  source: 'CAMERA',
  layers: [
    { width: 320, height: 180, bitrate: 180000, ssrc: 2845519104 },
    { quality: 'MEDIUM', width: 640, height: 360, bitrate: 450000, ssrc: 1174238512, spatialLayer: 1 },
    { quality: 'HIGH', width: 1280, height: 720, bitrate: 1700000, ssrc: 3390221637, spatialLayer: 2 },
  ],
  mimeType: 'video/VP8',
  mid: '2',
  codecs: [
    {
      mimeType: 'video/VP8',
      mid: '2',
      cid: '8a3f0c2e-1d47-4b69-a0e5-77c2d9b1f364',
      layers: [
        { width: 320, height: 180, bitrate: 180000, ssrc: 2845519104, rid: 'q' },
        {
          quality: 'MEDIUM',
          width: 640,
          height: 360,
          bitrate: 450000,
          ssrc: 1174238512,
          spatialLayer: 1,
          rid: 'h',
        },
        {
          quality: 'HIGH',
          width: 1280,
          height: 720,
          bitrate: 1700000,
          ssrc: 3390221637,
          spatialLayer: 2,
          rid: 'f',
        },
      ],
      videoLayerMode: 'ONE_SPATIAL_LAYER_PER_STREAM',
    },
  ],
  stream: 'camera',
  version: { unixMicro: 1767225602613884n },
};

export const ALICE: ParticipantInfo = {
  sid: 'PA_R7cXbM2eVfKj',
  identity: 'alice',
  state: 'ACTIVE',
  joinedAt: 1767225601n,
  joinedAtMs: 1767225601417n,
  name: 'Alice',
  version: 2,
  permission: { canSubscribe: true, canPublish: true, canPublishData: true },
  clientProtocol: 1,
};

const ALICE_LEFT: ParticipantInfo = {
  ...ALICE,
  state: 'DISCONNECTED',
  tracks: [MIC, CAMERA],
  metadata: '{"role":"moderator"}',
  version: 9,
  isPublisher: true,
  attributes: { 'lk.agent.state': 'idle', color: 'blue', émoji: '🎥' },
  disconnectReason: 'CLIENT_INITIATED',
};

const RECORDER: ParticipantInfo = {
  sid: 'PA_9mWq2HcTfXeB',
  identity: 'EG_Bu37AhhwbBtN',
  state: 'ACTIVE',
  joinedAt: 1767225612n,
  joinedAtMs: 1767225612093n,
  version: 2,
  permission: { canSubscribe: true, hidden: true, recorder: true },
  kind: 'EGRESS',
};

const EGRESS_BASE: EgressInfo = {
  egressId: 'EG_Bu37AhhwbBtN',
  roomId: 'RM_hT3kPq8ZsWnd',
  roomName: 'TestSession',
  request: {
    case: 'roomComposite',
    value: {
      roomName: 'TestSession',
      layout: 'grid',
      options: { case: 'preset', value: 'H264_720P_30' },
      fileOutputs: [
        {
          fileType: 'MP4',
          filepath: 'TestSession/{time}.mp4',
          output: { case: 's3', value: { region: 'us-east-1', bucket: 'openvidu', forcePathStyle: true } },
        },
      ],
    },
  },
};

const FILE = {
  filename: 'TestSession/2026-01-01T000011.mp4',
  startedAt: 1767225611862113475n,
  endedAt: 1767225731904581297n,
  duration: 120042467822n,
  size: 31457280n,
  location: 'https://openvidu.s3.amazonaws.com/TestSession/2026-01-01T000011.mp4',
};

const { version: _version, ...ROOM_UNVERSIONED } = ROOM;
const minimalRoom: Room = { sid: ROOM.sid!, name: ROOM.name! };

/** One example body per event name, each as a livekit-server of the pinned protocol would fill it. */
export const EXAMPLES: Readonly<Record<string, WebhookEvent>> = {
  room_started: {
    event: 'room_started',
    room: { ...ROOM_UNVERSIONED, numParticipants: 0 },
    id: 'EV_wL6Lh5MAFmDd',
    createdAt: 1767225600n,
  },
  room_finished: {
    event: 'room_finished',
    room: {
      ...ROOM,
      numParticipants: 0,
      activeRecording: false,
      version: { unixMicro: 1767225751004411n, ticks: 7 },
    },
    id: 'EV_3aZkQn8sDfGh',
    createdAt: 1767225751n,
  },
  participant_joined: {
    event: 'participant_joined',
    room: ROOM,
    participant: ALICE,
    id: 'EV_wL6Lh5MAFmDd',
    createdAt: 1767225602n,
  },
  participant_left: {
    event: 'participant_left',
    room: { ...ROOM, numParticipants: 1, numPublishers: 1 },
    participant: ALICE_LEFT,
    id: 'EV_Tq9vXbN4cRmK',
    createdAt: 1767225730n,
  },
  participant_connection_aborted: {
    event: 'participant_connection_aborted',
    room: ROOM,
    participant: {
      sid: 'PA_Kd8sLq3VwXnC',
      identity: 'bob',
      joinedAt: 1767225640n,
      joinedAtMs: 1767225640221n,
      name: 'Bob',
      version: 1,
      permission: { canSubscribe: true, canPublish: true, canPublishData: true },
      disconnectReason: 'JOIN_FAILURE',
    },
    id: 'EV_h2JmPq7XcVbN',
    createdAt: 1767225655n,
  },
  track_published: {
    event: 'track_published',
    room: minimalRoom,
    participant: { sid: ALICE.sid!, identity: 'alice' },
    track: CAMERA,
    id: 'EV_Zp4cWq8MnVtB',
    createdAt: 1767225602n,
  },
  track_unpublished: {
    event: 'track_unpublished',
    room: minimalRoom,
    participant: { sid: ALICE.sid!, identity: 'alice' },
    track: { ...MIC, muted: true },
    id: 'EV_8YhCvBn3KdQs',
    createdAt: 1767225729n,
  },
  egress_started: {
    event: 'egress_started',
    room: minimalRoom,
    egressInfo: { ...EGRESS_BASE, updatedAt: 1767225611204559871n },
    id: 'EV_mV6tKq2XzPcR',
    createdAt: 1767225611n,
  },
  egress_updated: {
    event: 'egress_updated',
    room: minimalRoom,
    egressInfo: {
      ...EGRESS_BASE,
      status: 'EGRESS_ACTIVE',
      startedAt: 1767225611862113475n,
      updatedAt: 1767225611862113475n,
    },
    id: 'EV_b7NwXq3LcTzG',
    createdAt: 1767225611n,
  },
  egress_ended: {
    event: 'egress_ended',
    room: minimalRoom,
    egressInfo: {
      ...EGRESS_BASE,
      status: 'EGRESS_COMPLETE',
      startedAt: 1767225611862113475n,
      endedAt: 1767225731904581297n,
      updatedAt: 1767225732311902046n,
      fileResults: [FILE],
      details: 'End reason: Source closed',
      manifestLocation: 'https://openvidu.s3.amazonaws.com/TestSession/EG_Bu37AhhwbBtN.json',
      result: { case: 'file', value: FILE },
    },
    id: 'EV_Gc5pRq9VwXmT',
    createdAt: 1767225732n,
  },
  ingress_started: {
    event: 'ingress_started',
    room: { name: 'TestSession' },
    ingressInfo: {
      ingressId: 'IN_q3XmVb8RcTzK',
      name: 'lobby-camera',
      url: 'rtsp://cam.example.org/stream1',
      inputType: 'URL_INPUT',
      enableTranscoding: true,
      audio: { source: 'MICROPHONE', encodingOptions: { case: 'preset', value: 'OPUS_STEREO_96KBPS' } },
      video: { source: 'CAMERA', encodingOptions: { case: 'preset', value: 'H264_720P_30FPS_3_LAYERS' } },
      roomName: 'TestSession',
      participantIdentity: 'lobby-camera',
      participantName: 'Lobby camera',
      state: {
        status: 'ENDPOINT_PUBLISHING',
        video: {
          mimeType: 'video/h264',
          averageBitrate: 1893400,
          width: 1280,
          height: 720,
          framerate: 29.97,
        },
        audio: { mimeType: 'audio/opus', averageBitrate: 96000, channels: 2, sampleRate: 48000 },
        roomId: 'RM_hT3kPq8ZsWnd',
        startedAt: 1767225620015882113n,
        updatedAt: 1767225621407213940n,
        resourceId: 'UR_Kf2pWq8VnXcB',
      },
      enabled: true,
    },
    id: 'EV_xR4nMq7ZcVbK',
    createdAt: 1767225621n,
  },
  ingress_ended: {
    event: 'ingress_ended',
    room: { name: 'TestSession' },
    ingressInfo: {
      ingressId: 'IN_q3XmVb8RcTzK',
      name: 'lobby-camera',
      url: 'rtsp://cam.example.org/stream1',
      inputType: 'URL_INPUT',
      enableTranscoding: false,
      roomName: 'TestSession',
      participantIdentity: 'lobby-camera',
      state: {
        status: 'ENDPOINT_COMPLETE',
        roomId: 'RM_hT3kPq8ZsWnd',
        startedAt: 1767225620015882113n,
        endedAt: 1767225740993201764n,
        updatedAt: 1767225740993201764n,
        resourceId: 'UR_Kf2pWq8VnXcB',
      },
    },
    id: 'EV_pD3sWq6XnCmV',
    createdAt: 1767225741n,
  },
  agent_job_started: {
    event: 'agent_job_started',
    job: {
      id: 'AJ_Nw5cXq2LmVtR',
      dispatchId: 'AD_Hq7pVb3XcZnK',
      room: minimalRoom,
      agentName: 'transcriber',
      state: {
        status: 'JS_RUNNING',
        startedAt: 1767225603100220331n,
        updatedAt: 1767225603100220331n,
        participantIdentity: 'agent-AJ_Nw5cXq2LmVtR',
        workerId: 'AW_Cq8XmVb2NzPk',
      },
      attributes: { lang: 'en' },
    },
    id: 'EV_Lk2vBq9XcWnT',
    createdAt: 1767225603n,
  },
  agent_job_ended: {
    event: 'agent_job_ended',
    job: {
      id: 'AJ_Nw5cXq2LmVtR',
      type: 'JT_PARTICIPANT',
      room: minimalRoom,
      participant: RECORDER,
      agentName: 'transcriber',
      state: {
        status: 'JS_SUCCESS',
        startedAt: 1767225603100220331n,
        endedAt: 1767225752008812004n,
        updatedAt: 1767225752008812004n,
      },
    },
    id: 'EV_Rt6mXq3VcBnZ',
    createdAt: 1767225752n,
  },
};

/** The recorder participant of a composite egress (livekit#2308, #3976), leaving. */
export const RECORDER_LEFT: WebhookEvent = {
  event: 'participant_left',
  room: ROOM,
  participant: { ...RECORDER, state: 'DISCONNECTED', disconnectReason: 'CLIENT_INITIATED' },
  id: 'EV_c9XwVq4BnTmK',
  createdAt: 1767225732n,
};
