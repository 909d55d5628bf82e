import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshalWebhookEvent } from '../../../src/model/livekit/protojson-writer.js';
import { WebhookEventDesc, type WebhookEvent } from '../../../src/model/livekit/webhook-event.js';
import { message } from './arbitraries.js';
import { reserialize, stripStructuralSpaces } from './oracle.js';

describe('protojson writer against @livekit/protocol on random messages', () => {
  it('every body parses strictly and re-serializes, in declaration order, to the same bytes; spacing is the only difference between variants', () => {
    fc.assert(
      fc.property(message(WebhookEventDesc), (m) => {
        const event = m as WebhookEvent;
        const compact = marshalWebhookEvent(event);
        expect(reserialize(compact)).toBe(compact);
        expect(stripStructuralSpaces(marshalWebhookEvent(event, { spaceAfterComma: true }))).toBe(compact);
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it('draws substantial messages (the property is not vacuous)', () => {
    const lengths = fc
      .sample(message(WebhookEventDesc), { numRuns: 100, seed: 19 })
      .map((m) => marshalWebhookEvent(m).length);
    expect(lengths.filter((n) => n > 1000).length).toBeGreaterThan(30);
  });
});
