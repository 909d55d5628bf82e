/**
 * A deep copy of a world: every record, list, map and scheduled item, with shared references and cycles kept (a
 * connection that points at its session points at the copied session). A world holds data only — no closures — so
 * this is all it takes to fork a simulation and run both copies on (the property "clone at any step, continue both,
 * same bytes" is tested). Objects that hold state they cannot expose as data (a random stream's generator) implement
 * `[CLONE]`.
 */

/** Implemented by objects that copy themselves (their state is not plain fields). */
export const CLONE: unique symbol = Symbol('ovsim.clone');

export interface SelfCloning {
  [CLONE](): unknown;
}

/** Copies `value` deeply; throws on a function, which has no place in a world. */
export function cloneGraph<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'function') throw new TypeError('a world holds data only: found a function');
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (CLONE in value) {
    const own = (value as SelfCloning)[CLONE]();
    seen.set(value, own);
    return own;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], seen);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen));
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const out = (value as unknown as { slice(): unknown }).slice();
    seen.set(value, out);
    return out;
  }
  // A plain record or a class instance of plain fields: same prototype, every own field copied.
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<PropertyKey, unknown>;
  seen.set(value, out);
  for (const key of Reflect.ownKeys(value)) {
    out[key] = copy((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return out;
}
