/**
 * Whether a JSON tree is what Go's protojson writes for a message (livekit-server's `utils/protojson.Marshal`,
 * protobuf-go v1.36.11 defaults), read against the descriptor tables of `src/model/livekit` — the same tables ovsim
 * writes with, themselves checked field by field against the real `@livekit/protocol`:
 * - keys are JSON (lowerCamelCase) names in *declaration* order, each once; a snake_case proto name is never written;
 * - zero values are omitted (false, 0, "", empty lists and maps, an enum at its 0 value), except in a oneof or a
 *   proto3 `optional` field, and a message is written whenever set;
 * - 64-bit integers are JSON strings, 32-bit ones numbers; enums are names; doubles as Go formats them; bytes as
 *   padded standard base64; never `null`; map keys sorted by code point; one member per oneof.
 */
import {
  compareCodePoints,
  formatGoFloat,
  type EnumDesc,
  type FieldDesc,
  type MessageDesc,
} from '../../model/livekit/index.js';
import type { JsonNode, ObjectNode } from '../json-tree.js';
import type { RuleId, Severity } from '../rules.js';

/** One way a body differs from protojson, at a field path such as `room.enabledCodecs[2].mime`. */
export interface ProtoFinding {
  readonly rule: RuleId;
  readonly message: string;
  readonly severity?: Severity;
}

/**
 * Fields of `@livekit/protocol` 1.51.0 newer than the protocol commit ovsim models, by message, each after the
 * modelled field it is declared behind: a newer server may write them, so they are accepted in their place, unchecked.
 */
const NEWER_FIELDS: Readonly<Record<string, ReadonlyArray<{ name: string; after: string; oneof?: string }>>> =
  {
    'livekit.WebhookEvent': [{ name: 'roomEndReason', after: 'numDropped' }],
    'livekit.ParticipantInfo': [{ name: 'dataTracks', after: 'kindDetails' }],
    'livekit.EgressInfo': [
      { name: 'egress', after: 'updatedAt', oneof: 'request' },
      { name: 'replay', after: 'updatedAt', oneof: 'request' },
    ],
  };

/** Stops reading a body after this many findings: a fake with every key wrong says so in a few lines. */
const MAX_FINDINGS = 20;

interface Slot {
  readonly index: number;
  readonly field: FieldDesc | undefined;
  readonly oneof: string | undefined;
}

const slotCache = new Map<MessageDesc, ReadonlyMap<string, Slot>>();

function slotsOf(desc: MessageDesc): ReadonlyMap<string, Slot> {
  let slots = slotCache.get(desc);
  if (slots !== undefined) return slots;
  const map = new Map<string, Slot>();
  desc.fields.forEach((field, index) => map.set(field.name, { index, field, oneof: field.oneof }));
  for (const newer of NEWER_FIELDS[desc.name] ?? []) {
    const after = map.get(newer.after)?.index ?? -1;
    map.set(newer.name, { index: after + 0.5, field: undefined, oneof: newer.oneof });
  }
  slots = map;
  slotCache.set(desc, slots);
  return slots;
}

/** Checks a message node; findings are added to `out` with the path in their message. */
export function checkMessage(node: ObjectNode, desc: MessageDesc, path: string, out: ProtoFinding[]): void {
  const slots = slotsOf(desc);
  const seen = new Set<string>();
  const oneofs = new Map<string, string>();
  let last: { key: string; index: number } | undefined;
  for (const m of node.members) {
    if (out.length >= MAX_FINDINGS) return;
    const where = join(path, m.key);
    if (seen.has(m.key)) {
      out.push({ rule: 'unexpected-field', message: `${where}: duplicate key` });
      continue;
    }
    seen.add(m.key);
    const slot = slots.get(m.key);
    if (slot === undefined) {
      out.push({ rule: 'unexpected-field', message: unknownKey(where, m.key, desc, slots) });
      continue;
    }
    if (last !== undefined && slot.index < last.index) {
      out.push({
        rule: 'key-order',
        message: `${where}: "${m.key}" comes before "${last.key}" in ${desc.name} (protojson writes fields in declaration order)`,
      });
    }
    if (last === undefined || slot.index > last.index) last = { key: m.key, index: slot.index };
    if (slot.oneof !== undefined) {
      const other = oneofs.get(slot.oneof);
      if (other !== undefined) {
        out.push({
          rule: 'unexpected-field',
          message: `${where}: "${other}" and "${m.key}" are members of the same oneof "${slot.oneof}"`,
        });
      }
      oneofs.set(slot.oneof, m.key);
    }
    if (slot.field !== undefined) checkField(slot.field, m.value, where, out);
  }
}

