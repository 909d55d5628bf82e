/**
 * OpenVidu 3's `livekit.yaml` (`--livekit-config`): the parts that decide how its webhooks are sent, read as LiveKit
 * reads them (livekit/livekit `pkg/config/config.go`, livekit/protocol `webhook/notifier.go`,
 * `resource_url_notifier.go`):
 *
 * - `keys` (API key → secret) or `key_file` (a YAML file of the same map);
 * - `webhook.api_key` — the key whose secret signs every webhook; LiveKit refuses to start when it has no secret and
 *   `webhook.urls` is not empty (`ErrWebHookMissingAPIKey`);
 * - `webhook.urls` — every URL gets each event, on queues of its own;
 * - `webhook.filter_params.include_events` / `exclude_events`;
 * - `webhook.resource_url_notifier.max_age` (a Go duration, default 30s) and `max_depth` (default 200).
 *
 * Everything else in the file is LiveKit's business and ignored. A bad value stops with the file, line and field
 * (exit 2), as a scenario does.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { OvsimError } from '../errors.js';
import { LIVEKIT_EVENT_NAMES } from '../model/livekit/webhook-event.js';

export interface LivekitWebhookConfig {
  /** The file read. */
  readonly file: string;
  /** `webhook.api_key` and its secret from `keys`/`key_file`; undefined when the file names no webhook key. */
  readonly apiKey: string | undefined;
  readonly apiSecret: string | undefined;
  readonly urls: readonly string[];
  readonly includeEvents: readonly string[];
  readonly excludeEvents: readonly string[];
  /** `resource_url_notifier.max_age`, ms. */
  readonly maxAgeMs: number;
  readonly maxDepth: number;
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's `time.ParseDuration` (as yaml.v3 decodes a `time.Duration`), in ms; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (m === null) return undefined;
  let ms = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    ms += Number(part[1]) * GO_UNITS[part[2]!]!;
  return m[1] === '-' ? -ms : ms;
}

/** Reads `file`. @throws OvsimError BAD_INPUT naming the file, line and field */
export function readLivekitConfig(file: string): LivekitWebhookConfig {
  const doc = loadYaml(file);
  const where = new Located(file, doc.lines);
  const root = doc.doc.contents;
  if (root !== null && !isMap(root)) throw where.error(root, '', 'must be a mapping (livekit.yaml)');
  const webhook = mapAt(where, root, 'webhook');
  const apiKey = stringAt(where, webhook, 'webhook.api_key');
  const urls = stringsAt(where, webhook, 'webhook.urls');
  for (const [i, u] of urls.entries()) {
    if (!/^https?:\/\/[^/]/.test(u))
      throw where.error(seqItem(webhook, 'urls', i), `webhook.urls[${i}]`, `"${u}" is not an http(s) URL`);
  }
  const filter = mapAt(where, webhook, 'webhook.filter_params');
  const includeEvents = eventsAt(where, filter, 'webhook.filter_params.include_events');
  const excludeEvents = eventsAt(where, filter, 'webhook.filter_params.exclude_events');
  const queue = mapAt(where, webhook, 'webhook.resource_url_notifier');
  const maxAge = stringAt(where, queue, 'webhook.resource_url_notifier.max_age');
  const maxAgeMs = maxAge === undefined ? 30_000 : parseGoDuration(maxAge);
  if (maxAgeMs === undefined || maxAgeMs < 0)
    throw where.error(
      valueNode(queue, 'max_age'),
      'webhook.resource_url_notifier.max_age',
      `"${maxAge}" is not a Go duration (e.g. 30s, 1m30s, 500ms)`,
    );
  const maxDepth = intAt(where, queue, 'webhook.resource_url_notifier.max_depth') ?? 200;
  const keys = keysOf(where, root, file);
  const apiSecret = apiKey === undefined ? undefined : keys.get(apiKey);
  if (urls.length > 0 && apiSecret === undefined)
    throw where.error(
      valueNode(webhook, 'api_key') ?? valueNode(webhook, 'urls'),
      'webhook.api_key',
      apiKey === undefined
        ? 'api_key is required to use webhooks (LiveKit refuses to start without it)'
        : `"${apiKey}" is not one of keys (LiveKit: api_key is required to use webhooks)`,
    );
  return {
    file,
    apiKey,
    apiSecret,
    urls,
    includeEvents,
    excludeEvents,
    maxAgeMs: maxAgeMs === 0 ? 30_000 : maxAgeMs,
    maxDepth: maxDepth === 0 ? 200 : maxDepth,
  };
}

