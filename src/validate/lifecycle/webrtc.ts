/**
 * WebRTC connections (spec §2.5, §2.6, §3, §4.2): an OUTBOUND per publisher, INBOUNDs from a publisher that is
 * publishing the same stream with the same media, each destroyed once with the fields it was created with; stream
 * ids that name their publisher and media.
 */
import { at, excerpt, get, int, isConnectionId, str, STREAM_ID, type EventInput } from '../event-input.js';
import { bodyKeys } from '../wire-layout.js';
import type { RuleContext } from './context.js';
import { cascadeReason, reportMissingStart } from './end-events.js';
import { actingParticipant, ownerId } from './participants.js';
import { firstDifference, snapshot, type Session, type Webrtc } from './state.js';

const STREAM_PREFIX: Readonly<Record<string, string>> = {
  CAMERA: 'CAM',
  SCREEN: 'SCR',
  CUSTOM: 'CUS',
  IPCAM: 'IPC',
};
/** What webrtcConnectionDestroyed must repeat of its creation: the connection fields of the catalogue. */
const WEBRTC_TAIL_KEYS = bodyKeys('webrtcConnectionCreated');
/** Media options an INBOUND copies from its publisher's OUTBOUND (spec §2.5). */
const MEDIA_KEYS = [
  'videoSource',
  'videoFramerate',
  'videoDimensions',
  'audioEnabled',
  'videoEnabled',
] as const;

export function onWebrtcCreated(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const b = ev.body;
  const owner = ownerId(ctx, ev, minor);
  const connection = str(b, 'connection');
  const streamId = str(b, 'streamId');
  if (owner === undefined || streamId === undefined) return;
  if (session.closing !== undefined) {
    ctx.flag(
      ev,
      'cascade',
      `webrtcConnectionCreated while session ${session.sessionId} is being closed ("${session.closing.reason}" at ${at(session.closing.where)})`,
    );
  }
  actingParticipant(ctx, ev, session, owner);
  const entry: Webrtc = {
    where: ev.where,
    streamId,
    timestamp: int(b, 'timestamp'),
    tail: snapshot(b, WEBRTC_TAIL_KEYS),
    media: snapshot(b, MEDIA_KEYS),
    leftOpen: false,
  };
  if (connection === 'OUTBOUND') outboundCreated(ctx, ev, session, owner, entry);
  else if (connection === 'INBOUND') inboundCreated(ctx, ev, session, owner, entry);
}

function outboundCreated(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  owner: string,
  entry: Webrtc,
): void {
  checkStreamId(ctx, ev, entry.streamId, owner);
  register(
    ctx,
    ev,
    session.outbound,
    owner,
    entry,
    (e) => `${owner} already publishes ${e.streamId} (${at(e.where)})`,
  );
}

function inboundCreated(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  owner: string,
  entry: Webrtc,
): void {
  const sender = str(ev.body, 'receivingFrom');
  if (sender === undefined) return;
  if (!isConnectionId(sender)) {
    ctx.flag(ev, 'id-format', `receivingFrom "${excerpt(sender, 50)}" is not a connection id`);
  }
  checkStreamId(ctx, ev, entry.streamId, sender);
  checkPublisher(ctx, ev, session, sender, entry);
  const k = `${owner}\n${sender}`;
  register(
    ctx,
    ev,
    session.inbound,
    k,
    entry,
    (e) => `${owner} already receives from ${sender} (${at(e.where)})`,
  );
}

/**
 * Opens a connection. One already open under the same key is a pairing error; the first one stays open when the
 * stream may hold the destroyed event that will end it, else the new one replaces it.
 */
function register(
  ctx: RuleContext,
  ev: EventInput,
  map: Map<string, Webrtc>,
  k: string,
  entry: Webrtc,
  duplicate: (existing: Webrtc) => string,
): void {
  const existing = map.get(k);
  if (existing !== undefined) {
    ctx.flag(ev, 'pairing', duplicate(existing), 'error', ['webrtcConnectionDestroyed']);
    if (ctx.mayHold('webrtcConnectionDestroyed')) return;
  }
  map.set(k, entry);
}

/** An INBOUND receives the stream its sender publishes, with the publisher's media options (spec §2.5). */
function checkPublisher(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  sender: string,
  entry: Webrtc,
): void {
  const publisher = session.outbound.get(sender);
  if (publisher === undefined) {
    if (session.complete || session.participants.get(sender)?.implicit === false) {
      ctx.flag(ev, 'inbound-publisher', `receivingFrom ${sender} does not publish (no open OUTBOUND)`);
    }
  } else if (publisher.streamId !== entry.streamId) {
    ctx.flag(
      ev,
      'inbound-publisher',
      `streamId ${entry.streamId} is not the stream ${sender} publishes (${publisher.streamId}, ${at(publisher.where)})`,
    );
  } else {
    const diff = firstDifference(publisher.media, entry.media, MEDIA_KEYS);
    if (diff !== undefined) {
      ctx.flag(ev, 'inbound-publisher', `${diff} in the publisher's OUTBOUND (${at(publisher.where)})`);
    }
  }
}

