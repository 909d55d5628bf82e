import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CdrEvent } from '../../src/model/catalogue.js';
import { toV2Compat, V2COMPAT_EVENTS } from '../../src/model/v2compat.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { GOLDEN_DIR, scriptedScenarios } from '../golden/bundled.js';

const DEGRADED = new Set(['location', 'videoFramerate', 'reason']);
const REASONS: Record<string, readonly string[]> = {
  participantLeft: [
    'disconnect',
    'forceDisconnectByServer',
    'sessionClosedByServer',
    'networkDisconnect',
    'openviduServerStopped',
  ],
  webrtcConnectionDestroyed: [
    'unpublish',
    'forceUnpublishByServer',
    'disconnect',
    'forceDisconnectByServer',
    'sessionClosedByServer',
    'networkDisconnect',
    'openviduServerStopped',
  ],
  sessionDestroyed: [
    'lastParticipantLeft',
    'sessionClosedByServer',
    'openviduServerStopped',
    'automaticStop',
  ],
  recordingStatusChanged: [
    'lastParticipantLeft',
    'sessionClosedByServer',
    'recordingStoppedByServer',
    'openviduServerStopped',
  ],
};

/** The OpenVidu 2 WebHook bodies ovsim generates today for a bundled scenario (its golden file), as events. */
function generated(name: string): { events: CdrEvent[]; lines: string[] } {
  const lines = readFileSync(join(GOLDEN_DIR, `${name}.webhook.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const events = lines.map((l) => {
    const { event, ...data } = JSON.parse(l) as Record<string, unknown>;
    return { name: event, data } as CdrEvent;
  });
  return { events, lines };
}

describe('v2-compatibility degradations on the generated OpenVidu 2 output of every bundled scenario', () => {
  const seen = { inbound: 0, nodeEvents: 0, reasons: 0, framerates: 0 };
  for (const name of scriptedScenarios()) {
    it(`${name}: 8 events, no INBOUND, location "unknown", videoFramerate 30, reasons the module can tell, the rest untouched`, async () => {
      const profile = resolveSettings(await readScenario(name)).profile;
      const { events, lines } = generated(name);
      // The parse is lossless for the eight events (nested Java doubles of autoscaling are not, and it is dropped).
      events.forEach((e, i) => {
        if ((V2COMPAT_EVENTS as readonly string[]).includes(e.name))
          expect(profile.serializeWebhook(e)).toBe(lines[i]);
      });
      let kept = 0;
      for (const e of events) {
        const out = toV2Compat(e);
        const d = e.data as Record<string, unknown>;
        const expectDropped =
          !(V2COMPAT_EVENTS as readonly string[]).includes(e.name) ||
          (e.name.startsWith('webrtcConnection') && d.connection === 'INBOUND');
        if (d.connection === 'INBOUND') seen.inbound++;
        if (!(V2COMPAT_EVENTS as readonly string[]).includes(e.name)) seen.nodeEvents++;
        expect(out === undefined, `${e.name} ${JSON.stringify(d).slice(0, 80)}`).toBe(expectDropped);
        if (out === undefined) continue;
        kept++;
        const body = JSON.parse(profile.serializeWebhook(out)!) as Record<string, unknown>;
        const before = JSON.parse(profile.serializeWebhook(e)!) as Record<string, unknown>;
        expect(Object.keys(body)).toEqual(Object.keys(before));
        for (const k of Object.keys(before)) if (!DEGRADED.has(k)) expect(body[k]).toEqual(before[k]);
        if ('location' in before) expect(body.location).toBe('unknown');
        if (e.name.startsWith('webrtcConnection') && before.videoFramerate !== undefined) {
          expect(body.videoFramerate).toBe(30);
          seen.framerates++;
        }
        if (typeof before.reason === 'string') {
          expect(REASONS[e.name] ?? [before.reason]).toContain(body.reason);
          seen.reasons++;
        } else {
          expect(body.reason).toBeUndefined();
        }
      }
      expect(kept).toBe(
        events.filter(
          (e) =>
            (V2COMPAT_EVENTS as readonly string[]).includes(e.name) &&
            (e.data as { connection?: string }).connection !== 'INBOUND',
        ).length,
      );
    });
  }

  it('met INBOUND connections, node events, reasons and framerates in that output (the checks above were exercised)', () => {
    expect(seen.inbound).toBeGreaterThan(10);
    expect(seen.nodeEvents).toBeGreaterThan(0);
    expect(seen.reasons).toBeGreaterThan(10);
    expect(seen.framerates).toBeGreaterThan(10);
  });

  it('maps the reasons it cannot tell apart, and honours V2COMPAT_OPENVIDU_WEBHOOK_EVENTS', () => {
    const left = (reason: string) =>
      toV2Compat({ name: 'participantLeft', data: { reason, location: 'Madrid' } } as unknown as CdrEvent);
    expect((left('forceDisconnectByUser')!.data as { reason: string }).reason).toBe(
      'forceDisconnectByServer',
    );
    expect((left('nodeCrashed')!.data as { reason: string }).reason).toBe('networkDisconnect');
    const destroyed = (reason: string) =>
      (
        toV2Compat({ name: 'sessionDestroyed', data: { reason } } as unknown as CdrEvent)!.data as {
          reason: string;
        }
      ).reason;
    expect(destroyed('mediaServerDisconnect')).toBe('lastParticipantLeft');
    expect(destroyed('nodeCrashed')).toBe('lastParticipantLeft');
    expect(destroyed('openviduServerStopped')).toBe('openviduServerStopped');
    expect(destroyed('automaticStop')).toBe('automaticStop');
    const unpub = toV2Compat({
      name: 'webrtcConnectionDestroyed',
      data: { reason: 'forceUnpublishByUser', connection: 'OUTBOUND' },
    } as unknown as CdrEvent);
    expect((unpub!.data as { reason: string }).reason).toBe('forceUnpublishByServer');
    const input = { name: 'signalSent', data: { type: 'chat' } } as unknown as CdrEvent;
    expect(toV2Compat(input, { events: ['sessionCreated'] })).toBeUndefined();
    expect(toV2Compat(input)).toEqual(input);
    expect(toV2Compat(input)).not.toBe(input);
  });
});
