import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generatedFiles, REPO_ROOT, SCENARIO_FORMAT_FILE } from '../../scripts/docs/generated-files.js';
import { SCHEMA_FILE } from '../../scripts/docs/scenario-json-schema.js';
import { GenerateSchema, parseRate } from '../../src/generate/generate-schema.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { ACTION_NAMES } from '../../src/model/commands.js';
import { parseDuration } from '../../src/model/duration.js';

const SCENARIOS_DIR = path.join(REPO_ROOT, 'scenarios');
const SCHEMA_LINE = '# yaml-language-server: $schema=../schema/scenario.schema.json';
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const bundled = readdirSync(SCENARIOS_DIR).filter((f) => /\.ya?ml$/.test(f));

function compile() {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: false });
  return ajv.compile(JSON.parse(read(SCHEMA_FILE)) as object);
}
const validate = compile();
const errorsOf = (value: unknown) =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => e.instancePath);

/** The fenced yaml blocks of a markdown text. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

describe('generated scenario documentation', () => {
  it('docs/scenario-format.md and schema/*.schema.json are up to date (npm run docs:generate)', async () => {
    for (const [file, text] of await generatedFiles()) {
      expect(read(file), `${file} is stale: run npm run docs:generate`).toBe(text);
    }
  });

  it('documents every action and every generate: field', () => {
    const doc = read(SCENARIO_FORMAT_FILE);
    for (const name of ACTION_NAMES) expect(doc).toContain(`### \`${name}\``);
    for (const field of ['sessions.rate', 'faults.nodeRecoverAfter', 'recording.outputMode.INDIVIDUAL']) {
      expect(doc).toContain(`\`${field}\``);
    }
    expect(doc).toMatch(/\| `joinSpread` +\| random duration +\| `20s` +\| `4m` +\| `8m` +\| `30m` /);
  });

  it('every yaml example of the reference is a scenario the parser and the schema accept', () => {
    const blocks = yamlBlocks(read(SCENARIO_FORMAT_FILE));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    blocks.forEach((text, i) => {
      expect(() => parseScenarioText(text, `example-${i}.yaml`)).not.toThrow();
      expect(errorsOf(parseYaml(text))).toEqual([]);
    });
  });
});

describe('the JSON Schema of scenario files', () => {
  it.each(bundled)('accepts the bundled %s, whose first line points editors to it', (file) => {
    const text = readFileSync(path.join(SCENARIOS_DIR, file), 'utf8');
    expect(text.split('\n')[0]).toBe(SCHEMA_LINE);
    expect(errorsOf(parseYaml(text))).toEqual([]);
  });

  it('ships in the package where the $schema lines point', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    expect(pkg.files).toContain('schema');
    const target = path.resolve(SCENARIOS_DIR, SCHEMA_LINE.split('$schema=')[1] ?? '');
    expect(target).toBe(path.join(REPO_ROOT, SCHEMA_FILE));
  });

  const rejected: [string, unknown, string][] = [
    ['an unknown action', { steps: [{ at: '1s', jion: { session: 's', participant: 'a' } }] }, '/steps/0'],
    [
      'two actions in a step',
      { steps: [{ createSession: { session: 's' }, closeSession: { session: 's' } }] },
      '/steps/0',
    ],
    ['a step without action', { steps: [{ at: '1s' }] }, '/steps/0'],
    ['an unknown field', { steps: [{ publish: { participant: 'a', fps: 30 } }] }, '/steps/0'],
    ['a missing handle', { steps: [{ join: { session: 's' } }] }, '/steps/0'],
    ['a bad enum value', { steps: [{ leave: { participant: 'a', reason: 'bye' } }] }, '/steps/0'],
    ['a duration in words', { steps: [{ at: '5 minutes', stopServer: null }] }, '/steps/0'],
    ['a rate per week', { generate: { sessions: { rate: '5/week' } } }, '/generate/sessions/rate'],
    ['an unknown top-level key', { stpes: [] }, ''],
    [
      'an unknown distribution',
      { generate: { meeting: { duration: { dist: 'pareto', median: '5m' } } } },
      '/generate/meeting/duration',
    ],
    [
      'a probability over 1',
      { generate: { recording: { probability: 1.5 } } },
      '/generate/recording/probability',
    ],
  ];
  it.each(rejected)('rejects %s, as the parser (or the generator) does', (_what, value, where) => {
    expect(errorsOf(value)).toContain(where);
    const generate = (value as { generate?: unknown }).generate;
    if (generate !== undefined) expect(GenerateSchema.safeParse(generate).success).toBe(false);
    else expect(() => parseScenarioText(JSON.stringify(value), 'bad.json')).toThrow();
  });

  it('accepts an action without fields written as an empty value, and constants for distributions', () => {
    const value = {
      generate: { call: { duration: '20m', participants: 1 }, meeting: { stay: 90 } },
      steps: [{ at: 0, stopServer: null }, { mediaServerReconnect: {} }],
    };
    expect(errorsOf(value)).toEqual([]);
  });

  const durations = [
    '250ms',
    '1.5s',
    '2m 30s',
    '1h30m',
    '90',
    '0',
    ' 2 m ',
    '3d',
    '10min',
    '',
    's',
    '1.5.2s',
    '5 minutes',
    '1w',
    '-1s',
    '1e3s',
  ];
  it.each(durations)('takes the duration %j exactly when parseDuration does', (text) => {
    const accepted = errorsOf({ steps: [{ at: text, stopServer: null }] }).length === 0;
    expect(accepted).toBe(parseDuration(text) !== undefined);
  });

  const rates = [
    '5/min',
    '300/h',
    '2/d',
    '0.5/s',
    '10',
    '1/ms',
    '3/sec',
    '4/hour',
    '1/day',
    '5/m',
    '5/week',
    '/min',
    '5 per min',
    '1/Min',
    '-1/s',
  ];
  it.each(rates)('takes the rate %j exactly when parseRate does', (text) => {
    const accepted = errorsOf({ generate: { sessions: { rate: text } } }).length === 0;
    expect(accepted).toBe(parseRate(text) !== undefined);
  });
});
