/**
 * The value model every part of the engine works on: the JSON data model, because
 * kustomize's output is a JSON round trip of each resource. Integers beyond 2^53 are
 * bigints so they survive unchanged, as they do in Go's int64/uint64.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets a key without invoking the `__proto__` setter, so any YAML key is stored as data. */
export function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export function hasKey(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Whether JSON.parse(JSON.stringify(value)) gives the same value back (no big integers, NaN, infinities, -0 or undefined). */
export function jsonExact(value: JsonValue | undefined): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      // loops, not every over Object.values: the build store asks this of every object a build gives
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i])) return false;
        return true;
      }
      for (const key of Object.keys(value)) if (!jsonExact(value[key])) return false;
      return true;
    }
    default:
      return false; // undefined, a bigint
  }
}

export function clone<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((e) => clone(e)) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setKey(out, k, clone(v[k]!));
    const written = (v as WithEmptyNulls)[EMPTY_NULLS];
    if (written) Object.defineProperty(out, EMPTY_NULLS, { value: written });
    return out as T;
  }
  return v;
}

/**
 * The keys of a map written without a value (`key:`, or `{key: }` which reads as empty text):
 * kyaml's merge drops them, while it keeps a `null` or `~` written out. Not an enumerable key;
 * clone carries it.
 */
const EMPTY_NULLS: unique symbol = Symbol('keys written without a value');
type WithEmptyNulls = JsonObject & { [EMPTY_NULLS]?: Set<string> };

/** Records that `obj[key]` was written without a value. */
export function markWrittenEmpty(obj: JsonObject, key: string): void {
  const o = obj as WithEmptyNulls;
  if (!o[EMPTY_NULLS]) Object.defineProperty(o, EMPTY_NULLS, { value: new Set<string>() });
  o[EMPTY_NULLS]!.add(key);
}

/** `obj[key]` still holds what was read where no value was written. */
export function isWrittenEmpty(obj: JsonObject, key: string): boolean {
  const v = obj[key];
  return (v === null || v === '') && (obj as WithEmptyNulls)[EMPTY_NULLS]?.has(key) === true;
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && BigInt(a as never) === BigInt(b as never);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((e, i) => deepEqual(e, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasKey(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Go's sort order for strings: by UTF-8 bytes, which differs from JS's UTF-16 order above U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function getPath(obj: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of path) {
    if (!isObject(cur) || !hasKey(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Reads a string-to-string map such as metadata.labels; non-string values are skipped. */
export function getStringMap(obj: JsonValue | undefined, path: readonly string[]): Record<string, string> {
  const m = getPath(obj, path);
  const out: Record<string, string> = {};
  if (isObject(m)) for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A value as a finding's `actual`: its JSON, shortened; objects and lists by their kind. */
export function describeValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isObject(value)) return 'an object';
  if (value === null) return 'null';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const kind = typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'boolean' : Number.isInteger(Number(value)) ? 'integer' : 'number';
  return `${kind} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}
