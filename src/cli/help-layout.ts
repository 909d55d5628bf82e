/**
 * How each command's `--help` is laid out: its flags grouped by purpose and its examples. A table apart from the
 * commands' option definitions, so a command gains or loses a flag without touching this file: a flag named here that
 * the command does not have is skipped, and a flag not named here is listed under "Options:".
 */
import type { Argv } from 'yargs';

export interface HelpLayout {
  /** Titled groups of flags (without dashes), in display order. */
  readonly groups: ReadonlyArray<readonly [title: string, flags: readonly string[]]>;
  /** `[command line, what it does]`; `$0` is `ovsim`. */
  readonly examples: ReadonlyArray<readonly [command: string, description: string]>;
}

const SIMULATION = ['seed', 'start', 'openvidu-version', 'edition'] as const;
const SERVER = ['server', 'livekit-version', 'livekit-json-spacing'] as const;
const OPENVIDU_CONFIG = [
  'env-file',
  'cdr',
  'cdr-path',
  'webhook',
  'webhook-endpoint',
  'webhook-header',
  'webhook-events',
  'recording-autostop-timeout',
] as const;
/** What the OpenVidu 3 senders sign with (LiveKit's JWT, Meet's HMAC). */
const SIGNING = ['api-key', 'api-secret', 'livekit-config'] as const;
const SENDER = ['timeout', 'sign-secret', 'dead-letter', 'drain-timeout'] as const;
const LOAD_PLAN = [
  'rate',
  'stages',
  'duration',
  'graceful-stop',
  'replicas',
  'lanes',
  'connections',
  'retry',
  'accept',
] as const;
const LOAD_VERDICT = ['report', 'metrics', 'max-failure-rate', 'max-p99'] as const;
const REHEARSAL = ['chaos', 'journal', 'truth'] as const;
const REHEARSAL_TITLE = 'Rehearsing a consumer (docs/chaos.md):';

/** The layout of the top level (`ovsim --help`). */
export const TOP_LEVEL_EXAMPLES: HelpLayout['examples'] = [
  ['$0 scenarios', 'list the bundled scenarios'],
  ['$0 generate basic-call', 'print a one-to-one call as CDR lines'],
  ['$0 help generate', "a command's flags and examples"],
  ['$0 completion >> ~/.bashrc', 'tab completion in bash (zsh: >> ~/.zshrc)'],
];

