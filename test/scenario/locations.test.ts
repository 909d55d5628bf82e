import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { resolveGenerateConfig } from '../../src/generate/scenario-batches.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { findJsonSyntaxError } from '../../src/scenario/json-syntax.js';
import fc from 'fast-check';

/** The message of the ScenarioError `run` throws; fails when it throws nothing or something else. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    for (const p of (e as ScenarioError).problems) expect(p.location).toBeDefined();
    return (e as ScenarioError).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('every scenario error is located (file:line:col)', () => {
  it.each([
    ['{"steps":[1,]}', 'f.json:1:13 JSON syntax error: expected a value (JSON allows no comma before "]")'],
    [
      '{\n  "steps": [\n    1,\n  ]\n}\n',
      'f.json:4:3 JSON syntax error: expected a value (JSON allows no comma before "]")',
    ],
    ['', 'f.json:1:1 JSON syntax error: unexpected end of the file'],
    ['   ', 'f.json:1:4 JSON syntax error: unexpected end of the file'],
  ])('a JSON syntax error V8 gives no position for: %j', (text, message) => {
    expect(messageOf(() => parseScenarioText(text, 'f.json'))).toBe(message);
  });

  it('an unsupported OpenVidu version, at its field (was unlocated, from resolveSettings)', () => {
    const text = '{\n  "openvidu": { "version": "2.99" },\n  "steps": []\n}\n';
    expect(messageOf(() => parseScenarioText(text, 'v.json'))).toBe(
      'v.json:2:17 openvidu.version: unsupported OpenVidu version "2.99": use 2.12 to 2.32 (e.g. 2.16 or 2.32)',
    );
    expect(messageOf(() => parseScenarioText('openvidu:\n  version: 3.1\nsteps: []\n', 'v.yaml'))).toMatch(
      /^v\.yaml:2:3 openvidu\.version: unsupported OpenVidu version "3\.1"/,
    );
  });

  it('an empty YAML file', () => {
    expect(messageOf(() => parseScenarioText('', 'e.yaml'))).toBe(
      'e.yaml:1:1 the file is empty; a scenario needs steps: (a list of timed actions)',
    );
  });

  it('a generate: block parsed from text, without reading the file again (was unlocated)', () => {
    const s = parseScenarioText(
      'name: g\ngenerate:\n  sesions: { rate: 5/min }\n  duration: 2x\n',
      'no/such/file.yaml',
    );
    expect(messageOf(() => resolveGenerateConfig(s))).toBe(
      [
        'no/such/file.yaml:3:3 generate: unknown field "sesions"',
        'no/such/file.yaml:4:3 generate.duration: "2x" is not a duration (use 250ms, 1.5s, 2m, 1h or seconds)',
      ].join('\n'),
    );
  });

  it('a --set override the file does not have, at the block', () => {
    const s = parseScenarioText('name: g\ngenerate:\n  duration: 1h\n', 'g.yaml');
    expect(messageOf(() => resolveGenerateConfig(s, ['sessions.rate=fast']))).toMatch(
      /^g\.yaml:2:1 generate\.sessions\.rate: "fast" is not a rate/,
    );
  });
});

describe('findJsonSyntaxError agrees with JSON.parse', () => {
  const token = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"a"',
    '"',
    '1',
    '-',
    '0',
    '01',
    '1.5',
    '1e5',
    '1.',
    'true',
    'nul',
    'null',
    ' ',
    '\n',
    '\\',
    '"\\u00zz"',
    '"\\n"',
    'x',
    '\t',
    '"\t"',
    '-0',
    '.5',
    '1e',
    '2E+3',
    '\u00e9',
    '"\u{1F600}"',
  );

  it('on random token soups', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const text = tokens.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === undefined).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('on every JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findJsonSyntaxError(JSON.stringify(v, null, 1))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('on 100 000 levels of nesting, without a stack overflow', () => {
    expect(findJsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000))).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(100_000))).toEqual({
      offset: 100_000,
      message: 'unexpected end of the file',
    });
  });
});

describe('bounds that kept hostile files from hanging or crashing, each refused where it is written', () => {
  it.each([
    [
      'x.json',
      `{"steps": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
      'x.json:1:110 JSON too deep: nested more than 100 levels deep',
    ],
    [
      'x.yaml',
      `steps: ${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      'x.yaml:1:108 YAML too deep: nested more than 100 levels deep',
    ],
    [
      'x.yaml',
      `steps:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n')}1`,
      'x.yaml:203:401 YAML too deep: a line is indented more than 400 columns',
    ],
  ])('nesting (%s)', (file, text, message) => {
    expect(messageOf(() => parseScenarioText(text, file))).toBe(message);
  });

  it('does not count brackets inside strings and comments', () => {
    const text = `name: "${'['.repeat(500)}"\ndescription: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nsteps: []\n`;
    expect(parseScenarioText(text, 'ok.yaml').name).toBe('['.repeat(500));
  });

  it.each([
    [
      'openvidu:\n  cluster:\n    loadInterval: 1.0e-300\nsteps: []\n',
      'b.yaml:3:5 openvidu.cluster.loadInterval: 1e-300 is too small: the minimum is 1',
    ],
    [
      'openvidu:\n  cluster:\n    autoscaling: { minNodes: 100000000 }\nsteps: []\n',
      'b.yaml:3:20 openvidu.cluster.autoscaling.minNodes: 100000000 is too large: the maximum is 100',
    ],
  ])('engine settings that hung the run: %j', (text, message) => {
    expect(messageOf(() => parseScenarioText(text, 'b.yaml'))).toBe(message);
  });

  it.each([
    [
      'meeting: { participants: 100000000 }',
      /generate\.meeting\.participants: a session has at most 10000 people/,
    ],
    [
      'call: { duration: { dist: lognormal, median: 5m, sigma: 1e300 } }',
      /generate\.call\.duration\.sigma: sigma is at most 10/,
    ],
  ])('generated sessions that hung the generator: %s', (block, message) => {
    const s = parseScenarioText(`generate: { ${block} }\n`, 'g.yaml');
    expect(messageOf(() => resolveGenerateConfig(s))).toMatch(message);
  });
});
