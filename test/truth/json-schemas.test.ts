import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from '../../src/score/json-schemas.js';

// That the files in schema/ equal what the zod schemas publish is test/docs/scenario-schema.test.ts's check.
describe('schema/truth.schema.json', () => {
  it('the truth schema requires sessions[].participants[].connectedSeconds, the path other tools rely on', () => {
    const truth = JSON.parse(jsonSchemaFiles()['truth.schema.json'] ?? '{}') as {
      required: string[];
      properties: {
        sessions: {
          items: { required: string[]; properties: { participants: { items: { required: string[] } } } };
        };
      };
    };
    expect(truth.required).toContain('sessions');
    const session = truth.properties.sessions.items;
    expect(session.required).toContain('participants');
    expect(session.properties.participants.items.required).toContain('connectedSeconds');
  });
});
