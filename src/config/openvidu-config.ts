/**
 * The simulated server's configuration, under OpenVidu's own property names (spec §7), read from command-line flags,
 * the process environment and an OpenVidu `.env` file, with OpenVidu's defaults and its startup checks: a bad value
 * stops the start with a message naming the property (exit 2), and every bad value is reported at once, as OpenVidu
 * lists all its configuration errors before exiting.
 *
 * Precedence, highest first: flags, process environment, `--env-file`, defaults — the order docker compose applies
 * when OpenVidu's `.env` feeds the container and the shell also sets a variable.
 */
import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { OvsimError } from '../errors.js';
import { EVENT_NAMES, type EventName } from '../model/catalogue.js';

/** The properties ovsim reads. */
export const OPENVIDU_PROPERTIES = [
  'OPENVIDU_CDR',
  'OPENVIDU_CDR_PATH',
  'OPENVIDU_WEBHOOK',
  'OPENVIDU_WEBHOOK_ENDPOINT',
  'OPENVIDU_WEBHOOK_HEADERS',
  'OPENVIDU_WEBHOOK_EVENTS',
  'OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT',
  'OPENVIDU_SESSIONS_GARBAGE_INTERVAL',
  'OPENVIDU_SESSIONS_GARBAGE_THRESHOLD',
] as const;
export type OpenviduProperty = (typeof OPENVIDU_PROPERTIES)[number];

type SecondsProperty =
  | 'OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT'
  | 'OPENVIDU_SESSIONS_GARBAGE_INTERVAL'
  | 'OPENVIDU_SESSIONS_GARBAGE_THRESHOLD';

/** Raw property values by name, as text (what an environment holds). */
export type PropertySource = Partial<Record<string, string | undefined>>;

/** OpenVidu 2.32.1's `application.properties` defaults. */
export const OPENVIDU_DEFAULTS: Readonly<Record<OpenviduProperty, string>> = {
  OPENVIDU_CDR: 'false',
  OPENVIDU_CDR_PATH: '/opt/openvidu/cdr',
  OPENVIDU_WEBHOOK: 'false',
  OPENVIDU_WEBHOOK_ENDPOINT: '',
  OPENVIDU_WEBHOOK_HEADERS: '[]',
  OPENVIDU_WEBHOOK_EVENTS:
    '["sessionCreated","sessionDestroyed","participantJoined","participantLeft","webrtcConnectionCreated",' +
    '"webrtcConnectionDestroyed","recordingStatusChanged","filterEventDispatched","signalSent",' +
    '"mediaNodeStatusChanged","autoscaling","nodeCrashed","nodeRecovered","broadcastStarted","broadcastStopped"]',
  OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: '120',
  OPENVIDU_SESSIONS_GARBAGE_INTERVAL: '900',
  OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: '3600',
};

/** One `OPENVIDU_WEBHOOK_HEADERS` entry, `"Name: Value"` split on its first `": "`. */
export interface WebhookHeader {
  readonly name: string;
  readonly value: string;
}

export interface OpenviduConfig {
  /** OPENVIDU_CDR: write the CDR file. Default false. */
  readonly cdr: boolean;
  /** OPENVIDU_CDR_PATH: folder of the CDR files. Default `/opt/openvidu/cdr`. */
  readonly cdrPath: string;
  /** OPENVIDU_WEBHOOK: POST events to the endpoint. Default false. */
  readonly webhook: boolean;
  /** OPENVIDU_WEBHOOK_ENDPOINT: an http(s) URL; mandatory when `webhook`. */
  readonly webhookEndpoint: string;
  /** OPENVIDU_WEBHOOK_HEADERS, in configured order. Default none. */
  readonly webhookHeaders: readonly WebhookHeader[];
  /** OPENVIDU_WEBHOOK_EVENTS: the events POSTed (the CDR file gets every event). Default: OpenVidu's 15 names. */
  readonly webhookEvents: ReadonlySet<EventName>;
  /**
   * OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT in seconds, when set anywhere (it then overrides the scenario's
   * `openvidu.recordingAutostopTimeout`); `undefined` leaves the scenario's value (default 120).
   */
  readonly recordingAutostopTimeout: number | undefined;
  /**
   * OPENVIDU_SESSIONS_GARBAGE_INTERVAL and _THRESHOLD in seconds, each when set anywhere (it then overrides the
   * scenario's `openvidu.sessionsGarbageInterval`/`…Threshold`); `undefined` leaves the scenario's (900 and 3600).
   */
  readonly sessionsGarbageInterval: number | undefined;
  readonly sessionsGarbageThreshold: number | undefined;
  /** Where each property's value came from, for messages: `flag`, `env`, `env-file` or `default`. */
  readonly origin: Readonly<Record<OpenviduProperty, 'flag' | 'env' | 'env-file' | 'default'>>;
}

