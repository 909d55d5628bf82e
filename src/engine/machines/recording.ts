/**
 * The recording machine: `starting` (a composed recorder takes a while) → `started` → `stopped` → `ready` or `failed`
 * once processed; a quick-start recording closed while still starting goes `stopped` then `failed`, or stays
 * `stopped` when its media node is lost. Also what a recording's file weighs, and the auto-stop countdown
 * (OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT) that stops a recording nobody publishes to.
 */
import type { RecordingId, RecordingProps, RecordingStatus } from '../../model/entities.js';
import { forget, recordingsOf } from '../handles.js';
import { remove } from '../lists.js';
import { newTimer, type RecordingRecord, type SessionRecord } from '../records.js';
import type { Step } from '../step.js';
import { livekitRng, newEgressFacts } from './room.js';

export const RECORDING_TRANSITIONS: Readonly<Record<RecordingStatus, readonly RecordingStatus[]>> = {
  starting: ['started', 'stopped'],
  started: ['stopped'],
  stopped: ['ready', 'failed'],
  ready: [],
  failed: [],
};

/** OpenVidu's defaults for a recording's properties. */
export const DEFAULT_RECORDING: RecordingProps = {
  name: undefined,
  outputMode: 'COMPOSED',
  hasAudio: true,
  hasVideo: true,
  resolution: '1280x720',
  frameRate: 25,
  recordingLayout: 'BEST_FIT',
  customLayout: undefined,
  outcome: 'ready',
  stuck: false,
  readyCount: undefined,
};

function transition(r: RecordingRecord, to: RecordingStatus): void {
  if (!RECORDING_TRANSITIONS[r.status].includes(to)) {
    throw new Error(`internal: recording ${r.id} cannot go from ${r.status} to ${to}`);
  }
  r.status = to;
}

function isComposedVideo(props: RecordingProps): boolean {
  return props.outputMode !== 'INDIVIDUAL' && props.hasVideo;
}

/** Refuses what OpenVidu refuses of a new recording of `s`. */
export function checkNewRecording(ctx: Step, s: SessionRecord): void {
  if (s.recording) ctx.refuse('already-recording', `session "${s.handle}" is already being recorded`);
  if (s.connections.length === 0)
    ctx.refuse('no-participants', `session "${s.handle}" has no connected participants`);
}

/**
 * A new recording of `s`, `starting`: `started` at once (INDIVIDUAL, audio-only) or when its recorder is up. `automatic`:
 * started by an ALWAYS session at its first publisher.
 */
export function startRecording(
  ctx: Step,
  s: SessionRecord,
  handle: string | undefined,
  requested: Partial<RecordingProps>,
  automatic: boolean,
): RecordingRecord {
  const props: RecordingProps = { ...DEFAULT_RECORDING, ...requested };
  if (!props.hasAudio && !props.hasVideo)
    ctx.refuse('recording-without-media', 'a recording needs hasAudio or hasVideo (both are false)');
  const p = s.partition;
  const counters = (p.recordingCounters ??= new Map());
  const n = counters.get(s.sessionId) ?? 0;
  counters.set(s.sessionId, n + 1);
  const id = (n === 0 ? s.sessionId : `${s.sessionId}~${n}`) as RecordingId;
  const composedVideo = isComposedVideo(props);
  const createdAt = ctx.stamp();
  const r: RecordingRecord = {
    handle: handle ?? `${s.handle}.recording${n}`,
    id,
    session: s,
    props,
    createdAt,
    mediaNodeId: recordingNodeId(ctx, s, composedVideo, automatic),
    status: 'starting',
    startedAt: undefined,
    stoppedAt: undefined,
    reason: undefined,
    streamMs: 0,
    activeStreams: s.publishers,
    lastTouch: createdAt,
    firstStreamAt: s.publishers > 0 ? createdAt : undefined,
    lastStreamEnd: undefined,
    timer: undefined,
    livekit: s.livekit ? newEgressFacts(livekitRng(p)) : undefined,
  };
  recordingsOf(p).set(r.handle, r);
  s.recording = r;
  emit(ctx, r, 'starting', createdAt, undefined);
  const startup = startupDelay(props, ctx);
  if (startup === 0) markStarted(ctx, r);
  else r.timer = ctx.setTimer(startup, newTimer({ kind: 'recording-started', recording: r }));
  return r;
}

/**
 * The `media_node_id` of a recording (spec §2.7): in Pro the node of every composed-with-video recording; in CE only
 * for ALWAYS-mode composed ones.
 */
