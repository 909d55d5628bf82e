/**
 * Builds `test/validate/golden-diagnostics/mutations.jsonl`, the generated part of the validator's
 * golden-diagnostics corpus: lines of the golden files (test/golden) and of the validator's hand-written fixtures,
 * each case one unit (a session's lines, or a whole Pro file) with one mutation — a line dropped, duplicated, moved;
 * a key dropped, added, moved, retyped, given another legal or illegal value; an event renamed or put in the other
 * form; the text reformatted. From every candidate, a greedy pass keeps the smallest cases that bring a diagnostic
 * not yet seen twice (rule and message with ids and numbers blanked), so that the corpus stays small while every
 * message the mutations can provoke is in it.
 *
 *   npx tsx scripts/build-diagnostics-corpus.ts [--mutations] [--capture FILE]
 *
 * Without option it writes only `hand-written.jsonl` (clean inputs, bytes, options, parsed bodies: what mutating
 * lines does not reach); `--mutations` also rebuilds `mutations.jsonl` (minutes). `--capture FILE` also selects, in the same way, from cases captured while the unit tests of test/validate ran
 * (one JSON `{opts, lines}` per validator instance) into `from-tests.jsonl`. The corpus is data once written: run
 * this only to extend it, then `npm run golden:diagnostics` and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawScanner, type RawMember } from '../src/validate/raw-json.js';
import {
  CORPUS_DIR,
  runCase,
  type Case,
  type CaseOptions,
} from '../test/validate/golden-diagnostics/run-case.js';
import { SESSION_1, SESSION_2, toWebhook, VALID_2_16, VALID_CDR } from '../test/validate/fixtures.js';
import {
  OPENVIDU_2_13_SESSION,
  OPENVIDU_2_16_RECORDINGS_ONLY,
  OPENVIDU_2_16_SESSIONS_ONLY,
  OPENVIDU_2_16_WEBHOOK,
  OPENVIDU_PRO_2_17_CDR,
} from '../test/validate/real-format-lines.js';

const GOLDEN = join(CORPUS_DIR, '..', '..', 'golden');
/** Examples kept per diagnostic template. */
const PER_TEMPLATE = 2;

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
function* mutations(unit: readonly string[]): Generator<readonly [string, string[]]> {
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
function units(lines: readonly string[], whole: boolean): string[][] {
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

/** Words of a message that are particulars (values, statuses) rather than its wording. */
const PARTICULARS: ReadonlySet<string> = new Set(
  'true false null absent nothing bad launching canceled failed running waiting-idle-to-terminate terminating terminated ready stopped started nobody stream'.split(
    ' ',
  ),
);

/**
 * A message reduced to its wording: quoted values, ids, numbers, event names and wire-order lists dropped, so that
 * two messages from the same place in the validator share a template.
 */
function template(severity: string, rule: string, message: string): string {
  const words = message
    .replace(/\(wire order:[^)]*\)/, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .split(/\s+/)
    .filter((w) => /^\(?[a-z][a-z'-]*[),:.]?$/.test(w))
    .map((w) => w.replace(/[(),:.]/g, ''))
    .filter((w) => !PARTICULARS.has(w));
  return `${severity} ${rule}: ${words.join(' ')}`;
}

interface Candidate {
  readonly c: Case;
  readonly size: number;
  readonly templates: readonly string[];
}

async function evaluate(cases: readonly Case[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const c of cases) {
    const r = await runCase(c);
    const templates = [...new Set(r.diagnostics.map((d) => template(d.severity, d.rule, d.message)))];
    out.push({ c, size: JSON.stringify(c).length, templates });
  }
  return out;
}

/** The smallest cases that together show every template up to {@link PER_TEMPLATE} times, each minimized. */
async function select(candidates: readonly Candidate[]): Promise<Case[]> {
  const seen = new Map<string, number>();
  const kept: Case[] = [];
  for (const cand of [...candidates].sort((a, b) => a.size - b.size)) {
    if (cand.templates.some((t) => (seen.get(t) ?? 0) < PER_TEMPLATE)) {
      for (const t of cand.templates) seen.set(t, (seen.get(t) ?? 0) + 1);
      kept.push(await minimize(cand));
    }
  }
  console.log(`${candidates.length} candidates, ${seen.size} templates, ${kept.length} kept`);
  return kept;
}

/** Drops the lines (or bodies) of a case that none of its templates needs, last first. */
async function minimize(cand: Candidate): Promise<Case> {
  const key = cand.c.lines !== undefined ? 'lines' : cand.c.bodies !== undefined ? 'bodies' : undefined;
  if (key === undefined) return cand.c;
  let items: readonly unknown[] = cand.c[key]!;
  for (let i = items.length - 1; i >= 0 && items.length > 1; i--) {
    const fewer = items.filter((_, j) => j !== i);
    const trial = { ...cand.c, [key]: fewer } as Case;
    const [result] = await evaluate([trial]);
    if (cand.templates.every((t) => result!.templates.includes(t))) items = fewer;
  }
  return { ...cand.c, [key]: items } as Case;
}

function sources(): Array<readonly [string, readonly string[], boolean]> {
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

function write(file: string, cases: readonly Case[]): void {
  writeFileSync(join(CORPUS_DIR, file), cases.map((c) => `${JSON.stringify(c)}\n`).join(''));
  console.log(`wrote ${file}`);
}

/**
 * Cases written for what mutations of lines cannot reach: clean inputs of every origin, bytes that are not text,
 * the validator's options, and parsed WebHook bodies.
 */
function handWritten(): Case[] {
  const golden = (file: string): string[] =>
    readFileSync(join(GOLDEN, file), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  const bodies = (lines: readonly string[]): Array<readonly [string, Record<string, unknown>]> =>
    lines.map((l) => {
      const body = JSON.parse(toWebhook(l)) as Record<string, unknown>;
      return [String(body.event), body] as const;
    });
  const b64 = (...parts: Array<string | Buffer>): string =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))).toString('base64');
  const deep = `{"sessionCreated":{"sessionId":"a","timestamp":1,"x":${'['.repeat(70)}${']'.repeat(70)}}}`;
  const cdr = VALID_CDR.slice(0, 5).join('\n');
  let deepBody: unknown = 1;
  for (let i = 0; i < 70; i++) deepBody = [deepBody];
  const hooks = bodies(VALID_CDR);
  const mismatched = hooks.map(([name, body], i) =>
    i === 3 ? (['sessionDestroyed', body] as const) : ([name, body] as const),
  );
  const eventFirst = hooks.map(([name, body], i) =>
    i === 5 ? ([name, { event: name, ...body }] as const) : ([name, body] as const),
  );
  const sessions = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => {
      const id = `ses_Mem${String(i).padStart(3, '0')}`;
      const ts = 1607000000000 + i * 60_000;
      return `{"sessionId":"${id}","timestamp":${ts},"startTime":${ts},"duration":0.0,"id":"${id}","name":"${id}","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0,"status":"started","event":"recordingStatusChanged"}`;
    });
  const edit = (lines: readonly string[], i: number, from: string, to: string): string[] => {
    const line = lines[i]!;
    if (!line.includes(from)) throw new Error(`line ${i} lacks ${from}`);
    return lines.map((l, j) => (j === i ? l.replace(from, to) : l));
  };
  const insertAt = (lines: readonly string[], i: number, ...extra: string[]): string[] => [
    ...lines.slice(0, i),
    ...extra,
    ...lines.slice(i),
  ];
  const S1 = SESSION_1;
  const S1_IDS = '"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713"';
  /** A 2.17+ line as 2.15 writes it: no uniqueSessionId, connectionId nor ip. */
  const to215 = (l: string): string =>
    l
      .replace(/,"uniqueSessionId":"[^"]*"/, '')
      .replace(/,"connectionId":"[^"]*"/, '')
      .replace(/,"ip":"[^"]*"/, '');
  const S2 = SESSION_2;
  const node = (ts: number, id: string, next: string, old: string | null): string =>
    `{"mediaNodeStatusChanged":{"timestamp":${ts},"id":"${id}","environmentId":null,"ip":null,"uri":null,"newStatus":"${next}","oldStatus":${old === null ? 'null' : `"${old}"`},"clusterId":"MY_CLUSTER"}}`;
  const autoscaling = (ts: number, launch: string, terminate: string): string =>
    `{"autoscaling":{"timestamp":${ts},"clusterId":"MY_CLUSTER","reason":"r","mediaNodes":{"launch":${launch},"terminate":${terminate}},"system":{}}}`;
  const targeted: Case[] = [
    {
      name: 'a custom session id created again while the previous one is open (server restart)',
      lines: [
        S2[0]!,
        S2[1]!,
        '{"sessionCreated":{"sessionId":"TestSession","uniqueSessionId":"TestSession_1601396500000","timestamp":1601396500000}}',
        '{"sessionDestroyed":{"sessionId":"TestSession","uniqueSessionId":"TestSession_1601396500000","timestamp":1601396600000,"startTime":1601396500000,"duration":100,"reason":"sessionClosedByServer"}}',
      ],
    },
    {
      name: 'sessionDestroyed alone, startTime not the uniqueSessionId time',
      lines: [edit(S1, 18, '"startTime":1601394690713', '"startTime":1601394690000')[18]!],
    },
    {
      name: 'ready logged after sessionDestroyed (Pro)',
      lines: [...S1.slice(0, 13), ...S1.slice(14), S1[13]!],
    },
    {
      name: 'failed logged after sessionDestroyed for a recording never stopped',
      lines: [
        ...S1.slice(0, 12),
        ...S1.slice(14),
        edit(S1, 13, '"status":"ready"', '"status":"failed"')[13]!,
      ],
    },
    {
      name: 'participantJoined while the session is being closed',
      lines: insertAt(
        S1,
        15,
        S1[3]!.replaceAll('con_ZbNTYgi0ae', 'con_Late000001').replace('1601394850100', '1601395365651'),
      ),
    },
    { name: 'participantLeft without a reason', lines: edit(S2, 8, '"reason":"disconnect",', '') },
    { name: 'webrtcConnectionDestroyed without a reason', lines: edit(S2, 7, '"reason":"disconnect",', '') },
    {
      name: 'webrtcConnectionDestroyed startTime not its creation time',
      lines: edit(S2, 7, '"startTime":1601396002300', '"startTime":1601396002301'),
    },
    {
      name: 'signalSent "from" not a connection id',
      lines: edit(S1, 8, '"from":"con_EIeO06zgMz"', '"from":"user-a"'),
    },
    { name: 'a \\u0009 escape where Gson writes \\t', lines: edit(S1, 8, 'line\\u2028', 'line\\u0009') },
    {
      name: 'duration in JavaScript exponent form',
      lines: edit(S1, 13, '"duration":12.717', '"duration":1e-4'),
    },
    {
      name: 'duration in Java form but not canonical',
      lines: edit(S1, 13, '"duration":12.717', '"duration":1.2717E1'),
    },
    {
      name: 'entities created twice after their end events were seen',
      lines: [...S1, ...S2.slice(0, 5), S2[0]!, S2[1]!, S2[2]!, S2[4]!],
    },
    {
      name: 'ready logged twice after sessionDestroyed',
      lines: [...S1.slice(0, 13), ...S1.slice(14), S1[13]!, S1[13]!],
    },
    {
      name: 'a WebHook body with "event" twice',
      lines: [toWebhook(S1[0]!).replace('"event":', '"event":"x","event":')],
    },
    {
      name: 'a 2.15 IP camera, without networkCache (written from 2.16)',
      options: { version: '2.15' },
      lines: S2.slice(0, 3).map((l) => to215(l).replace(',"networkCache":2000', '')),
    },
    {
      name: 'a 2.15 IP camera, with networkCache',
      options: { version: '2.15' },
      lines: S2.slice(0, 3).map(to215),
    },
    {
      name: 'broadcasts: guessed keys typed when present, never required; unknown keys tolerated',
      lines: [
        S1[0]!,
        S1[1]!,
        `{"broadcastStarted":{${S1_IDS},"timestamp":1601394716000,"broadcastUrl":42,"extra":true}}`,
        `{"broadcastStopped":{${S1_IDS},"timestamp":1601394800000,"reason":"broadcastStoppedByServer"}}`,
        `{"broadcastStarted":{${S1_IDS},"timestamp":1601394816000}}`,
        `{"broadcastStopped":{${S1_IDS},"timestamp":1601394900000,"startTime":"x","reason":"unpublish"}}`,
      ],
    },
    { name: 'sessionCreated twice, sessionDestroyed in the stream', lines: insertAt(VALID_CDR, 2, S1[0]!) },
    { name: 'participantJoined twice, participantLeft in the stream', lines: insertAt(VALID_CDR, 2, S1[1]!) },
    {
      name: 'OUTBOUND twice, webrtcConnectionDestroyed in the stream',
      lines: insertAt(VALID_CDR, 3, S1[2]!),
    },
    { name: 'INBOUND twice, webrtcConnectionDestroyed in the stream', lines: insertAt(VALID_CDR, 5, S1[4]!) },
    {
      name: 'participant events without ids',
      lines: [
        S1[0]!,
        edit(S1, 1, '"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz",', '')[1]!,
        edit(S1, 15, '"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz",', '')[15]!,
        edit(S1, 9, '"participantId":"con_EIeO06zgMz","connectionId":"con_EIeO06zgMz",', '')[9]!,
        edit(S1, 7, '"id":"ses_Jd8tUyvhXO",', '')[7]!,
      ],
    },
    { name: 'sessionDestroyed without duration', lines: edit(S1, 18, '"duration":674,', '') },
    {
      name: 'autoscaling decisions of every kind, followed or not',
      lines: [
        node(1000, 'media_a', 'launching', null),
        node(2000, 'media_a', 'running', 'launching'),
        node(3000, 'media_b', 'launching', null),
        node(3500, 'media_b', 'running', 'launching'),
        node(4000, 'media_b', 'waiting-idle-to-terminate', 'running'),
        node(4500, 'media_c', 'launching', null),
        node(4600, 'media_c', 'canceled', 'launching'),
        autoscaling(
          5000,
          '{"total":2,"newNodes":0,"waitingIdleToTerminateNodes":[{"id":"media_b"}],"canceledNodes":[{"id":"media_c"}]}',
          '{"total":0,"runningNodes":[],"launchingNodes":[]}',
        ),
        node(5001, 'media_b', 'running', 'waiting-idle-to-terminate'),
        node(5002, 'media_c', 'launching', 'canceled'),
        autoscaling(
          6000,
          '{"total":0,"newNodes":0,"waitingIdleToTerminateNodes":[],"canceledNodes":[]}',
          '{"total":2,"runningNodes":[{"id":"media_a"}],"launchingNodes":[{"id":"media_c"}]}',
        ),
        node(6001, 'media_c', 'canceled', 'launching'),
        autoscaling(
          7000,
          '{"total":1,"newNodes":1,"waitingIdleToTerminateNodes":[],"canceledNodes":[]}',
          '{"total":0,"runningNodes":[],"launchingNodes":[]}',
        ),
        node(7001, 'media_d', 'launching', null),
        '{"nodeCrashed":{"timestamp":8000,"environmentId":"x","ip":null,"uri":null,"nodeRole":"medianode","sessionIds":[],"recordingIds":[],"broadcasts":[],"clusterId":"MY_CLUSTER"}}',
      ],
    },
  ];
  return [
    ...targeted,
    { name: 'clean: fixtures VALID_CDR', lines: VALID_CDR },
    { name: 'clean: fixtures VALID_CDR as WebHook bodies', lines: VALID_CDR.map(toWebhook) },
    { name: 'clean: fixtures VALID_2_16, version detected', lines: VALID_2_16 },
    { name: 'clean: fixtures VALID_2_16, version given', options: { version: '2.16' }, lines: VALID_2_16 },
    { name: 'fixtures VALID_2_16 read as 2.32', options: { version: '2.32' }, lines: VALID_2_16 },
    { name: 'fixtures VALID_CDR read as 2.20', options: { version: '2.20' }, lines: VALID_CDR },
    { name: 'fixtures VALID_CDR read as 2.17.0', options: { version: 'v2.17.0' }, lines: VALID_CDR },
    {
      name: 'fixtures VALID_CDR read as 2.33 (newer: as the newest known)',
      options: { version: '2.33' },
      lines: VALID_CDR,
    },
    { name: 'clean: real 2.13 session', lines: OPENVIDU_2_13_SESSION },
    { name: 'clean: real 2.16 WebHook', lines: OPENVIDU_2_16_WEBHOOK },
    { name: 'real 2.16 WebHook read as 2.12', options: { version: '2.12' }, lines: OPENVIDU_2_16_WEBHOOK },
    { name: 'clean: real 2.16 sessions only', lines: OPENVIDU_2_16_SESSIONS_ONLY },
    {
      name: 'clean: real 2.16 sessions only, filter given',
      options: { events: ['sessionCreated', 'sessionDestroyed'] },
      lines: OPENVIDU_2_16_SESSIONS_ONLY,
    },
    { name: 'clean: real 2.16 recordings only', lines: OPENVIDU_2_16_RECORDINGS_ONLY },
    {
      name: 'real 2.16 WebHook against a narrower filter',
      options: { events: ['sessionCreated', 'sessionDestroyed', 'recordingStatusChanged'] },
      lines: OPENVIDU_2_16_WEBHOOK,
    },
    { name: 'clean: real Pro 2.17 CDR', lines: OPENVIDU_PRO_2_17_CDR },
    { name: 'real Pro 2.17 CDR read as 2.16', options: { version: '2.16' }, lines: OPENVIDU_PRO_2_17_CDR },
    { name: 'real Pro 2.17 CDR read as 2.18', options: { version: '2.18' }, lines: OPENVIDU_PRO_2_17_CDR },
    { name: 'clean: golden enterprise-ha CDR', lines: golden('enterprise-ha.cdr.jsonl') },
    { name: 'clean: golden media-server-crash WebHook', lines: golden('media-server-crash.webhook.jsonl') },
    { name: 'clean: golden meeting-2.16 CDR', lines: golden('meeting-2.16.cdr.jsonl') },
    {
      name: 'open sessions without sessionDestroyed, memory bounded',
      options: { destroyedMemory: 3 },
      lines: sessions(8),
    },
    {
      name: 'a late event of a destroyed session forgotten beyond destroyedMemory',
      options: { destroyedMemory: 1 },
      lines: [...VALID_CDR, VALID_CDR[8]!],
    },
    {
      name: 'a late event of a destroyed session remembered',
      lines: [...VALID_CDR, VALID_CDR[8]!],
    },
    {
      name: 'no tolerance for lines out of time order',
      options: { inputStartToleranceMs: 0 },
      lines: VALID_CDR.slice(1),
    },
    { name: 'bytes: empty input', base64: '' },
    { name: 'bytes: a blank line only', base64: b64('\n') },
    { name: 'bytes: CRLF line ends', base64: b64(VALID_CDR.slice(0, 4).join('\r\n'), '\r\n') },
    { name: 'bytes: no final newline', base64: b64(VALID_CDR.slice(0, 4).join('\n')) },
    {
      name: 'bytes: invalid UTF-8 in a value',
      base64: b64(
        VALID_CDR[0]!,
        '\n',
        VALID_CDR[1]!.slice(0, 200),
        Buffer.from([0xc3, 0x28, 0xff]),
        VALID_CDR[1]!.slice(200),
        '\n',
      ),
    },
    { name: 'bytes: byte order mark', base64: b64('\ufeff', cdr, '\n') },
    {
      name: 'bytes: a line over the size limit',
      options: { maxLineBytes: 300 },
      base64: b64(cdr, '\n'),
    },
    { name: 'text: nested deeper than 64 levels', lines: [deep, ...VALID_CDR.slice(0, 3)] },
    { name: 'text: trailing text after the object', lines: [`${VALID_CDR[0]!} x`] },
    { name: 'clean: parsed WebHook bodies', bodies: hooks },
    { name: 'parsed bodies: "event" differs from the name', bodies: mismatched },
    { name: 'parsed bodies: "event" not last', bodies: eventFirst },
    {
      name: 'parsed bodies: nested deeper than 64 levels',
      bodies: [['sessionCreated', { sessionId: 'ses_A', timestamp: 1, x: deepBody }]],
    },
    {
      name: 'parsed bodies: no "event" key, given filter',
      options: { events: ['sessionCreated'] },
      bodies: hooks.map(([name, { event: _event, ...body }]) => [name, body] as const),
    },
  ];
}

write('hand-written.jsonl', handWritten());

if (process.argv.includes('--mutations')) {
  const generated: Case[] = [];
  for (const [name, lines, whole] of sources()) {
    units(lines, whole).forEach((unit, u) => {
      for (const [label, mutated] of mutations(unit)) {
        generated.push({ name: `${name} #${u + 1}: ${label}`, lines: mutated });
      }
    });
  }
  write('mutations.jsonl', await select(await evaluate(generated)));
}

const capture = process.argv.indexOf('--capture');
if (capture > 0) {
  const file = process.argv[capture + 1] ?? '';
  const captured: Case[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .forEach((l, i) => {
      const rec = JSON.parse(l) as { opts: Record<string, unknown>; lines: unknown[] };
      const options: CaseOptions = Object.fromEntries(
        Object.entries(rec.opts).filter(([k]) =>
          ['version', 'events', 'destroyedMemory', 'inputStartToleranceMs', 'maxLineBytes'].includes(k),
        ),
      );
      const opts = Object.keys(options).length === 0 ? {} : { options };
      if (rec.lines.every((x) => typeof x === 'string')) {
        captured.push({ name: `unit test input ${i + 1}`, ...opts, lines: rec.lines as string[] });
      } else if (rec.lines.every((x) => typeof x === 'object' && x !== null && 'body' in x)) {
        const bodies = (rec.lines as Array<{ name: string; body: Record<string, unknown> }>).map(
          (x) => [x.name, x.body] as const,
        );
        captured.push({ name: `unit test input ${i + 1} (parsed bodies)`, ...opts, bodies });
      }
    });
  write('from-tests.jsonl', await select(await evaluate(captured)));
}
