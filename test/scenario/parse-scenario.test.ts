import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import {
  BUNDLED_SCENARIOS_DIR,
  listBundledScenarios,
  readScenario,
} from '../../src/scenario/read-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/** The example of the scenario-format contract, verbatim. */
const EXAMPLE_YAML = `name: two-users-recorded
description: Two users talk while a composed recording runs, then the server closes the session.
seed: 7                              # optional; --seed overrides
start: 2024-05-10T14:23:11.000Z      # optional; --start overrides
openvidu:                            # the simulated server; names follow OpenVidu's configuration
  version: "2.32"                    # field set of the output (see the spec, §11); default "2.32"
  edition: ce                        # ce | pro | enterprise; default ce
  recordingAutostopTimeout: 120      # OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT, seconds; default 120
steps:
  - at: 0s
    createSession: { session: s1, customSessionId: TestSession }
  - at: 1s
    join: { session: s1, participant: alice, clientData: Alice }
  - at: 1.5s
    publish: { participant: alice, videoSource: CAMERA, frameRate: 30, dimensions: 1280x720 }
  - at: 3s
    join: { session: s1, participant: bob }
  - after: 1s
    publish: { participant: bob }
  - at: 10s
    startRecording: { session: s1, recording: r1, outputMode: COMPOSED, resolution: 1920x1080 }
  - at: 20s
    signal: { session: s1, from: alice, type: chat, data: hello }
  - at: 30s
    stopRecording: { recording: r1 }
  - at: 50s
    closeSession: { session: s1 }
`;

const EXAMPLE_JSON = JSON.stringify(
  {
    name: 'two-users-recorded',
    description: 'Two users talk while a composed recording runs, then the server closes the session.',
    seed: 7,
    start: '2024-05-10T14:23:11.000Z',
    openvidu: { version: '2.32', edition: 'ce', recordingAutostopTimeout: 120 },
    steps: [
      { at: '0s', createSession: { session: 's1', customSessionId: 'TestSession' } },
      { at: '1s', join: { session: 's1', participant: 'alice', clientData: 'Alice' } },
      {
        at: '1.5s',
        publish: { participant: 'alice', videoSource: 'CAMERA', frameRate: 30, dimensions: '1280x720' },
      },
      { at: 3, join: { session: 's1', participant: 'bob' } },
      { after: '1s', publish: { participant: 'bob' } },
      {
        at: '10s',
        startRecording: { session: 's1', recording: 'r1', outputMode: 'COMPOSED', resolution: '1920x1080' },
      },
      { at: '20s', signal: { session: 's1', from: 'alice', type: 'chat', data: 'hello' } },
      { at: '30s', stopRecording: { recording: 'r1' } },
      { at: 50, closeSession: { session: 's1' } },
    ],
  },
  null,
  2,
);

/** The lines of the ScenarioError thrown for `text`, failing the test when nothing is thrown. */
function problemLines(text: string, file = 'bad.yaml'): string[] {
  try {
    parseScenarioText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message.split('\n');
  }
  throw new Error('expected a ScenarioError');
}

/** A scenario with one step per entry, each written as given (YAML). */
function withSteps(...steps: string[]): string {
  return `steps:\n${steps.map((s) => `  - ${s.replaceAll('\n', '\n    ')}`).join('\n')}\n`;
}

/** The scenario without what depends on the file it came from. */
function withoutFile(s: Scenario): unknown {
  return { ...s, file: undefined, steps: s.steps.map((step) => ({ ...step, location: undefined })) };
}