interface Loaded {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

function loadYaml(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OvsimError('BAD_INPUT', `--livekit-config ${file}: cannot be read (${(e as Error).message})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const err = doc.errors[0];
  if (err !== undefined) {
    const at = err.linePos?.[0];
    throw new OvsimError(
      'BAD_INPUT',
      `${file}${at ? `:${at.line}:${at.col}` : ''}: not YAML (${err.message.split('\n')[0]})`,
    );
  }
  return { doc, lines };
}

/** Errors located at a node's line. */
class Located {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  error(node: unknown, field: string, message: string): OvsimError {
    const range = (node as Node | null | undefined)?.range;
    const pos = range ? this.lines.linePos(range[0]) : undefined;
    const at = pos ? `:${pos.line}:${pos.col}` : '';
    return new OvsimError('BAD_INPUT', `${this.file}${at}: ${field ? `${field}: ` : ''}${message}`);
  }
}

function valueNode(parent: unknown, key: string): Node | undefined {
  if (!isMap(parent)) return undefined;
  return parent.get(key, true) as Node | undefined;
}

function seqItem(parent: unknown, key: string, i: number): unknown {
  const seq = valueNode(parent, key);
  return isSeq(seq) ? seq.items[i] : seq;
}

const last = (path: string) => path.slice(path.lastIndexOf('.') + 1);

function mapAt(where: Located, parent: unknown, path: string): unknown {
  const node = valueNode(parent, last(path));
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (!isMap(node)) throw where.error(node, path, 'must be a mapping');
  return node;
}

function stringAt(where: Located, parent: unknown, path: string): string | undefined {
  const node = valueNode(parent, last(path));
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number'))
    throw where.error(node, path, 'must be a string');
  return String(node.value);
}

function intAt(where: Located, parent: unknown, path: string): number | undefined {
  const node = valueNode(parent, last(path));
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (!isScalar(node) || !Number.isInteger(node.value) || (node.value as number) < 0)
    throw where.error(node, path, 'must be a whole number ≥ 0');
  return node.value as number;
}

function stringsAt(where: Located, parent: unknown, path: string): string[] {
  const node = valueNode(parent, last(path));
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) throw where.error(node, path, 'must be a list');
  return node.items.map((item, i) => {
    if (!isScalar(item) || typeof item.value !== 'string')
      throw where.error(item, `${path}[${i}]`, 'must be a string');
    return item.value;
  });
}

function eventsAt(where: Located, parent: unknown, path: string): string[] {
  const names = stringsAt(where, parent, path);
  const known: readonly string[] = LIVEKIT_EVENT_NAMES;
  names.forEach((n, i) => {
    if (!known.includes(n))
      throw where.error(
        seqItem(parent, last(path), i),
        `${path}[${i}]`,
        `"${n}" is not a LiveKit webhook event (${LIVEKIT_EVENT_NAMES.join(', ')})`,
      );
  });
  return names;
}

/** `keys`, or the map of `key_file` (LiveKit reads one or the other). */
function keysOf(where: Located, root: unknown, file: string): Map<string, string> {
  const keys = new Map<string, string>();
  const inline = mapAt(where, root, 'keys');
  const keyFile = stringAt(where, root, 'key_file');
  const source = inline ?? (keyFile === undefined ? undefined : loadKeyFile(keyFile, file));
  if (source === undefined) return keys;
  const w = inline ? where : new Located(keyFile!, loadYaml(keyFile!).lines);
  if (!isMap(source)) throw w.error(source, inline ? 'keys' : '', 'must be a mapping of API key to secret');
  for (const pair of source.items) {
    const k = isScalar(pair.key) ? pair.key.value : undefined;
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if ((typeof k !== 'string' && typeof k !== 'number') || typeof v !== 'string')
      throw w.error(
        pair.value ?? pair.key,
        inline ? `keys.${String(k)}` : String(k),
        'must be a key: secret pair',
      );
    keys.set(String(k), v);
  }
  return keys;
}

function loadKeyFile(keyFile: string, configFile: string): unknown {
  try {
    return loadYaml(keyFile).doc.contents;
  } catch (e) {
    throw new OvsimError('BAD_INPUT', `${configFile}: key_file: ${(e as Error).message}`);
  }
}