function recordingNodeId(
  ctx: Step,
  s: SessionRecord,
  composedVideo: boolean,
  automatic: boolean,
): string | undefined {
  if (!composedVideo) return undefined;
  if (s.node !== undefined) return s.node.id;
  return automatic ? ctx.world.settings.mediaNodeId : undefined;
}

function startupDelay(props: RecordingProps, ctx: Step): number {
  if (!isComposedVideo(props)) return 0; // INDIVIDUAL and audio-only COMPOSED start with no container
  const rng = ctx.partition.rng.timing;
  return props.outputMode === 'COMPOSED_QUICK_START' ? rng.int(300, 900) : rng.int(1200, 2600);
}

/** The recorder is up: `started`. */
export function markStarted(ctx: Step, r: RecordingRecord): void {
  r.timer = undefined;
  transition(r, 'started');
  r.startedAt = ctx.stamp();
  emit(ctx, r, 'started', r.createdAt, undefined);
}

/** Refuses stopping a recording that is not `started`, or whose recorder hung. */
export function checkStop(ctx: Step, r: RecordingRecord): void {
  if (r.status === 'starting') {
    ctx.refuse('still-starting', `recording "${r.handle}" is still starting; stop it a little later`);
  }
  if (r.status !== 'started')
    ctx.refuse('recording-not-started', `recording "${r.handle}" is already ${r.status}`);
  if (r.props.stuck) {
    ctx.refuse(
      'recording-stuck',
      `recording "${r.handle}" is stuck in "started": its recorder hung and OpenVidu's stop fails ` +
        '(OpenVidu#433); it ends "failed" when its session ends',
    );
  }
}

/**
 * Stops a recording: `stopped` now (size 0, duration 0.0), then `ready`/`failed` after processing, on a timer —
 * unless its session closes first, which finishes it at once (see cascades). `lostWithNode`: its node crashed, so
 * it stays `stopped` (a quick-start one still starting is stopped and forgotten).
 */
export function stopRecording(ctx: Step, r: RecordingRecord, reason: string, lostWithNode = false): void {
  const s = r.session;
  if (r.status === 'starting') {
    r.timer!.cancelled = true;
    r.timer = undefined;
    if (r.props.outputMode === 'COMPOSED_QUICK_START') {
      stopWhileStarting(ctx, r, reason, lostWithNode);
      return;
    }
    markStarted(ctx, r);
  }
  touchRecording(ctx, s, 0);
  s.recording = undefined;
  transition(r, 'stopped');
  r.reason = reason;
  r.stoppedAt = ctx.stamp();
  if (r.activeStreams > 0) r.lastStreamEnd = r.stoppedAt;
  emit(ctx, r, 'stopped', r.stoppedAt, reason);
  s.processing.push(r);
  r.timer = ctx.setTimer(processingDelay(ctx, r), newTimer({ kind: 'recording-processed', recording: r }));
}

/**
 * Closed while its container was still starting: stopped then failed, never started (§4.10) — or, its node crashed,
 * only stopped, as every recording of a crashed Pro node (§4.8).
 */
function stopWhileStarting(ctx: Step, r: RecordingRecord, reason: string, lostWithNode: boolean): void {
  const p = r.session.partition;
  r.session.recording = undefined;
  r.reason = reason;
  transition(r, 'stopped');
  r.stoppedAt = ctx.stamp();
  emit(ctx, r, 'stopped', r.stoppedAt, reason);
  if (lostWithNode) {
    forget(p, r.handle, `recording ${r.id} lost with its media node`, recordingsOf(p));
    return;
  }
  transition(r, 'failed');
  emit(ctx, r, 'failed', ctx.stamp(), reason);
  forget(p, r.handle, `recording ${r.id} failed`, recordingsOf(p));
}

/**
 * Processing is over: `ready` with the file's size and duration, or `failed` (an empty file, a hung recorder, or so
 * planned).
 */
export function finishRecording(ctx: Step, r: RecordingRecord): void {
  r.timer = undefined;
  const s = r.session;
  remove(s.processing, r);
  // A hung recorder wrote nothing (OpenVidu#433 shows size 0, duration 0.0).
  const media = r.props.stuck ? { size: 0, duration: 0 } : recordedMedia(ctx, r);
  const status = (r.props.outcome ?? 'ready') !== 'ready' || media.size === 0 ? 'failed' : 'ready';
  transition(r, status);
  emit(ctx, r, status, ctx.stamp(), r.reason, media.size, media.duration);
  // A LiveKit egress ends once: the repeated `ready` is OpenVidu Pro 2.22's (OpenVidu#747).
  if (status === 'ready' && ctx.world.settings.livekit === undefined) repeatReady(ctx, r, media);
  forget(s.partition, r.handle, `recording ${r.id} ${status}`, recordingsOf(s.partition));
}

