// @ts-check
// OpenVidu 3 on the page (`serve --server openvidu3`): the LiveKit events and world the server sends, the rooms view
// built from them, and what each event means for a consumer. No DOM here: the tests run it under Node.

/** @typedef {import('../view-types.js').LivekitPageView} LivekitPageView */
/** @typedef {import('../view-types.js').LivekitBatchView} LivekitBatchView */
/** @typedef {import('../view-types.js').LivekitEventEntry} LivekitEventEntry */
/** @typedef {import('../view-types.js').LivekitWorld} LivekitWorld */
/** @typedef {import('../view-types.js').LivekitRoomRecord} LivekitRoomRecord */
/** @typedef {import('../view-types.js').LivekitParticipantRecord} LivekitParticipantRecord */
/** @typedef {import('../view-types.js').LivekitTrackRecord} LivekitTrackRecord */
/** @typedef {import('../view-types.js').LivekitEgressRecord} LivekitEgressRecord */
/** @typedef {import('../view-types.js').LivekitIngressRecord} LivekitIngressRecord */

/** LiveKit events kept on the page. */
export const MAX_LIVEKIT_EVENTS = 1000;

export const livekitStore = {
  /** @type {LivekitPageView | null} */
  view: null,
};

/** Takes the whole view (a hello, a reset, the first state). @param {LivekitPageView | undefined} view */
export function setLivekit(view) {
  livekitStore.view = view ?? null;
}

/** Records kept per kind, as the server keeps them (the oldest go first). */
const RECORDS_KEPT = 2000;

/**
 * Merges changed records by key, in first-seen order, forgetting the oldest past RECORDS_KEPT.
 * @template T
 * @param {readonly T[]} current
 * @param {readonly T[]} changed
 * @param {(r: T) => string} key
 * @returns {T[]}
 */
function merge(current, changed, key) {
  if (changed.length === 0) return [...current];
  const byKey = new Map(current.map((r) => [key(r), r]));
  for (const r of changed) {
    byKey.set(key(r), r);
    if (byKey.size > RECORDS_KEPT) byKey.delete(/** @type {string} */ (byKey.keys().next().value));
  }
  return [...byKey.values()];
}

/** Adds one cascade's LiveKit events and merges the records they changed. @param {LivekitBatchView} batch */
export function addLivekitBatch(batch) {
  const v = livekitStore.view;
  if (!v) return;
  const events = [...v.events, ...batch.events];
  const w = v.world;
  const p = batch.world;
  livekitStore.view = {
    ...v,
    world: {
      rooms: merge(w.rooms, p.rooms, (r) => r.sid),
      participants: merge(w.participants, p.participants, (r) => r.sid),
      tracks: merge(w.tracks, p.tracks, (r) => r.sid),
      egresses: merge(w.egresses, p.egresses, (r) => r.egressId),
      ingresses: merge(w.ingresses, p.ingresses, (r) => r.ingressId),
    },
    events: events.length > MAX_LIVEKIT_EVENTS ? events.slice(-MAX_LIVEKIT_EVENTS) : events,
  };
}

/**
 * @typedef {object} ParticipantRow
 * @property {LivekitParticipantRecord} participant
 * @property {LivekitTrackRecord[]} tracks
 * @property {string} stateHelp
 */
/**
 * @typedef {object} RoomCard
 * @property {LivekitRoomRecord} room
 * @property {ParticipantRow[]} participants
 * @property {LivekitEgressRecord[]} egresses
 * @property {LivekitIngressRecord[]} ingresses
 */

/**
 * The rooms view: each room (newest first) with its participants (recorders and ingresses included, each with its
 * tracks), its egresses and ingresses.
 * @param {LivekitWorld} world
 * @returns {RoomCard[]}
 */
export function roomCards(world) {
  return [...world.rooms].reverse().map((room) => ({
    room,
    participants: world.participants
      .filter((p) => p.roomSid === room.sid)
      .map((participant) => ({
        participant,
        tracks: world.tracks.filter((t) => t.participantSid === participant.sid),
        stateHelp: PARTICIPANT_STATE_HELP[participant.state] ?? participant.state,
      })),
    egresses: world.egresses.filter((e) => e.roomName === room.name),
    ingresses: world.ingresses.filter((i) => i.roomName === room.name),
  }));
}

/** One track in a few words: `VIDEO CAMERA video/VP8 · simulcast HIGH 1280x720, …`. @param {LivekitTrackRecord} t */
export function trackWords(t) {
  const layers = t.simulcast && t.layers.length > 0 ? ` · simulcast ${t.layers.join(', ')}` : '';
  return `${t.type} ${t.source} ${t.mimeType}${layers}${t.published ? '' : ' · unpublished'}`;
}

/** An egress's status progression: `EGRESS_STARTING → EGRESS_ACTIVE → …`. @param {{statuses: readonly string[]}} e */
export function statusTrail(e) {
  return e.statuses.map((s) => s.replace(/^EGRESS_/, '')).join(' → ');
}

/** @type {Record<string, string>} */
export const PARTICIPANT_STATE_HELP = {
  JOINING: 'connecting: signalled in, media not connected yet',
  JOINED: 'signalled in, media not connected yet',
  ACTIVE: 'connected (ICE up): participant_joined is sent only now',
  DISCONNECTED: 'gone: participant_left (or participant_connection_aborted) was sent',
};

