/**
 * OpenVidu 2.x versions as the simulator and the validator name them: a version is its minor number (`2.16` → 16),
 * the unit of the `since`/`until` of the event catalogue.
 */
import { OvsimError } from '../errors.js';

/** Oldest 2.x minor version described (prefixed ids and clientData/serverData appear in 2.12). */
export const OLDEST_MINOR = 12;
/** Newest 2.x minor version described. */
export const NEWEST_MINOR = 32;

/** OpenVidu 2.x versions whose output differs (spec §11); any other 2.x maps to the closest lower one. */
export const KNOWN_VERSIONS = [
  '2.12',
  '2.15',
  '2.16',
  '2.17',
  '2.18',
  '2.20',
  '2.21',
  '2.22',
  '2.26',
  '2.28',
  '2.32',
];
/** The version whose field set is written when none is given. */
export const DEFAULT_VERSION = '2.32';

/**
 * Parses `2.16`, `2.32.1`, `v2.20.0` to its minor number. A minor above the newest known is refused (`newer:
 * 'refuse'`, the simulator's choice: it cannot write what it does not know) or read as the newest (`'newest'`, the
 * validator's: a file of a later 2.x is checked against what is known).
 * @throws OvsimError `BAD_INPUT` for anything else
 */
export function parseVersion(text: string, newer: 'refuse' | 'newest' = 'refuse'): number {
  const m = /^v?2\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
  const minor = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  if (!(minor >= OLDEST_MINOR && (minor <= NEWEST_MINOR || newer === 'newest'))) {
    throw new OvsimError(
      'BAD_INPUT',
      `unsupported OpenVidu version "${text}": use 2.${OLDEST_MINOR} to 2.${NEWEST_MINOR} (e.g. 2.16 or 2.32)`,
    );
  }
  return Math.min(minor, NEWEST_MINOR);
}

/** `2.x` text of a minor version, for messages. */
export function versionText(minor: number): string {
  return `2.${minor}`;
}
