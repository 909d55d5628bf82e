/**
 * What each field of a scenario file means: the words zod cannot hold. The generator puts them into the JSON
 * Schema (editor hovers) and into docs/scenario-format.md, and refuses to run when a field of the schema has no
 * entry here or an entry names a field the schema no longer has — so a new field cannot ship undocumented.
 * Defaults the engine applies (not zod) are stated here; defaults zod knows are rendered from the schema.
 */
import type { ActionName } from '../../src/model/commands.js';

export interface ActionDoc {
  /** One sentence: what happens in the simulated server. */
  readonly summary: string;
  /** The OpenVidu operation it stands for. */
  readonly openvidu: string;
  /** The edition it needs, when not every edition has it. */
  readonly edition?: 'pro' | 'enterprise';
  readonly fields: Readonly<Record<string, string>>;
}

const RECORDING_FIELDS = {
  name: 'Recording name (letters, digits, `_ - ~`); default: the recording id.',
  outputMode: 'Default `COMPOSED`. `COMPOSED_QUICK_START` needs OpenVidu 2.15+ (an error under 2.12–2.14).',
  hasAudio: 'Default `true`.',
  hasVideo: 'Default `true`; a recording needs audio or video.',
  resolution: 'Composed video only, `WIDTHxHEIGHT`; default `1280x720`.',
  frameRate: 'Composed video only, 1–120; default `25`.',
  recordingLayout: 'Composed video only; default `BEST_FIT`.',
  customLayout: 'With `recordingLayout: CUSTOM`: the layout path OpenVidu logs.',
  outcome:
    'How processing ends after the stop: `ready` (default), `failed`, or `limit-reached` (fails on OpenVidu 2; on ' +
    'OpenVidu 3 an egress that hit its time limit, `EGRESS_LIMIT_REACHED`).',
  stuck:
    'The recorder hangs (OpenVidu#433): the recording stays `started`, `stopRecording` is refused (the REST API ' +
    'answers 500), and it ends `stopped` then `failed` when its session ends. Default `false`.',
  readyCount:
    'How many times `ready` is logged, 1–5 (OpenVidu Pro 2.22 logged it 2–5 times, OpenVidu#747); default once, ' +
    'or 2–5 times when `openvidu.repeatReady` holds (Pro 2.22 by default).',
} as const;

