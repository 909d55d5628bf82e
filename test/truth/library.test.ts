import { describe, expect, it } from 'vitest';
import * as ovsim from '../../src/index.js';

describe('the truth and the score from the library', () => {
  it('folds a simulation, writes the truth and scores a view with the public API only', () => {
    const scenario = ovsim.parseScenarioText(
      'steps:\n  - at: 0s\n    createSession: { session: s }\n  - at: 1s\n    join: { session: s, participant: a }\n' +
        '  - at: 5.5s\n    leave: { participant: a }\n',
      'inline.yaml',
    );
    const settings = ovsim.resolveSettings(scenario, { seed: 3 });
    const builder = new ovsim.TruthBuilder();
    for (const batch of ovsim.simulateScenario(scenario, settings))
      for (const fact of ovsim.factsOfBatch(batch)) builder.add(fact);
    const truth = builder.finish({
      scenario: 'inline',
      seed: '3',
      start: settings.start,
      openviduVersion: '2.32',
      edition: 'ce',
    });
    expect(ovsim.TruthDocument.parse(JSON.parse([...ovsim.formatTruth(truth)].join('')))).toEqual(truth);
    const session = truth.sessions[0]!;
    const participant = session.participants[0]!;
    expect(participant.connectedSeconds).toBeCloseTo(4.5, 1);
    const view: ovsim.Actual = {
      sessions: [
        {
          sessionId: session.sessionId,
          participants: [{ participantId: participant.participantId, seconds: 9 }],
        },
      ],
    };
    const result = ovsim.compareWithTruth(truth, view);
    expect(result.divergences.map((d) => d.kind)).toEqual(['minutes-overcounted']);
    expect(ovsim.judge(result, { maxDivergences: 1 }).passed).toBe(true);
  });
});
