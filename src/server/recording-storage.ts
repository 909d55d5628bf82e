/**
 * What OpenVidu's storage keeps of each recording after its session ended: the recording as its last
 * `recordingStatusChanged` described it, until deleted through the REST API. Not bounded: recordings outlive their
 * sessions.
 */
import type { EventData } from '../model/catalogue.js';

/** A recording as its last `recordingStatusChanged` described it: what OpenVidu's storage keeps after the session. */
export interface StoredRecording {
  readonly id: string;
  readonly sessionId: string;
  readonly name: string;
  readonly outputMode: string;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
  readonly resolution: string | undefined;
  readonly frameRate: number | undefined;
  readonly recordingLayout: string | undefined;
  readonly customLayout: string | undefined;
  readonly mediaNodeId: string | undefined;
  readonly createdAt: number;
  readonly size: number;
  readonly duration: number;
  readonly status: string;
}

export class RecordingStorage {
  private readonly byId = new Map<string, StoredRecording>();

  get(id: string): StoredRecording | undefined {
    return this.byId.get(id);
  }

  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** `DELETE /recordings/<id>`: storage forgets it. */
  forget(id: string): void {
    this.byId.delete(id);
  }

  clear(): void {
    this.byId.clear();
  }

  keep(d: EventData<'recordingStatusChanged'>): void {
    this.byId.set(d.id, {
      id: d.id,
      sessionId: d.sessionId ?? '',
      name: d.name,
      outputMode: d.outputMode,
      hasAudio: d.hasAudio,
      hasVideo: d.hasVideo,
      resolution: d.resolution,
      frameRate: d.frameRate,
      recordingLayout: d.recordingLayout,
      customLayout: d.customLayout,
      mediaNodeId: d.media_node_id,
      createdAt: d.startTime,
      size: d.size,
      duration: d.duration,
      status: d.status,
    });
  }
}
