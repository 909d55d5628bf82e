/**
 * The `platform` strings browsers send to OpenVidu: openvidu-browser's `Session.connect` sends
 * `platform.getDescription()` (openvidu-browser v2.32.1, OpenViduInternal/Utils/Platform.ts), which is platform.js's
 * `description` of `navigator.userAgent`: `<browser> <version> on <os>`. The tables below are what real user agents
 * of late 2023 – 2024 give there (ovsim's simulated time):
 *
 * - Chrome since 101 reduces its User-Agent to `Chrome/<major>.0.0.0` and freezes the OS part ("Windows NT 10.0;
 *   Win64; x64" even on Windows 11, "Intel Mac OS X 10_15_7", "X11; Linux x86_64", "Linux; Android 10; K"), so
 *   platform.js writes `Chrome 124.0.0.0 on Windows 10 64-bit`, `Chrome Mobile 124.0.0.0 on Android 10` — never a
 *   build number, and "Linux", not a distribution.
 * - Edge keeps its full version in `Edg/<version>`: the builds below are Edge stable releases (major.0.build.patch).
 * - Firefox's token is `Firefox/<major>.0` whatever the dot release; Ubuntu's own Firefox build adds "Ubuntu;" to the
 *   User-Agent, which platform.js reports as the OS.
 * - Safari reports its full version (`Version/17.4.1`), on a macOS frozen at 10_15_7; on an iPhone the iOS version
 *   is Safari's.
 *
 * The weights (a share of the participants of video calls) are ovsim's estimate.
 */
import type { Rng } from './rng.js';

const CHROME_MAJORS = [120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131];

/** Edge stable builds, as seen in `Edg/` User-Agent tokens. */
const EDGE_VERSIONS = [
  '120.0.2210.89',
  '121.0.2277.83',
  '121.0.2277.128',
  '122.0.2365.66',
  '122.0.2365.92',
  '123.0.2420.65',
  '123.0.2420.81',
  '124.0.2478.67',
  '124.0.2478.80',
  '125.0.2535.67',
  '125.0.2535.79',
  '126.0.2592.68',
  '126.0.2592.87',
  '127.0.2651.74',
  '127.0.2651.86',
  '128.0.2739.67',
  '128.0.2739.79',
  '129.0.2792.65',
  '129.0.2792.79',
  '130.0.2849.56',
  '130.0.2849.68',
  '131.0.2903.70',
  '131.0.2903.86',
];

const FIREFOX_MAJORS = [121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133];

/** Safari releases for macOS. */
const SAFARI_MAC_VERSIONS = [
  '16.6',
  '17.0',
  '17.1',
  '17.1.2',
  '17.2',
  '17.2.1',
  '17.3',
  '17.3.1',
  '17.4',
  '17.4.1',
  '17.5',
  '17.6',
  '18.0',
  '18.0.1',
  '18.1',
  '18.1.1',
  '18.2',
];

/** iOS releases (Safari's version on an iPhone is the iOS version). */
const IOS_VERSIONS = [
  '16.7.10',
  '17.0.3',
  '17.1.2',
  '17.2.1',
  '17.3.1',
  '17.4.1',
  '17.5.1',
  '17.6.1',
  '18.0.1',
  '18.1',
  '18.1.1',
  '18.2',
  '18.2.1',
];

type Draw = (r: Rng) => string;

const CHROME_DESKTOP_OS: ReadonlyArray<readonly [string, number]> = [
  ['Windows 10 64-bit', 68],
  ['OS X 10.15.7', 24],
  ['Linux 64-bit', 8],
];

const FIREFOX_OS: ReadonlyArray<readonly [string, number]> = [
  ['Windows 10 64-bit', 62],
  ['OS X 10.15', 14],
  ['Linux 64-bit', 12],
  ['Ubuntu 64-bit', 12],
];

/** Browser families and their weights. */
export const BROWSER_PLATFORMS: ReadonlyArray<readonly [Draw, number]> = [
  [(r) => `Chrome ${r.pick(CHROME_MAJORS)}.0.0.0 on ${r.weighted(CHROME_DESKTOP_OS)}`, 46],
  [(r) => `Chrome Mobile ${r.pick(CHROME_MAJORS)}.0.0.0 on Android 10`, 12],
  [(r) => `Microsoft Edge ${r.pick(EDGE_VERSIONS)} on Windows 10 64-bit`, 9],
  [(r) => `Firefox ${r.pick(FIREFOX_MAJORS)}.0 on ${r.weighted(FIREFOX_OS)}`, 10],
  [(r) => `Safari ${r.pick(SAFARI_MAC_VERSIONS)} on OS X 10.15.7`, 8],
  [
    (r) => {
      const ios = r.pick(IOS_VERSIONS);
      return `Safari ${ios} on Apple iPhone (iOS ${ios})`;
    },
    10,
  ],
];

/** A `platform` string as openvidu-browser sends it. */
export function pickPlatform(rng: Rng): string {
  return rng.weighted(BROWSER_PLATFORMS)(rng);
}