/**
 * OpenVidu Pro 2.22 logged a recording's `ready` 2–5 times (OpenVidu#747): the same file, the same size and duration,
 * each a new event a moment after the last. A recording's `readyCount` asks for a number of times in any version.
 */
function repeatReady(ctx: Step, r: RecordingRecord, media: { size: number; duration: number }): void {
  const rng = ctx.partition.rng.timing;
  const times = r.props.readyCount ?? (ctx.world.settings.repeatReady ? rng.int(2, 5) : 1);
  for (let i = 1; i < times; i++) {
    ctx.elapse(rng.int(50, 1500));
    emit(ctx, r, 'ready', ctx.stamp(), r.reason, media.size, media.duration);
  }
}

/** A recording lost with its media node: forgotten while waiting for its processing (no `ready` ever). */
export function abandonProcessing(r: RecordingRecord): void {
  if (r.timer) r.timer.cancelled = true;
  const p = r.session.partition;
  remove(r.session.processing, r);
  forget(p, r.handle, `recording ${r.id} lost with its media node`, recordingsOf(p));
}

export function processingDelay(ctx: Step, r: RecordingRecord): number {
  const seconds = ((r.stoppedAt ?? r.createdAt) - r.createdAt) / 1000;
  const rng = ctx.partition.rng.timing;
  return r.props.outputMode === 'INDIVIDUAL'
    ? rng.int(40, 400) + Math.round(seconds * 2)
    : rng.int(800, 2500) + Math.round(seconds * 8);
}

/** Size (bytes) and duration (s, ms precision) consistent with what was recorded. */
function recordedMedia(ctx: Step, r: RecordingRecord): { size: number; duration: number } {
  const rng = ctx.partition.rng.media;
  if (r.props.outputMode === 'INDIVIDUAL') {
    const from = r.firstStreamAt;
    const to = r.lastStreamEnd ?? r.stoppedAt;
    if (from === undefined || to === undefined || r.streamMs <= 0) return { size: 0, duration: 0 };
    const bytesPerSecond = r.props.hasVideo ? rng.int(70_000, 160_000) : rng.int(5_000, 9_000);
    const duration = Math.max(0.001, (to - from - rng.int(60, 300)) / 1000);
    return {
      size: Math.round((r.streamMs / 1000) * bytesPerSecond) + rng.int(800, 4000),
      duration: round3(duration),
    };
  }
  const began = r.startedAt ?? r.createdAt;
  const duration = Math.max(0.04, ((r.stoppedAt ?? began) - began - rng.int(100, 600)) / 1000);
  const [w, h] = r.props.resolution.split('x').map(Number);
  const bitsPerSecond = r.props.hasVideo
    ? (w ?? 1280) * (h ?? 720) * r.props.frameRate * rng.real(0.065, 0.095) + (r.props.hasAudio ? 64_000 : 0)
    : 48_000;
  return {
    size: Math.round((duration * bitsPerSecond) / 8) + rng.int(2_000, 40_000),
    duration: round3(duration),
  };
}

/** Updates the recorded-stream integral before the number of published streams changes by `delta`. */
export function touchRecording(ctx: Step, s: SessionRecord, delta: number): void {
  const r = s.recording;
  if (!r) return;
  const t = ctx.now;
  r.streamMs += (t - r.lastTouch) * r.activeStreams;
  r.lastTouch = t;
  r.activeStreams += delta;
  if (delta > 0 && r.firstStreamAt === undefined) r.firstStreamAt = t;
  if (delta < 0 && r.activeStreams === 0) r.lastStreamEnd = t;
}

function emit(
  ctx: Step,
  r: RecordingRecord,
  status: RecordingStatus,
  at: number,
  reason: string | undefined,
  size = 0,
  duration = 0,
): void {
  ctx.emit({ type: 'recordingStatus', at, recording: r, status, reason, size, duration });
}

// ---------------------------------------------------------------------------------------------------------------------
// The auto-stop countdown (OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, §4.4)

/** Arms the countdown when a recording runs and nobody publishes. */
export function checkAutostop(ctx: Step, s: SessionRecord): void {
  if (s.recording && !s.autostop && s.publishers === 0) armAutostop(ctx, s);
}

export function armAutostop(ctx: Step, s: SessionRecord): void {
  if (s.autostop) return;
  s.autostop = ctx.setTimer(ctx.world.settings.autostopMs, newTimer({ kind: 'autostop', session: s }));
}

export function cancelAutostop(s: SessionRecord): void {
  if (s.autostop) {
    s.autostop.cancelled = true;
    s.autostop = undefined;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