export const ACTION_DOCS: Readonly<Record<ActionName, ActionDoc>> = {
  createSession: {
    summary: 'Creates a session (`sessionCreated`); nobody is in it yet.',
    openvidu: '`POST /openvidu/api/sessions`',
    fields: {
      session: 'Handle of the new session.',
      customSessionId: 'The session id to use (letters, digits, `_ -`); default a random `ses_…` id.',
      recordingMode:
        '`MANUAL` (default) or `ALWAYS`: with `ALWAYS` a recording starts when the first participant publishes.',
      defaultRecording:
        'Recording options for recordings of this session (`ALWAYS` mode and `startRecording`).',
      'defaultRecording.name': RECORDING_FIELDS.name,
      'defaultRecording.outputMode': RECORDING_FIELDS.outputMode,
      'defaultRecording.hasAudio': RECORDING_FIELDS.hasAudio,
      'defaultRecording.hasVideo': RECORDING_FIELDS.hasVideo,
      'defaultRecording.resolution': RECORDING_FIELDS.resolution,
      'defaultRecording.frameRate': RECORDING_FIELDS.frameRate,
      'defaultRecording.recordingLayout': RECORDING_FIELDS.recordingLayout,
      'defaultRecording.customLayout': RECORDING_FIELDS.customLayout,
      'defaultRecording.outcome': RECORDING_FIELDS.outcome,
      'defaultRecording.stuck': RECORDING_FIELDS.stuck,
      'defaultRecording.readyCount': RECORDING_FIELDS.readyCount,
      autoSubscribe:
        'Default `true`: every participant subscribes to every other publisher as soon as both are there. ' +
        '`false`: only explicit `subscribe` steps.',
      mediaNode:
        'Pro: handle of the media node that hosts the session; default the least loaded running node.',
    },
  },
  join: {
    summary:
      'A participant connects to a session (`participantJoined`); with `autoSubscribe` it subscribes to the publishers.',
    openvidu:
      'a token or connection created by REST, then `Session.connect` in the browser (or an IP camera by REST)',
    fields: {
      session: 'Handle of the session to join.',
      participant: 'Handle of the new participant.',
      clientData:
        'Metadata sent by the client (`clientData`): a string as is, anything else as JSON; default a made-up name.',
      serverData:
        'The connection `data` given by REST (`serverData`); default `""`; `null` for a user who joined with the secret.',
      platform: 'Client platform, e.g. `Chrome 120.0.0.0 on Linux 64-bit`; default a realistic browser.',
      ip: 'Client IP address (`null` allowed); default a random public address (an IP camera: its host).',
      location: 'Geolocation text; default `unknown` in CE, a city in Pro.',
      role: '`PUBLISHER` (default), `SUBSCRIBER` (may not publish) or `MODERATOR`.',
      type: '`WEBRTC` (default) or `IPCAM`: an IP camera, which publishes as soon as it joins.',
      rtspUri: 'IPCAM only: the camera URI; default `rtsp://dummyurl.com`.',
      adaptativeBitrate: 'IPCAM only; default `true`.',
      networkCache: 'IPCAM only, milliseconds; default `2000`.',
      onlyPlayWithSubscribers: 'IPCAM only; default `true`.',
      customConnectionId:
        'Custom connection id (OpenVidu’s `openviduCustomConnectionId` development feature): `con_` + the text ' +
        'without non-word characters.',
      identity:
        'OpenVidu 3: the identity of the participant’s token; default the handle. A second connection of one ' +
        'identity replaces the first (`DUPLICATE_IDENTITY`).',
      connects:
        'Default `true`. `false`: the client’s media never connects (ICE fails): it may not publish, and it gives ' +
        'up after 15 s (`networkDisconnect`) unless it leaves first. OpenVidu 3 reports it as ' +
        '`participant_connection_aborted` (LiveKit 1.9.1+), nothing (1.3.3–1.9.0) or a lone `participant_left`.',
    },
  },
  reconnect: {
    summary:
      'A client reconnects as a new connection of the same identity; the stale connection is dropped ' +
      '(`networkDisconnect`) `dropOldAfter` later — on OpenVidu 3 a late `participant_left` of the old participant ' +
      'after the new one’s `participant_joined` (livekit#2399).',
    openvidu: 'a client losing its connection and joining again with the same token identity',
    fields: {
      participant: 'Handle of the connection that drops.',
      as: 'Handle of the new connection (same client data, platform, role and identity).',
      dropOldAfter:
        'When the server notices the old connection is gone, after the new one joined; default `2s`; `0` drops it ' +
        'before the new one joins.',
    },
  },
  publish: {
    summary:
      'A participant publishes a stream (`webrtcConnectionCreated` OUTBOUND, then INBOUND for each subscriber).',
    openvidu: '`Session.publish`',
    fields: {
      participant: 'Handle of the publisher.',
      videoSource: '`CAMERA` (default), `SCREEN` or `CUSTOM`.',
      audio: 'Default `true`.',
      video: 'Default `true`; `false` makes an audio-only stream (`str_MIC_…`). Audio or video is needed.',
      frameRate: 'Frame rate the client asked for, `-1` when it set none; default one of 30, 24, 15 or -1.',
      dimensions: '`WIDTHxHEIGHT`; default one of the usual camera sizes.',
    },
  },
  unpublish: {
    summary:
      'A participant stops publishing: its OUTBOUND connection first, then its subscribers’ INBOUND ones.',
    openvidu: '`Session.unpublish`',
    fields: { participant: 'Handle of the publisher.' },
  },
  forceUnpublish: {
    summary:
      'A stream is removed by someone else (reason `forceUnpublishByUser` or `forceUnpublishByServer`).',
    openvidu:
      'a moderator’s `Session.forceUnpublish`, or `DELETE /openvidu/api/sessions/{id}/stream/{streamId}`',
    fields: {
      participant: 'Handle of the publisher whose stream is removed.',
      by: '`user` (a moderator) or `server` (REST, the default).',
    },
  },
  subscribe: {
    summary: 'A participant subscribes to a publisher (`webrtcConnectionCreated` INBOUND).',
    openvidu: '`Session.subscribe`',
    fields: { participant: 'Handle of the subscriber.', to: 'Handle of the publisher.' },
  },
  unsubscribe: {
    summary:
      'A participant drops one subscription (`webrtcConnectionDestroyed` INBOUND, reason `unsubscribe`).',
    openvidu: '`Session.unsubscribe`',
    fields: { participant: 'Handle of the subscriber.', to: 'Handle of the publisher.' },
  },
  leave: {
    summary:
      'A participant leaves: its connections close, then `participantLeft`; the last one out closes the session ' +
      '(or starts the recording’s auto-stop countdown).',
    openvidu: '`Session.disconnect`, or a lost network connection',
    fields: {
      participant: 'Handle of the participant.',
      reason: '`disconnect` (default) or `networkDisconnect` (the connection was lost).',
      detection:
        'With `networkDisconnect`, how OpenVidu learns of it: `socketClosed` (default) — the client’s websocket ' +
        'closed, logged at the step; `pingTimeout` — the network vanished with the websocket open (an app killed ' +
        'offline, OpenVidu#128, #482): the participant stays in the session, and `participantLeft` is logged when ' +
        'OpenVidu’s ping watchdog gives up, 10–15 s after the step (3 missed pings of 5 s). Meanwhile its client ' +
        'can do nothing; server actions still reach it.',
    },
  },
  flap: {
    summary:
      'The participant’s network flaps (OpenVidu#195): its connection is lost and the client rejoins 1–3 s later ' +
      'with a new connection (new `con_` id, same user data), publishing again; the old connection stays until ' +
      'its ping timeout (`participantLeft` `networkDisconnect` 10–15 s after the drop). Later steps name the new ' +
      'connection by the handle.',
    openvidu: 'a client whose network drops and whose app reconnects with a new token',
    fields: {
      participant: 'Handle of the participant.',
      times: 'How many drops, 1–100; default 1.',
      every: 'Time between two drops, at least `5s`; default `30s`.',
    },
  },
  forceDisconnect: {
    summary: 'A participant is evicted (reason `forceDisconnectByUser` or `forceDisconnectByServer`).',
    openvidu:
      'a moderator’s `Session.forceDisconnect`, or `DELETE /openvidu/api/sessions/{id}/connection/{id}`',
    fields: {
      participant: 'Handle of the participant.',
      by: '`user` (a moderator) or `server` (REST, the default).',
    },
  },
  startRecording: {
    summary:
      'Starts a recording (`recordingStatusChanged` `started`, after the recorder starts for composed ones). Its ' +
      'options override the session’s `defaultRecording`.',
    openvidu: '`POST /openvidu/api/recordings/start`',
    fields: {
      session: 'Handle of the session; it needs a connected participant.',
      recording: 'Handle of the recording, for `stopRecording`; default `<session>.recording<n>`.',
      ...RECORDING_FIELDS,
    },
  },
  stopRecording: {
    summary:
      'Stops a recording: `stopped`, then `ready` (or `failed`) with reason `recordingStoppedByServer`.',
    openvidu: '`POST /openvidu/api/recordings/stop/{id}`',
    fields: { recording: 'Handle of the recording.' },
  },
  signal: {
    summary: 'A signal is sent in a session (`signalSent`).',
    openvidu: '`Session.signal`, or `POST /openvidu/api/signal` when there is no `from`',
    fields: {
      session: 'Handle of the session.',
      from: 'Handle of the sender; absent: sent by the server through REST (`"from":null`).',
      to: 'Handles of the recipients; absent: everyone in the session (and the composed recorder, as OpenVidu).',
      type: 'Signal type; default `signal` from a client, `null` from the server.',
      data: 'Signal data; default `""` from a client, `null` from the server.',
    },
  },
  filterEvent: {
    summary: 'A Kurento filter on a published stream raises an event (`filterEventDispatched`).',
    openvidu: 'an event listener of a filter applied with `Stream.applyFilter`',
    fields: {
      participant: 'Handle of the publisher whose stream carries the filter.',
      filterType: 'Default `ZBarFilter`.',
      eventType: 'Default `CodeFound`.',
      data: 'Event data; default a Kurento-like `{timestampMillis=…, codeType=EAN-13, …}` text.',
    },
  },
  closeSession: {
    summary:
      'The session is closed by REST: everyone is evicted, a recording stops, then `sessionDestroyed` (reason ' +
      '`sessionClosedByServer`).',
    openvidu: '`DELETE /openvidu/api/sessions/{id}`',
    fields: { session: 'Handle of the session.' },
  },
  mediaServerReconnect: {
    summary:
      'The media server restarts as a new process: recordings stop and every WebRTC connection drops (reason ' +
      '`mediaServerReconnect`); participants stay and may publish again.',
    openvidu: 'Kurento reconnecting to OpenVidu as a new process',
    fields: { node: 'Pro: handle of the media node that restarted; default every node.' },
  },
  mediaServerCrash: {
    summary: 'The media server is lost for good: every session on it is closed with reason `nodeCrashed`.',
    openvidu: 'Kurento not answering within OpenVidu’s 3 s of retries',
    fields: { node: 'Pro: handle of the media node that crashed; default every running node.' },
  },
  stopServer: {
    summary:
      'OpenVidu Server shuts down: every active session is closed with reason `openviduServerStopped`.',
    openvidu: 'stopping OpenVidu Server',
    fields: {},
  },
  launchMediaNode: {
    summary: 'Launches a media node: `launching`, then `running` after its launch delay (or `failed`).',
    openvidu: '`POST /openvidu/api/media-nodes`',
    edition: 'pro',
    fields: {
      node: 'Handle of the new node.',
      launchDelay: 'Time from `launching` to `running`; default drawn between 30 s and 90 s.',
      fail: 'The launch ends in `failed` instead of `running`.',
    },
  },
  setMediaNodeStatus: {
    summary: 'Changes a node’s status, only to the statuses OpenVidu allows from the current one.',
    openvidu: '`PATCH /openvidu/api/media-nodes/{id}`',
    edition: 'pro',
    fields: { node: 'Handle of the node.', status: 'The new status.' },
  },
  removeMediaNode: {
    summary:
      'Removes a node with a deletion strategy; `now` closes its sessions (reason `mediaServerDisconnect`).',
    openvidu: '`DELETE /openvidu/api/media-nodes/{id}?deletion-strategy=…`',
    edition: 'pro',
    fields: {
      node: 'Handle of the node.',
      strategy: '`if-no-sessions` (default: refused while it hosts sessions), `now` or `when-no-sessions`.',
    },
  },
  crashMediaNode: {
    summary:
      'A node stops answering: `nodeCrashed` after OpenVidu’s 3 s of retries, its sessions closed with reason ' +
      '`nodeCrashed`; given up (`terminating`, `terminated`) unless it recovers within the reconnection timeout.',
    openvidu: 'a media node lost (machine or network failure)',
    edition: 'pro',
    fields: {
      node: 'Handle of the node.',
      recoverAfter:
        'The node answers again after this (`nodeRecovered` when within the reconnection timeout).',
    },
  },
  startBroadcast: {
    summary: 'Starts broadcasting the session to an RTMP URL (`broadcastStarted`).',
    openvidu: '`POST /openvidu/api/broadcast/start`',
    edition: 'pro',
    fields: {
      session: 'Handle of the session.',
      broadcastUrl: 'Where to broadcast; default `rtmp://live.example.com/app/<session id>`.',
    },
  },
  stopBroadcast: {
    summary: 'Stops the session’s broadcast (`broadcastStopped`).',
    openvidu: '`POST /openvidu/api/broadcast/stop`',
    edition: 'pro',
    fields: { session: 'Handle of the session.' },
  },
  registerMasterNode: {
    summary: 'A master node joins the high-availability cluster (`HANodeRegistered`).',
    openvidu: 'an Enterprise HA master node starting',
    edition: 'enterprise',
    fields: { node: 'Handle of the master node.', ip: 'Its address; default a private `10.5.0.x` address.' },
  },
  deregisterMasterNode: {
    summary: 'A master node leaves the high-availability cluster (`HANodeDeregistered`).',
    openvidu: 'an Enterprise HA master node stopping or crashing',
    edition: 'enterprise',
    fields: {
      node: 'Handle of the master node.',
      reason: '`mediaNodeStatusTerminated` (default) or `nodeCrashed`.',
    },
  },
};

