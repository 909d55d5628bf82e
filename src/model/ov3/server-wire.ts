/**
 * The wire of each OpenVidu 3 flavour over one run's facts: the typed events a sender needs (LiveKit `WebhookEvent`s,
 * Meet events, OpenVidu 2 events degraded by the v2-compatibility module) and, for `generate`, the exact bytes each
 * would POST. OpenVidu 2 keeps its own byte path (Profile).
 */
import type { CdrEvent } from '../catalogue.js';
import type { Fact } from '../facts.js';
import { marshalWebhookEvent } from '../livekit/protojson-writer.js';
import type { WebhookEvent } from '../livekit/webhook-event.js';
import { meetWebhookBody, type MeetMode } from '../meet/meet-body.js';
import { toCdrEvent } from '../ov2-events.js';
import { Profile } from '../profile.js';
import { DEFAULT_VERSION } from '../version.js';
import type { ServerKind } from '../servers.js';
import { toV2Compat, V2COMPAT_EVENTS } from '../v2compat.js';
import { LivekitProfile, type LivekitProfileOptions } from './livekit-profile.js';
import { LivekitRenderer } from './livekit-renderer.js';
import { MeetRenderer, type MeetEvent } from './meet-renderer.js';

/** The server imitated and how its OpenVidu 3 wire is written. */
export interface ServerSettings {
  readonly kind: ServerKind;
  /** The LiveKit build (every OpenVidu 3 flavour runs on one). */
  readonly livekit: LivekitProfile;
  /** Meet's `MEET_MODE`; default `compatibility`. */
  readonly meetMode?: MeetMode | undefined;
  /** `V2COMPAT_OPENVIDU_WEBHOOK_EVENTS`; default the module's eight. */
  readonly v2compatEvents?: readonly string[] | undefined;
}

export function serverSettings(kind: ServerKind, livekit: LivekitProfileOptions = {}): ServerSettings {
  return { kind, livekit: new LivekitProfile(livekit) };
}

/** One body as the server POSTs it: its event's name, the instant it was made (ms) and its text. */
export type BodyListener = (name: string, at: number, body: string) => void;

/** Renders facts into one flavour's bodies; stateful (render each fact of a run once, in order). */
export type BodyRenderer = (fact: Fact, emit: BodyListener) => void;

/** The LiveKit events of facts. */
export function livekitEvents(server: ServerSettings): (fact: Fact, emit: (e: WebhookEvent) => void) => void {
  const r = new LivekitRenderer(server.livekit);
  return (fact, emit) => r.render(fact, emit);
}

/** The Meet events of facts. */
export function meetEvents(server: ServerSettings): (fact: Fact, emit: (e: MeetEvent) => void) => void {
  const r = new MeetRenderer(new LivekitRenderer(server.livekit), server.meetMode ?? 'compatibility');
  return (fact, emit) => r.render(fact, emit);
}

/** The event the v2-compatibility module sends for a fact, or undefined. */
export function v2compatEvent(server: ServerSettings, fact: Fact): CdrEvent | undefined {
  const e = toCdrEvent(fact);
  return e && toV2Compat(e, { events: server.v2compatEvents ?? V2COMPAT_EVENTS });
}

/** The bodies an OpenVidu 3 flavour POSTs for facts (`profile` writes the v2-compatibility ones). */
export function bodyRenderer(server: ServerSettings, profile: Profile): BodyRenderer {
  switch (server.kind) {
    case 'openvidu3': {
      const events = livekitEvents(server);
      const spaceAfterComma = server.livekit.spaceAfterComma;
      return (fact, emit) =>
        events(fact, (e) => emit(e.event!, fact.at, marshalWebhookEvent(e, { spaceAfterComma })));
    }
    case 'meet': {
      const events = meetEvents(server);
      return (fact, emit) =>
        events(fact, (e) => emit(e.event, e.creationDate, meetWebhookBody(e.event, e.creationDate, e.data)));
    }
    case 'openvidu3-v2compat': {
      // The module writes the OpenVidu 2 events of the last 2.x release, whatever version the scenario names.
      const latest = new Profile(DEFAULT_VERSION, profile.edition);
      return (fact, emit) => {
        const e = v2compatEvent(server, fact);
        const body = e && latest.serializeWebhook(e);
        if (e && body !== undefined) emit(e.name, fact.at, body);
      };
    }
    case 'openvidu2':
      return (fact, emit) => {
        const e = toCdrEvent(fact);
        const body = e && profile.serializeWebhook(e);
        if (e && body !== undefined) emit(e.name, fact.at, body);
      };
  }
}
