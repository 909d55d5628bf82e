/**
 * The independent oracle: the real `@livekit/protocol` messages (protobuf-es). A body must parse strictly, and its
 * re-serialization, put back in the declaration order the generated descriptors list, must equal the body.
 */
import { WebhookEvent } from '@livekit/protocol';

/** The parts of a protobuf-es v1 field descriptor the tests read. */
export interface EsField {
  readonly no: number;
  readonly name: string;
  readonly jsonName: string;
  readonly kind: 'scalar' | 'enum' | 'message' | 'map';
  readonly T: unknown;
  readonly repeated: boolean;
  readonly opt: boolean;
  readonly oneof?: { readonly localName: string };
  readonly V?: { readonly kind: string; readonly T: unknown };
}
export interface EsType {
  readonly typeName: string;
  readonly fields: { list(): readonly EsField[] };
}
interface EsEnum {
  readonly typeName: string;
}

export const ES_WEBHOOK_EVENT = WebhookEvent as unknown as EsType;

export function enumTypeName(field: EsField): string {
  return (field.T as EsEnum).typeName;
}

/** Parses like a strict consumer: unknown fields are an error. */
export function parseStrict(json: string): InstanceType<typeof WebhookEvent> {
  return WebhookEvent.fromJsonString(json, { ignoreUnknownFields: false });
}

/** protobuf-es's JSON of a parsed body, keys put back in the `.proto` declaration order, as one line. */
export function reserialize(json: string): string {
  const message = parseStrict(json);
  return JSON.stringify(reorder(ES_WEBHOOK_EVENT, message.toJson()));
}

/**
 * A real `@livekit/protocol` WebhookEvent as livekit-server's protojson writes it: protobuf-es's JSON with its keys
 * put back in declaration order, compact (or with `detrand`'s space after every comma).
 */
export function declarationOrderJson(
  message: InstanceType<typeof WebhookEvent>,
  spaceAfterComma = false,
): string {
  const compact = JSON.stringify(reorder(ES_WEBHOOK_EVENT, message.toJson()));
  return spaceAfterComma ? addStructuralSpaces(compact) : compact;
}

function addStructuralSpaces(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += json[++i]!;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',') out += ' ';
  }
  return out;
}

function reorder(type: EsType, json: unknown): unknown {
  const obj = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of type.fields.list()) {
    if (!(f.jsonName in obj)) continue;
    const v = obj[f.jsonName];
    if (f.kind === 'message') {
      const t = f.T as EsType;
      out[f.jsonName] = f.repeated ? (v as unknown[]).map((x) => reorder(t, x)) : reorder(t, v);
    } else {
      out[f.jsonName] = v;
    }
  }
  const extra = Object.keys(obj).filter((k) => !(k in out));
  if (extra.length > 0) throw new Error(`${type.typeName}: keys not in the descriptor: ${extra.join(', ')}`);
  return out;
}

/** Every message type reachable from WebhookEvent, by full name. */
export function esTypes(): Map<string, EsType> {
  const found = new Map<string, EsType>();
  const visit = (t: EsType): void => {
    if (found.has(t.typeName)) return;
    found.set(t.typeName, t);
    for (const f of t.fields.list()) {
      if (f.kind === 'message') visit(f.T as EsType);
      if (f.kind === 'map' && f.V?.kind === 'message') visit(f.V.T as EsType);
    }
  };
  visit(ES_WEBHOOK_EVENT);
  return found;
}

/**
 * Removes the space the `detrand` variant puts after structural commas, leaving commas inside strings alone: the
 * spaced body must equal the compact one once normalized.
 */
export function stripStructuralSpaces(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += json[++i]!;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',') {
      if (json[i + 1] !== ' ') throw new Error(`no space after the comma at ${i}`);
      i++;
    }
  }
  return out;
}
