/**
 * The mutations of the golden-diagnostics corpus: every single change of one unit of lines (a session's lines, or a
 * whole Pro file) — a line dropped, duplicated or moved; a key dropped, added, moved, retyped, given another legal or
 * illegal value; an event renamed or put in the other form; the text reformatted — of the golden files and the
 * validator's fixtures. Changes work on the raw text of values, so that Java's number forms survive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawScanner, type RawMember } from '../../src/validate/raw-json.js';
import { CORPUS_DIR } from '../../test/validate/golden-diagnostics/run-case.js';
import { toWebhook, VALID_2_16, VALID_CDR } from '../../test/validate/fixtures.js';
import {
  OPENVIDU_2_13_SESSION,
  OPENVIDU_2_16_WEBHOOK,
  OPENVIDU_PRO_2_17_CDR,
} from '../../test/validate/real-format-lines.js';

export const GOLDEN = join(CORPUS_DIR, '..', '..', 'golden');

interface Line {
  /** Event name; undefined for a line that is not an event. */
  readonly name: string | undefined;
  readonly form: 'cdr' | 'webhook';
  /** Body members in wire order, with their raw value text. */
  readonly members: ReadonlyArray<readonly [string, string]>;
}

function parseLine(text: string): Line | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const scanner = new RawScanner(text);
  const root = scanner.object(0);
  const raw = (m: RawMember): readonly [string, string] => [m.key, text.slice(m.start, m.end)];
  const first = root.members[0];
  if (root.members.length === 1 && first?.inner !== undefined) {
    return { name: first.key, form: 'cdr', members: first.inner.map(raw) };
  }
  const event = root.members.find((m) => m.key === 'event');
  const name = event === undefined ? undefined : (JSON.parse(text.slice(event.start, event.end)) as unknown);
  return {
    name: typeof name === 'string' ? name : undefined,
    form: 'webhook',
    members: root.members.filter((m) => m.key !== 'event').map(raw),
  };
}

function writeLine(l: Line, form = l.form): string {
  const body = l.members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',');
  if (form === 'cdr') return `{${JSON.stringify(l.name)}:{${body}}}`;
  return `{${body}${body === '' ? '' : ','}"event":${JSON.stringify(l.name)}}`;
}

/** Values worth trying in place of another: legal ones of other events, and illegal ones. */
const SWAPS: Readonly<Record<string, readonly string[]>> = {
  reason: [
    '"disconnect"',
    '"lastParticipantLeft"',
    '"sessionClosedByServer"',
    '"nodeCrashed"',
    '"unsubscribe"',
    '"recordingStoppedByServer"',
    '"mediaServerReconnect"',
    '"BOGUS"',
  ],
  status: ['"started"', '"stopped"', '"ready"', '"failed"', '"starting"'],
  connection: ['"INBOUND"', '"OUTBOUND"', '"BOTH"'],
  outputMode: ['"COMPOSED"', '"INDIVIDUAL"', '"COMPOSED_QUICK_START"', '"SINGLE"'],
  recordingLayout: ['"CUSTOM"', '"BEST_FIT"', '"MOSAIC"'],
  videoSource: ['"SCREEN"', '"CAMERA"', '"IPCAM"', '"WEBCAM"'],
  newStatus: ['"running"', '"terminated"', '"launching"', '"terminating"', '"crashed"'],
  oldStatus: ['null', '"running"', '"launching"', '"terminated"'],
  nodeRole: ['"masternode"', '"worker"'],
  platform: ['"IPCAM"'],
  hasVideo: ['false', 'true'],
  hasAudio: ['false'],
  videoEnabled: ['true', 'false'],
  from: ['null', '"con_Unknown0001"', '"nobody"'],
  to: ['[]', '["con_Unknown0001"]', '["RECORDER","RECORDER"]', '["x"]'],
  resolution: ['"big"'],
  size: ['0', '-5', '1234'],
  duration: ['0', '0.0', '12.5', '1.0E7', '1e-4', '-1.0', '3'],
  id: ['"bad id"', '"media_x"'],
  media_node_id: ['"node_1"'],
  sessionId: ['"bad id!"', '"ses_Other"'],
  uniqueSessionId: ['"ses_X_123"', '"nonsense"'],
  participantId: ['"con_Other00001"', '"user1"'],
  connectionId: ['"con_Other00001"', '"user1"'],
  receivingFrom: ['"con_Other00001"', '"nobody"'],
  streamId: ['"str_SCR_Abcd_con_Other00001"', '"stream1"', '"str_MIC_Abcd_con_X"'],
  sessionIds: ['["ses_Unknown"]', '[]'],
};

const ADDED: ReadonlyArray<readonly [string, string]> = [
  ['extra', '1'],
  ['uniqueSessionId', '"ses_X_1"'],
  ['ip', '"10.0.0.1"'],
  ['frameRate', '25'],
  ['connectionId', '"con_Other00001"'],
  ['networkCache', '2000'],
  ['customLayout', '"layout/"'],
  ['receivingFrom', '"con_Other00001"'],
  ['sessionId', '"ses_Node"'],
];

function retype(raw: string): string {
  if (raw.startsWith('"')) return '42';
  if (raw === 'true' || raw === 'false') return `"${raw}"`;
  if (raw === 'null') return '0';
  if (raw.startsWith('[') || raw.startsWith('{')) return '"x"';
  return `"${raw}"`;
}

