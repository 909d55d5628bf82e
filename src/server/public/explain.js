// Plain-language explanations shown on hover and when an event is expanded: the page must make sense to someone who
// has never read the OpenVidu docs.

/** @type {Record<string, {short: string, long: string}>} */
export const EVENT_HELP = {
  sessionCreated: {
    short: 'A session (a "room") now exists on the server.',
    long: 'Your application created a session through the REST API (POST /openvidu/api/sessions), or the first user connected to it. Nobody is inside yet.',
  },
  sessionDestroyed: {
    short: 'The session is gone, and everything in it.',
    long: 'Closed because the last participant left (lastParticipantLeft), the application deleted it (sessionClosedByServer), a recording auto-stopped it, the media server crashed (nodeCrashed) or OpenVidu stopped (openviduServerStopped). "duration" is how long it lived, in seconds.',
  },
  participantJoined: {
    short: 'A user (or an IP camera) connected to the session.',
    long: 'In the browser, Session.connect(token) succeeded. The connection gets an id (con_…). clientData is what the browser sent, serverData what your backend put in the token.',
  },
  participantLeft: {
    short: 'A user left the session.',
    long: 'reason says how: disconnect (they left), networkDisconnect (their network dropped), forceDisconnectByUser (a moderator kicked them), forceDisconnectByServer (your backend kicked them), sessionClosedByServer, nodeCrashed, openviduServerStopped… Before this event, every media connection of the user is destroyed.',
  },
  webrtcConnectionCreated: {
    short: 'A media stream started flowing.',
    long: 'OUTBOUND: a user publishes their camera/screen to the server. INBOUND: a user receives (subscribes to) somebody else\'s stream; receivingFrom names the publisher. One publisher watched by N people makes 1 OUTBOUND and N INBOUND connections.',
  },
  webrtcConnectionDestroyed: {
    short: 'A media stream stopped.',
    long: 'An OUTBOUND stream ends when its owner unpublishes or leaves; every INBOUND copy of it ends first. reason: unpublish, unsubscribe, disconnect, networkDisconnect, forceUnpublishByUser/Server, mediaServerReconnect, nodeCrashed…',
  },
  recordingStatusChanged: {
    short: 'A recording changed status: started → stopped → ready (or failed).',
    long: 'started: the recorder runs. stopped: recording ended (size 0 for now). ready: the file is processed and available, with its size (bytes) and duration (seconds). failed: no usable file. A recording stops by itself (automaticStop) when nobody publishes for OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT seconds.',
  },
  filterEventDispatched: {
    short: 'A media filter on a stream reported something.',
    long: 'E.g. a ZBarFilter found a barcode (CodeFound) in a user\'s video. Only sent when a client listens to that filter event.',
  },
  signalSent: {
    short: 'A message was sent to participants.',
    long: 'Signals are small text messages (chat, commands). from is the sender\'s connection id, or null when your backend sent it through the REST API. to lists the recipients (the recorder can be one of them).',
  },
  mediaNodeStatusChanged: {
    short: 'Pro: a media node changed status (launching, running, terminating…).',
    long: 'OpenVidu Pro spreads sessions over several media nodes; each goes through launching → running → terminating → terminated (or failed).',
  },
  autoscaling: {
    short: 'Pro: the autoscaler decided to add or remove media nodes.',
    long: 'Sent when the cluster load crosses the configured thresholds.',
  },
  nodeCrashed: { short: 'Pro: a node stopped answering.', long: 'Its sessions are lost; their events carry the reason nodeCrashed.' },
  nodeRecovered: { short: 'Pro: a crashed node came back.', long: 'It reconnected before being terminated.' },
  broadcastStarted: { short: 'Pro: a session started broadcasting to an RTMP URL.', long: '' },
  broadcastStopped: { short: 'Pro: a broadcast ended.', long: '' },
  HANodeRegistered: { short: 'Enterprise: a master node joined the HA cluster.', long: '' },
  HANodeDeregistered: { short: 'Enterprise: a master node left the HA cluster.', long: '' },
};

/** @type {Record<string, string>} */
export const REASON_HELP = {
  disconnect: 'the user left on purpose (Session.disconnect)',
  networkDisconnect: 'the user\'s network dropped and OpenVidu timed them out',
  forceDisconnectByUser: 'a moderator kicked them out',
  forceDisconnectByServer: 'your backend kicked them out (REST API)',
  forceUnpublishByUser: 'a moderator stopped their stream',
  forceUnpublishByServer: 'your backend stopped their stream (REST API)',
  unpublish: 'the user stopped publishing',
  unsubscribe: 'the user stopped watching that stream',
  sessionClosedByServer: 'your backend closed the session (REST API)',
  lastParticipantLeft: 'the last participant left, so the session closed',
  recordingStoppedByServer: 'your backend stopped the recording (REST API)',
  automaticStop: 'nobody published for the auto-stop timeout, so the recording stopped itself',
  mediaServerReconnect: 'the media server restarted; media connections were rebuilt',
  mediaServerDisconnect: 'the media server was lost',
  nodeCrashed: 'the media node crashed',
  openviduServerStopped: 'OpenVidu Server shut down',
};

/** @type {Record<string, string>} */
export const ACTION_HELP = {
  createSession: 'Your backend creates a room (POST /openvidu/api/sessions).',
  join: 'A user opens the app and connects with a token.',
  publish: 'The user turns on their camera (or shares their screen).',
  unpublish: 'The user turns their camera off.',
  subscribe: 'The user starts watching somebody\'s stream (automatic in most apps).',
  unsubscribe: 'The user stops watching that stream.',
  leave: 'The user closes the app — or loses the network.',
  forceDisconnect: 'A moderator or your backend kicks the user out.',
  forceUnpublish: 'A moderator or your backend stops the user\'s stream.',
  startRecording: 'Your backend starts recording the session.',
  stopRecording: 'Your backend stops the recording.',
  signal: 'Send a text message to the session.',
  filterEvent: 'A filter on the user\'s video (e.g. a barcode reader) fires.',
  closeSession: 'Your backend deletes the session: everybody is thrown out.',
  mediaServerReconnect: 'The media server restarts: every media connection is rebuilt.',
  mediaServerCrash: 'The media server dies for good: every session on it closes.',
  stopServer: 'OpenVidu Server shuts down: everything closes, nothing more can happen.',
};