export interface ConfigSources {
  /** From command-line flags (highest precedence). */
  readonly flags?: PropertySource;
  /** The process environment. */
  readonly env?: PropertySource;
  /** The parsed `--env-file`. */
  readonly envFile?: PropertySource;
}

/**
 * Resolves and checks the configuration like OpenVidu's startup.
 * @throws OvsimError BAD_INPUT listing every bad property as `NAME=value: problem`
 */
type Origin = 'flag' | 'env' | 'env-file' | 'default';
type Fail = (p: OpenviduProperty, problem: string) => void;

export function resolveOpenviduConfig(sources: ConfigSources): OpenviduConfig {
  const { raw, origin } = pickSources(sources);
  const errors: string[] = [];
  const fail: Fail = (p, problem) => errors.push(`${p}=${raw[p]}: ${problem}`);

  const cdr = asBoolean(raw.OPENVIDU_CDR, () => fail('OPENVIDU_CDR', "must be 'true' or 'false'"));
  const webhook = asBoolean(raw.OPENVIDU_WEBHOOK, () =>
    fail('OPENVIDU_WEBHOOK', "must be 'true' or 'false'"),
  );
  const cdrPath = raw.OPENVIDU_CDR_PATH.trim();
  if (cdr && cdrPath === '') fail('OPENVIDU_CDR_PATH', 'cannot be empty when OPENVIDU_CDR is true');

  const webhookEndpoint = raw.OPENVIDU_WEBHOOK_ENDPOINT.trim();
  if (webhook) {
    if (webhookEndpoint === '') {
      fail('OPENVIDU_WEBHOOK_ENDPOINT', 'cannot be empty when OPENVIDU_WEBHOOK is true');
    } else if (!isHttpUrl(webhookEndpoint)) {
      fail('OPENVIDU_WEBHOOK_ENDPOINT', 'is not a valid http(s) URL');
    }
  }
  const webhookHeaders = parseWebhookHeaders(raw.OPENVIDU_WEBHOOK_HEADERS, fail);
  const webhookEvents = parseWebhookEvents(raw.OPENVIDU_WEBHOOK_EVENTS, fail);

  // OpenVidu reads each with asNonNegativeInteger.
  const seconds = (p: SecondsProperty): number | undefined => {
    const t = raw[p].trim();
    if (!/^\d+$/.test(t) || Number(t) > 2 ** 31 - 1) fail(p, 'must be a non-negative integer (seconds)');
    else if (origin[p] !== 'default') return Number(t);
    return undefined;
  };
  const recordingAutostopTimeout = seconds('OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT');
  const sessionsGarbageInterval = seconds('OPENVIDU_SESSIONS_GARBAGE_INTERVAL');
  const sessionsGarbageThreshold = seconds('OPENVIDU_SESSIONS_GARBAGE_THRESHOLD');

  if (errors.length > 0) {
    throw new OvsimError('BAD_INPUT', `configuration errors:\n${errors.map((e) => `   * ${e}`).join('\n')}`);
  }
  return {
    cdr,
    cdrPath,
    webhook,
    webhookEndpoint,
    webhookHeaders,
    webhookEvents,
    recordingAutostopTimeout,
    sessionsGarbageInterval,
    sessionsGarbageThreshold,
    origin,
  };
}

/** Each property's text and where it came from: a flag, else the environment, else the env file, else the default. */
function pickSources(sources: ConfigSources): {
  raw: Record<OpenviduProperty, string>;
  origin: Record<OpenviduProperty, Origin>;
} {
  const origin = {} as Record<OpenviduProperty, Origin>;
  const raw = {} as Record<OpenviduProperty, string>;
  for (const p of OPENVIDU_PROPERTIES) {
    const fromFlag = sources.flags?.[p];
    const fromEnv = sources.env?.[p];
    const fromFile = sources.envFile?.[p];
    if (fromFlag !== undefined) [raw[p], origin[p]] = [fromFlag, 'flag'];
    else if (fromEnv !== undefined) [raw[p], origin[p]] = [fromEnv, 'env'];
    else if (fromFile !== undefined) [raw[p], origin[p]] = [fromFile, 'env-file'];
    else [raw[p], origin[p]] = [OPENVIDU_DEFAULTS[p], 'default'];
  }
  return { raw, origin };
}

