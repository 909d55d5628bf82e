/**
 * The hand-written cases of the golden-diagnostics corpus: what mutating single lines does not reach — one case for
 * each place of the validator the other cases left unreached, the rules that need a whole stream (cluster,
 * broadcasts, versions), clean inputs of every origin, the options, bytes that are not plain text, parsed bodies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from '../../test/validate/golden-diagnostics/run-case.js';
import { SESSION_1, SESSION_2, toWebhook, VALID_2_16, VALID_CDR } from '../../test/validate/fixtures.js';
import {
  OPENVIDU_2_13_SESSION,
  OPENVIDU_2_16_RECORDINGS_ONLY,
  OPENVIDU_2_16_SESSIONS_ONLY,
  OPENVIDU_2_16_WEBHOOK,
  OPENVIDU_PRO_2_17_CDR,
} from '../../test/validate/real-format-lines.js';
import { GOLDEN } from './mutations.js';
import { serverCases } from './server-cases.js';

const S1 = SESSION_1;
const S2 = SESSION_2;
const S1_IDS = '"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713"';

function golden(file: string): string[] {
  return readFileSync(join(GOLDEN, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

function bodies(lines: readonly string[]): Array<readonly [string, Record<string, unknown>]> {
  return lines.map((l) => {
    const body = JSON.parse(toWebhook(l)) as Record<string, unknown>;
    return [String(body.event), body] as const;
  });
}

function b64(...parts: Array<string | Buffer>): string {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))).toString(
    'base64',
  );
}

/** `lines` with line `i` edited; `from` must be in it. */
function edit(lines: readonly string[], i: number, from: string, to: string): string[] {
  const line = lines[i]!;
  if (!line.includes(from)) throw new Error(`line ${i} lacks ${from}`);
  return lines.map((l, j) => (j === i ? l.replace(from, to) : l));
}

function insertAt(lines: readonly string[], i: number, ...extra: string[]): string[] {
  return [...lines.slice(0, i), ...extra, ...lines.slice(i)];
}

/** A 2.17+ line as 2.15 writes it: no uniqueSessionId, connectionId nor ip. */
function to215(l: string): string {
  return l
    .replace(/,"uniqueSessionId":"[^"]*"/, '')
    .replace(/,"connectionId":"[^"]*"/, '')
    .replace(/,"ip":"[^"]*"/, '');
}

function node(ts: number, id: string, next: string, old: string | null): string {
  return `{"mediaNodeStatusChanged":{"timestamp":${ts},"id":"${id}","environmentId":null,"ip":null,"uri":null,"newStatus":"${next}","oldStatus":${old === null ? 'null' : `"${old}"`},"clusterId":"MY_CLUSTER"}}`;
}

function autoscaling(ts: number, launch: string, terminate: string): string {
  return `{"autoscaling":{"timestamp":${ts},"clusterId":"MY_CLUSTER","reason":"r","mediaNodes":{"launch":${launch},"terminate":${terminate}},"system":{}}}`;
}

/** Sessions whose only event is a recording start, never destroyed. */
function sessions(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `ses_Mem${String(i).padStart(3, '0')}`;
    const ts = 1607000000000 + i * 60_000;
    return `{"sessionId":"${id}","timestamp":${ts},"startTime":${ts},"duration":0.0,"id":"${id}","name":"${id}","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true,"size":0,"status":"started","event":"recordingStatusChanged"}`;
  });
}

/** One case for each place of the lifecycle rules the other cases left unreached. */
function lifecycleCases(): Case[] {
  return [
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
  ];
}

/** Versions, broadcasts, entities created twice, missing ids, and the cluster's decisions. */
function streamCases(): Case[] {
  return [
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
}

/** Clean inputs of every origin, and the options of the validator. */
function cleanAndOptionCases(): Case[] {
  return [
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
  ];
}

/** Bytes that are not plain text, and parsed WebHook bodies (the live receiver's path). */
function byteAndBodyCases(): Case[] {
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
  return [
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

export function handWrittenCases(): Case[] {
  return [
    ...lifecycleCases(),
    ...streamCases(),
    ...cleanAndOptionCases(),
    ...byteAndBodyCases(),
    ...serverCases(),
  ];
}
