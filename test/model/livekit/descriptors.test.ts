import { describe, expect, it } from 'vitest';
import type { FieldDesc, MessageDesc } from '../../../src/model/livekit/descriptor.js';
import { WebhookEventDesc } from '../../../src/model/livekit/webhook-event.js';
import { enumTypeName, esTypes, type EsField } from './oracle.js';

/**
 * Fields of the npm @livekit/protocol messages that ovsim deliberately leaves out (see docs/openvidu3.md). Anything
 * else the package has and the model lacks fails the test: a newer proto must be read, not ignored.
 */
const UNMODELLED: Readonly<Record<string, readonly string[]>> = {
  'livekit.WebhookEvent': ['roomEndReason'],
  'livekit.ParticipantInfo': ['dataTracks'],
  'livekit.EgressInfo': ['egress', 'replay'],
};

const SCALAR_T: Readonly<Record<string, number>> = {
  double: 1,
  float: 2,
  int64: 3,
  uint64: 4,
  int32: 5,
  bool: 8,
  string: 9,
  bytes: 12,
  uint32: 13,
};

function allMessages(root: MessageDesc): MessageDesc[] {
  const seen = new Map<string, MessageDesc>();
  const visit = (d: MessageDesc): void => {
    if (seen.has(d.name)) return;
    seen.set(d.name, d);
    for (const f of d.fields) if (f.kind === 'message') visit(f.message());
  };
  visit(root);
  return [...seen.values()];
}

function describeField(f: FieldDesc): string {
  const kind = f.kind === 'message' ? f.message().name : f.kind === 'enum' ? f.enum.name : f.kind;
  return `${f.name}#${f.no} ${f.map ? 'map' : f.repeated ? 'list' : 'one'} ${kind} oneof=${f.oneof ?? '-'} opt=${!!f.optional}`;
}

function describeEs(f: EsField): string {
  const map = f.kind === 'map';
  const vk = map ? f.V! : f;
  const kind =
    vk.kind === 'message'
      ? (vk.T as { typeName: string }).typeName
      : vk.kind === 'enum'
        ? enumTypeName(vk as EsField)
        : (Object.keys(SCALAR_T).find((k) => SCALAR_T[k] === vk.T) ?? `scalar${String(vk.T)}`);
  const opt = f.opt && f.oneof === undefined;
  return `${f.jsonName}#${f.no} ${map ? 'map' : f.repeated ? 'list' : 'one'} ${kind} oneof=${f.oneof?.localName ?? '-'} opt=${opt}`;
}

describe('the LiveKit model against the @livekit/protocol descriptors', () => {
  const es = esTypes();
  const mine = allMessages(WebhookEventDesc);

  it('covers the messages a webhook can carry', () => {
    expect(mine.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'livekit.WebhookEvent',
        'livekit.Room',
        'livekit.ParticipantInfo',
        'livekit.TrackInfo',
        'livekit.SimulcastCodecInfo',
        'livekit.VideoLayer',
        'livekit.EgressInfo',
        'livekit.RoomCompositeEgressRequest',
        'livekit.FileInfo',
        'livekit.StreamInfo',
        'livekit.SegmentsInfo',
        'livekit.ImagesInfo',
        'livekit.IngressInfo',
        'livekit.Job',
      ]),
    );
  });

  for (const desc of mine) {
    it(`${desc.name}: same fields, JSON names, numbers, kinds and declaration order`, () => {
      const type = es.get(desc.name);
      expect(type, `${desc.name} is not reachable in @livekit/protocol`).toBeDefined();
      const esFields = type!.fields.list();
      const expected = esFields
        .filter((f) => !(UNMODELLED[desc.name] ?? []).includes(f.jsonName))
        .map(describeEs);
      expect(desc.fields.map(describeField)).toEqual(expected);
    });
  }

  it('lists enum values as the package does', () => {
    for (const desc of mine) {
      for (const f of desc.fields) {
        if (f.kind !== 'enum') continue;
        const esField = es
          .get(desc.name)!
          .fields.list()
          .find((x) => x.no === f.no)!;
        const values = (esField.T as { values: readonly { no: number; name: string }[] }).values;
        const theirs = Object.fromEntries(values.map((v) => [v.no, v.name]));
        expect({ [f.enum.name]: f.enum.values }).toEqual({ [f.enum.name]: theirs });
      }
    }
  });
});
