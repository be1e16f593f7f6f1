import { formatNumber } from '../../yaml/numbers.js';
import { isObject, type JsonValue } from '../../json/value.js';
import type { Resource } from '../resource.js';

/**
 * kustomize rewrites every resource's annotations as strings when it strips its build
 * annotations at the end: `a: 1` prints as `a: "1"`, `b: null` as `b: "null"`, and an empty
 * `annotations: {}` disappears. Labels are left as they are.
 */
export function stringifyAnnotations(resources: readonly Resource[]): void {
  for (const r of resources) {
    const metadata = r.obj.metadata;
    if (!isObject(metadata) || !isObject(metadata.annotations)) continue;
    const annotations = metadata.annotations;
    if (Object.keys(annotations).length === 0) {
      delete metadata.annotations;
      continue;
    }
    for (const [k, v] of Object.entries(annotations)) if (typeof v !== 'string') annotations[k] = scalarText(v);
  }
}

function scalarText(v: JsonValue): string {
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(v);
  if (v === null || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
