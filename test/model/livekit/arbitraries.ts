/** fast-check arbitraries of the modelled LiveKit messages (random bodies for the writer's and the checker's tests). */
import fc from 'fast-check';
import type { FieldDesc, MessageDesc } from '../../../src/model/livekit/descriptor.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !LONE_SURROGATE.test(s));

function scalar(field: FieldDesc): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'enum':
      return fc.constantFrom(...Object.values(field.enum.values));
    case 'message':
      throw new Error('not a scalar');
    case 'string':
      return fc.oneof(wellFormed, fc.constant(''));
    case 'bool':
      return fc.boolean();
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.oneof(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.integer({ min: -1e6, max: 1e15 }));
    case 'uint64':
      return fc.bigInt(0n, 2n ** 64n - 1n);
    case 'double':
      // protobuf-es drops -0 as a default value where Go writes it: that case has its own unit test.
      return fc.double().filter((d) => !Object.is(d, -0));
    case 'float':
      return fc
        .float()
        .filter((d) => !Object.is(d, -0))
        .map(Math.fround);
    case 'bytes':
      return fc.uint8Array({ maxLength: 8 });
  }
}

function value(field: FieldDesc, depth: number): fc.Arbitrary<unknown> {
  const one = field.kind === 'message' ? message(field.message(), depth + 1) : scalar(field);
  if (field.repeated) return fc.array(one, { maxLength: 3 });
  if (field.map) return fc.dictionary(wellFormed, one, { maxKeys: 3 });
  return one;
}

/** Random messages of a descriptor: each field present or not, one member per oneof at most. */
export function message(desc: MessageDesc, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 4) return fc.constant({});
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  const oneofs = new Map<string, FieldDesc[]>();
  for (const f of desc.fields) {
    if (f.oneof !== undefined) oneofs.set(f.oneof, [...(oneofs.get(f.oneof) ?? []), f]);
    else parts[f.name] = fc.option(value(f, depth), { nil: undefined, freq: 2 });
  }
  for (const [name, members] of oneofs) {
    parts[name] = fc.option(
      fc.oneof(...members.map((m) => value(m, depth).map((v) => ({ case: m.name, value: v })))),
      { nil: undefined, freq: 2 },
    );
  }
  return fc
    .record(parts)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}
