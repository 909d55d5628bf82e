import { describe, expect, it } from 'vitest';
import { parseVersion, versionText } from '../../src/model/version.js';

describe('parseVersion (the one parser of --openvidu-version, simulator and validator)', () => {
  it('reads a minor, a patch release and a tag', () => {
    expect(['2.12', '2.16', ' 2.32.1 ', 'v2.20.0'].map((v) => parseVersion(v))).toEqual([12, 16, 32, 20]);
  });

  it('refuses minors above the newest for the simulator, reads them as the newest for the validator', () => {
    expect(() => parseVersion('2.33')).toThrow(/unsupported OpenVidu version "2.33": use 2.12 to 2.32/);
    expect(() => parseVersion('2.100')).toThrow(/unsupported/);
    expect(parseVersion('2.33', 'newest')).toBe(32);
    expect(parseVersion('v2.100.1', 'newest')).toBe(32);
  });

  it('refuses what is not a supported 2.x either way', () => {
    for (const bad of ['2.11', '2', '3.0', '2.x', '', 'v2.1000']) {
      expect(() => parseVersion(bad)).toThrow(/unsupported OpenVidu version/);
      expect(() => parseVersion(bad, 'newest')).toThrow(/unsupported OpenVidu version/);
    }
  });

  it('writes a minor back as 2.x', () => {
    expect(versionText(17)).toBe('2.17');
  });
});