function unknownKey(where: string, key: string, desc: MessageDesc, slots: ReadonlyMap<string, Slot>): string {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (camel !== key && slots.has(camel)) {
    return `${where}: snake_case key; protojson writes the JSON name "${camel}"`;
  }
  const folded = [...slots.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
  if (folded !== undefined) return `${where}: not a field of ${desc.name} (did you mean "${folded}"?)`;
  return `${where}: not a field of ${desc.name}`;
}

function checkField(field: FieldDesc, node: JsonNode, where: string, out: ProtoFinding[]): void {
  if (node.kind === 'null') {
    out.push({
      rule: 'field-type',
      message: `${where}: null (protojson leaves an unset field out; it never writes null)`,
    });
    return;
  }
  if (field.repeated) {
    if (node.kind !== 'array') return void out.push(typeFinding(where, 'a JSON array', node));
    if (node.items.length === 0) return void out.push(zeroFinding(where, 'an empty list'));
    node.items.forEach((item, i) => checkSingular(field, item, `${where}[${i}]`, out, false));
    return;
  }
  if (field.map) {
    if (node.kind !== 'object') return void out.push(typeFinding(where, 'a JSON object (a map)', node));
    if (node.members.length === 0) return void out.push(zeroFinding(where, 'an empty map'));
    for (let i = 1; i < node.members.length; i++) {
      if (compareCodePoints(node.members[i - 1]!.key, node.members[i]!.key) >= 0) {
        out.push({
          rule: 'key-order',
          message: `${where}: map keys not sorted ("${node.members[i]!.key}" after "${node.members[i - 1]!.key}"; Go sorts them)`,
        });
        break;
      }
    }
    for (const m of node.members) checkSingular(field, m.value, join(where, m.key), out, true);
    return;
  }
  checkSingular(
    field,
    node,
    where,
    out,
    field.optional === true || field.oneof !== undefined || field.kind === 'message',
  );
}

/** One value; `keepsZero`: the field is written even at its zero value (oneof, optional, message, list element). */
function checkSingular(
  field: FieldDesc,
  node: JsonNode,
  where: string,
  out: ProtoFinding[],
  keepsZero: boolean,
): void {
  const inList = field.repeated === true || field.map === true;
  const zeroOk = keepsZero || inList;
  switch (field.kind) {
    case 'message':
      if (node.kind !== 'object') return void out.push(typeFinding(where, 'a JSON object', node));
      return checkMessage(node, field.message(), where, out);
    case 'enum':
      return checkEnum(field.enum, node, where, out, zeroOk);
    case 'string':
      if (node.kind !== 'string') return void out.push(typeFinding(where, 'a JSON string', node));
      if (node.value === '' && !zeroOk) out.push(zeroFinding(where, '""'));
      return;
    case 'bool':
      if (node.kind !== 'true' && node.kind !== 'false')
        return void out.push(typeFinding(where, 'true or false', node));
      if (node.kind === 'false' && !zeroOk) out.push(zeroFinding(where, 'false'));
      return;
    case 'int32':
    case 'uint32':
      return checkInt32(field.kind, node, where, out, zeroOk);
    case 'int64':
    case 'uint64':
      return checkInt64(field.kind, node, where, out, zeroOk);
    case 'double':
    case 'float':
      return checkFloat(field.kind, node, where, out, zeroOk);
    case 'bytes':
      if (node.kind !== 'string') return void out.push(typeFinding(where, 'a base64 JSON string', node));
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(node.value)) {
        out.push({ rule: 'field-value', message: `${where}: not standard base64 with padding` });
      } else if (node.value === '' && !zeroOk) out.push(zeroFinding(where, '""'));
      return;
  }
}

