/**
 * The values a generated participant gets where a scenario says nothing — `platform`, Pro `location`,
 * `videoFramerate` — checked against what real clients and servers produce (sources named at each test).
 */
import { describe, expect, it } from 'vitest';
import { pickPlatform } from '../../src/engine/browser-platforms.js';
import { pickGeoLocation } from '../../src/engine/geoip-locations.js';
import { MetadataSource, pickFrameRate } from '../../src/engine/metadata.js';
import { Rng } from '../../src/engine/rng.js';

const N = 5000;
const draws = <T>(f: (r: Rng) => T, seed = 'values'): T[] => {
  const rng = new Rng(seed);
  return Array.from({ length: N }, () => f(rng));
};

// Microsoft Edge stable builds: each major has one build number (major.0.BUILD.patch), as in Edge's release notes.
const EDGE_BUILD: Readonly<Record<number, number>> = {
  120: 2210,
  121: 2277,
  122: 2365,
  123: 2420,
  124: 2478,
  125: 2535,
  126: 2592,
  127: 2651,
  128: 2739,
  129: 2792,
  130: 2849,
  131: 2903,
};

describe('platform: platform.js descriptions of real user agents (openvidu-browser Session.connect)', () => {
  const all = draws(pickPlatform);

  it('Chrome (≥ 101, User-Agent reduction) is always <major>.0.0.0, on a frozen OS string', () => {
    const chrome = all.filter((p) => p.startsWith('Chrome'));
    expect(chrome.length).toBeGreaterThan(N * 0.4);
    for (const p of chrome) {
      expect(p).toMatch(
        /^Chrome(?: Mobile)? 1[0-9]{2}\.0\.0\.0 on (?:Windows 10 64-bit|OS X 10\.15\.7|Linux 64-bit|Android 10)$/,
      );
      expect(p.startsWith('Chrome Mobile')).toBe(p.endsWith('Android 10'));
    }
  });

  it('Edge gives real major/build pairs; Firefox <major>.0; Safari on iPhone is its iOS version', () => {
    for (const p of all) {
      const edge = /^Microsoft Edge (\d+)\.0\.(\d+)\.\d+ on Windows 10 64-bit$/.exec(p);
      if (edge) expect(Number(edge[2])).toBe(EDGE_BUILD[Number(edge[1])]);
      if (p.startsWith('Firefox'))
        expect(p).toMatch(
          /^Firefox 1\d\d\.0 on (?:Windows 10 64-bit|OS X 10\.15|Linux 64-bit|Ubuntu 64-bit)$/,
        );
      const iphone = /^Safari ([\d.]+) on Apple iPhone \(iOS ([\d.]+)\)$/.exec(p);
      if (iphone) expect(iphone[1]).toBe(iphone[2]);
      else if (p.startsWith('Safari')) expect(p).toMatch(/^Safari 1[5-8](?:\.\d+){1,2} on OS X 10\.15\.7$/);
    }
    expect(all.some((p) => p.startsWith('Microsoft Edge'))).toBe(true);
    expect(all.some((p) => p.includes('Apple iPhone'))).toBe(true);
  });

  it('"Ubuntu" only for Firefox (Ubuntu\'s build puts it in the User-Agent); Chromium browsers say Linux', () => {
    for (const p of all.filter((x) => x.includes('Ubuntu'))) expect(p).toMatch(/^Firefox /);
    expect(all.filter((p) => p.includes('Ubuntu')).length).toBeGreaterThan(0);
  });
});

describe('Pro location: GeoLocation.toString of a GeoLite2 lookup', () => {
  const all = draws(pickGeoLocation);
  it('is "City, Country" of a real city, or the country alone', () => {
    const countries = new Set(all.filter((l) => l.includes(', ')).map((l) => l.split(', ')[1]));
    for (const l of all) {
      const parts = l.split(', ');
      expect(parts.length).toBeLessThanOrEqual(2);
      expect(countries.has(parts.at(-1)!)).toBe(true);
    }
    expect(all).toContain('Madrid, Spain');
    const cityless = all.filter((l) => !l.includes(', ')).length / N;
    expect(cityless).toBeGreaterThan(0.08);
    expect(cityless).toBeLessThan(0.16);
  });
});

describe('videoFramerate when the application sets none', () => {
  it('is -1 most of the time (openvidu-browser v2.32.1 Stream.ts: frameRate ?? -1)', () => {
    const all = draws(pickFrameRate);
    const share = all.filter((x) => x === -1).length / N;
    expect(share).toBeGreaterThan(0.5);
    expect(new Set(all)).toEqual(new Set([-1, 30, 15, 24, 60]));
  });
});

describe('MetadataSource', () => {
  it('draws the same values from the same seed', () => {
    const take = () => {
      const m = new MetadataSource(new Rng('same'));
      return [m.platform(), m.location(), m.ip(), m.platform(), m.clientData()];
    };
    expect(take()).toEqual(take());
  });
});
