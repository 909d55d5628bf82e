/**
 * OpenVidu 3 PRO's v2-compatibility module (`--server openvidu3-v2compat`): what it does not send, checked on top of
 * the OpenVidu 2 rules, exactly as `src/model/v2compat.ts` renders it — its eight events only (no node, autoscaling,
 * HA, filter or broadcast events; no CDR), no INBOUND `webrtcConnection*`, `location` always "unknown",
 * `videoFramerate` always 30, and only the reasons its mapping produces (a reason it replaces is an error). Because
 * those reasons are "not accurate", the OpenVidu 2 rules that compare reasons across a close cascade are relaxed
 * (`RuleContext.accurateReasons`).
 */
import type { CdrEvent } from '../../model/catalogue.js';
import { toV2Compat, V2COMPAT_EVENTS } from '../../model/v2compat.js';
import {
  PARTICIPANT_LEFT_REASONS,
  RECORDING_REASONS,
  SESSION_DESTROYED_REASONS,
  WEBRTC_DESTROYED_REASONS,
} from '../../model/wire-values.js';
import { str, type EventInput } from '../event-input.js';
import type { RuleContext } from './context.js';

/** OpenVidu 2's reasons of each event with a reason the module maps. */
const OV2_REASONS: Readonly<Record<string, readonly string[]>> = {
  participantLeft: PARTICIPANT_LEFT_REASONS,
  webrtcConnectionDestroyed: WEBRTC_DESTROYED_REASONS,
  sessionDestroyed: SESSION_DESTROYED_REASONS,
  recordingStatusChanged: RECORDING_REASONS,
};

/** What the module turns each OpenVidu 2 reason into, by event. */
const MAPPED: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(OV2_REASONS).map(([name, reasons]) => [
    name,
    new Map(
      reasons.map((reason) => {
        const data = { reason, connection: 'OUTBOUND', status: 'stopped' };
        const out = toV2Compat({ name, data } as unknown as CdrEvent);
        return [reason, (out?.data as { reason?: string } | undefined)?.reason ?? reason];
      }),
    ),
  ]),
);

/**
 * Checks an event against the module; false when the module never sends it (reported), so that the OpenVidu 2 rules
 * do not read it.
 */
export function checkV2Compat(ctx: RuleContext, ev: EventInput): boolean {
  const flag = (message: string) => ctx.flag(ev, 'v2compat', message);
  if (ev.form === 'cdr') {
    flag('a CDR line: OpenVidu 3 writes no CDR (the v2-compatibility module sends WebHooks only)');
    return false;
  }
  if (!(V2COMPAT_EVENTS as readonly string[]).includes(ev.name)) {
    flag(`the v2-compatibility module does not send ${ev.name} (it sends ${V2COMPAT_EVENTS.join(', ')})`);
    return false;
  }
  const b = ev.body;
  if (ev.name.startsWith('webrtcConnection') && str(b, 'connection') === 'INBOUND') {
    flag(`an INBOUND ${ev.name}: the v2-compatibility module sends nothing for subscriptions`);
    return false;
  }
  if (
    (ev.name === 'participantJoined' || ev.name === 'participantLeft') &&
    Object.hasOwn(b, 'location') &&
    b.location !== 'unknown'
  ) {
    flag(`location is ${JSON.stringify(b.location)}: the v2-compatibility module always sends "unknown"`);
  }
  if (
    ev.name.startsWith('webrtcConnection') &&
    Object.hasOwn(b, 'videoFramerate') &&
    b.videoFramerate !== 30
  ) {
    flag(
      `videoFramerate is ${JSON.stringify(b.videoFramerate)}: the v2-compatibility module always sends 30`,
    );
  }
  const reason = str(b, 'reason');
  const mapped = reason === undefined ? undefined : MAPPED.get(ev.name)?.get(reason);
  if (reason !== undefined && mapped !== undefined && mapped !== reason) {
    flag(`reason "${reason}": the v2-compatibility module cannot tell it apart and sends "${mapped}"`);
  }
  return true;
}
