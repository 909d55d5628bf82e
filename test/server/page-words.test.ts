/**
 * The page's words, from its own checked modules run under Node on a real run: a sentence per cascade, what the next
 * step will do, and JSON tokens that keep every number as the server wrote it.
 */
import { describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { LiveSimulation } from '../../src/server/live-simulation.js';
import type { PageBatch, PageState, WorldPatch } from '../../src/server/view-types.js';

interface Cascade {
  id: number;
  at: number;
  cause: PageBatch['cause'];
  events: PageBatch['events'][number][];
}
const model = (await import(new URL('../../src/server/public/model.js', import.meta.url).href)) as {
  applyPatch(p: WorldPatch): void;
  addCascade(b: PageBatch): boolean;
  clearRun(): void;
  setState(s: PageState): void;
  store: { cascades: Cascade[] };
};
const story = (await import(new URL('../../src/server/public/story.js', import.meta.url).href)) as {
  cascadeSentence(c: Cascade): string;
  nextStepWords(s: PageState): string;
};
const json = (await import(new URL('../../src/server/public/json-view.js', import.meta.url).href)) as {
  tokenize(src: string): { kind: string; text: string }[];
};

const T0 = Date.parse('2024-05-10T14:00:00.000Z');

describe("the page's words", () => {
  it('titles each cascade of the default scenario with a sentence', async () => {
    const sim = new LiveSimulation({ seed: 7, start: T0, paused: true }, await readScenario('default'));
    model.clearRun();
    model.setState(sim.state());
    expect(story.nextStepWords(sim.state())).toBe(
      'Step 1 of 24, now (14:00:00): your backend creates session standup (recorded from its first publisher on).',
    );
    sim.subscribe((m) => {
      if (m.type !== 'batch') return;
      model.applyPatch(m.batch.world);
      model.addCascade(m.batch);
    });
    for (let i = 0; i < 200 && sim.step() !== null; i++);
    model.setState(sim.state());
    const titles = model.store.cascades.map((c) => story.cascadeSentence(c));
    expect(titles).toEqual([
      'Your backend created session standup (recorded from its first publisher on)',
      'alice joined standup as moderator',
      'alice started publishing their camera: 1 OUTBOUND connection opened',
      'bob joined standup: 1 INBOUND connection opened',
      'Recording standup.recording0 started',
      'bob started publishing their camera: 1 OUTBOUND and 1 INBOUND connections opened',
      'carol joined standup as subscriber: 2 INBOUND connections opened',
      'alice sent signal "chat" to everyone (4 recipients)',
      "A ZBarFilter on bob's video fired CodeFound",
      'IP camera lobbycam was plugged into standup: 1 OUTBOUND and 3 INBOUND connections opened',
      "bob's network dropped: their 3 media connections and 2 INBOUND connections receiving bob closed, then they left",
      'bob2 joined standup: 2 INBOUND connections opened',
      'bob2 started publishing their screen: 1 OUTBOUND and 2 INBOUND connections opened',
      "A moderator stopped bob2's stream: 1 OUTBOUND and 2 INBOUND connections closed",
      'Your backend sent signal "announcement" to everyone (5 recipients)',
      'Your backend closed session standup: 2 OUTBOUND and 5 INBOUND connections closed, 4 people left, recording standup.recording0 stopped → ready, then session standup closed',
      'Your backend created session oneToOne',
      'dan joined oneToOne',
      'dan started publishing their camera: 1 OUTBOUND connection opened',
      'erin joined oneToOne: 1 INBOUND connection opened',
      'erin started publishing their camera: 1 OUTBOUND and 1 INBOUND connections opened',
      'Your backend started recording oneToOne (INDIVIDUAL): recording call started',
      'Your backend stopped recording call',
      'Recording call ready',
      'erin left: their 2 media connections and 1 INBOUND connection receiving erin closed',
      'dan left: their media connection closed, then session oneToOne closed',
    ]);
    expect(story.nextStepWords(sim.state())).toBe('');
  });

  it('keeps every JSON number as written (Java doubles too)', () => {
    const tokens = json.tokenize('{"duration":0.0,"size":1024,"to":["con_a","con_b"],"x":null,"s":"a\\"b"}');
    expect(tokens.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['0.0', '1024']);
    expect(tokens.map((t) => t.text).join('')).toBe(
      '{"duration":0.0,"size":1024,"to":["con_a","con_b"],"x":null,"s":"a\\"b"}',
    );
  });
});
