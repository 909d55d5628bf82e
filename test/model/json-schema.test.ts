import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/docs/generated-files.js';
import { CATALOGUE, EVENT_NAMES, type EventSpec } from '../../src/model/catalogue.js';
import { definitionName, EVENTS_SCHEMA_FILE, versionRanges } from '../../src/model/json-schema.js';
import { Profile } from '../../src/model/profile.js';
import { toWebhook, VALID_2_16, VALID_CDR } from '../validate/fixtures.js';
import {
  OPENVIDU_2_13_SESSION,
  OPENVIDU_2_16_WEBHOOK,
  OPENVIDU_PRO_2_17_CDR,
} from '../validate/real-format-lines.js';

const schemaText = readFileSync(path.join(REPO_ROOT, EVENTS_SCHEMA_FILE), 'utf8');
const schema = JSON.parse(schemaText) as {
  definitions: Record<string, { properties: Record<string, unknown> }>;
};
const validate = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(schema);
const valid = (line: string): boolean => validate(JSON.parse(line));

const GOLDEN = path.join(REPO_ROOT, 'test', 'golden');
const goldenLines = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) =>
    readFileSync(path.join(GOLDEN, f), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [f, l] as const),
  );

describe('schema/events.schema.json, the JSON Schema of the wire table', () => {
  // That the file equals what the catalogue publishes is test/docs/scenario-schema.test.ts's check (docs:generate).
  it('accepts every line of every golden file, CDR and WebHook, 2.16 to 2.32, CE to Enterprise', () => {
    expect(goldenLines.length).toBeGreaterThan(1000);
    const refused = goldenLines.filter(([, l]) => !valid(l)).map(([f, l]) => `${f}: ${l.slice(0, 80)}`);
    expect(refused).toEqual([]);
  });

  it("accepts the validator's hand-written lines of 2.13, 2.16, 2.17 Pro and 2.32", () => {
    const lines = [
      ...VALID_CDR,
      ...VALID_CDR.map(toWebhook),
      ...VALID_2_16,
      ...OPENVIDU_2_13_SESSION,
      ...OPENVIDU_2_16_WEBHOOK,
      ...OPENVIDU_PRO_2_17_CDR,
    ];
    expect(lines.filter((l) => !valid(l))).toEqual([]);
  });

  it('refuses lines OpenVidu never writes', () => {
    const [created, joined, outbound, , inbound, micOutbound, , started] = VALID_CDR;
    const broken = [
      created!.replace(',"timestamp":1601394690713', ''), // a required key missing
      joined!.replace('"location":"unknown"', '"location":"unknown","extra":1'), // a key of no event
      outbound!.replace('"connection":"OUTBOUND"', '"connection":"BOTH"'), // not a legal value
      inbound!.replace(/"receivingFrom":"[^"]*",/, ''), // INBOUND without receivingFrom
      outbound!.replace('"connection":"OUTBOUND"', '"connection":"OUTBOUND","receivingFrom":"con_X"'),
      micOutbound!.replace('"audioEnabled"', '"videoSource":"CAMERA","audioEnabled"'), // video keys without video
      started!.replace('"status":"started"', '"status":"starting"'),
      started!.replace('"outputMode":"INDIVIDUAL"', '"outputMode":"COMPOSED"'), // composed video without resolution
      toWebhook(created!).replace('"event":"sessionCreated"', '"event":"sessionDestroyed"'),
      toWebhook(VALID_2_16[3]!), // recordingStarted is CDR-only
      '{"sessionCreated":{"sessionId":"s","timestamp":1},"x":{}}',
      '{"sessionId":"s","timestamp":1}',
    ];
    expect(broken.filter(valid)).toEqual([]);
  });

  it("lists, for every version and edition, exactly the keys the serializer writes, in the serializer's order", () => {
    for (let minor = 12; minor <= 32; minor++) {
      for (const edition of ['ce', 'pro', 'enterprise'] as const) {
        const profile = new Profile(`2.${minor}`, edition);
        for (const name of EVENT_NAMES.filter((n) => profile.has(n))) {
          const spec: EventSpec = CATALOGUE[name];
          const range = versionRanges(spec).find(([from, to]) => from <= minor && minor <= to);
          expect(range, `${name} ${minor}`).toBeDefined();
          const keys = Object.keys(schema.definitions[definitionName(name, range!)]!.properties);
          expect(keys, `${name} 2.${minor}`).toEqual(profile.fieldsOf(name).map((f) => f.key));
        }
      }
    }
  });

  it('splits an event into version ranges where its field set changes', () => {
    expect(versionRanges(CATALOGUE.participantJoined)).toEqual([
      [12, 16],
      [17, 19],
      [20, 32],
    ]);
    expect(versionRanges(CATALOGUE.recordingStarted)).toEqual([
      [12, 16],
      [17, 17],
      [18, 20],
    ]);
    expect(versionRanges(CATALOGUE.HANodeRegistered)).toEqual([[28, 32]]);
  });
});
