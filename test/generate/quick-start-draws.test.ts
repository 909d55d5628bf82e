// COMPOSED_QUICK_START arrived in OpenVidu v2.15.0 (Recording.OutputMode); a generated 2.12–2.14 run must not write it.
import { describe, expect, it } from 'vitest';
import { render, scenarioOf } from './helpers.js';

const CONFIG = {
  duration: '1h',
  sessions: { rate: '30/h' },
  mix: { webinar: 0, ipcam: 0 },
  recording: { probability: 1, outputMode: { COMPOSED: 1, INDIVIDUAL: 1, COMPOSED_QUICK_START: 2 } },
};

/** Each recording's output mode, counted by mode (a recording is its `id`; its lines repeat the mode). */
function modes(text: string): Record<string, number> {
  const byId = new Map<string, string>();
  for (const m of text.matchAll(/"id":"([^"]+)"[^\n]*?"outputMode":"(\w+)"/g)) byId.set(m[1]!, m[2]!);
  const counts: Record<string, number> = {};
  for (const mode of byId.values()) counts[mode] = (counts[mode] ?? 0) + 1;
  return counts;
}

describe('generated recordings under OpenVidu 2.12–2.14 draw COMPOSED where 2.15+ draws COMPOSED_QUICK_START', () => {
  it('a 2.14 run has the 2.15 run recordings, its quick-start ones as COMPOSED', () => {
    const v15 = modes(render(scenarioOf(CONFIG, 'openvidu: { version: "2.15" }\n'), { seed: '3' }));
    const v14 = modes(render(scenarioOf(CONFIG, 'openvidu: { version: "2.14" }\n'), { seed: '3' }));
    expect(v15['COMPOSED_QUICK_START']).toBeGreaterThan(5);
    expect(v14['COMPOSED_QUICK_START']).toBeUndefined();
    expect(v14['INDIVIDUAL']).toBe(v15['INDIVIDUAL']);
    expect(v14['COMPOSED']).toBe((v15['COMPOSED'] ?? 0) + (v15['COMPOSED_QUICK_START'] ?? 0));
  });

  it('2.12 too', () => {
    const text = render(scenarioOf(CONFIG, 'openvidu: { version: "2.12" }\n'), { seed: '3' });
    expect(text).toContain('"outputMode":"COMPOSED"');
    expect(text).not.toContain('COMPOSED_QUICK_START');
  });
});
