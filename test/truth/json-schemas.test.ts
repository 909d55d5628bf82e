import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from '../../src/score/json-schemas.js';

describe('schema/*.schema.json', () => {
  for (const [name, text] of Object.entries(jsonSchemaFiles())) {
    it(`${name} is what the zod schema publishes (npm run schema:update rewrites it)`, () => {
      expect(readFileSync(join(process.cwd(), 'schema', name), 'utf8')).toBe(text);
    });
  }

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