function checkEnum(
  desc: EnumDesc,
  node: JsonNode,
  where: string,
  out: ProtoFinding[],
  zeroOk: boolean,
): void {
  const names = Object.values(desc.values);
  if (node.kind === 'number') {
    const name = desc.values[node.value];
    out.push({
      rule: 'field-type',
      message: `${where}: enum written as the number ${node.raw} (protojson writes its name${name === undefined ? '' : `, "${name}"`})`,
    });
    return;
  }
  if (node.kind !== 'string') return void out.push(typeFinding(where, `a ${desc.name} name`, node));
  if (!names.includes(node.value)) {
    const close = names.find(
      (n) => n.toLowerCase() === node.value.toLowerCase() || n.endsWith(`_${node.value.toUpperCase()}`),
    );
    out.push({
      rule: 'field-value',
      message: `${where}: "${node.value}" is not a ${desc.name} name${close === undefined ? '' : ` (did you mean "${close}"?)`}`,
    });
    return;
  }
  if (!zeroOk && node.value === desc.values[0])
    out.push(zeroFinding(where, `"${node.value}" (the enum's 0 value)`));
}

const INTEGER = /^-?(?:0|[1-9]\d*)$/;

function checkInt32(
  kind: 'int32' | 'uint32',
  node: JsonNode,
  where: string,
  out: ProtoFinding[],
  zeroOk: boolean,
): void {
  if (node.kind === 'string' && INTEGER.test(node.value)) {
    out.push({
      rule: 'field-type',
      message: `${where}: ${kind} written as a string ("${node.value}"); protojson writes 32-bit integers as numbers`,
    });
    return;
  }
  if (node.kind !== 'number') return void out.push(typeFinding(where, `a JSON number (${kind})`, node));
  const [min, max] = kind === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
  if (!INTEGER.test(node.raw) || node.value < min || node.value > max) {
    out.push({
      rule: 'field-type',
      message: `${where}: ${node.raw} is not a ${kind} as Go writes it (an integer in [${min}, ${max}], no fraction or exponent)`,
    });
    return;
  }
  if (node.value === 0 && !zeroOk) out.push(zeroFinding(where, '0'));
}

function checkInt64(
  kind: 'int64' | 'uint64',
  node: JsonNode,
  where: string,
  out: ProtoFinding[],
  zeroOk: boolean,
): void {
  if (node.kind === 'number') {
    out.push({
      rule: 'field-type',
      message: `${where}: ${kind} written as the number ${node.raw}; protojson writes 64-bit integers as strings ("${node.raw}")`,
    });
    return;
  }
  if (node.kind !== 'string') return void out.push(typeFinding(where, `a JSON string (${kind})`, node));
  const [min, max] = kind === 'int64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  if (!INTEGER.test(node.value) || BigInt(node.value) < min || BigInt(node.value) > max) {
    out.push({
      rule: 'field-type',
      message: `${where}: "${node.value.slice(0, 40)}" is not a ${kind} as Go writes it (decimal digits in a string)`,
    });
    return;
  }
  if (node.value === '0' && !zeroOk) out.push(zeroFinding(where, '"0"'));
}

function checkFloat(
  kind: 'double' | 'float',
  node: JsonNode,
  where: string,
  out: ProtoFinding[],
  zeroOk: boolean,
): void {
  if (node.kind === 'string') {
    if (!['NaN', 'Infinity', '-Infinity'].includes(node.value))
      out.push(typeFinding(where, `a JSON number (${kind})`, node));
    return;
  }
  if (node.kind !== 'number') return void out.push(typeFinding(where, `a JSON number (${kind})`, node));
  const expected = formatGoFloat(node.value, kind === 'float' ? 32 : 64);
  if (node.raw !== expected) {
    out.push({ rule: 'serialization', message: `${where}: ${node.raw} is written ${expected} by Go` });
  } else if (node.value === 0 && !Object.is(node.value, -0) && !zeroOk) out.push(zeroFinding(where, '0'));
}

function typeFinding(where: string, expected: string, node: JsonNode): ProtoFinding {
  const found =
    node.kind === 'true' || node.kind === 'false'
      ? 'a boolean'
      : node.kind === 'null'
        ? 'null'
        : `a JSON ${node.kind}`;
  return { rule: 'field-type', message: `${where}: ${found}, expected ${expected}` };
}

function zeroFinding(where: string, what: string): ProtoFinding {
  return { rule: 'zero-value', message: `${where}: ${what} is a zero value, which protojson leaves out` };
}

function join(path: string, key: string): string {
  return path === ''
    ? key
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`;
}