function shifted(raw: string, by: number): string | undefined {
  return /^-?\d+$/.test(raw) ? String(Number(raw) + by) : undefined;
}

/** Every single mutation of one unit of lines, labelled. */
export function* mutations(unit: readonly string[]): Generator<readonly [string, string[]]> {
  for (let i = 0; i < unit.length; i++) {
    const text = unit[i]!;
    const copy = (): string[] => [...unit];
    const at = `L${i + 1}`;
    yield [`${at} dropped`, unit.filter((_, j) => j !== i)];
    yield [`${at} duplicated`, [...unit.slice(0, i + 1), text, ...unit.slice(i + 1)]];
    if (i + 1 < unit.length) {
      const c = copy();
      [c[i], c[i + 1]] = [c[i + 1]!, c[i]!];
      yield [`${at} swapped with the next`, c];
    }
    if (i > 0) yield [`${at} moved first`, [text, ...unit.filter((_, j) => j !== i)]];
    const line = parseLine(text);
    if (line === undefined || line.name === undefined) continue;
    const put = (label: string, l: Line | string): readonly [string, string[]] => {
      const c = copy();
      c[i] = typeof l === 'string' ? l : writeLine(l);
      return [`${at} ${label}`, c];
    };
    const m = line.members;
    const replaced = (j: number, value: string): Line => ({
      ...line,
      members: m.map((e, x) => (x === j ? ([e[0], value] as const) : e)),
    });
    for (let j = 0; j < m.length; j++) {
      const [k, v] = m[j]!;
      const without = m.filter((_, x) => x !== j);
      yield put(`"${k}" dropped`, { ...line, members: without });
      yield put(`"${k}" moved last`, { ...line, members: [...without, [k, v]] });
      yield put(`"${k}" retyped`, replaced(j, retype(v)));
      for (const alt of SWAPS[k] ?? []) if (alt !== v) yield put(`"${k}" = ${alt}`, replaced(j, alt));
      const shifts =
        k === 'timestamp' || k === 'startTime'
          ? [1, -1000, 100_000, -100_000_000]
          : k === 'duration'
            ? [1]
            : [];
      for (const by of shifts) {
        const s = shifted(v, by);
        if (s !== undefined) yield put(`"${k}" ${by > 0 ? '+' : ''}${by}`, replaced(j, s));
      }
    }
    for (const [k, v] of ADDED) {
      if (!m.some(([key]) => key === k)) yield put(`"${k}" added`, { ...line, members: [...m, [k, v]] });
    }
    for (const name of [
      'mediaServerCrashed',
      'recordingStarted',
      'signalSent',
      'nodeRecovered',
      'sessioncreated',
    ]) {
      if (name !== line.name) yield put(`renamed ${name}`, { ...line, name });
    }
    yield put(
      `in ${line.form === 'cdr' ? 'WebHook' : 'CDR'} form`,
      writeLine(line, line.form === 'cdr' ? 'webhook' : 'cdr'),
    );
    if (line.form === 'webhook') {
      yield put(
        '"event" first',
        text.replace(/^\{/, `{"event":${JSON.stringify(line.name)},`).replace(/,"event":"[^"]*"\}$/, '}'),
      );
      yield put('"event" a number', text.replace(/"event":"[^"]*"\}$/, '"event":7}'));
    }
    yield put('spaced', text.replace(/":/, '": '));
    if (text.includes('/')) yield put('slash escaped', text.replace('/', '\\/'));
    yield put('cut short', text.slice(0, Math.floor(text.length / 2)));
    yield put('with a BOM', `\uFEFF${text}`);
    yield put('an array', `[${text}]`);
    yield [`${at} blank line before`, [...unit.slice(0, i), '', ...unit.slice(i)]];
  }
}

/** Lines grouped by session (node events in their own group), each group in file order. */
export function units(lines: readonly string[], whole: boolean): string[][] {
  const groups = new Map<string, string[]>();
  for (const text of lines) {
    const m = /"sessionId":"([^"]*)"/.exec(text);
    const key = m?.[1] ?? '(node)';
    const g = groups.get(key) ?? [];
    g.push(text);
    groups.set(key, g);
  }
  return whole ? [[...lines]] : [...groups.values()];
}

/** The sources mutated: name, lines, and whether a unit is the whole file (Pro: nodes and sessions interact). */
export function sources(): Array<readonly [string, readonly string[], boolean]> {
  const list: Array<readonly [string, readonly string[], boolean]> = [
    ['fixtures VALID_CDR', VALID_CDR, false],
    ['fixtures VALID_CDR as WebHook', VALID_CDR.map(toWebhook), false],
    ['fixtures VALID_2_16', VALID_2_16, false],
    ['real 2.13 session', OPENVIDU_2_13_SESSION, false],
    ['real 2.16 WebHook', OPENVIDU_2_16_WEBHOOK, false],
    ['real Pro 2.17 CDR', OPENVIDU_PRO_2_17_CDR, true],
  ];
  for (const f of readdirSync(GOLDEN)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(GOLDEN, f), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    list.push([`golden ${f}`, lines, /pro-|enterprise|media-server-crash/.test(f)]);
  }
  return list;
}
