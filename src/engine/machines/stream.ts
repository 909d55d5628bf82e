/**
 * The stream machine: a participant's published stream (`published` → `unpublished`) and the subscriptions that
 * receive it (OpenVidu 2's OUTBOUND and INBOUND WebRTC connections), with the guards of publishing and subscribing.
 * The orders in which a departure drops them are OpenVidu's and are kept here, once.
 */
import type { StreamId } from '../../model/entities.js';
import type { ActionOf } from '../../model/commands.js';
import { javaHashMapOrder } from '../../model/java.js';
import * as ids from '../ids.js';
import { pickFrameRate } from '../metadata.js';
import type { ConnectionRecord, StreamRecord, StreamStatus, SubscriptionRecord } from '../records.js';
import type { Step } from '../step.js';
import { remove } from '../lists.js';
import { touchRecording } from './recording.js';
import { livekitRng, newTrackFacts } from './room.js';
import type { LivekitStreamFacts } from '../../model/entities.js';

export const STREAM_TRANSITIONS: Readonly<Record<StreamStatus, readonly StreamStatus[]>> = {
  published: ['unpublished'],
  unpublished: [],
};

/** What a new stream is. */
export interface StreamSpec {
  readonly videoSource: string;
  readonly audio: boolean;
  readonly video: boolean;
  readonly frameRate: number | null;
  readonly dimensions: string | null;
}

/** An IP camera's stream: it publishes as soon as it is connected. */
export const IPCAM_STREAM: StreamSpec = {
  videoSource: 'IPCAM',
  audio: true,
  video: true,
  frameRate: null,
  dimensions: null,
};

/** Refuses a publish OpenVidu refuses; otherwise the stream it publishes (drawing what the action leaves out). */
export function checkPublish(ctx: Step, c: ConnectionRecord, a: ActionOf<'publish'>): StreamSpec {
  if (c.ipcam)
    ctx.refuse(
      'ipcam-publishes-on-join',
      `participant "${c.handle}" is an IP camera: it publishes when it joins`,
    );
  if (c.stream) ctx.refuse('already-publishing', `participant "${c.handle}" is already publishing`);
  if (!c.connects)
    ctx.refuse(
      'not-connected',
      `participant "${c.handle}" joined with connects: false: its media never connects`,
    );
  if (c.role === 'SUBSCRIBER')
    ctx.refuse('role-cannot-publish', `participant "${c.handle}" has role SUBSCRIBER and may not publish`);
  const video = a.video ?? true;
  const audio = a.audio ?? true;
  if (!video && !audio) ctx.refuse('invalid-argument', 'a stream needs audio or video (both are false)');
  const rng = ctx.partition.rng.media;
  return {
    videoSource: a.videoSource ?? 'CAMERA',
    audio,
    video,
    frameRate: a.frameRate ?? pickFrameRate(rng),
    dimensions: videoDimensions(a.dimensions ?? rng.pick(DIMENSION_CHOICES)),
  };
}

const DIMENSION_CHOICES = ['640x480', '1280x720', '1280x720', '960x540'];

/** `c` publishes: its stream is up (OUTBOUND). What follows (subscribers, recording) is the publish cascade's. */
export function openStream(ctx: Step, c: ConnectionRecord, o: StreamSpec): StreamRecord {
  const s = c.session;
  const stream: StreamRecord = {
    streamId: ids.newStreamId(
      ctx.partition.rng.ids,
      o.video ? o.videoSource : undefined,
      c.connectionId,
    ) as StreamId,
    owner: c,
    createdAt: ctx.stamp(),
    videoSource: o.video ? o.videoSource : undefined,
    frameRate: o.frameRate,
    dimensions: o.dimensions,
    audio: o.audio,
    video: o.video,
    livekit: c.livekit ? livekitTracks(ctx, o) : undefined,
    status: 'published',
    subscribers: [],
  };
  touchRecording(ctx, s, +1);
  c.stream = stream;
  s.publishers++;
  ctx.emit({ type: 'streamPublished', at: stream.createdAt, stream });
  return stream;
}

/**
 * The stream's LiveKit tracks: audio first (mid 0), then video with its simulcast layers — three, or two for a
 * screen share (livekit-client's defaults).
 */
function livekitTracks(ctx: Step, o: StreamSpec): LivekitStreamFacts {
  const rng = livekitRng(ctx.partition);
  const audio = o.audio ? newTrackFacts(rng, 0, 1) : undefined;
  const layers = o.videoSource === 'SCREEN' ? 2 : o.videoSource === 'IPCAM' ? 1 : 3;
  const video = o.video ? newTrackFacts(rng, o.audio ? 1 : 0, layers) : undefined;
  return { audio, video };
}

