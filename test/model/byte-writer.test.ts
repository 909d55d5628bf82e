import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioBatches } from '../../src/generate/scenario-batches.js';
import { ByteBuffer } from '../../src/model/byte-writer.js';
import {
  CATALOGUE,
  EVENT_NAMES,
  type CdrEvent,
  type EventName,
  type EventSpec,
} from '../../src/model/catalogue.js';
import { JavaDouble } from '../../src/model/java.js';
import { Profile } from '../../src/model/profile.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings, type SettingsOverrides } from '../../src/scenario/simulate-scenario.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** What the byte writers produce for `events`, with a tiny buffer so that the pieces move as they grow. */
function bytesOf(profile: Profile, events: readonly CdrEvent[], form: 'cdr' | 'hook-line'): Uint8Array {
  const out = new ByteBuffer(16);
  const parts: Uint8Array[] = [];
  for (const e of events) {
    if (form === 'cdr') profile.writeCdrLine(e, out);
    else profile.writeWebhook(e, out, true);
    if (out.pos > 40) parts.push(out.take());
  }
  parts.push(out.take());
  return Buffer.concat(parts);
}

function textOf(profile: Profile, events: readonly CdrEvent[], form: 'cdr' | 'hook-line'): string {
  let text = '';
  for (const e of events) {
    const line = form === 'cdr' ? profile.serializeCdr(e) : profile.serializeWebhook(e);
    if (line !== undefined) text += line + '\n';
  }
  return text;
}

async function eventsOf(
  name: string,
  overrides: SettingsOverrides = {},
): Promise<{ profile: Profile; events: CdrEvent[] }> {
  const scenario = await readScenario(name);
  const settings = resolveSettings(scenario, overrides);
  const events: CdrEvent[] = [];
  for (const b of scenarioBatches(scenario, settings, { set: scenario.generate ? ['duration=20m'] : [] }))
    events.push(...b.events);
  return { profile: settings.profile, events };
}

describe('byte writers equal the UTF-8 of the string serializer', () => {
  const cases: Array<[string, SettingsOverrides]> = [
    ['demo-random', {}],
    ['meeting-2.16', {}], // CDR-only companions (recordingStarted before its status, recordingStopped after)
    ['recording-modes', { version: '2.20' }], // recordingStarted after its status
    ['signals-and-filters', {}],
    ['pro-node-faults', {}], // Pro nested json (autoscaling) and doubles
    ['enterprise-ha', {}],
    ['default', { version: '2.12' }],
  ];
  for (const [name, overrides] of cases) {
    for (const form of ['cdr', 'hook-line'] as const) {
      it(`${name} ${overrides.version ?? ''} (${form})`, async () => {
        const { profile, events } = await eventsOf(name, overrides);
        expect(events.length).toBeGreaterThan(5);
        const bytes = bytesOf(profile, events, form);
        expect(decoder.decode(bytes)).toBe(textOf(profile, events, form));
      });
    }
  }

  it('a WebHook body has no newline and a CDR-only event writes nothing', () => {
    const profile = new Profile('2.16');
    const out = new ByteBuffer(8);
    const data = {
      sessionId: 's',
      uniqueSessionId: 's_1',
      timestamp: 1,
      startTime: 1,
      duration: 0,
      reason: 'x',
    };
    const body = profile.writeWebhook({ name: 'sessionDestroyed', data } as unknown as CdrEvent, out, false);
    expect(body).toBe(true);
    expect(decoder.decode(out.piece())).toBe(
      profile.serializeWebhook({ name: 'sessionDestroyed', data } as never),
    );
    const companion = EVENT_NAMES.find(
      (n) => (CATALOGUE[n] as EventSpec).companionOf !== undefined && profile.has(n),
    );
    expect(companion).toBeDefined();
    out.begin();
    expect(profile.writeWebhook({ name: companion!, data: {} } as unknown as CdrEvent, out, false)).toBe(
      false,
    );
    expect(out.piece().length).toBe(0);
  });

  it('any text and any number, in every field of every event (property)', () => {
    const profile = new Profile('2.32', 'enterprise');
    const names = EVENT_NAMES.filter((n) => profile.has(n));
    // Any UTF-16 code unit: controls, quotes, backslashes, U+2028/9, non-ASCII, lone surrogates.
    const special = fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\t',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\u2029',
      'é',
      '\u0080',
      '\u07ff',
      '€',
      '😀',
      '\ud800',
      '\udfff',
      'a',
    );
    const unit = fc.oneof(
      special,
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const text = fc.string({ unit, maxLength: 40 });
    const full = fc.string({ unit: 'grapheme', maxLength: 20 });
    const number = fc.oneof(
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double(),
      fc.constantFrom(1e21, -0, 2 ** 53 + 2),
    );
    const valueOf = (type: string): fc.Arbitrary<unknown> =>
      type === 'string'
        ? fc.oneof(text, full, fc.constant(null))
        : type === 'long' || type === 'int' || type === 'double'
          ? number
          : type === 'boolean'
            ? fc.boolean()
            : type === 'stringArray'
              ? fc.array(fc.oneof(text, full), { maxLength: 4 })
              : fc.dictionary(
                  fc.oneof(text, full),
                  fc.oneof(
                    text,
                    number.map((x) => new JavaDouble(x)),
                    fc.boolean(),
                  ),
                  {
                    maxKeys: 3,
                  },
                );
    const event = fc
      .constantFrom(...names)
      .chain((name: EventName) =>
        fc
          .record(
            Object.fromEntries(profile.fieldsOf(name).map((f) => [f.key, valueOf(f.type)])) as Record<
              string,
              fc.Arbitrary<unknown>
            >,
          )
          .map((data) => ({ name, data }) as unknown as CdrEvent),
      );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), (events) => {
        for (const form of ['cdr', 'hook-line'] as const) {
          expect(decoder.decode(bytesOf(profile, events, form))).toBe(textOf(profile, events, form));
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('ByteBuffer', () => {
  /** Appends one byte, as the writers do: room first, then the store. */
  const byte = (out: ByteBuffer, c: number) => {
    out.reserve(1);
    out.buf[out.pos++] = c;
  };

  it('never overwrites a piece handed out, and keeps the piece being written whole when it grows', () => {
    const out = new ByteBuffer(4);
    out.begin();
    for (const c of [1, 2, 3]) byte(out, c);
    const first = out.piece();
    out.begin();
    for (let c = 10; c < 30; c++) byte(out, c);
    const second = out.piece();
    expect([...first]).toEqual([1, 2, 3]);
    expect([...second]).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
    const taken = out.take();
    byte(out, 99);
    expect([...taken.subarray(0, 3)]).toEqual([10, 11, 12]);
    expect(out.pos).toBe(1);
  });
});
