/**
 * Option parsing shared by commands: seeds, start instants, versions.
 */
import type { Argv } from 'yargs';
import { OvsimError } from '../errors.js';
import type { Edition } from '../model/profile.js';
import { DEFAULT_SERVER, SERVERS, type ServerKind } from '../model/servers.js';
import { parseVersion } from '../model/version.js';
import { parseInstant } from '../scenario/simulate-scenario.js';

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

/** `--server NAME`, or the default when absent. */
export function parseServerOption(value: string | undefined): ServerKind {
  if (value === undefined) return DEFAULT_SERVER;
  if ((SERVERS as readonly string[]).includes(value)) return value as ServerKind;
  throw new OvsimError('BAD_INPUT', `--server "${value}" must be one of ${SERVERS.join(', ')}`);
}

/** Adds `--server` to a command; `what` says what the choice changes for it. */
export function withServerOption<T>(y: Argv<T>, what: string): Argv<T> {
  return y.option('server', {
    type: 'string',
    choices: SERVERS,
    default: DEFAULT_SERVER,
    describe: `server imitated: ${what}`,
  }) as unknown as Argv<T>;
}
