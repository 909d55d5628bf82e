/**
 * Message descriptors: the `.proto` facts the protojson writer needs, as data. Fields are listed in *declaration*
 * order (Go's protojson writes `order.IndexNameFieldOrder`, not field-number order), each with its JSON name (the
 * TypeScript property), its number (checked against the `@livekit/protocol` descriptors in the tests) and its kind.
 *
 * Value conventions of the TypeScript model: enums by name (`'ACTIVE'`), int64/uint64 as `bigint` or a safe-integer
 * `number`, bytes as `Uint8Array`, a oneof as `{ case, value }` under the oneof's name (as `@bufbuild/protobuf`
 * does), a proto3 `optional` scalar present when not `undefined`, a message present when not `undefined`.
 */

export type ScalarKind =
  'string' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'double' | 'float' | 'bytes';

export interface EnumDesc {
  /** Full proto name, e.g. `livekit.ParticipantInfo.State`. */
  readonly name: string;
  /** Value names by number; the name at number 0 is the one protojson omits. */
  readonly values: Readonly<Record<number, string>>;
}

interface FieldBase<P extends string> {
  /** The JSON name (lowerCamelCase of the proto name), also the TypeScript property. */
  readonly name: P;
  readonly no: number;
  /** The oneof this field belongs to: the TypeScript property is then the oneof's name, holding `{case, value}`. */
  readonly oneof?: string;
  readonly repeated?: true;
  /** `map<string, string>` (the only map type in the modelled messages). */
  readonly map?: true;
  /** proto3 `optional`: written whenever set, zero included. */
  readonly optional?: true;
}

export interface ScalarField<P extends string = string> extends FieldBase<P> {
  readonly kind: ScalarKind;
}

export interface EnumField<P extends string = string> extends FieldBase<P> {
  readonly kind: 'enum';
  readonly enum: EnumDesc;
}

export interface MessageField<P extends string = string> extends FieldBase<P> {
  readonly kind: 'message';
  /** A thunk, because messages refer to each other (and to themselves through lists). */
  readonly message: () => MessageDesc;
}

export type FieldDesc<P extends string = string> = ScalarField<P> | EnumField<P> | MessageField<P>;

export interface MessageDesc {
  /** Full proto name, e.g. `livekit.Room`. */
  readonly name: string;
  readonly fields: readonly FieldDesc[];
}

/** An int64/uint64 value: a `bigint`, or a `number` that is a safe integer. */
export type Int64 = bigint | number;

/** A oneof value, as `@bufbuild/protobuf` models it. */
export interface OneofCase<C extends string, V> {
  readonly case: C;
  readonly value: V;
}

type Prop<F> = F extends { oneof: infer O extends string }
  ? O
  : F extends { name: infer N extends string }
    ? N
    : never;

/**
 * Declares the descriptor of message type `T`. The type checker refuses a field whose property is not a key of `T`
 * and a key of `T` that no field covers, so the TypeScript model and the table cannot drift apart.
 */
export function defineMessage<T>() {
  return <const F extends readonly FieldDesc<string>[]>(
    name: string,
    fields: F &
      readonly FieldDesc<string>[] &
      (Exclude<keyof T, Prop<F[number]>> extends never
        ? unknown
        : { missing: Exclude<keyof T, Prop<F[number]>> }) &
      (Exclude<Prop<F[number]>, keyof T> extends never
        ? unknown
        : { unknown: Exclude<Prop<F[number]>, keyof T> }),
  ): MessageDesc => ({ name, fields });
}

/** Declares an enum from its value names by number. */
export function defineEnum<const V extends Readonly<Record<number, string>>>(
  name: string,
  values: V,
): EnumDesc & { values: V } {
  return { name, values };
}

/** The union of an enum's value names. */
export type EnumName<E extends { values: Readonly<Record<number, string>> }> = E['values'][keyof E['values']];