/** `sub` receives `stream` (INBOUND). */
export function subscribe(ctx: Step, sub: ConnectionRecord, stream: StreamRecord): void {
  const subscription: SubscriptionRecord = { subscriber: sub, stream, createdAt: ctx.stamp() };
  stream.subscribers.push(subscription);
  sub.subscriptions.push(subscription);
  ctx.emit({ type: 'subscribed', at: subscription.createdAt, subscription });
}

/** Refuses a subscription OpenVidu refuses; otherwise the stream to receive. */
export function checkSubscribe(ctx: Step, sub: ConnectionRecord, pub: ConnectionRecord): StreamRecord {
  if (sub.ipcam) ctx.refuse('ipcam-cannot-subscribe', `IP camera "${sub.handle}" cannot subscribe`);
  if (sub === pub) ctx.refuse('self-subscription', `participant "${sub.handle}" cannot subscribe to itself`);
  if (sub.session !== pub.session)
    ctx.refuse('different-sessions', `"${sub.handle}" and "${pub.handle}" are in different sessions`);
  if (!pub.stream) ctx.refuse('not-publishing', `participant "${pub.handle}" is not publishing`);
  if (sub.subscriptions.some((i) => i.stream.owner === pub))
    ctx.refuse('already-subscribed', `"${sub.handle}" is already subscribed to "${pub.handle}"`);
  return pub.stream;
}

/** `unsubscribe`: the subscription of `sub` to `pub`'s stream goes. */
export function unsubscribe(ctx: Step, sub: ConnectionRecord, pub: ConnectionRecord): void {
  const subscription = sub.subscriptions.find((i) => i.stream.owner === pub);
  if (!subscription) ctx.refuse('not-subscribed', `"${sub.handle}" is not subscribed to "${pub.handle}"`);
  ctx.emit({ type: 'unsubscribed', at: ctx.stamp(), subscription, reason: 'unsubscribe' });
  remove(subscription.stream.subscribers, subscription);
  remove(sub.subscriptions, subscription);
}

/** Every subscription receiving `stream` goes, in subscription order. */
export function dropSubscribers(ctx: Step, stream: StreamRecord, reason: string): void {
  const list = stream.subscribers;
  for (let i = 0; i < list.length; i++) {
    const subscription = list[i]!;
    ctx.emit({ type: 'unsubscribed', at: ctx.stamp(), subscription, reason });
    remove(subscription.subscriber.subscriptions, subscription);
  }
  list.length = 0;
}

/**
 * Every subscription `c` owns goes, in the iteration order of OpenVidu's map of them (a Java HashMap keyed by the
 * publisher's connection id).
 */
export function dropSubscriptions(ctx: Step, c: ConnectionRecord, reason: string): void {
  const list = c.subscriptions;
  if (list.length === 0) return;
  for (const subscription of javaHashMapOrder(list, publisherIdOf)) {
    ctx.emit({ type: 'unsubscribed', at: ctx.stamp(), subscription, reason });
    remove(subscription.stream.subscribers, subscription);
  }
  list.length = 0;
}

/** `c`'s stream goes down (its OUTBOUND); its subscribers are the caller's to drop, before or after. */
export function closeStream(ctx: Step, c: ConnectionRecord, reason: string): void {
  const stream = c.stream;
  if (!stream) return;
  ctx.emit({ type: 'streamUnpublished', at: ctx.stamp(), stream, reason });
  stream.status = 'unpublished';
  touchRecording(ctx, c.session, -1);
  c.stream = undefined;
  c.session.publishers--;
}

/** Refuses unpublishing what cannot be: an IP camera's stream, or none. */
export function checkUnpublish(ctx: Step, c: ConnectionRecord): StreamRecord {
  if (c.ipcam)
    ctx.refuse('ipcam-cannot-unpublish', `the stream of IP camera "${c.handle}" cannot be unpublished`);
  if (!c.stream) ctx.refuse('not-publishing', `participant "${c.handle}" is not publishing`);
  return c.stream;
}

/** The key of a subscription in its subscriber's map: the publisher's connection id. */
function publisherIdOf(subscription: SubscriptionRecord): string {
  return subscription.stream.owner.connectionId;
}

/** openvidu-browser sends the dimensions as `JSON.stringify({width, height})`. */
function videoDimensions(wxh: string): string {
  let json = DIMENSIONS.get(wxh);
  if (json === undefined) {
    const [w, h] = wxh.split('x').map(Number);
    json = JSON.stringify({ width: w, height: h });
    // A few sizes recur (drawn, or a scenario's own): remembered, within a bound whatever the input.
    if (DIMENSIONS.size < 256) DIMENSIONS.set(wxh, json);
  }
  return json;
}

const DIMENSIONS = new Map<string, string>();
