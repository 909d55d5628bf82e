/**
 * The LiveKit side of `serve --server openvidu3`: each cascade's facts rendered to the `WebhookEvent`s OpenVidu 3
 * sends (the renderer `generate` and `run` use), their exact bodies, and the rooms, participants, tracks, egresses
 * and ingresses as a consumer reading those events knows them. The world is built from the events alone, so the
 * page shows what a consumer can know, stale `numParticipants` included.
 */
import type { Fact } from '../model/facts.js';
import { marshalWebhookEvent } from '../model/livekit/protojson-writer.js';
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import type { LivekitProfile } from '../model/ov3/livekit-profile.js';
import { livekitEvents, type ServerSettings } from '../model/ov3/server-wire.js';
import type {
  LivekitServerKind,
  LivekitBatchView,
  LivekitEgressRecord,
  LivekitEventEntry,
  LivekitIngressRecord,
  LivekitPageView,
  LivekitParticipantRecord,
  LivekitRoomRecord,
  LivekitTrackRecord,
  LivekitWorld,
} from './livekit-view-types.js';

/** Events kept for a page that connects late. */
const EVENTS_KEPT = 2_000;
/** Records kept per kind; the oldest go first (a long run must not grow the server's memory). */
export const RECORDS_KEPT = 2_000;

/** Receives each event with its entry (the WebHook sender). */
export type LivekitListener = (event: WebhookEvent, entry: LivekitEventEntry) => void;

export class LivekitView {
  private readonly render: (fact: Fact, emit: (e: WebhookEvent) => void) => void;
  private readonly events: LivekitEventEntry[] = [];
  private readonly rooms = new Map<string, LivekitRoomRecord>();
  private readonly participants = new Map<string, LivekitParticipantRecord>();
  private readonly tracks = new Map<string, LivekitTrackRecord>();
  private readonly egresses = new Map<string, LivekitEgressRecord>();
  private readonly ingresses = new Map<string, LivekitIngressRecord>();
  /** Room names that had a room_finished: a later room_started under one is a resurrection. */
  private readonly finishedNames = new Set<string>();
  private seq = 0;
  /** `kind:key` of the records changed by the cascade being applied. */
  private touched = new Set<string>();

  /** @param emit receives each event as it is rendered (the WebHook sender) */
  constructor(
    private readonly server: ServerSettings,
    private readonly emit: LivekitListener = () => undefined,
  ) {
    this.render = livekitEvents(server);
  }

  /** Renders a cascade's facts; returns its events and the world after them. */
  apply(batch: number, facts: readonly Fact[]): LivekitBatchView {
    const added: LivekitEventEntry[] = [];
    this.touched = new Set();
    const spaceAfterComma = this.server.livekit.spaceAfterComma;
    for (const fact of facts)
      this.render(fact, (e) => {
        const entry = this.entry(batch, fact.at, e, marshalWebhookEvent(e, { spaceAfterComma }));
        this.update(e, fact.at);
        added.push(entry);
        this.events.push(entry);
        if (this.events.length > EVENTS_KEPT) this.events.shift();
        this.emit(e, entry);
      });
    return { events: added, world: this.patch() };
  }

  /** The records the last `apply` touched (a long run's world is large; a cascade changes a few records). */
  private patch(): LivekitWorld {
    const pick = <T>(map: Map<string, T>, kind: string): T[] =>
      [...map.entries()].filter(([k]) => this.touched.has(`${kind}:${k}`)).map(([, v]) => v);
    return {
      rooms: pick(this.rooms, 'room'),
      participants: pick(this.participants, 'participant'),
      tracks: pick(this.tracks, 'track'),
      egresses: pick(this.egresses, 'egress'),
      ingresses: pick(this.ingresses, 'ingress'),
    };
  }

  world(): LivekitWorld {
    return {
      rooms: [...this.rooms.values()],
      participants: [...this.participants.values()],
      tracks: [...this.tracks.values()],
      egresses: [...this.egresses.values()],
      ingresses: [...this.ingresses.values()],
    };
  }

  /** The server the page names: OpenVidu 3, or Meet on top of it. */
  get serverKind(): LivekitServerKind {
    return this.server.kind === 'meet' ? 'meet' : 'openvidu3';
  }

  get livekitVersion(): string {
    return this.server.livekit.version;
  }

  get profile(): LivekitProfile {
    return this.server.livekit;
  }

  page(): LivekitPageView {
    return {
      server: this.serverKind,
      livekitVersion: this.server.livekit.version,
      world: this.world(),
      events: [...this.events],
    };
  }

  private entry(batch: number, at: number, e: WebhookEvent, body: string): LivekitEventEntry {
    const room = e.room;
    const subject =
      e.participant?.identity ?? e.egressInfo?.egressId ?? e.ingressInfo?.ingressId ?? e.track?.sid ?? null;
    return {
      seq: ++this.seq,
      batch,
      event: e.event ?? '',
      id: e.id ?? '',
      at,
      createdAt: String(e.createdAt ?? 0),
      body,
      roomName: room?.name ?? e.egressInfo?.roomName ?? e.ingressInfo?.roomName ?? null,
      roomSid: room?.sid ?? e.egressInfo?.roomId ?? null,
      subject,
      notes: this.notesOf(e),
    };
  }

