/**
 * Lifelike values for every field a scenario leaves out: user names, browser platforms as openvidu-browser reports
 * them (platform.js descriptions, browser-platforms.ts), client IPs, Pro GeoIP locations (geoip-locations.ts) and
 * publish frame rates. All drawn from seeded streams.
 */
import type { Faker } from '@faker-js/faker';
import { pickPlatform } from './browser-platforms.js';
import { CLONE, cloneGraph, type SelfCloning } from './clone.js';
import { newEnglishFaker } from './faker-en.js';
import { pickGeoLocation } from './geoip-locations.js';
import type { Rng } from './rng.js';

/**
 * `videoFramerate` (and `mediaOptions.frameRate`) of a publish that does not say: openvidu-browser sends the
 * `frameRate` the application gave `initPublisher`, and -1 when it gave none (openvidu-browser v2.32.1, Stream.ts:
 * `frameRate: !!this.frameRate ? this.frameRate : -1`) — the common case in real logs. 30 is what OpenVidu's tutorials
 * ask for; the other values and all the weights are ovsim's estimate.
 */
const FRAME_RATES: ReadonlyArray<readonly [number, number]> = [
  [-1, 60],
  [30, 28],
  [15, 6],
  [24, 3],
  [60, 3],
];

/** The frame rate of a publish whose application set none or its own. */
export function pickFrameRate(rng: Rng): number {
  return rng.weighted(FRAME_RATES);
}

/**
 * Draws the metadata of simulated users. One instance per partition of a world; its draws depend only on its own
 * seed. Part of the world, so cloneable: the Faker's generator does not expose its state, so a copy rebuilds it from
 * the seed and draws as many first names as the original did (only scripted and live runs ask it, once per
 * participant without clientData).
 */
export class MetadataSource implements SelfCloning {
  private readonly rng: Rng;
  private readonly fakerSeed: number;
  private fakerInstance: Faker | undefined;
  /** First names drawn from the Faker so far. */
  private names = 0;

  constructor(rng: Rng, fakerSeed?: number) {
    this.rng = rng;
    // The seed is drawn now (so later draws do not move); the Faker itself (~100 µs to build) only when needed.
    this.fakerSeed = fakerSeed ?? rng.int(0, 2 ** 31 - 1);
  }

  [CLONE](): MetadataSource {
    const copy = new MetadataSource(cloneGraph(this.rng), this.fakerSeed);
    for (let i = 0; i < this.names; i++) copy.userName();
    return copy;
  }

  private get faker(): Faker {
    if (this.fakerInstance === undefined) {
      this.fakerInstance = newEnglishFaker(this.fakerSeed);
    }
    return this.fakerInstance;
  }

  /** The `platform` string openvidu-browser sends in `joinRoom`. */
  platform(): string {
    return pickPlatform(this.rng);
  }

  /** A public IPv4 address of a client. */
  ip(): string {
    const r = this.rng;
    let first = r.int(1, 223);
    while (first === 10 || first === 127 || first === 100 || first === 172 || first === 192)
      first = r.int(1, 223);
    return `${first}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }

  /** A first name, as applications put in `clientData`. */
  userName(): string {
    this.names++;
    return this.faker.person.firstName();
  }

  /** `clientData` as the OpenVidu tutorials send it: `{"clientData":"Mike"}`. */
  clientData(): string {
    return JSON.stringify({ clientData: this.userName() });
  }

  /** A Pro GeoIP location: `"City, Country"` (or the country alone). */
  location(): string {
    return pickGeoLocation(this.rng);
  }

  /** An uppercase EAN-13 style code for ZBar filter events. */
  barcode(): string {
    let s = '';
    for (let i = 0; i < 13; i++) s += String(this.rng.int(0, 9));
    return s;
  }

  /** Lower-case hex of `n` digits, for Kurento object ids. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.rng.int(0, 15)];
    return s;
  }
}