export function onWebrtcDestroyed(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const b = ev.body;
  const owner = ownerId(ctx, ev, minor);
  const connection = str(b, 'connection');
  const streamId = str(b, 'streamId');
  const reason = str(b, 'reason');
  if (owner === undefined || streamId === undefined) return;
  if (reason === undefined) {
    ctx.flag(ev, 'reason', 'webrtcConnectionDestroyed without a reason', 'warning');
  } else if (reason === 'unsubscribe' && connection === 'OUTBOUND') {
    ctx.flag(ev, 'reason', 'reason "unsubscribe" on an OUTBOUND connection (only a subscriber unsubscribes)');
  }
  cascadeReason(ctx, ev, session, reason);

  let map: Map<string, Webrtc>;
  let k: string;
  let what: string;
  if (connection === 'OUTBOUND') {
    map = session.outbound;
    k = owner;
    what = `OUTBOUND ${streamId}`;
  } else if (connection === 'INBOUND') {
    const sender = str(b, 'receivingFrom');
    if (sender === undefined) return;
    map = session.inbound;
    k = `${owner}\n${sender}`;
    what = `INBOUND ${owner}<-${sender}`;
  } else {
    return;
  }
  closeConnection(ctx, ev, session, { map, k, what, owner, streamId });
}

/** One connection a destroyed event names: its map and key, how messages call it, its owner and stream. */
interface Target {
  readonly map: Map<string, Webrtc>;
  readonly k: string;
  readonly what: string;
  readonly owner: string;
  readonly streamId: string;
}

/** Ends the named connection, checking the destroyed event against its creation. */
function closeConnection(ctx: RuleContext, ev: EventInput, session: Session, target: Target): void {
  const { map, k, what, owner, streamId } = target;
  const startTime = int(ev.body, 'startTime');
  const open = map.get(k);
  if (open !== undefined && str(ev.body, 'connection') === 'OUTBOUND' && open.streamId !== streamId) {
    ctx.flag(
      ev,
      'pairing',
      `webrtcConnectionDestroyed of ${streamId} but ${owner} publishes ${open.streamId} (${at(open.where)})`,
    );
    map.delete(k); // one publisher, one OUTBOUND: this ends it, whatever the id says
    return;
  }
  if (open === undefined) {
    const ownerKnown = session.participants.get(owner)?.implicit === false;
    reportMissingStart(
      ctx,
      ev,
      session,
      startTime,
      session.complete || ownerKnown,
      `webrtcConnectionDestroyed of ${what} without webrtcConnectionCreated`,
      'webrtcConnectionCreated',
    );
    return;
  }
  if (startTime !== undefined && open.timestamp !== undefined && startTime !== open.timestamp) {
    ctx.flag(
      ev,
      'start-time',
      `startTime ${startTime} differs from the webrtcConnectionCreated timestamp ${open.timestamp} (${at(open.where)})`,
    );
  }
  const diff = firstDifference(open.tail, snapshot(ev.body, WEBRTC_TAIL_KEYS), WEBRTC_TAIL_KEYS);
  if (diff !== undefined)
    ctx.flag(ev, 'field-mismatch', `${diff} in webrtcConnectionCreated (${at(open.where)})`);
  map.delete(k);
}

/**
 * A streamId is `str_<CAM|SCR|CUS|IPC|MIC>_<Xxxx>_<publisher connection id>` and its media prefix follows
 * the publisher's videoSource (spec §3).
 */
export function checkStreamId(ctx: RuleContext, ev: EventInput, streamId: string, publisher: string): void {
  const m = STREAM_ID.exec(streamId);
  if (m === null) {
    ctx.flag(
      ev,
      'id-format',
      `streamId "${excerpt(streamId, 50)}" is not str_<CAM|SCR|CUS|IPC|MIC>_<4 chars>_<connection id>`,
    );
    return;
  }
  const [, prefix, connection] = m;
  if (connection !== publisher) {
    ctx.flag(
      ev,
      'id-format',
      `streamId ${streamId} does not end with the publisher's connection id ${publisher}`,
    );
    return;
  }
  const source = str(ev.body, 'videoSource');
  const expected = source === undefined ? undefined : STREAM_PREFIX[source];
  if (prefix === 'MIC' && get(ev.body, 'videoEnabled') === true) {
    ctx.flag(ev, 'id-format', `streamId ${streamId} is audio-only (MIC) but "videoEnabled" is true`);
  } else if (prefix !== 'MIC' && expected !== undefined && expected !== prefix) {
    ctx.flag(
      ev,
      'id-format',
      `streamId prefix ${prefix ?? ''} does not match videoSource ${source ?? ''} (expected ${expected})`,
    );
  }
}
