/**
 * Command-line flags for the simulated server's OpenVidu configuration, shared by `run` and `load`, and their
 * resolution with the environment and `--env-file` (flags win, then the environment, then the file).
 */
import type { Argv } from 'yargs';
import {
  readEnvFile,
  resolveOpenviduConfig,
  type OpenviduConfig,
  type PropertySource,
} from '../config/openvidu-config.js';
import { OvsimError } from '../errors.js';
import { parseDuration } from '../model/duration.js';

export interface OpenviduFlags {
  readonly envFile?: string | undefined;
  readonly cdr?: boolean | undefined;
  readonly cdrPath?: string | undefined;
  readonly webhook?: boolean | undefined;
  readonly webhookEndpoint?: string | undefined;
  readonly webhookHeader?: readonly string[] | undefined;
  readonly webhookEvents?: string | undefined;
  readonly recordingAutostopTimeout?: string | undefined;
}

export function openviduFlagsBuilder<T>(y: Argv<T>): Argv<T & OpenviduFlags> {
  return y
    .option('env-file', {
      type: 'string',
      describe: 'an OpenVidu .env file (OPENVIDU_* lines); the environment and flags override it',
    })
    .option('cdr', {
      type: 'boolean',
      describe: 'OPENVIDU_CDR: write the CDR file (default false; implied by --cdr-path)',
    })
    .option('cdr-path', {
      type: 'string',
      describe: 'OPENVIDU_CDR_PATH: folder of the CDR files (default /opt/openvidu/cdr)',
    })
    .option('webhook', {
      type: 'boolean',
      describe: 'OPENVIDU_WEBHOOK: POST events (default false; implied by --webhook-endpoint)',
    })
    .option('webhook-endpoint', {
      type: 'string',
      describe: 'OPENVIDU_WEBHOOK_ENDPOINT: the http(s) URL to POST to',
    })
    .option('webhook-header', {
      type: 'string',
      array: true,
      describe: 'OPENVIDU_WEBHOOK_HEADERS entry "Name: Value" (repeatable, sent in this order)',
    })
    .option('webhook-events', {
      type: 'string',
      describe: "OPENVIDU_WEBHOOK_EVENTS: JSON array or comma list of event names (default: OpenVidu's 15)",
    })
    .option('recording-autostop-timeout', {
      type: 'string',
      describe: "OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT in seconds (default: the scenario's, else 120)",
    }) as unknown as Argv<T & OpenviduFlags>;
}

/** The flags as OpenVidu property values (only those given). */
export function flagsToProperties(f: OpenviduFlags): PropertySource {
  const p: Record<string, string> = {};
  if (f.cdr !== undefined) p.OPENVIDU_CDR = String(f.cdr);
  else if (f.cdrPath !== undefined) p.OPENVIDU_CDR = 'true';
  if (f.cdrPath !== undefined) p.OPENVIDU_CDR_PATH = f.cdrPath;
  if (f.webhook !== undefined) p.OPENVIDU_WEBHOOK = String(f.webhook);
  else if (f.webhookEndpoint !== undefined) p.OPENVIDU_WEBHOOK = 'true';
  if (f.webhookEndpoint !== undefined) p.OPENVIDU_WEBHOOK_ENDPOINT = f.webhookEndpoint;
  if (f.webhookHeader !== undefined && f.webhookHeader.length > 0) {
    p.OPENVIDU_WEBHOOK_HEADERS = JSON.stringify(f.webhookHeader.map(String));
  }
  if (f.webhookEvents !== undefined) {
    const t = f.webhookEvents.trim();
    p.OPENVIDU_WEBHOOK_EVENTS = t.startsWith('[') ? t : `[${t}]`;
  }
  if (f.recordingAutostopTimeout !== undefined)
    p.OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT = String(f.recordingAutostopTimeout);
  return p;
}

/** Resolves the configuration from flags, `env` and the `--env-file`. @throws OvsimError BAD_INPUT (exit 2) */
export async function configFromFlags(
  f: OpenviduFlags,
  env: PropertySource = process.env,
): Promise<OpenviduConfig> {
  const envFile = f.envFile === undefined ? undefined : await readEnvFile(f.envFile);
  return resolveOpenviduConfig({ flags: flagsToProperties(f), env, ...(envFile ? { envFile } : {}) });
}

/** A duration option (`10s`, `500ms`, `2m`, bare seconds) in ms. @throws OvsimError BAD_INPUT naming the option */
export function parseDurationOption(
  value: string | number | undefined,
  option: string,
  fallbackMs: number,
): number {
  if (value === undefined) return fallbackMs;
  const ms = parseDuration(typeof value === 'number' ? value : String(value));
  if (ms === undefined)
    throw new OvsimError('BAD_INPUT', `${option} "${value}" is not a duration (e.g. 10s, 500ms, 2m)`);
  return ms;
}
