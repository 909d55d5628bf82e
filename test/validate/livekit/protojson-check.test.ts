/**
 * The body checks of `validate --server openvidu3`: everything the protojson writer writes (hand-built examples and
 * random messages of every modelled type) passes; every way a hand-rolled or re-serialized body differs from Go's
 * protojson is reported with its rule.
 */
import { Room, WebhookEvent } from '@livekit/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  marshalWebhookEvent,
  WebhookEventDesc,
  type WebhookEvent as Model,
} from '../../../src/model/livekit/index.js';
import { GO_PROTOJSON, parseJsonTree, type ObjectNode } from '../../../src/validate/json-tree.js';
import { checkMessage, type ProtoFinding } from '../../../src/validate/livekit/protojson-check.js';
import { message } from '../../model/livekit/arbitraries.js';
import { EXAMPLES } from '../../model/livekit/examples.js';
import { check } from './check.js';

/** Body-level findings: the serialization problem, then the protojson findings, as `rule: message`. */
function findings(text: string): string[] {
  const tree = parseJsonTree(text, GO_PROTOJSON);
  const out: ProtoFinding[] = [];
  checkMessage(tree.root as ObjectNode, WebhookEventDesc, '', out);
  return [
    ...(tree.problem === undefined ? [] : [`serialization: ${tree.problem}`]),
    ...out.map((f) => `${f.rule}: ${f.message}`),
  ];
}

const JOINED = marshalWebhookEvent(EXAMPLES.participant_joined!);

/** `body` with `from` replaced by `to`; throws when `from` is not there, so every case changes what it says. */
function mutate(body: string, from: string, to: string): string {
  if (!body.includes(from)) throw new Error(`${from} not in the body`);
  return body.replace(from, to);
}

describe('the protojson checker accepts what Go writes', () => {
  it('every example event, in both comma spacings', () => {
    for (const [name, event] of Object.entries(EXAMPLES)) {
      for (const spaceAfterComma of [false, true]) {
        expect(findings(marshalWebhookEvent(event, { spaceAfterComma })), name).toEqual([]);
      }
    }
  });

  it('random messages of every modelled type, as the writer writes them (300 runs)', () => {
    fc.assert(
      fc.property(message(WebhookEventDesc), fc.boolean(), (m, spaceAfterComma) => {
        expect(findings(marshalWebhookEvent(m as Model, { spaceAfterComma }))).toEqual([]);
      }),
      { numRuns: 300, seed: 1901 },
    );
  });

  it('a field of a newer protocol in its place (roomEndReason after numDropped) is accepted unchecked', () => {
    const body = JOINED.replace(/}$/, ',"roomEndReason":"RER_DEPARTURE_TIMEOUT"}');
    expect(findings(body)).toEqual([]);
  });
});

