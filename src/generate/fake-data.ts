/**
 * Lifelike metadata for generated participants, picked with a session's own seeded stream from faker's English
 * data tables for names and words (faker's version is locked in package.json, so the tables — and the output — do
 * not drift) and from ovsim's tables of real values for GeoIP locations (engine/geoip-locations.ts).
 * Picking from the tables directly avoids building a Faker instance per session, which costs ~100 µs each.
 */
import { EN_DEFINITIONS as en } from '../engine/faker-en.js';
import { pickGeoLocation } from '../engine/geoip-locations.js';
import type { Rng } from '../engine/rng.js';

const FIRST_NAMES: readonly string[] = en.person?.first_name?.generic ?? ['Alex'];
const NOUNS: readonly string[] = en.word?.noun ?? ['thing'];
const CHAT = [
  'hi all',
  'can you hear me?',
  'sharing my screen now',
  'thanks!',
  'one sec',
  'see the link',
  'brb',
  '+1',
];

/**
 * The JSON texts picked from, built once from the tables on first use (a run draws hundreds of thousands): picking
 * from a list of the same length draws the same index, so the output is what stringifying each pick would give.
 */
let clientDataTexts: readonly string[] | undefined;
let chatTexts: readonly string[] | undefined;
let aboutTexts: readonly string[] | undefined;
const message = (text: string) => JSON.stringify({ message: text });

/** `clientData` as the OpenVidu tutorials send it: `{"clientData":"Mike"}`. */
export function pickClientData(rng: Rng): string {
  clientDataTexts ??= FIRST_NAMES.map((name) => JSON.stringify({ clientData: name }));
  return rng.pick(clientDataTexts);
}

/** A Pro GeoIP location, `"City, Country"` (or the country alone), from real GeoLite2 names. */
export function pickLocation(rng: Rng): string {
  return pickGeoLocation(rng);
}

/** The `data` of a chat signal, as openvidu-browser apps send it. */
export function pickChatData(rng: Rng): string {
  if (rng.chance(0.5)) return rng.pick((chatTexts ??= CHAT.map(message)));
  return rng.pick((aboutTexts ??= NOUNS.map((noun) => message(`about the ${noun}`))));
}

/** A private IPv4 address of a camera on a customer's network (a literal, so OpenVidu needs no DNS). */
export function pickCameraUri(rng: Rng): string {
  return `rtsp://192.168.${rng.int(0, 254)}.${rng.int(2, 254)}:554/${rng.pick(['live', 'stream1', 'h264', 'cam'])}`;
}
