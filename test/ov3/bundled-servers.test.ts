import { describe, expect, it } from 'vitest';
import { MEET_EVENT_NAMES } from '../../src/model/meet/meet-types.js';
import { LIVEKIT_EVENT_NAMES, livekitIdPattern } from '../../src/model/livekit/index.js';
import { V2COMPAT_EVENTS } from '../../src/model/v2compat.js';
import { LifecycleValidator } from '../../src/validate/index.js';
import { parseStrict, reserialize } from '../model/livekit/oracle.js';
import { bundledBodies, bundledScenarios, events } from './helpers.js';

const SCENARIOS = bundledScenarios();

describe('every bundled scenario under every OpenVidu 3 server', () => {
  it('finds the bundled scenarios', () => {
    expect(SCENARIOS).toContain('default');
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(SCENARIOS)(
    '%s: openvidu3 bodies parse strictly with @livekit/protocol and re-serialize to the same bytes',
    async (name) => {
      const lines = await bundledBodies(name, { server: 'openvidu3' });
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(() => parseStrict(line), line).not.toThrow();
        expect(reserialize(line)).toBe(line);
      }
      const evs = events(lines);
      for (const e of evs) {
        expect(LIVEKIT_EVENT_NAMES).toContain(e.event);
        expect(e.id).toMatch(livekitIdPattern('event'));
        expect(e.createdAt).toMatch(/^\d{10}$/);
      }
      expect(new Set(evs.map((e) => e.id)).size).toBe(evs.length);
      expect(evs[0]!.event).toBe('room_started');
    },
  );

  it.each(SCENARIOS)(
    '%s: openvidu3-v2compat bodies are the eight events and pass the OpenVidu 2 validator',
    async (name) => {
      const lines = await bundledBodies(name, { server: 'openvidu3-v2compat' });
      expect(lines.length).toBeGreaterThan(0);
      const v = new LifecycleValidator({ version: '2.32', events: V2COMPAT_EVENTS });
      const errors: string[] = [];
      const keep = (ds: ReadonlyArray<{ severity: string; rule: string; message: string }>) => {
        for (const d of ds) if (d.severity === 'error') errors.push(`${d.rule}: ${d.message}`);
      };
      lines.forEach((l, i) => keep(v.push(l, i + 1, name)));
      keep(v.finish());
      expect(errors).toEqual([]);
      for (const l of lines) {
        const body = JSON.parse(l) as Record<string, unknown>;
        expect(V2COMPAT_EVENTS).toContain(body.event);
        expect(body.connection).not.toBe('INBOUND');
        if (body.location !== undefined) expect(body.location).toBe('unknown');
        if (body.videoFramerate !== undefined) expect(body.videoFramerate).toBe(30);
      }
    },
  );

  it.each(SCENARIOS)('%s: meet bodies are Meet events with {event, creationDate, data}', async (name) => {
    const lines = await bundledBodies(name, { server: 'meet' });
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const body = JSON.parse(l) as { event: string; creationDate: number; data: Record<string, unknown> };
      expect(Object.keys(body)).toEqual(['event', 'creationDate', 'data']);
      expect(MEET_EVENT_NAMES).toContain(body.event);
      expect(Number.isInteger(body.creationDate)).toBe(true);
      expect(body.data.roomId).toEqual(expect.any(String));
    }
  });
});
