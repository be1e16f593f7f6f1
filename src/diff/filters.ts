import { clone, hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { entryKeys, type SchemaCursor } from './list-keys.js';
import { matchesPattern, type FieldPattern } from './path.js';
import type { PathSegment } from './types.js';

/** Which fields the diff leaves out: the noise of every chart bump (unless turned off), and the caller's patterns. */
export interface FieldFilter {
  noise: boolean;
  ignore: readonly FieldPattern[];
}

/** A field every chart bump changes without changing anything that runs: the chart label, and the config checksums charts stamp on pod templates. */
export function isNoise(path: readonly PathSegment[]): boolean {
  const n = path.length;
  if (n < 2) return false;
  const parent = path[n - 2]!;
  const last = path[n - 1]!;
  if (!('field' in parent) || !('field' in last)) return false;
  if (parent.field === 'labels') return last.field === 'helm.sh/chart';
  if (parent.field === 'annotations') return last.field.startsWith('checksum/');
  return false;
}

export function isFiltered(filter: FieldFilter, path: readonly PathSegment[]): boolean {
  return (filter.noise && isNoise(path)) || filter.ignore.some((p) => matchesPattern(p, path));
}

/** The label of a list entry in a path: its key fields (`name=app`), else its index. */
export function entryLabel(keys: readonly string[] | undefined, entry: JsonValue, index: number): string {
  return keys ? keys.map((k) => `${k}=${String((entry as JsonObject)[k])}`).join(',') : String(index);
}

/** A copy of an object without the fields the filter leaves out (always a copy: the report is frozen, the input is not). */
export function filterObject(obj: JsonObject, cursor: SchemaCursor, filter: FieldFilter): JsonObject {
  return filterValue(obj, cursor, [], filter) as JsonObject;
}

function filterValue(value: JsonValue, cursor: SchemaCursor, path: PathSegment[], filter: FieldFilter): JsonValue {
  if (Array.isArray(value)) {
    const keys = entryKeys(cursor, value, value);
    const elements = cursor.elements();
    return value.map((e, i) => filterValue(e, elements, [...path, { entry: entryLabel(keys, e, i) }], filter));
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    const at = [...path, { field: k }];
    if (isFiltered(filter, at)) continue;
    setKey(out, k, filterValue(value[k]!, cursor.field(k), at, filter));
  }
  return out;
}

export const MASKED = '(masked)';
export const MASKED_CHANGED = '(masked, changed)';
const SECRET_FIELDS = ['data', 'stringData'] as const;

export function isSecret(obj: JsonObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && obj.apiVersion === 'v1';
}

/**
 * A Secret's values never leave the diff: each `data`/`stringData` value becomes a marker, the
 * same on both sides where the values are equal and distinct where they differ, so a changed
 * value still shows as changed.
 */
export function maskSecrets(
  from: JsonObject | undefined,
  to: JsonObject | undefined,
  same: (a: JsonValue, b: JsonValue) => boolean = (a, b) => a === b,
): [JsonObject | undefined, JsonObject | undefined] {
  const maskFrom = isSecret(from);
  const maskTo = isSecret(to);
  if (!maskFrom && !maskTo) return [from, to];
  const f = from && maskFrom ? clone(from) : from;
  const t = to && maskTo ? clone(to) : to;
  for (const field of SECRET_FIELDS) {
    const fm = maskFrom && isObject(f?.[field]) ? (f[field] as JsonObject) : undefined;
    const tm = maskTo && isObject(t?.[field]) ? (t[field] as JsonObject) : undefined;
    for (const k of Object.keys(fm ?? {})) {
      const unchanged = tm !== undefined && hasKey(tm, k) && same(fm![k]!, tm[k]!);
      setKey(fm!, k, MASKED);
      if (tm && hasKey(tm, k)) setKey(tm, k, unchanged ? MASKED : MASKED_CHANGED);
    }
    for (const k of Object.keys(tm ?? {})) if (!fm || !hasKey(fm, k)) setKey(tm!, k, MASKED);
  }
  return [f, t];
}