  /** The cases consumers trip on, judged against what earlier events said. */
  private notesOf(e: WebhookEvent): string[] {
    const notes: string[] = [];
    const roomSid = e.room?.sid ?? e.egressInfo?.roomId;
    const room = roomSid === undefined ? undefined : this.rooms.get(roomSid);
    const name = e.event ?? '';
    if (room?.state === 'finished' && name !== 'room_finished') notes.push('after-room-finished');
    if (name === 'room_started' && e.room?.name !== undefined && this.finishedNames.has(e.room.name))
      notes.push('room-restarted');
    if (name === 'participant_left' && e.participant) {
      const p = e.participant;
      const known = p.sid === undefined ? undefined : this.participants.get(p.sid);
      if (known?.state === 'DISCONNECTED') notes.push('duplicate-left');
      const successor = [...this.participants.values()].some(
        (o) =>
          o.identity === p.identity && o.sid !== p.sid && o.roomSid === roomSid && o.state !== 'DISCONNECTED',
      );
      if (successor) notes.push('late-left-after-reconnect');
    }
    // EGRESS_STARTING is the zero enum: protojson leaves the field out.
    if (name === 'egress_started' && (e.egressInfo?.status ?? 'EGRESS_STARTING') === 'EGRESS_STARTING')
      notes.push('egress-no-status');
    if (name === 'egress_ended' && e.egressInfo) {
      const info = e.egressInfo;
      if ((info.fileResults?.length ?? 0) === 0 && info.result?.case === 'file')
        notes.push('file-results-empty');
    }
    return notes;
  }

  private update(e: WebhookEvent, at: number): void {
    const name = e.event ?? '';
    if (e.room?.sid !== undefined) this.updateRoom(name, e, at);
    if (e.participant?.sid !== undefined && name.startsWith('participant_'))
      this.updateParticipant(name, e, at);
    if (e.track?.sid !== undefined && e.participant?.sid !== undefined) this.updateTrack(name, e);
    if (e.egressInfo?.egressId !== undefined) this.updateEgress(name, e);
    if (e.ingressInfo?.ingressId !== undefined) this.updateIngress(name, e);
  }

  private updateRoom(name: string, e: WebhookEvent, at: number): void {
    const r = e.room!;
    const sid = r.sid!;
    const old = this.rooms.get(sid);
    // Track and egress events carry only the room's sid and name: the counts stay as the last full Room said.
    const full = r.creationTime !== undefined;
    const finished = name === 'room_finished';
    if (finished && r.name !== undefined) this.finishedNames.add(r.name);
    this.keep(this.rooms, 'room', sid, {
      sid,
      name: r.name ?? old?.name ?? '',
      numParticipants: full ? (r.numParticipants ?? 0) : (old?.numParticipants ?? 0),
      numPublishers: full ? (r.numPublishers ?? 0) : (old?.numPublishers ?? 0),
      state: finished || old?.state === 'finished' ? 'finished' : 'open',
      startedAt: old?.startedAt ?? at,
      finishedAt: finished ? at : (old?.finishedAt ?? null),
    });
  }

  private updateParticipant(name: string, e: WebhookEvent, at: number): void {
    const p = e.participant!;
    this.keep(this.participants, 'participant', p.sid!, {
      sid: p.sid!,
      identity: p.identity ?? '',
      roomSid: e.room?.sid ?? '',
      roomName: e.room?.name ?? '',
      // protojson omits the zero enum: no state is JOINING, no kind is STANDARD.
      state: p.state ?? 'JOINING',
      kind: p.kind ?? 'STANDARD',
      disconnectReason: p.disconnectReason ?? null,
      lastEvent: name,
      at,
    });
  }

  private updateTrack(name: string, e: WebhookEvent): void {
    const t = e.track!;
    const p = e.participant!;
    this.keep(this.tracks, 'track', t.sid!, {
      sid: t.sid!,
      participantSid: p.sid!,
      participantIdentity: p.identity ?? '',
      roomSid: e.room?.sid ?? '',
      source: t.source ?? 'UNKNOWN',
      type: t.type ?? 'AUDIO',
      mimeType: t.mimeType ?? '',
      simulcast: t.simulcast ?? false,
      layers: (t.layers ?? []).map((l) => `${l.quality ?? 'LOW'} ${l.width ?? 0}x${l.height ?? 0}`),
      published: name !== 'track_unpublished',
    });
  }

  private updateEgress(name: string, e: WebhookEvent): void {
    const info = e.egressInfo!;
    const old = this.egresses.get(info.egressId!);
    this.keep(this.egresses, 'egress', info.egressId!, {
      egressId: info.egressId!,
      roomName: info.roomName ?? old?.roomName ?? '',
      request: info.request?.case ?? old?.request ?? '',
      // No status is EGRESS_STARTING, the zero enum, which protojson omits.
      statuses: [...(old?.statuses ?? []), info.status ?? 'EGRESS_STARTING'],
      error: info.error ?? null,
      ended: name === 'egress_ended',
    });
  }

  private updateIngress(name: string, e: WebhookEvent): void {
    const info = e.ingressInfo!;
    const old = this.ingresses.get(info.ingressId!);
    this.keep(this.ingresses, 'ingress', info.ingressId!, {
      ingressId: info.ingressId!,
      name: info.name ?? '',
      roomName: info.roomName ?? '',
      statuses: [...(old?.statuses ?? []), info.state?.status ?? 'ENDPOINT_INACTIVE'],
      ended: name === 'ingress_ended',
    });
  }

  /** Sets a record, forgetting the oldest past RECORDS_KEPT (the page forgets them when its own copy passes it). */
  private keep<T>(map: Map<string, T>, kind: string, key: string, value: T): void {
    map.set(key, value);
    this.touched.add(`${kind}:${key}`);
    if (map.size > RECORDS_KEPT) map.delete(map.keys().next().value!);
  }
}
