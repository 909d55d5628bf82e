/**
 * The validator's version-scoped rules for the incidents of issue 20: OpenVidu Pro 2.22's repeated `ready`
 * (OpenVidu#747) is legal in 2.22 only, and since 2.13 a never-joined session may vanish without sessionDestroyed
 * (the garbage collector of non-active sessions), so its custom id may be created again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

function golden(name: string): string[] {
  const text = readFileSync(new URL(`../golden/${name}.cdr.jsonl`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l !== '');
}

describe('a repeated ready', () => {
  const lines = golden('ready-repeated');

  it('is legal in 2.22', () => {
    expect(check(lines, { version: '2.22' })).toEqual([]);
  });

  it('is an error in any other version, which says where it is legal', () => {
    const found = check(lines, { version: '2.32' });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => /recording-status-order: .*"ready" again .*OpenVidu#747/.test(d))).toBe(true);
    expect(check(lines, { version: '2.21' }).length).toBe(found.length);
  });
});

describe('a session id created again without sessionDestroyed', () => {
  const lines = golden('empty-session-gc');

  it('is legal when nobody joined the first one (its collector dropped it), from 2.13', () => {
    expect(check(lines)).toEqual([]);
  });

  it('is still reported when someone had joined the first one', () => {
    const first = JSON.parse(lines[0]!) as { sessionCreated: { uniqueSessionId: string; timestamp: number } };
    const { uniqueSessionId, timestamp } = first.sessionCreated;
    const joined = JSON.stringify({
      participantJoined: {
        sessionId: 'room-42',
        uniqueSessionId,
        timestamp: timestamp + 1000,
        participantId: 'con_AAAAAAAAAA',
        connectionId: 'con_AAAAAAAAAA',
        location: 'unknown',
        ip: '10.0.0.1',
        platform: 'Chrome',
        clientData: '',
        serverData: '',
      },
    });
    const found = check([lines[0]!, joined, ...lines.slice(1)]);
    expect(found.some((d) => /pairing: session room-42 created again while the previous one/.test(d))).toBe(
      true,
    );
  });
});
