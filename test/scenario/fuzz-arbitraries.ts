/**
 * Hostile scenario files for the fuzz tests: random structures, wrong types, huge and tiny numbers, deep nesting,
 * unknown and misspelt actions and fields, unicode, and text-level damage (cut, spliced, doubled lines), as YAML and
 * as JSON. Most cases stay close to a real scenario so that they get past the first check and reach the deeper ones.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { GenerateSchema } from '../../src/generate/generate-schema.js';
import { ACTION_NAMES, actionSchemas } from '../../src/model/commands.js';
import { ScenarioHeader } from '../../src/scenario/header-schema.js';

const fieldsOf = (schema: unknown): string[] =>
  typeof schema === 'object' && schema !== null && 'shape' in schema
    ? Object.keys((schema as { shape: object }).shape)
    : [];

const ACTION_FIELDS = [...new Set(Object.values(actionSchemas).flatMap(fieldsOf))];
const GENERATE_FIELDS = [
  ...fieldsOf(GenerateSchema),
  'rate',
  'limit',
  'arrival',
  'shape',
  'daily',
  'participants',
  'duration',
  'stay',
  'dist',
  'median',
  'sigma',
  'min',
  'max',
  'mean',
  'sd',
  'value',
  'nodeCrash',
  'serverStop',
  'restartAfter',
];
const OPENVIDU_FIELDS = [
  'version',
  'edition',
  'recordingAutostopTimeout',
  'cluster',
  'mediaNodes',
  'reconnectionTimeout',
  'loadInterval',
  'autoscaling',
  'enabled',
  'minNodes',
  'maxNodes',
  'minLoad',
  'maxLoad',
  'id',
];

/** Numbers that break naive code: huge, tiny, negative, at the edges of ints and of the time range. */
const nastyNumber = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1e300,
    -1e300,
    1e-300,
    5e-324,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    253_402_300_799_999,
    8.64e15,
    0.5,
    2.99,
    2.3,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.nat(100_000),
);

/** Strings a user or an attacker might write where a value goes. */
const nastyString = fc.oneof(
  fc.constantFrom(
    'now',
    '1e300',
    '99999999999999999999d',
    '1000000d',
    '-1s',
    '1.5s',
    '250ms',
    '2m 30s',
    '5/min',
    '1000000/ms',
    '2.99',
    '2.32',
    '3.0',
    'v2.20.0',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00Z',
    '2024-01-01',
    'COMPOSED',
    'INDIVIDUAL',
    'IPCAM',
    'pro',
    'enterprise',
    'ce',
    'lognormal',
    '',
    ' ',
    '~',
    'null',
    '<<',
    '\u0000',
    '\u202e',
    'ß',
    '😀',
    'ses_ABC',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 8 }),
);

const scalar = fc.oneof(nastyNumber, nastyString, fc.boolean(), fc.constant(null));

const key = (known: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...ACTION_NAMES, 'at', 'after', 'steps', 'generate', 'openvidu'),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  );

/** Any JSON-like value, a few levels deep, with keys drawn from `known`. */
const tree = (known: readonly string[]) =>
  fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key(known), tie('node'), { maxKeys: 4 }),
    ),
  })).node;

const handle = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('s1', 's2', 'alice', 'bob', 'carol', 'r1', 'node-a', 'node-b') },
  { weight: 1, arbitrary: nastyString },
);

const duration = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('0s', '1s', '1.5s', '250ms', '2m', '1h', 3, 0.5) },
  { weight: 1, arbitrary: scalar },
);

/** A step that is usually well formed: a time, one action and fields of the right names. */
const step = fc
  .record({
    time: fc.constantFrom('at', 'after', 'none', 'both'),
    when: duration,
    action: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...ACTION_NAMES) },
      { weight: 1, arbitrary: fc.constantFrom('joinn', 'Publish', 'leaveSession', 'create_session', 'x') },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
    ),
    fields: fc.dictionary(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...ACTION_FIELDS) },
        { weight: 1, arbitrary: fc.string() },
      ),
      fc.oneof({ weight: 3, arbitrary: handle }, { weight: 1, arbitrary: tree(ACTION_FIELDS) }),
      { maxKeys: 4 },
    ),
    bare: fc.boolean(),
  })
  .map((s) => {
    const out: Record<string, unknown> = {};
    if (s.time === 'at' || s.time === 'both') out['at'] = s.when;
    if (s.time === 'after' || s.time === 'both') out['after'] = s.when;
    out[s.action] = s.bare ? null : s.fields;
    return out;
  });

