/** The event types of each server imitated, for `--events` and the messages that name them. */
import type { ServerKind } from '../model/servers.js';
import { LIVEKIT_EVENT_NAMES } from '../model/livekit/index.js';
import { MEET_EVENT_NAMES } from '../model/meet/meet-types.js';
import { V2COMPAT_EVENTS } from '../model/v2compat.js';
import { parseEventList } from './event-filter.js';
import { EVENT_LAYOUTS } from './wire-layout.js';

/** The types `--events` accepts for a server, and how messages name the server. */
export function serverEventNames(server: ServerKind): {
  readonly names: readonly string[];
  readonly label: string;
} {
  switch (server) {
    case 'openvidu2':
      return { names: EVENT_LAYOUTS.map((e) => e.name), label: 'an OpenVidu' };
    case 'openvidu3-v2compat':
      return { names: V2COMPAT_EVENTS, label: "a v2-compatibility module's" };
    case 'openvidu3':
      return { names: LIVEKIT_EVENT_NAMES, label: 'a LiveKit' };
    case 'meet':
      return { names: [...MEET_EVENT_NAMES, 'testEvent'], label: 'an OpenVidu Meet' };
  }
}

/** `--events` for a server: `a,b`, `["a","b"]` or `all`. */
export function parseServerEvents(text: string, server: ServerKind): string[] {
  const { names, label } = serverEventNames(server);
  return parseEventList(text, names, label);
}