describe('parseScenarioText: valid scenarios', () => {
  it('parses the example of the contract', () => {
    const s = parseScenarioText(EXAMPLE_YAML, 'scenarios/two.yaml');
    expect(s.file).toBe('scenarios/two.yaml');
    expect(s.name).toBe('two-users-recorded');
    expect(s.description).toBe(
      'Two users talk while a composed recording runs, then the server closes the session.',
    );
    expect(s.seed).toBe(7);
    expect(s.start).toBe('2024-05-10T14:23:11.000Z');
    expect(s.openvidu).toEqual({ version: '2.32', edition: 'ce', recordingAutostopTimeout: 120 });
    expect(s.steps.map((x) => [x.index, x.at, x.action.type])).toEqual([
      [0, 0, 'createSession'],
      [1, 1000, 'join'],
      [2, 1500, 'publish'],
      [3, 3000, 'join'],
      [4, 4000, 'publish'],
      [5, 10_000, 'startRecording'],
      [6, 20_000, 'signal'],
      [7, 30_000, 'stopRecording'],
      [8, 50_000, 'closeSession'],
    ]);
    expect(s.steps[2]?.action).toEqual({
      type: 'publish',
      args: { participant: 'alice', videoSource: 'CAMERA', frameRate: 30, dimensions: '1280x720' },
    });
    expect(s.steps[0]?.location).toEqual({ file: 'scenarios/two.yaml', line: 11, col: 5 });
    expect(s.steps[8]?.location).toEqual({ file: 'scenarios/two.yaml', line: 27, col: 5 });
    expect('generate' in s).toBe(false);
  });

  it('gives the same scenario for the same content in JSON', () => {
    const fromYaml = parseScenarioText(EXAMPLE_YAML, 'two.yaml');
    const fromJson = parseScenarioText(EXAMPLE_JSON, 'two.json');
    expect(withoutFile(fromJson)).toEqual(withoutFile(fromYaml));
    expect(fromJson.file).toBe('two.json');
    expect(fromJson.steps[0]?.location).toEqual({ file: 'two.json', line: 14, col: 7 });
  });

  it('takes a JSON file\'s "$schema" (its editor hint) and ignores it; other unknown keys stay errors', () => {
    const withSchema = EXAMPLE_JSON.replace('{', '{\n  "$schema": "../schema/scenario.schema.json",');
    const fromJson = parseScenarioText(withSchema, 'two.json');
    expect(withoutFile(fromJson)).toEqual(withoutFile(parseScenarioText(EXAMPLE_JSON, 'two.json')));
    expect(() => parseScenarioText(EXAMPLE_JSON.replace('{', '{ "$schemas": "x",'), 'two.json')).toThrow(
      /\$schemas/,
    );
  });

  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['3', 3000],
    ['0.25', 250],
    ['"10"', 10_000],
    ['0', 0],
  ])('reads the duration %s as %i ms', (written, ms) => {
    const s = parseScenarioText(withSteps(`at: ${written}\nstopServer: {}`), 'd.yaml');
    expect(s.steps[0]?.at).toBe(ms);
  });

  it('counts after: from the previous step and at: from the start', () => {
    const s = parseScenarioText(
      withSteps(
        'after: 1s\nstopServer: {}',
        'after: 500ms\nstopServer: {}',
        'after: 2\nstopServer: {}',
        'at: 5s\nstopServer: {}',
        'after: 0\nstopServer: {}',
        'after: 1m\nstopServer: {}',
      ),
      'a.yaml',
    );
    expect(s.steps.map((x) => x.at)).toEqual([1000, 1500, 3500, 5000, 5000, 65_000]);
  });

  it('runs a step without a time at the previous step’s instant, keeping file order', () => {
    const s = parseScenarioText(
      withSteps(
        'at: 2s\ncreateSession: { session: s1 }',
        'join: { session: s1, participant: alice }',
        'at: 2s\njoin: { session: s1, participant: bob }',
        'leave: { participant: bob }',
      ),
      'same.yaml',
    );
    expect(s.steps.map((x) => [x.index, x.at, x.action.type])).toEqual([
      [0, 2000, 'createSession'],
      [1, 2000, 'join'],
      [2, 2000, 'join'],
      [3, 2000, 'leave'],
    ]);
  });

  it('fills the header defaults', () => {
    const s = parseScenarioText(withSteps('at: 0\nstopServer:'), 'some/dir/my-call.yml');
    expect(s.name).toBe('my-call');
    expect(s.description).toBe('');
    expect(s.seed).toBeUndefined();
    expect(s.start).toBeUndefined();
    expect(s.openvidu).toEqual({});
    expect(s.steps[0]?.action).toEqual({ type: 'stopServer', args: {} });
  });

  it('passes generate: through untouched and then needs no steps', () => {
    const s = parseScenarioText(
      'generate: { sessions: 3, users: [2, 5], anything: { goes: true } }\n',
      'g.yaml',
    );
    expect(s.generate).toEqual({ sessions: 3, users: [2, 5], anything: { goes: true } });
    expect(s.steps).toEqual([]);
  });

  it('accepts start as now or as an instant with an offset, and a string seed', () => {
    expect(parseScenarioText('start: now\nseed: abc\nsteps: []\n', 'n.yaml')).toMatchObject({
      start: 'now',
      seed: 'abc',
    });
    expect(parseScenarioText('start: 2024-05-10T16:23:11+02:00\nsteps: []\n', 'o.yaml').start).toBe(
      '2024-05-10T16:23:11+02:00',
    );
  });

  it('keeps an unquoted openvidu version as written, not as a number', () => {
    const s = parseScenarioText('openvidu: { version: 2.30, edition: pro }\nsteps: []\n', 'v.yaml');
    expect(s.openvidu).toEqual({ version: '2.30', edition: 'pro' });
  });
});

