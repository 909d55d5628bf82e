// @ts-check
// Plain-language explanations shown in the help line and when an event is opened: the page must make sense to
// someone who has never read the OpenVidu docs. `{silentRetry}` is filled in from the server's cluster settings.
import { duration } from './lib/dom.js';
import { store } from './model.js';

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
    long: "OUTBOUND: a user publishes their camera/screen to the server. INBOUND: a user receives (subscribes to) somebody else's stream; receivingFrom names the publisher. One publisher watched by N people makes 1 OUTBOUND and N INBOUND connections.",
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
    long: "E.g. a ZBarFilter found a barcode (CodeFound) in a user's video. Only sent when a client listens to that filter event.",
  },
  signalSent: {
    short: 'A message was sent to participants.',
    long: "Signals are small text messages (chat, commands). from is the sender's connection id, or null when your backend sent it through the REST API. to lists the recipients (the recorder can be one of them).",
  },
  mediaNodeStatusChanged: {
    short: 'Pro: a media node (a machine that carries the video) changed status.',
    long: "OpenVidu Pro spreads sessions over several media nodes. Each one goes launching → running → (waiting-idle-to-terminate) → terminating → terminated; a launch can end in failed, or be canceled. oldStatus is null for a brand-new node. Hover a node's status in the media node panel for what each status means.",
  },
  autoscaling: {
    short: 'Pro: the autoscaler decided to add or remove media nodes.',
    long: 'Every few seconds OpenVidu Pro samples the average load of the cluster. Above the maximum it launches nodes (first reusing draining or canceled ones), below the minimum it removes some (first canceling launches, then draining the least loaded). reason says why in plain words, mediaNodes what will change, system the load and the limits. The status changes follow as mediaNodeStatusChanged events.',
  },
  nodeCrashed: {
    short: 'Pro: a node stopped answering and OpenVidu gave up waiting for it.',
    long: 'OpenVidu retries silently for {silentRetry}, then writes nodeCrashed with the sessions, recordings and broadcasts that were on the node. Those sessions are closed with reason nodeCrashed (recordings stay at stopped: the file is lost) — at once, or, with a finite reconnection timeout, when OpenVidu gives the node up: terminating → sessions closed → terminated.',
  },
  nodeRecovered: {
    short: 'Pro: a crashed node answers again.',
    long: 'It came back within the reconnection timeout, so it stays in the cluster and takes new sessions. The sessions it had are lost all the same (they were closed with nodeCrashed).',
  },
  broadcastStarted: {
    short: 'Pro: a session started streaming live to an RTMP address (YouTube, Twitch…).',
    long: "Your backend asked OpenVidu Pro to broadcast the session (POST /openvidu/api/broadcast/start): a composed view of it is pushed to broadcastUrl. The session needs somebody in it. OpenVidu does not document this event's fields: ovsim's are its best guess.",
  },
  broadcastStopped: {
    short: 'Pro: a broadcast ended.',
    long: 'reason: broadcastStoppedByServer (your backend stopped it), lastParticipantLeft, sessionClosedByServer, mediaServerDisconnect, nodeCrashed or openviduServerStopped — a broadcast ends with its session.',
  },
  HANodeRegistered: {
    short: 'Enterprise: a master node joined the high-availability cluster.',
    long: 'OpenVidu Enterprise can run several master nodes (the servers your backend talks to) so that losing one does not stop the service. nodeId is master_<ip>. Not in the default WebHook event list: add it to OPENVIDU_WEBHOOK_EVENTS to receive it.',
  },
  HANodeDeregistered: {
    short: 'Enterprise: a master node left the high-availability cluster.',
    long: 'reason: mediaNodeStatusTerminated (its machine was shut down on purpose) or nodeCrashed (it stopped answering). The other master nodes go on serving.',
  },
};

/** @type {Record<string, string>} */
export const REASON_HELP = {
  disconnect: 'the user left on purpose (Session.disconnect)',
  networkDisconnect: "the user's network dropped and OpenVidu timed them out",
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
  mediaServerDisconnect:
    'the media node was removed on purpose (deletion strategy now) and took its sessions with it',
  nodeCrashed: 'the node stopped answering (crashed)',
  broadcastStoppedByServer: 'your backend stopped the broadcast (REST API)',
  mediaNodeStatusTerminated: "the master node's machine was shut down on purpose",
  openviduServerStopped: 'OpenVidu Server shut down',
};

