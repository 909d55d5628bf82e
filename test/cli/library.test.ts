import { describe, expect, it } from 'vitest';
import * as ovsim from '../../src/index.js';

describe('the library entry point', () => {
  it('runs a scenario from code and validates it with the public API only', () => {
    const scenario = ovsim.parseScenarioText(
      'steps:\n  - at: 0s\n    createSession: { session: s }\n  - at: 1s\n    join: { session: s, participant: a }\n  - at: 5s\n    leave: { participant: a }\n',
      'inline.yaml',
    );
    const settings = ovsim.resolveSettings(scenario, { seed: 3 });
    const lines = [...ovsim.simulateScenario(scenario, settings)].flatMap((b) =>
      b.events.map((e) => settings.profile.serializeCdr(e) ?? ''),
    );
    expect(lines.map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual([
      'sessionCreated',
      'participantJoined',
      'participantLeft',
      'sessionDestroyed',
    ]);
    const v = new ovsim.LifecycleValidator();
    expect(lines.flatMap((l, i) => v.push(l, i + 1, 'lib'))).toEqual([]);
  });
});
