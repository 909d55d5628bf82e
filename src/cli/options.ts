/**
 * Option parsing shared by commands: seeds, start instants, versions.
 */
import { OvsimError } from '../errors.js';
import type { Edition } from '../model/profile.js';
import { parseVersion } from '../model/profile.js';
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
