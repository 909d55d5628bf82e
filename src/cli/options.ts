/**
 * Option parsing shared by commands: seeds, start instants, versions.
 */
import type { Argv } from 'yargs';
import { OvsimError } from '../errors.js';
import type { Edition } from '../model/profile.js';
import {
  DEFAULT_SERVER,
  parseServerKind,
  SERVER_DESCRIPTIONS,
  SERVERS,
  type ServerKind,
} from '../model/servers.js';
import { parseVersion } from '../model/version.js';
import { parseInstant, type SettingsOverrides } from '../scenario/simulate-scenario.js';
import { parseLivekitVersion } from '../model/ov3/livekit-profile.js';

/** `--start ISO8601|now` to epoch ms; `undefined` leaves the scenario's own start (or the fixed default). */
export function parseStartOption(
  value: string | undefined,
  wallClock: () => number = Date.now,
): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'now') return wallClock();
  const ms = parseInstant(value);
  if (ms === undefined) {
    throw new OvsimError(
      'BAD_INPUT',
      `--start "${value}" is not an ISO 8601 instant (e.g. 2024-05-10T14:23:11Z) or "now"`,
    );
  }
  return ms;
}

export function parseVersionOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  parseVersion(value);
  return value;
}

export function parseEditionOption(value: string | undefined): Edition | undefined {
  if (value === undefined) return undefined;
  if (value === 'ce' || value === 'pro' || value === 'enterprise') return value;
  throw new OvsimError('BAD_INPUT', `--edition "${value}" must be ce, pro or enterprise`);
}

/** The options every command that plays a scenario file shares: the scenario, seed, start, version and edition. */
export function withScenarioOptions(y: Argv): Argv {
  return withSimulationOptions(
    y.positional('scenario', {
      type: 'string',
      demandOption: true,
      describe: 'scenario file or bundled scenario name',
    }),
    '2024-01-01T00:00:00.000Z',
  );
}

/**
 * Seed, start, version and edition, overriding the scenario's; `startDefault` is what `--start` falls back to when the
 * scenario has none (generated files start at a fixed instant, a live server at now).
 */
export function withSimulationOptions(y: Argv, startDefault: string): Argv {
  return y
    .option('seed', { type: 'string', describe: "random seed (default: the scenario's seed, else 1)" })
    .option('start', {
      type: 'string',
      describe: `virtual start instant, ISO 8601 or 'now' (default: the scenario's, else ${startDefault})`,
    })
    .option('openvidu-version', {
      type: 'string',
      describe: "field set of this OpenVidu version (default: the scenario's, else 2.32)",
    })
    .option('edition', {
      type: 'string',
      describe: "ce | pro | enterprise (default: the scenario's, else ce)",
    });
}

export { DEFAULT_SERVER, SERVERS, type ServerKind } from '../model/servers.js';

/**
 * `--server`'s one definition, for every command that takes it; `what` says what the choice changes for it. No default
 * here: run and generate fall back to the scenario's `openvidu.server`, validate and receive to openvidu2.
 */
function serverOption(what: string) {
  return { type: 'string', choices: SERVERS, describe: `server imitated: ${what}` } as const;
}

/** `--server NAME`, or the default when absent. @throws OvsimError BAD_INPUT */
export function parseServerOption(value: string | undefined): ServerKind {
  return value === undefined ? DEFAULT_SERVER : parseServerKind(value);
}

/** Adds `--server` (default openvidu2) to a command that reads or receives events; `what` says what it changes. */
export function withServerOption<T>(y: Argv<T>, what: string): Argv<T> {
  return y.option('server', { ...serverOption(what), default: DEFAULT_SERVER }) as unknown as Argv<T>;
}

/** The options naming the server imitated, shared by the commands that make or send events. */
export interface ServerFlags {
  readonly server?: string | undefined;
  readonly livekitVersion?: string | undefined;
  readonly livekitJsonSpacing?: string | undefined;
}

/**
 * `--server openvidu2|openvidu3|openvidu3-v2compat|meet` (default: the scenario's `openvidu.server`, else
 * openvidu2) and, for OpenVidu 3, the LiveKit build imitated: `--livekit-version`, `--livekit-json-spacing`.
 */
export function withServerOptions<T>(y: Argv<T>): Argv<T & ServerFlags> {
  return y
    .option(
      'server',
      serverOption(
        "default: the scenario's openvidu.server, else openvidu2; " +
          SERVERS.map((k) => `${k} = ${SERVER_DESCRIPTIONS[k]}`).join('; '),
      ),
    )
    .option('livekit-version', {
      type: 'string',
      describe:
        "OpenVidu 3: the LiveKit server release imitated, e.g. 1.9.0 (default: the scenario's, else 1.13.5)",
    })
    .option('livekit-json-spacing', {
      type: 'string',
      describe:
        'OpenVidu 3: compact (,") or spaced (, "): protobuf-go adds a space after commas or not, per LiveKit binary ' +
        "(default: the scenario's, else compact)",
    }) as unknown as Argv<T & ServerFlags>;
}

/** The server flags as settings overrides (the server undefined: the scenario's). @throws OvsimError BAD_INPUT */
export function serverOverrides(
  f: ServerFlags,
): Pick<SettingsOverrides, 'server' | 'livekitVersion' | 'jsonSpacing'> {
  if (f.livekitVersion !== undefined) parseLivekitVersion(f.livekitVersion);
  const spacing = f.livekitJsonSpacing;
  if (spacing !== undefined && spacing !== 'compact' && spacing !== 'spaced')
    throw new OvsimError('BAD_INPUT', `--livekit-json-spacing "${spacing}" must be compact or spaced`);
  const server = f.server === undefined ? undefined : parseServerKind(f.server);
  return { server, livekitVersion: f.livekitVersion, jsonSpacing: spacing };
}