describe('parseScenarioText: problems', () => {
  it('reports a YAML syntax error where it is', () => {
    expect(problemLines('name: x\nsteps: [\n  { at: 1s, stopServer: {} }\nseed: 3\n')).toEqual([
      'bad.yaml:4:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports JSON syntax errors, including what YAML alone would accept', () => {
    expect(
      problemLines('{\n  "steps": [\n    { "at": 1, "stopServer": {} }\n  ],\n  "name": foo\n}', 'bad.json'),
    ).toEqual(['bad.json:5:11 JSON syntax error: Unresolved plain scalar "foo"']);
    const trailingComma = problemLines('{ "steps": [], }', 'bad.json');
    expect(trailingComma).toHaveLength(1);
    expect(trailingComma[0]).toMatch(
      /^(bad\.json:1:\d+ JSON syntax error: |JSON syntax error in bad\.json: )/,
    );
  });

  it('names an unknown action and suggests the closest one', () => {
    expect(problemLines(withSteps('at: 1s\npubish: { participant: alice }'))).toEqual([
      'bad.yaml:3:5 steps[0].pubish: unknown action "pubish"; did you mean "publish"? Known actions: createSession, join, reconnect, publish, unpublish, forceUnpublish, subscribe, unsubscribe, leave, flap, forceDisconnect, startRecording, stopRecording, signal, filterEvent, closeSession, mediaServerReconnect, mediaServerCrash, stopServer, launchMediaNode, setMediaNodeStatus, removeMediaNode, crashMediaNode, startBroadcast, stopBroadcast, registerMasterNode, deregisterMasterNode',
    ]);
  });

  it('lists the allowed values of a bad enum value', () => {
    expect(problemLines(withSteps('at: 1s\npublish: { participant: alice, videoSource: camera }'))).toEqual([
      'bad.yaml:3:36 steps[0].publish.videoSource: "camera" is not allowed; did you mean "CAMERA"? Allowed values: CAMERA, SCREEN, CUSTOM',
    ]);
    expect(problemLines('openvidu:\n  edition: community\nsteps: []\n')).toEqual([
      'bad.yaml:2:3 openvidu.edition: "community" is not allowed; allowed values: ce, pro, enterprise',
    ]);
  });

  it('names a missing required handle at its action', () => {
    expect(problemLines(withSteps('at: 1s\npublish: { videoSource: CAMERA }'))).toEqual([
      'bad.yaml:3:5 steps[0].publish: missing required field "participant"',
    ]);
    expect(problemLines(withSteps('at: 1s\njoin:\n  session: s1'))).toEqual([
      'bad.yaml:3:5 steps[0].join: missing required field "participant"',
    ]);
  });

  it('refuses two actions in one step', () => {
    expect(
      problemLines(withSteps('at: 1s\njoin: { session: s1, participant: a }\npublish: { participant: a }')),
    ).toEqual([
      'bad.yaml:4:5 steps[0]: one action per step, found "join" and "publish"; give each its own step (without at: or after: a step runs at the same instant as the previous one)',
    ]);
  });

  it('refuses at: and after: together', () => {
    expect(problemLines(withSteps('at: 1s\nafter: 2s\nstopServer: {}'))).toEqual([
      'bad.yaml:3:5 steps[0]: a step has either at: or after:, not both',
    ]);
  });

  it('refuses time going backwards', () => {
    expect(problemLines(withSteps('at: 10s\nstopServer: {}', 'at: 5s\nstopServer: {}'))).toEqual([
      'bad.yaml:4:5 steps[1].at: steps must be in time order; step at 5s comes after a step at 10s',
    ]);
    expect(problemLines(withSteps('at: 1s\nstopServer: {}', 'at: 250ms\nstopServer: {}'))).toEqual([
      'bad.yaml:4:5 steps[1].at: steps must be in time order; step at 250ms comes after a step at 1s',
    ]);
  });

  it('refuses a bad duration', () => {
    expect(problemLines(withSteps('after: 5 sec\nstopServer: {}', 'at: -1\nstopServer: {}'))).toEqual([
      'bad.yaml:2:5 steps[0].after: "5 sec" is not a duration; use seconds (1.5) or a number with a unit (250ms, 1.5s, 2m, 1h)',
      'bad.yaml:4:5 steps[1].at: -1 is not a duration; use seconds (1.5) or a number with a unit (250ms, 1.5s, 2m, 1h)',
    ]);
  });

  it('refuses a start that is not an instant with a timezone', () => {
    const hint =
      'is invalid: start is an ISO 8601 instant with a timezone (2024-05-10T14:23:11.000Z, 2024-05-10T16:23:11+02:00) or "now"';
    expect(problemLines('start: 2024-05-10T14:23:11\nsteps: []\n')).toEqual([
      `bad.yaml:1:1 start: "2024-05-10T14:23:11" ${hint}`,
    ]);
    expect(problemLines('start: 2024-02-30T00:00:00Z\nsteps: []\n')).toEqual([
      `bad.yaml:1:1 start: "2024-02-30T00:00:00Z" ${hint}`,
    ]);
    expect(problemLines('steps: []\nstart: 5\n')).toEqual([`bad.yaml:2:1 start: 5 ${hint}`]);
  });

  it('names an unknown top-level key', () => {
    expect(problemLines('name: x\nstpes: []\ngenerate: {}\n')).toEqual([
      'bad.yaml:2:1 stpes: unknown top-level key "stpes"; did you mean "steps"? Allowed keys: $schema, name, description, seed, start, openvidu, generate, steps',
    ]);
    expect(problemLines('colour: blue\nsteps: []\n')).toEqual([
      'bad.yaml:1:1 colour: unknown top-level key "colour"; allowed keys: $schema, name, description, seed, start, openvidu, generate, steps',
    ]);
  });

  it('needs steps unless there is generate:', () => {
    expect(problemLines('name: nothing\n')).toEqual([
      'bad.yaml:1:1 steps: a scenario needs steps: (a list of timed actions) or generate:',
    ]);
    expect(problemLines('')).toEqual([
      'bad.yaml:1:1 the file is empty; a scenario needs steps: (a list of timed actions)',
    ]);
  });

  it('explains a step or an action value of the wrong shape', () => {
    expect(
      problemLines(withSteps('42', 'at: 1s\npublish: alice', 'at: 2s\nstopServer: { now: true }')),
    ).toEqual([
      'bad.yaml:2:5 steps[0]: a step is a mapping of a time and one action, e.g. { at: 1s, join: { session: s1, participant: alice } }; got 42',
      'bad.yaml:4:5 steps[1].publish: expected a mapping of the fields of publish (participant, videoSource, audio, video, frameRate, dimensions), got "alice"',
      'bad.yaml:6:19 steps[2].stopServer.now: unknown field "now"; stopServer takes no fields',
    ]);
  });

  it('reports every problem of the file at once, in file order', () => {
    const text = [
      'steps:',
      '  - at: 1s',
      '    join: { session: s1, participant: "bob smith", role: ADMIN }',
      '  - at: 2s',
      '    signal: { session: s1, to: [alice, 7] }',
      '  - at: 1s',
      '    closeSession: { session: s1 }',
      'openvidu: { edition: pro, recordingAutostopTimeout: 1.5 }',
      'seed: 1.5',
    ].join('\n');
    let error: unknown;
    try {
      parseScenarioText(text, 'many.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems.map((p) => [p.location?.line, p.location?.col, p.path])).toEqual([
      [3, 26, 'steps[0].join.participant'],
      [3, 52, 'steps[0].join.role'],
      [5, 40, 'steps[1].signal.to[1]'],
      [6, 5, 'steps[2].at'],
      [8, 27, 'openvidu.recordingAutostopTimeout'],
      [9, 1, 'seed'],
    ]);
    expect((error as ScenarioError).message.split('\n')).toEqual([
      'many.yaml:3:26 steps[0].join.participant: "bob smith" is invalid: a handle is letters, digits, _ . : or -',
      'many.yaml:3:52 steps[0].join.role: "ADMIN" is not allowed; allowed values: PUBLISHER, SUBSCRIBER, MODERATOR',
      'many.yaml:5:40 steps[1].signal.to[1]: expected a string, got 7',
      'many.yaml:6:5 steps[2].at: steps must be in time order; step at 1s comes after a step at 2s',
      'many.yaml:8:27 openvidu.recordingAutostopTimeout: expected a whole number, got 1.5',
      'many.yaml:9:1 seed: expected a whole number or a string, got 1.5',
    ]);
    expect((error as ScenarioError).code).toBe('BAD_INPUT');
  });
});

describe('readScenario and listBundledScenarios', () => {
  let dir = '';
  let bundled = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ovsim-scenario-'));
    bundled = path.join(dir, 'bundled');
    await mkdir(bundled);
    await writeFile(path.join(bundled, 'zeta.yaml'), 'description: Last one.\nsteps: []\n');
    await writeFile(path.join(bundled, 'alpha.json'), '{ "description": "First one.", "steps": [] }');
    await writeFile(path.join(bundled, 'alpha.yml'), 'description: Second one.\nsteps: []\n');
    await writeFile(path.join(bundled, 'notes.txt'), 'not a scenario');
    await writeFile(path.join(dir, 'local.yaml'), 'name: local\nsteps:\n  - at: 1s\n    stopServer:\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads an existing file', async () => {
    const file = path.join(dir, 'local.yaml');
    const s = await readScenario(file, { scenariosDir: bundled });
    expect(s.name).toBe('local');
    expect(s.file).toBe(file);
    expect(s.steps[0]?.location).toEqual({ file, line: 4, col: 5 });
  });

  it('finds a bundled scenario by name, .yaml before .yml before .json', async () => {
    const zeta = await readScenario('zeta', { scenariosDir: bundled });
    expect([zeta.name, zeta.description, zeta.file]).toEqual([
      'zeta',
      'Last one.',
      path.join(bundled, 'zeta.yaml'),
    ]);
    const alpha = await readScenario('alpha', { scenariosDir: bundled });
    expect(alpha.file).toBe(path.join(bundled, 'alpha.yml'));
    const alphaJson = await readScenario('alpha.json', { scenariosDir: bundled });
    expect(alphaJson.description).toBe('First one.');
  });

  it('names the missing scenario and the bundled ones', async () => {
    await expect(readScenario('nope', { scenariosDir: bundled })).rejects.toThrow(
      'no such file or scenario "nope"; bundled scenarios: alpha, zeta',
    );
    await expect(readScenario('nope', { scenariosDir: path.join(dir, 'none') })).rejects.toThrow(
      'no such file or scenario "nope"; there are no bundled scenarios',
    );
  });

  it('gives the OS reason when a file cannot be read', async () => {
    const error: unknown = await readScenario(bundled, { scenariosDir: bundled }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe(
      `cannot read "${bundled}": illegal operation on a directory`,
    );
  });

  it('lists the bundled scenarios sorted by name with their descriptions', async () => {
    expect(await listBundledScenarios(bundled)).toEqual([
      { name: 'alpha', description: 'Second one.', file: path.join(bundled, 'alpha.yml') },
      { name: 'zeta', description: 'Last one.', file: path.join(bundled, 'zeta.yaml') },
    ]);
    expect(await listBundledScenarios(path.join(dir, 'missing'))).toEqual([]);
  });

  it('looks for bundled scenarios in the package’s scenarios/ folder by default', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    expect(path.resolve(BUNDLED_SCENARIOS_DIR)).toBe(path.join(root, 'scenarios'));
  });
});