/** What each LiveKit event means for a consumer. @type {Record<string, {short: string, long: string}>} */
export const LIVEKIT_EVENT_HELP = {
  room_started: {
    short: 'A room now exists (OpenVidu 3 calls a session a room).',
    long: 'Created by the first participant joining or by your backend (RoomService.CreateRoom). room.sid (RM_…) names this instance: a room closed and reopened under the same name gets a new sid.',
  },
  room_finished: {
    short: 'The room closed.',
    long: 'departureTimeout (default 20 s) after the last participant left, emptyTimeout (default 300 s) if nobody ever came, or DeleteRoom. Egress events may still arrive after it: they travel on their own queue.',
  },
  participant_joined: {
    short: "A participant's media connected (state ACTIVE).",
    long: "Sent when ICE connects, not when the participant signals in: someone whose connection never comes up never gets this event. room.numParticipants is the server's count at that instant, and may be stale by the time you read it.",
  },
  participant_left: {
    short: 'A participant left (state DISCONNECTED).',
    long: 'disconnectReason says why: CLIENT_INITIATED, DUPLICATE_IDENTITY (the same identity reconnected, and this is the old one), SERVER_SHUTDOWN, PARTICIPANT_REMOVED, ROOM_DELETED, JOIN_FAILURE… Key your state by participant.sid (PA_…), not identity: an identity can have two sids for a moment.',
  },
  participant_connection_aborted: {
    short: 'A participant signalled in but its media never connected.',
    long: 'LiveKit 1.9.1+ sends this instead of participant_left for a participant that never became ACTIVE (1.3.3–1.9.0 sent nothing, earlier versions a lone participant_left). There was no participant_joined for it: do not count it as present.',
  },
  track_published: {
    short: 'A participant published a track.',
    long: 'One event per track: a camera with a microphone is two (VIDEO and AUDIO). track carries its sid (TR_…), source, mimeType and, for simulcast video, its layers. Only {sid, name} of the room and {sid, identity} of the participant come with it. Subscriptions send nothing.',
  },
  track_unpublished: {
    short: 'A track stopped being published.',
    long: 'Sent when the participant unpublishes or leaves, before its participant_left.',
  },
  egress_started: {
    short: 'A recording or stream egress was requested.',
    long: 'egressInfo.status may be absent (EGRESS_STARTING is the zero value, which protojson omits). A room composite egress joins the room as a hidden participant of kind EGRESS: expect its participant_joined and participant_left.',
  },
  egress_updated: {
    short: 'An egress changed status (ACTIVE, then ENDING).',
    long: 'Egress events have their own queue per egress id: they are in order among themselves but may overtake or trail the room events.',
  },
  egress_ended: {
    short: 'An egress ended: COMPLETE, FAILED, ABORTED or LIMIT_REACHED.',
    long: 'fileResults lists the files (the deprecated file result holds the first one; some builds fill only that). It often arrives after room_finished: the recorder finishes uploading after the room closes. Times are nanoseconds, as strings.',
  },
  ingress_started: {
    short: 'An ingress (an IP camera, RTMP or WHIP input) started publishing.',
    long: 'It publishes into the room as a participant of kind INGRESS; ingressInfo.state.status is ENDPOINT_PUBLISHING.',
  },
  ingress_ended: {
    short: 'An ingress stopped publishing.',
    long: 'Its INGRESS participant leaves the room; ingressInfo.state.status says how it ended.',
  },
};

/** What the notes the server puts on an event mean. @type {Record<string, string>} */
export const LIVEKIT_NOTES = {
  'after-room-finished':
    'This arrives after room_finished for its room: egress and late participant events do; a consumer must not treat room_finished as the last word.',
  'room-restarted':
    'A room of this name finished before: this is a new room (new sid), e.g. clients reconnecting after a DeleteRoom.',
  'late-left-after-reconnect':
    'Fast reconnect: the same identity already joined again with a new sid; this participant_left is about the old sid. Removing by identity would remove the person who is still there.',
  'duplicate-left':
    'A second participant_left for a sid that already left (LiveKit builds before the fix sent it twice): handle it idempotently.',
  'egress-no-status':
    'No status field: it is EGRESS_STARTING, omitted as protojson omits zero values. Do not require the field.',
  'file-results-empty': 'fileResults is empty: the file is only in the deprecated file result. Read both.',
};

/**
 * The explanation of one event: its meaning and the notes that apply to this occurrence.
 * @param {LivekitEventEntry} e
 * @returns {{short: string, long: string, notes: string[]}}
 */
export function explainLivekit(e) {
  const help = LIVEKIT_EVENT_HELP[e.event] ?? { short: e.event, long: '' };
  return { ...help, notes: e.notes.map((n) => LIVEKIT_NOTES[n] ?? n) };
}

/** What a delivery's answer means under LiveKit's notifier. @param {{ok: boolean, outcome: string}} d */
export function livekitDeliveryHelp(d) {
  if (d.ok) return 'the endpoint accepted it';
  if (d.outcome.startsWith('dropped'))
    return 'LiveKit dropped it (queue over 200, or 30 s waiting) and never tells the receiver';
  if (/^4\d\d$/.test(d.outcome)) return 'a 4xx ends the send: LiveKit counts it as sent and does not retry';
  return 'LiveKit retried (network errors and 5xx, 5 attempts, exponential backoff) and gave up';
}