export const HELP_LAYOUTS: Readonly<Record<string, HelpLayout>> = {
  generate: {
    groups: [
      ['Output:', ['out', 'format', 'truth']],
      ['Server imitated:', SERVER],
      ['Simulation:', SIMULATION],
      ['Generated datasets (scenarios with a generate: block):', ['set', 'shard', 'workers']],
    ],
    examples: [
      ['$0 generate basic-call', 'a one-to-one call, CDR lines on stdout'],
      ['$0 generate default --seed 42 --out default.cdr.jsonl', 'the same bytes on every run with this seed'],
      ['$0 generate basic-call --format webhook', 'WebHook bodies instead of CDR lines'],
      ['$0 generate default --openvidu-version 2.16', "OpenVidu 2.16's field set"],
      ['$0 generate basic-call --server openvidu3', 'the LiveKit webhook bodies OpenVidu 3 would POST'],
      ['$0 generate busy-day --shard 0/4 --out part0.jsonl', 'a quarter of a day of traffic'],
      [
        '$0 generate default --format webhook --out hooks.jsonl --truth truth.json',
        'and the ground truth of the run',
      ],
    ],
  },
  score: {
    groups: [
      ['Inputs:', ['truth', 'actual', 'actual-format', 'actual-header', 'timeout', 'journal']],
      ['Verdict:', ['tolerance', 'max-divergences', 'max-minutes-error', 'max-duplicate-effects', 'format']],
      ['Side effects:', ['effects-port', 'effects-wait', 'secret']],
    ],
    examples: [
      [
        '$0 score --truth truth.json --actual usage.json',
        "a consumer's view from a file; exit 1 when it diverges",
      ],
      [
        '$0 score --truth truth.json --actual http://127.0.0.1:3070/usage --format json',
        'GET it from the consumer',
      ],
      [
        '$0 score --truth truth.json --actual export.csv --max-minutes-error 0.5%',
        'a CSV export, a billing tolerance',
      ],
      [
        '$0 score --truth truth.json --actual http://127.0.0.1:3070/usage --effects-port 8091',
        'count side effects first',
      ],
      [
        '$0 score --truth truth.json --actual http://127.0.0.1:3070/usage --journal journal.jsonl',
        'with the delivery faults behind each divergence',
      ],
    ],
  },
  validate: {
    groups: [
      ['Checks:', ['server', 'openvidu-version', 'events', 'max-line-size', 'quiet']],
      ['Output:', ['format', 'json']],
    ],
    examples: [
      ['$0 validate /opt/openvidu/cdr/CDR.log', "check a real server's CDR file"],
      ['$0 generate default | $0 validate -', 'check what generate writes (- reads stdin)'],
      ['$0 validate --events sessionCreated,sessionDestroyed hooks.jsonl', 'a filtered WebHook log'],
      ['$0 validate --format github CDR.*.log', 'annotations for GitHub Actions'],
      ['$0 validate --server openvidu3 livekit-hooks.jsonl', 'LiveKit webhook bodies, one per line'],
    ],
  },
  run: {
    groups: [
      ['Pacing:', ['speed']],
      ['Server imitated:', [...SERVER, ...SIGNING]],
      ['Simulation:', SIMULATION],
      ['OpenVidu configuration (flags, then the environment, then --env-file):', OPENVIDU_CONFIG],
      ['CDR output:', ['cdr-stdout']],
      ['WebHook sender:', ['delivery', ...SENDER]],
      [REHEARSAL_TITLE, REHEARSAL],
      ['Load delivery (only with --delivery load):', [...LOAD_PLAN, ...LOAD_VERDICT]],
    ],
    examples: [
      [
        '$0 run default --speed 60 --cdr-path ./cdr --webhook-endpoint http://127.0.0.1:8090/webhook',
        'an hour of OpenVidu in a minute, to a CDR folder and a WebHook endpoint',
      ],
      ['$0 run default --env-file /opt/openvidu/.env --speed max', "with a real server's .env"],
      ['$0 run default --speed max --cdr-path ./cdr --cdr-stdout', "also print OpenVidu's console CDR lines"],
      [
        '$0 run default --server openvidu3 --api-key K --api-secret S --webhook-endpoint http://127.0.0.1:8090/',
        "OpenVidu 3: LiveKit webhooks, signed with the key pair of livekit.yaml's webhook.api_key",
      ],
      [
        '$0 run default --speed max --webhook-endpoint http://127.0.0.1:3070/ --chaos stripe --journal j.jsonl',
        'deliver as Stripe would (duplicates, out of order) and journal every fault',
      ],
    ],
  },
  load: {
    groups: [
      ['Load plan:', LOAD_PLAN],
      ['Verdict:', LOAD_VERDICT],
      ['Server imitated:', [...SERVER, ...SIGNING]],
      ['OpenVidu configuration (flags, then the environment, then --env-file):', OPENVIDU_CONFIG],
      ['WebHook sender:', SENDER],
      [REHEARSAL_TITLE, REHEARSAL],
      ['Simulation:', [...SIMULATION, 'speed']],
    ],
    examples: [
      [
        '$0 load default --webhook-endpoint http://127.0.0.1:8090/ --rate 200/s --duration 30s',
        '200 events/s for 30 s',
      ],
      [
        '$0 load default --webhook-endpoint http://127.0.0.1:8090/ --stages 30s:100/s,60s:1000/s --max-p99 250',
        'ramp up; exit 1 when p99 latency exceeds 250 ms',
      ],
      [
        '$0 load default --webhook-endpoint http://127.0.0.1:8090/ --replicas 20 --chaos dup=0.05 --truth t.json',
        'twenty copies, some duplicated, and their ground truth',
      ],
      [
        '$0 load default --server openvidu3 --api-key K --api-secret S --webhook-endpoint http://127.0.0.1:8090/',
        "OpenVidu 3: LiveKit's signed webhooks through its per-room queues and retries",
      ],
    ],
  },
  receive: {
    groups: [
      ['Listening:', ['port', 'host']],
      ['Output:', ['jsonl']],
      [
        'Checks:',
        [
          'server',
          'validate',
          'verify-secret',
          'api-key',
          'api-secret',
          'livekit-config',
          'events',
          'max-body-size',
        ],
      ],
      ['Answers (misbehave on purpose):', ['respond', 'fail-rate', 'delay', 'drop-rate']],
    ],
    examples: [
      ['$0 receive --port 8090', 'print and check every WebHook sent to http://127.0.0.1:8090/'],
      ['$0 receive --fail-rate 0.1:503 --delay 50ms', 'answer 10 % with 503, each after 50 ms'],
      ['$0 receive --jsonl > hooks.jsonl', 'one JSON line per request'],
      [
        '$0 receive --events sessionCreated,sessionDestroyed',
        'check a sender whose OPENVIDU_WEBHOOK_EVENTS sends only these',
      ],
      [
        '$0 receive --server openvidu3 --api-key devkey --api-secret secret',
        "LiveKit webhooks: verify each Authorization JWT and check the rooms' lifecycle",
      ],
    ],
  },
  scenarios: {
    groups: [['Output:', ['json']]],
    examples: [
      ['$0 scenarios', 'names and one-line descriptions'],
      ['$0 scenarios --json', 'names, descriptions and files as JSON'],
    ],
  },
  serve: {
    groups: [
      ['Server:', ['host', 'port', 'secret', 'public-url']],
      ['Virtual time:', ['speed', 'paused']],
      ['Server imitated:', [...SERVER, ...SIGNING]],
      ['Simulation:', SIMULATION],
      ['Fake OpenVidu:', ['client-policy', 'webhook-endpoint', 'cdr-path']],
      ['Logging:', ['log', 'log-format']],
      ['Checking:', ['dry-run']],
    ],
    examples: [
      ['$0 serve default --paused', 'open http://127.0.0.1:5443/ and step through a scenario'],
      [
        '$0 serve --port 4443 --secret MY_TEST_SECRET --webhook-endpoint http://localhost:7777/webhook --log',
        'a fake OpenVidu for integration tests, printing each REST call and its events',
      ],
      [
        '$0 serve lk-fast-reconnect --server openvidu3 --api-key K --api-secret S --webhook-endpoint URL',
        'OpenVidu 3: LiveKit rooms and events on the page, signed LiveKit webhooks',
      ],
    ],
  },
};