/** A `generate:` block: kept small (the fuzz reads its first batches only), with hostile values here and there. */
const generateBlock = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        duration: duration,
        sessions: fc.oneof(
          fc.record({ rate: fc.oneof(fc.constantFrom('5/min', '1/s', 10), scalar), limit: fc.nat(5) }),
          tree(GENERATE_FIELDS),
        ),
        call: fc.dictionary(fc.constantFrom(...GENERATE_FIELDS), fc.oneof(duration, tree(GENERATE_FIELDS)), {
          maxKeys: 3,
        }),
        faults: fc.dictionary(fc.constantFrom(...GENERATE_FIELDS), scalar, { maxKeys: 2 }),
      },
      { requiredKeys: ['sessions'] },
    ),
  },
  { weight: 1, arbitrary: tree(GENERATE_FIELDS) },
);

/** A scenario as a value, most of it plausible. */
export const scenarioValue = fc
  .record(
    {
      name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), scalar),
      seed: scalar,
      start: fc.oneof(fc.constantFrom('2024-01-01T00:00:00Z', 'now', '9999-12-31T23:00:00Z'), scalar),
      openvidu: fc.oneof(
        fc.record(
          {
            version: fc.oneof(fc.constantFrom('2.32', '2.16', 2.3), scalar),
            edition: fc.oneof(fc.constantFrom('ce', 'pro', 'enterprise'), scalar),
            recordingAutostopTimeout: scalar,
            cluster: tree(OPENVIDU_FIELDS),
          },
          { requiredKeys: [] },
        ),
        tree(OPENVIDU_FIELDS),
      ),
      generate: generateBlock,
      steps: fc.oneof(
        { weight: 6, arbitrary: fc.array(step, { maxLength: 8 }) },
        { weight: 1, arbitrary: scalar },
      ),
      extra: tree([...Object.keys(ScenarioHeader.shape)]),
    },
    { requiredKeys: ['steps'] },
  )
  .map((v) => {
    const { extra, ...rest } = v;
    return extra !== undefined && typeof extra === 'object' && extra !== null && !Array.isArray(extra)
      ? { ...extra, ...rest }
      : rest;
  });

/** A gap between two steps: mostly short, sometimes far too long. */
const gap = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom('0s', '250ms', '1s', '30s', '2m', '1h') },
  { weight: 1, arbitrary: fc.constantFrom('1000000d', '3000000d', 1e12, '99d') },
);

