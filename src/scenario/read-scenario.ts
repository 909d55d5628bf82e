/**
 * Scenario files on disk: a path or a bundled scenario's name (`basic-call`), and the list of bundled scenarios.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ScenarioError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { parseScenarioText } from './parse-scenario.js';
import type { Scenario } from './scenario.js';
import { isMapping } from './scenario-source.js';

/** The `scenarios/` folder at the package root. */
export const BUNDLED_SCENARIOS_DIR = path.join(PACKAGE_ROOT, 'scenarios');

const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/**
 * Reads a scenario from a file path or, when no such file exists, from the bundled scenario of that name
 * (`<scenariosDir>/<name>.yaml`, `.yml` or `.json`).
 *
 * @param nameOrPath a file path, or a bundled scenario's name such as `basic-call`
 * @param opts.scenariosDir where bundled scenarios are; defaults to the package's `scenarios/` folder
 * @throws ScenarioError when the file cannot be found or read, or is not a valid scenario
 */
export async function readScenario(
  nameOrPath: string,
  opts: { scenariosDir?: string } = {},
): Promise<Scenario> {
  const dir = opts.scenariosDir ?? BUNDLED_SCENARIOS_DIR;
  const file = await findScenarioFile(nameOrPath, dir);
  return parseScenarioText(await readScenarioText(file), file);
}

/** A bundled scenario as `ovsim scenarios` lists it. */
export interface BundledScenario {
  /** The name `ovsim generate <name>` accepts: the file's base name. */
  readonly name: string;
  readonly description: string;
  readonly file: string;
}

/**
 * Lists the bundled scenarios with their descriptions, sorted by name. A missing folder lists nothing; a file
 * that cannot be parsed is still listed (with an empty description) so that `readScenario` can report why.
 */
export async function listBundledScenarios(scenariosDir = BUNDLED_SCENARIOS_DIR): Promise<BundledScenario[]> {
  const files = await listBundledFiles(scenariosDir);
  const list = await Promise.all(
    files.map(async (file) => ({
      name: stripExtension(file),
      description: await readDescription(file),
      file,
    })),
  );
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/* Files                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

async function findScenarioFile(nameOrPath: string, dir: string): Promise<string> {
  try {
    await stat(nameOrPath);
    return nameOrPath; // a directory or makeReadError file is reported by the read, with the OS reason
  } catch (e) {
    if (!isMissing(e)) throw makeReadError(nameOrPath, e);
  }
  for (const candidate of listCandidates(nameOrPath, dir)) {
    if (await isFile(candidate)) return candidate;
  }
  const names = (await listBundledScenarios(dir)).map((s) => s.name);
  const known =
    names.length > 0 ? `bundled scenarios: ${names.join(', ')}` : 'there are no bundled scenarios';
  throw new ScenarioError([
    { location: undefined, path: '', message: `no such file or scenario "${nameOrPath}"; ${known}` },
  ]);
}

/** Only a bare name can be a bundled scenario; a path that does not exist is just missing. */
function listCandidates(name: string, dir: string): string[] {
  if (name === '' || name.includes('/') || name.includes('\\') || name.startsWith('.')) return [];
  const hasExtension = (SCENARIO_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
  return hasExtension ? [path.join(dir, name)] : SCENARIO_EXTENSIONS.map((ext) => path.join(dir, name + ext));
}

async function readScenarioText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw makeReadError(file, e);
  }
}

function makeReadError(file: string, error: unknown): ScenarioError {
  return new ScenarioError([
    { location: undefined, path: '', message: `cannot read "${file}": ${extractOsReason(error)}` },
  ]);
}

/** `EACCES: permission denied, open 'x'` → `permission denied`: the file is already named in the message. */
function extractOsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Scenario files of the folder, one per name: `.yaml` wins over `.yml` over `.json`, as lookups do. */
async function listBundledFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw makeReadError(dir, e);
  }
  const byName = new Map<string, string>();
  for (const ext of SCENARIO_EXTENSIONS) {
    for (const entry of entries.filter((e) => path.extname(e).toLowerCase() === ext)) {
      if (!byName.has(stripExtension(entry))) byName.set(stripExtension(entry), path.join(dir, entry));
    }
  }
  return [...byName.values()];
}

function stripExtension(file: string): string {
  return path.basename(file, path.extname(file));
}

async function readDescription(file: string): Promise<string> {
  try {
    const value: unknown = parseDocument(await readFile(file, 'utf8')).toJS();
    const description = isMapping(value) ? value['description'] : undefined;
    return typeof description === 'string' ? description : '';
  } catch {
    return '';
  }
}