/** Step timing, shared by every step. */
export const STEP_FIELDS: Readonly<Record<string, string>> = {
  at: 'Offset from the scenario start. Steps must be in time order.',
  after:
    'Offset from the previous step. A step with neither `at:` nor `after:` runs at the previous step’s time.',
};

/** Every field outside `steps:`, by dotted path; `generate.<kind>` stands for each of call, meeting, webinar, ipcam. */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  $schema:
    'The JSON Schema an editor checks the file against, e.g. `"../schema/scenario.schema.json"` (JSON files; YAML files use a `# yaml-language-server: $schema=…` comment); ignored by ovsim.',
  name: 'Name shown in listings and messages; default the file name.',
  description: 'One line shown by `ovsim scenarios` and on the workshop page.',
  seed: 'Seed of every random choice; `--seed` overrides it; default 1.',
  start: 'When virtual time begins; `--start` overrides it; default `2024-01-01T00:00:00.000Z`.',
  openvidu: 'The simulated server; names follow OpenVidu’s configuration properties.',
  'openvidu.version':
    'OpenVidu version whose field set is written, `2.12` to `2.32` (write it quoted: `"2.20"`); default `2.32`.',
  'openvidu.edition': '`ce` (default), `pro` or `enterprise`.',
  'openvidu.server':
    'The server imitated: `openvidu2` (default: CDR and OpenVidu 2 WebHooks), `openvidu3` (LiveKit webhooks), ' +
    '`openvidu3-v2compat` (the PRO v2-compatibility module’s eight OpenVidu 2 events) or `meet` (OpenVidu Meet ' +
    'webhooks). The three OpenVidu 3 flavours run LiveKit’s behaviour: rooms that outlive their last ' +
    'participant, participants joined when their media connects. `--server` overrides it.',
  'openvidu.livekit': 'OpenVidu 3: the LiveKit server underneath (`livekit.yaml`) and the build imitated.',
  'openvidu.livekit.version':
    'The LiveKit release imitated (`1.9.0`, quoted in YAML): what it reports for a participant that never ' +
    'connected, whether it writes `disconnectReason` (1.8.0+) and `departureTimeout` (1.6.0+), its default ' +
    'codecs, its User-Agent; `--livekit-version` overrides it; default `1.13.5`.',
  'openvidu.livekit.departureTimeout':
    '`room.departure_timeout`: seconds a room outlives its last participant before `room_finished`; default 20.',
  'openvidu.livekit.emptyTimeout':
    '`room.empty_timeout`: seconds a room nobody joins lives before `room_finished`; default 300.',
  'openvidu.livekit.jsonSpacing':
    '`compact` (default, `,"`) or `spaced` (`, "`): protobuf-go adds a space after every comma or none, fixed per ' +
    'LiveKit binary; `--livekit-json-spacing` overrides it.',
  'openvidu.livekit.egressFileResults':
    '`both` (default): egresses fill `fileResults` and the deprecated `result.file`; `legacy-only`: `fileResults` ' +
    'empty at completion and only `result.file` set (livekit/node-sdks#625).',
  'openvidu.livekit.duplicateParticipantLeft':
    'Send every `participant_left` twice, as consumers reported (livekit#2649); default `false`.',
  'openvidu.livekit.fullRoomInWebhooks':
    '`room.enable_full_room_in_webhooks`: the full Room in track events instead of `{sid, name}`; default `false`.',
  'openvidu.recordingAutostopTimeout':
    '`OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT`, seconds a recording outlives the last participant; `0` stops it at ' +
    'once; default 120.',
  'openvidu.sessionsGarbageInterval':
    '`OPENVIDU_SESSIONS_GARBAGE_INTERVAL`, seconds between two runs of the garbage collector of non-active ' +
    'sessions, counted from the start: each run drops, without any event (no `sessionDestroyed`), the sessions ' +
    'nobody ever joined that are older than the threshold (OpenVidu#428). `0` turns it off; default 900 (2.13 and ' +
    'later; 2.12 has no collector). Sessions someone joined are never collected, even when empty. The collector ' +
    'runs while something else keeps the run going.',
  'openvidu.sessionsGarbageThreshold':
    '`OPENVIDU_SESSIONS_GARBAGE_THRESHOLD`, seconds a never-joined session must have existed to be collected; ' +
    'default 3600.',
  'openvidu.repeatReady':
    'Log every recording’s `ready` 2–5 times, a moment apart, as OpenVidu Pro 2.22 did (OpenVidu#747); default ' +
    '`true` for Pro and Enterprise 2.22, else `false`.',
  'openvidu.cluster': 'Pro and Enterprise: the cluster, after `OPENVIDU_PRO_CLUSTER_*`.',
  'openvidu.cluster.id': '`OPENVIDU_PRO_CLUSTER_ID`; default a seeded `clu_…` id.',
  'openvidu.cluster.mediaNodes':
    '`OPENVIDU_PRO_CLUSTER_MEDIA_NODES`: a count (default 1) or the handles of the initial nodes.',
  'openvidu.cluster.reconnectionTimeout':
    '`OPENVIDU_PRO_CLUSTER_RECONNECTION_TIMEOUT`, seconds a crashed node may take to come back; `-1` = forever; ' +
    'default 3 with autoscaling, else -1.',
  'openvidu.cluster.loadInterval': 'Seconds between two load samples of the autoscaling; default 10.',
  'openvidu.cluster.autoscaling': 'The autoscaling, after `OPENVIDU_PRO_CLUSTER_AUTOSCALING_*`.',
  'openvidu.cluster.autoscaling.enabled': '`OPENVIDU_PRO_CLUSTER_AUTOSCALING`; default `false`.',
  'openvidu.cluster.autoscaling.minNodes': '`…_AUTOSCALING_MIN_NODES`; default 1.',
  'openvidu.cluster.autoscaling.maxNodes': '`…_AUTOSCALING_MAX_NODES`; default 2.',
  'openvidu.cluster.autoscaling.minLoad': '`…_AUTOSCALING_MIN_LOAD`, percent; default 20.',
  'openvidu.cluster.autoscaling.maxLoad': '`…_AUTOSCALING_MAX_LOAD`, percent; default 70.',
  generate: 'Random traffic: sessions drawn from distributions.',
  steps: 'The timeline: each step is a time and exactly one action.',

  'generate.duration': 'The window in which sessions arrive (they still finish after it).',
  'generate.sessions': 'When sessions arrive.',
  'generate.sessions.rate': 'Mean arrival rate of new sessions at multiplier 1.',
  'generate.sessions.arrival': '`poisson` (random gaps) or `uniform` (evenly spaced).',
  'generate.sessions.shape':
    'How the rate changes over the run: `flat`, `ramp` (from `ramp.from` to `ramp.to` times the rate) or `daily` ' +
    '(the `daily` multiplier of each UTC hour).',
  'generate.sessions.ramp': 'For `shape: ramp`: the multipliers at the start and at the end of the window.',
  'generate.sessions.ramp.from': 'Multiplier at the start.',
  'generate.sessions.ramp.to': 'Multiplier at the end.',
  'generate.sessions.daily':
    'For `shape: daily`: 24 multipliers, one per UTC hour (quiet nights, busy office hours).',
  'generate.sessions.limit': 'At most this many sessions; default unlimited.',
  'generate.mix': 'Weights of the four kinds of session.',
  'generate.mix.call': '1:1 video calls.',
  'generate.mix.meeting': 'N:N meetings.',
  'generate.mix.webinar': '1:M webinars: one presenter, many viewers.',
  'generate.mix.ipcam': 'An IP camera watched by a few viewers.',
  'generate.<kind>': 'The shape of one kind of session (defaults differ per kind).',
  'generate.<kind>.participants':
    'People besides the host: guests of a meeting, viewers of a webinar or camera (a call always has 2).',
  'generate.<kind>.duration': 'How long the host stays: the session’s length.',
  'generate.<kind>.stay': 'How long each other participant stays (cut at the session’s end).',
  'generate.<kind>.joinSpread': 'Others join within this time after the host.',
  'generate.<kind>.publish':
    'Probability that a non-host participant publishes (the host of a call, meeting or webinar always does).',
  'generate.<kind>.audioOnly': 'Probability that a published stream is audio only.',
  'generate.<kind>.screenShare':
    'Probability that the session has a screen share (a second connection of the host).',
  'generate.<kind>.signalsPerMinute': 'Chat signals per minute in the session (Poisson).',
  'generate.<kind>.filterEventsPerMinute': 'Kurento filter events per minute in the session (Poisson).',
  'generate.recording': 'Which sessions are recorded, and how.',
  'generate.recording.probability': 'Probability that a session is recorded.',
  'generate.recording.always':
    'Of recorded sessions, the share created with `recordingMode: ALWAYS` (the others start it by REST).',
  'generate.recording.outputMode': 'Weights of the output modes.',
  'generate.recording.outputMode.COMPOSED': 'Weight of `COMPOSED`.',
  'generate.recording.outputMode.INDIVIDUAL': 'Weight of `INDIVIDUAL`.',
  'generate.recording.outputMode.COMPOSED_QUICK_START':
    'Weight of `COMPOSED_QUICK_START`; under OpenVidu 2.12–2.14, which lack it, these draws are `COMPOSED`.',
  'generate.recording.failed': 'Probability that a recording’s processing fails.',
  'generate.faults': 'What goes wrong, and how often.',
  'generate.faults.networkDrop': 'Probability that a participant loses the network instead of leaving.',
  'generate.faults.forceDisconnect':
    'Probability that a participant is evicted (by the server or a moderator).',
  'generate.faults.mediaServerReconnect':
    'Media server restarts (every stream and recording dropped), as a rate such as `1/d`.',
  'generate.faults.serverStop':
    'OpenVidu Server stops (every session closed), as a rate; it restarts after `restartAfter`.',
  'generate.faults.restartAfter': 'Downtime after a server stop: sessions arriving meanwhile are lost.',
  'generate.faults.nodeCrash':
    'Pro and Enterprise: a running media node crashes, as a rate such as `2/d`; its sessions are closed with ' +
    '`nodeCrashed` and new ones go to the other nodes.',
  'generate.faults.nodeRecoverAfter':
    'Pro and Enterprise: a crashed node answers again (`nodeRecovered`) after this and takes sessions again.',
};

/** The shared definitions of the JSON Schema, by id. */
export const DEFINITION_DOCS: Readonly<Record<string, string>> = {
  handle: 'A name you choose for a session, participant, recording or node (letters, digits, `_ . : -`).',
  duration:
    'A duration: seconds as a number, or a text with units `ms`, `s`, `m`/`min`, `h`, `d` (`250ms`, `1.5s`, `2m 30s`, `1h30m`).',
  rate: 'A rate: `N/unit` with unit `s`, `min`, `h` or `d` (`5/min`, `300/h`, `2/d`), or a number per second.',
  startInstant: 'An ISO 8601 instant with a timezone (`2024-05-10T14:23:11.000Z`, `…+02:00`) or `now`.',
  durationDistribution:
    'A random duration: a constant (`20m`) or `{dist: lognormal, median, sigma}`, `{dist: uniform, min, max}`, ' +
    '`{dist: exponential, mean}`, `{dist: normal, mean, sd}`; `min`/`max` clamp the others.',
  countDistribution:
    'A random count: a constant (`5`) or a distribution as for durations (`{dist: lognormal, median: 4, sigma: 0.5, min: 2, max: 16}`).',
};