/** @type {Record<string, string>} */
export const ACTION_HELP = {
  createSession: 'Your backend creates a room (POST /openvidu/api/sessions).',
  join: 'A user opens the app and connects with a token.',
  publish: 'The user turns on their camera (or shares their screen).',
  unpublish: 'The user turns their camera off.',
  subscribe: "The user starts watching somebody's stream (automatic in most apps).",
  unsubscribe: 'The user stops watching that stream.',
  leave: 'The user closes the app — or loses the network.',
  forceDisconnect: 'A moderator or your backend kicks the user out.',
  forceUnpublish: "A moderator or your backend stops the user's stream.",
  startRecording: 'Your backend starts recording the session.',
  stopRecording: 'Your backend stops the recording.',
  signal: 'Send a text message to the session.',
  filterEvent: "A filter on the user's video (e.g. a barcode reader) fires.",
  closeSession: 'Your backend deletes the session: everybody is thrown out.',
  mediaServerReconnect:
    'The media server restarts: every media connection on it is destroyed; people stay and must publish again.',
  mediaServerCrash: 'The media server dies for good: every session on it closes.',
  stopServer: 'OpenVidu Server shuts down: everything closes, nothing more can happen.',
  launchMediaNode:
    'Pro: add a machine to the cluster (POST /openvidu/api/media-nodes): launching, then running once it has booted.',
  setMediaNodeStatus:
    "Pro: change a node's status by hand (PATCH /openvidu/api/media-nodes/{id}); only the changes OpenVidu allows are offered.",
  removeMediaNode:
    'Pro: take a node out of the cluster (DELETE /openvidu/api/media-nodes/{id}) with a deletion strategy.',
  crashMediaNode:
    'Pro: the node stops answering (its machine dies or loses the network), optionally coming back later.',
  startBroadcast: 'Pro: stream the session live to an RTMP address (POST /openvidu/api/broadcast/start).',
  stopBroadcast: 'Pro: stop the live stream (POST /openvidu/api/broadcast/stop).',
  registerMasterNode: 'Enterprise: a new master node joins the high-availability cluster.',
  deregisterMasterNode: 'Enterprise: a master node leaves the high-availability cluster.',
};

/** What each Pro media node status means. @type {Record<string, string>} */
export const NODE_STATUS_HELP = {
  launching: 'its machine is booting: no sessions go there yet',
  canceled:
    'its launch was called off (by you or the autoscaler): it terminates as soon as the boot ends, unless relaunched',
  failed: 'the machine never came up: nothing runs there',
  running: 'up and taking sessions (a new session goes to the least loaded running node)',
  'waiting-idle-to-terminate':
    'draining: no new sessions; it terminates by itself when its last session, recording or broadcast ends',
  terminating: 'shutting down: whatever it hosted is being closed',
  terminated: 'gone: its machine can be deleted',
};

/** The deletion strategies of DELETE /openvidu/api/media-nodes/{id}. @type {Record<string, string>} */
export const STRATEGY_HELP = {
  'if-no-sessions':
    'remove it only if it hosts no session; otherwise OpenVidu answers 409 and nothing happens',
  'when-no-sessions':
    'stop giving it sessions (waiting-idle-to-terminate) and remove it when the last one ends',
  now: 'close its sessions at once (reason mediaServerDisconnect), then remove it',
};

/**
 * An event's explanation with the server's settings filled in.
 * @param {string} name
 * @returns {{short: string, long: string}}
 */
export function eventHelp(name) {
  const help = EVENT_HELP[name] ?? { short: '', long: '' };
  const retry = store.state?.openvidu.cluster?.silentRetryMs;
  const fill = (/** @type {string} */ t) =>
    t.replaceAll('{silentRetry}', retry === undefined ? 'a few seconds' : duration(retry));
  return { short: fill(help.short), long: fill(help.long) };
}
