/**
 * The options of the commands that play a scenario on the wall clock (`run`, `load`): `run --delivery load` is load
 * mode, so both take the scenario, pacing and sink options, and load mode's own.
 */
import type { Argv } from 'yargs';
import { openviduFlagsBuilder, type OpenviduFlags } from '../openvidu-options.js';
import { withScenarioOptions } from '../options.js';

/** Options of load mode (shared by `ovsim load` and `ovsim run --delivery load`). */
export interface LoadArgs {
  readonly rate?: string | undefined;
  readonly stages?: string | undefined;
  readonly duration?: string | undefined;
  readonly replicas?: number | undefined;
  readonly lanes?: number | undefined;
  readonly connections?: number | undefined;
  readonly retry?: string | undefined;
  readonly accept?: string | undefined;
  readonly gracefulStop?: string | undefined;
  readonly metrics?: string | undefined;
  readonly report?: string | undefined;
  readonly maxFailureRate?: string | undefined;
  readonly maxP99?: string | undefined;
}

export interface RunArgs extends OpenviduFlags, LoadArgs {
  readonly scenario: string;
  readonly seed?: string | undefined;
  readonly start?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly edition?: string | undefined;
  readonly speed: string;
  readonly delivery: 'openvidu' | 'load';
  readonly deadLetter?: string | undefined;
  readonly signSecret?: string | undefined;
  readonly drainTimeout: string;
  readonly timeout: string;
  readonly cdrStdout?: boolean | undefined;
}

/** Options every scenario-playing command shares: scenario, seed, start, version, pacing, sinks. */
export function scenarioRunBuilder(y: Argv): Argv<RunArgs> {
  const base = withScenarioOptions(y)
    .option('dead-letter', {
      type: 'string',
      describe: 'JSONL file of every event not delivered, with its attempts',
    })
    .option('sign-secret', {
      type: 'string',
      describe:
        'whsec_… secret: add Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature)',
    })
    .option('drain-timeout', {
      type: 'string',
      default: '10s',
      describe: 'on SIGINT/SIGTERM, how long the WebHook queue may drain',
    })
    .option('timeout', {
      type: 'string',
      default: '10s',
      describe: "WebHook connect and read timeouts (OpenVidu's: 10s)",
    });
  return openviduFlagsBuilder(base) as unknown as Argv<RunArgs>;
}