describe('the protojson checker reports what Go cannot write', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'createdAt as a number',
      mutate(JOINED, '"createdAt":"1767225602"', '"createdAt":1767225602'),
      /^field-type: createdAt: int64 written as the number/,
    ],
    [
      'a snake_case key',
      mutate(JOINED, '"numParticipants"', '"num_participants"'),
      /^unexpected-field: room\.num_participants: snake_case key; protojson writes the JSON name "numParticipants"/,
    ],
    ['a wrongly cased key', mutate(JOINED, '"joinedAtMs"', '"joinedAtMS"'), /did you mean "joinedAtMs"/],
    [
      'false written',
      mutate(JOINED, '"canSubscribe":true', '"canSubscribe":true,"hidden":false'),
      /^zero-value: participant\.permission\.hidden: false/,
    ],
    [
      '0 written',
      mutate(JOINED, '"emptyTimeout":300', '"emptyTimeout":300,"maxParticipants":0'),
      /^zero-value: room\.maxParticipants: 0/,
    ],
    [
      'the 0 enum written',
      mutate(JOINED, '"state":"ACTIVE"', '"state":"JOINING"'),
      /^zero-value: participant\.state: "JOINING" \(the enum's 0 value\)/,
    ],
    [
      'an empty list',
      mutate(JOINED, '"clientProtocol":1', '"kindDetails":[],"clientProtocol":1'),
      /^zero-value: participant\.kindDetails: an empty list/,
    ],
    [
      'an enum as a number',
      mutate(JOINED, '"state":"ACTIVE"', '"state":2'),
      /^field-type: participant\.state: enum written as the number 2 \(protojson writes its name, "ACTIVE"\)/,
    ],
    [
      'an enum in lower case',
      mutate(JOINED, '"state":"ACTIVE"', '"state":"active"'),
      /did you mean "ACTIVE"/,
    ],
    ['null', mutate(JOINED, '"name":"Alice"', '"name":null'), /^field-type: participant\.name: null/],
    [
      'a uint32 as a string',
      mutate(JOINED, '"emptyTimeout":300', '"emptyTimeout":"300"'),
      /^field-type: room\.emptyTimeout: uint32 written as a string/,
    ],
    [
      'a space after a colon',
      mutate(JOINED, '"event":"', '"event": "'),
      /^serialization: whitespace outside strings/,
    ],
    ['an escaped slash', mutate(JOINED, '"audio/PCMU"', '"audio\\/PCMU"'), /^serialization: escaped "\/"/],
    [
      'an ASCII-only escape (Python json.dumps)',
      mutate(JOINED, '"Alice"', '"Alic\\u00e9"'),
      /^serialization: \\u00e9 escapes a character it writes as itself/,
    ],
    [
      'a duplicate key',
      mutate(JOINED, '"name":"Alice"', '"name":"Alice","name":"Bob"'),
      /^unexpected-field: participant\.name: duplicate key/,
    ],
    [
      'keys out of declaration order',
      mutate(JOINED, '"emptyTimeout":300,"departureTimeout":20', '"departureTimeout":20,"emptyTimeout":300'),
      /^key-order: room\.emptyTimeout: "emptyTimeout" comes before "departureTimeout"/,
    ],
    [
      'unsorted map keys',
      mutate(
        marshalWebhookEvent(EXAMPLES.participant_left!),
        '"color":"blue","lk.agent.state":"idle"',
        '"lk.agent.state":"idle","color":"blue"',
      ),
      /^key-order: participant\.attributes: map keys not sorted/,
    ],
    [
      'two members of a oneof',
      mutate(
        marshalWebhookEvent(EXAMPLES.egress_started!),
        '"roomComposite":{',
        '"web":{"url":"https://x"},"roomComposite":{',
      ),
      /^unexpected-field: egressInfo\.roomComposite: "web" and "roomComposite" are members of the same oneof "request"/,
    ],
    [
      'a double not as Go formats it',
      mutate(marshalWebhookEvent(EXAMPLES.ingress_started!), '"framerate":29.97', '"framerate":2.997e1'),
      /^serialization: ingressInfo\.state\.video\.framerate: 2\.997e1 is written 29\.97 by Go/,
    ],
  ];
  for (const [what, body, expected] of cases) {
    it(what, () => {
      expect(
        findings(body).some((f) => expected.test(f)),
        findings(body).join('\n'),
      ).toBe(true);
    });
  }

  it('a body re-serialized by the JS SDK (field-number order, spec §1.3): key-order', () => {
    const event = WebhookEvent.fromJsonString(JOINED);
    const bySdk = event.toJsonString();
    expect(bySdk).not.toBe(JOINED);
    expect(findings(bySdk)[0]).toMatch(/^key-order: /);
  });

  it('hand-rolled fakes from the wild (spec §1.5): every mistake named', () => {
    const itqan =
      '{"event": "room_finished", "room": {"name": "test-room", "sid": "RM_test123", "num_participants": 0}, "createdAt": 1700000000}';
    const r = check([itqan]);
    expect(r.errors.map((d) => d.rule).sort()).toEqual([
      'field-type',
      'id-format',
      'key-order',
      'missing-field',
      'serialization',
      'unexpected-field',
    ]);
    expect(r.text.join('\n')).toContain('createdAt: int64 written as the number 1700000000');
    expect(r.text.join('\n')).toContain('no "id"');
  });

  it('a body of the real @livekit/protocol in declaration order but with a millisecond createdAt: time-unit', () => {
    const event = new WebhookEvent({
      event: 'room_started',
      room: new Room({ sid: 'RM_hT3kPq8ZsWnd', name: 'r' }),
      id: 'EV_wL6Lh5MAFmDd',
      createdAt: 1767225600123n,
    });
    const body = JSON.stringify({
      event: 'room_started',
      room: { sid: 'RM_hT3kPq8ZsWnd', name: 'r' },
      id: 'EV_wL6Lh5MAFmDd',
      createdAt: '1767225600123',
    });
    expect(event.toJsonString()).toBe(body);
    expect(check([body]).errors.map((d) => [d.rule, d.message])).toEqual([
      ['time-unit', 'createdAt 1767225600123 looks like milliseconds; it is seconds since the epoch'],
    ]);
  });
});
