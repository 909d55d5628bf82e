/**
 * Lifelike values for every field a scenario leaves out: user names, browser platforms as openvidu-browser reports
 * them (platform.js descriptions), client IPs and Pro GeoIP locations. All drawn from seeded streams.
 */
import type { Faker } from '@faker-js/faker';
import { CLONE, cloneGraph, type SelfCloning } from './clone.js';
import { newEnglishFaker } from './faker-en.js';
import type { Rng } from './rng.js';

const BROWSERS: ReadonlyArray<readonly [(r: Rng) => string, number]> = [
  [(r) => `Chrome ${r.int(110, 131)}.0.${r.int(5000, 6800)}.${r.int(40, 210)} on ${r.pick(DESKTOPS)}`, 48],
  [(r) => `Firefox ${r.int(110, 133)}.0 on ${r.pick(DESKTOPS)}`, 14],
  [
    (r) => `Microsoft Edge ${r.int(110, 131)}.0.${r.int(1500, 2900)}.${r.int(30, 99)} on Windows 10 64-bit`,
    9,
  ],
  [(r) => `Safari ${r.int(15, 18)}.${r.int(0, 6)} on OS X 10.15.7`, 8],
  [
    (r) =>
      `Chrome Mobile ${r.int(110, 131)}.0.${r.int(5000, 6800)}.${r.int(40, 210)} on Android ${r.int(10, 15)}`,
    12,
  ],
  [(r) => `Safari ${r.int(15, 18)}.${r.int(0, 6)} on Apple iPhone (iOS ${r.int(15, 18)}.${r.int(0, 6)})`, 9],
];
const DESKTOPS = ['Linux 64-bit', 'Windows 10 64-bit', 'OS X 10.15.7', 'Ubuntu 64-bit', 'Windows 10 64-bit'];

/** What was asked of the Faker, in order: a copy replays it on a Faker of the same seed to reach the same state. */
type FakerCall = typeof FIRST_NAME | typeof LOCATION;
const FIRST_NAME = 0;
const LOCATION = 1;

/**
 * Draws the metadata of simulated users. One instance per partition of a world; its draws depend only on its own seed.
 * Part of the world, so cloneable: the Faker's generator does not expose its state, so a copy rebuilds it from the seed
 * and replays the calls made so far (only scripted and live runs call it, a few times per participant).
 */
export class MetadataSource implements SelfCloning {
  private readonly rng: Rng;
  private readonly fakerSeed: number;
  private fakerInstance: Faker | undefined;
  private readonly fakerCalls: FakerCall[] = [];

  constructor(rng: Rng, fakerSeed?: number) {
    this.rng = rng;
    // The seed is drawn now (so later draws do not move); the Faker itself (~100 µs to build) only when needed.
    this.fakerSeed = fakerSeed ?? rng.int(0, 2 ** 31 - 1);
  }

  private get faker(): Faker {
    if (this.fakerInstance === undefined) {
      this.fakerInstance = newEnglishFaker(this.fakerSeed);
    }
    return this.fakerInstance;
  }

  [CLONE](): MetadataSource {
    const copy = new MetadataSource(cloneGraph(this.rng), this.fakerSeed);
    for (const call of this.fakerCalls) {
      if (call === FIRST_NAME) copy.userName();
      else copy.location();
    }
    return copy;
  }

  /** The `platform` string openvidu-browser sends in `joinRoom`. */
  platform(): string {
    return this.rng.weighted(BROWSERS)(this.rng);
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
    this.fakerCalls.push(FIRST_NAME);
    return this.faker.person.firstName();
  }

  /** `clientData` as the OpenVidu tutorials send it: `{"clientData":"Mike"}`. */
  clientData(): string {
    return JSON.stringify({ clientData: this.userName() });
  }

  /** A Pro GeoIP location: `"City, Country"`. */
  location(): string {
    this.fakerCalls.push(LOCATION);
    return `${this.faker.location.city()}, ${this.faker.location.country()}`;
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