/** OPENVIDU_WEBHOOK_HEADERS: `"Name: Value"` items; each bad one is reported. */
function parseWebhookHeaders(text: string, fail: Fail): WebhookHeader[] {
  const webhookHeaders: WebhookHeader[] = [];
  const headerItems = parseLenientArray(text);
  if (headerItems === undefined) {
    fail(
      'OPENVIDU_WEBHOOK_HEADERS',
      'is not a JSON array of strings such as ["Authorization: Basic b3Y6c2VjcmV0"]',
    );
  } else {
    for (const item of headerItems) {
      const i = item.indexOf(': ');
      const name = i < 0 ? '' : item.slice(0, i).trim();
      const value = i < 0 ? '' : item.slice(i + 2).trim();
      if (name === '' || value === '') {
        fail(
          'OPENVIDU_WEBHOOK_HEADERS',
          `header "${item}" is not "Name: Value" with a non-empty name and value`,
        );
      } else if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        fail('OPENVIDU_WEBHOOK_HEADERS', `header name "${name}" is not a valid HTTP header name`);
      } else {
        webhookHeaders.push({ name, value });
      }
    }
  }
  return webhookHeaders;
}

/** OPENVIDU_WEBHOOK_EVENTS: event names; each unknown one is reported. */
function parseWebhookEvents(text: string, fail: Fail): Set<EventName> {
  const webhookEvents = new Set<EventName>();
  const eventItems = parseLenientArray(text);
  if (eventItems === undefined) {
    fail(
      'OPENVIDU_WEBHOOK_EVENTS',
      'is not a JSON array of event names such as ["sessionCreated","sessionDestroyed"]',
    );
  } else {
    const known = new Set<string>(EVENT_NAMES);
    for (const item of eventItems) {
      if (known.has(item)) webhookEvents.add(item as EventName);
      else
        fail('OPENVIDU_WEBHOOK_EVENTS', `"${item}" is not an event name (one of ${EVENT_NAMES.join(', ')})`);
    }
  }
  return webhookEvents;
}

/**
 * Parses an OpenVidu `.env` file with Node's own parser (`util.parseEnv`, the one behind `node --env-file`): `KEY=VALUE`
 * lines, `#` comments (inline ones too), an optional `export `, quoted values (multi-line ones too). Every key is
 * kept (only the OPENVIDU_* ones above are used).
 * @throws OvsimError BAD_INPUT naming the file and line of a line that is not `KEY=VALUE` — Node's parser skips such
 *   lines without a word (and on Node 20 a `=value` line swallows the lines after it), as docker compose would not.
 */
export function parseEnvFile(text: string, file = '--env-file'): Record<string, string> {
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  checkEnvLines(content, file);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(content))) if (value !== undefined) out[key] = value;
  return out;
}

const ENV_LINE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*(.*)$/;

/** Every line is blank, a comment, `KEY=VALUE`, or inside a quoted value that spans lines. */
function checkEnvLines(content: string, file: string): void {
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = ENV_LINE.exec(line);
    if (!m) throw new OvsimError('BAD_INPUT', `${file}:${i + 1}: "${trimmed}" is not KEY=VALUE`);
    const value = m[1] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) {
      // As Node's parser does: the value runs to the next such quote, if there is one further on.
      const close = lines.findIndex((l, j) => j > i && l.includes(quote));
      if (close > i) i = close;
    }
  }
}

/** Reads and parses an OpenVidu `.env` file. @throws OvsimError BAD_INPUT naming `--env-file` */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new OvsimError('BAD_INPUT', `--env-file ${path}: cannot be read (${(e as Error).message})`);
  }
  return parseEnvFile(text, path);
}

/** OpenVidu reads booleans strictly: exactly `true` or `false`. */
function asBoolean(text: string, onError: () => void): boolean {
  const t = text.trim();
  if (t === 'true') return true;
  if (t !== 'false') onError();
  return false;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Parses an array the way OpenVidu's lenient Gson does: `["a","b"]`, and also unquoted items (`[a, b]`), as the
 * shipped `.env` files write OPENVIDU_WEBHOOK_EVENTS. Returns `undefined` when the text is not an array.
 */
export function parseLenientArray(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  const items: string[] = [];
  let i = 1;
  const end = t.length - 1;
  const skipSpace = () => {
    while (i < end && /\s/.test(t[i] ?? '')) i++;
  };
  skipSpace();
  if (i === end) return items;
  for (let guard = 0; guard <= t.length; guard++) {
    skipSpace();
    if (t[i] === '"') {
      let j = i + 1;
      let s = '';
      for (; j < end && t[j] !== '"'; j++) {
        if (t[j] === '\\') {
          const n = t[++j];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
        } else {
          s += t[j];
        }
      }
      if (t[j] !== '"') return undefined;
      items.push(s);
      i = j + 1;
    } else {
      let j = i;
      while (j < end && t[j] !== ',') j++;
      const s = t.slice(i, j).trim();
      if (s === '' || /[[\]{}"]/.test(s)) return undefined;
      items.push(s);
      i = j;
    }
    skipSpace();
    if (i === end) return items;
    if (t[i] !== ',') return undefined;
    i++;
  }
  return undefined;
}