/** The title of the group of `--help` and `--version`, last in every help. */
export const GENERAL_GROUP = 'General:';

/** Applies `layout` to a command's parser: groups of the flags it has, and its examples after the flags. */
export function applyHelpLayout(y: Argv, layout: HelpLayout | undefined): Argv {
  if (!layout) return y;
  const known = new Set(flagsOf(y).names);
  let out = y;
  for (const [title, flags] of layout.groups) {
    const present = flags.filter((f) => known.has(f));
    if (present.length > 0) out = out.group(present, title);
  }
  return out.epilogue(formatExamples(layout.examples));
}

/**
 * An Examples section as gh prints it: each command under a `#` comment, so a long command line never wraps into the
 * description column and a line can be pasted into a shell as it stands.
 */
export function formatExamples(examples: HelpLayout['examples']): string {
  const lines = examples.map(
    ([command, description]) => `  # ${description}\n  ${command.replace(/\$0/g, 'ovsim')}`,
  );
  return `Examples:\n${lines.join('\n\n')}`;
}

/**
 * The flags a parser has so far: names as declared, and every alias. `getOptions` is a method of yargs' parser that
 * its typings (@types/yargs 17) leave out.
 */
export function flagsOf(y: Argv): { names: string[]; aliases: string[] } {
  const o = (y as unknown as { getOptions(): { key: object; alias: Record<string, string[]> } }).getOptions();
  return { names: Object.keys(o.key), aliases: Object.values(o.alias).flat() };
}