/** A scenario that is valid in shape, with times, timeouts and durations anywhere from sensible to absurd. */
export const plausibleScenario = fc
  .record(
    {
      start: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('2024-01-01T00:00:00Z', '1970-01-01T00:00:00.001Z', 'now') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '1970-01-01T00:00:00Z',
            '9999-12-31T23:00:00Z',
            '9999-12-31T23:59:59.999Z',
            '0001-01-01T00:00:00Z',
          ),
        },
      ),
      edition: fc.constantFrom('ce', 'pro'),
      autostop: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(0, 120) },
        { weight: 2, arbitrary: fc.nat(2 ** 31 - 1) },
        { weight: 1, arbitrary: fc.constant(2 ** 31) },
      ),
      gaps: fc.array(gap, { minLength: 8, maxLength: 8 }),
      record: fc.boolean(),
      generate: fc.option(
        fc.record({
          duration: fc.constantFrom('10m', '1h', '1000000d', '0s'),
          limit: fc.nat(3),
          // Drawn lengths from minutes to far past year 9999 (sigma 10 reaches e^30 times the median).
          callDuration: fc.oneof(
            fc.constantFrom('5m', 0, '100000d', '1000000000d'),
            fc.record(
              {
                dist: fc.constant('lognormal'),
                median: fc.constantFrom('5m', '1000d'),
                sigma: fc.constantFrom(0.8, 3, 10, 11),
                max: fc.constantFrom('2h', '1000000d'),
              },
              { requiredKeys: ['dist', 'median', 'sigma'] },
            ),
          ),
          participants: fc.oneof(fc.nat(5), fc.constantFrom(10_001, 1e15)),
        }),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['start', 'edition', 'autostop', 'gaps', 'record', 'generate'] },
  )
  .map((p) => {
    const actions: Array<Record<string, unknown>> = [
      { createSession: { session: 's1' } },
      { join: { session: 's1', participant: 'alice' } },
      { publish: { participant: 'alice' } },
      { join: { session: 's1', participant: 'bob' } },
      p.record ? { startRecording: { session: 's1', recording: 'r1' } } : { publish: { participant: 'bob' } },
      { signal: { session: 's1', from: 'bob', data: 'hi ✓' } },
      { leave: { participant: 'bob' } },
      { leave: { participant: 'alice' } },
    ];
    return {
      name: 'plausible',
      start: p.start,
      openvidu: { edition: p.edition, recordingAutostopTimeout: p.autostop },
      steps: actions.map((a, i) => ({ after: p.gaps[i], ...a })),
      ...(p.generate === undefined
        ? {}
        : {
            generate: {
              duration: p.generate.duration,
              sessions: { rate: '2/min', limit: p.generate.limit },
              mix: { call: 1, meeting: 1, webinar: 0, ipcam: 0 },
              // No chat: a call of centuries would otherwise send millions of signals, costing time, testing nothing.
              call: { duration: p.generate.callDuration, signalsPerMinute: 0 },
              meeting: { participants: p.generate.participants, signalsPerMinute: 0 },
            },
          }),
    };
  });

/** Damage done to the text: none (most), a cut, a spliced character, a doubled line, deep nesting, a BOM. */
const damage = fc.oneof(
  { weight: 8, arbitrary: fc.constant((t: string) => t) },
  { weight: 1, arbitrary: fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.nat(),
        fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", '\n', '\t', ' ', '-', '&', '*', '#', '!'),
      )
      .map(
        ([n, c]) =>
          (t: string) =>
            t.slice(0, n % (t.length + 1)) + c + t.slice(n % (t.length + 1)),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.nat().map((n) => (t: string) => {
      const lines = t.split('\n');
      const i = n % lines.length;
      return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 5000 })
      .map((d) => (t: string) => `{"steps": [${'['.repeat(d)}${']'.repeat(d)}], "x": ${JSON.stringify(t)}}`),
  },
  { weight: 1, arbitrary: fc.constant((t: string) => `\uFEFF${t}`) },
);

/** A scenario file: its name (extension chooses the syntax) and text. */
export const scenarioFile = fc
  .record({
    value: fc.oneof({ weight: 2, arbitrary: scenarioValue }, { weight: 1, arbitrary: plausibleScenario }),
    json: fc.boolean(),
    indent: fc.constantFrom(0, 2),
    damage,
  })
  .map(({ value, json, indent, damage: hurt }) => {
    const text = json
      ? JSON.stringify(value, null, indent)
      : stringify(value, { aliasDuplicateObjects: false });
    return { file: json ? 'fuzz.json' : 'fuzz.yaml', text: hurt(text) };
  });

/** Cases a run checks: small by default, OVSIM_FUZZ_RUNS for more (e.g. OVSIM_FUZZ_RUNS=5000). */
export const FUZZ_RUNS = Math.max(1, Number(process.env.OVSIM_FUZZ_RUNS ?? 300) || 300);
/** The seed: fixed, so a failure in CI reproduces; OVSIM_FUZZ_SEED explores others. */
export const FUZZ_SEED = Number(process.env.OVSIM_FUZZ_SEED ?? 20_160_516) || 20_160_516;
