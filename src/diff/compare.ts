import { Resource } from '../engine/resource.js';
import { deepEqual, hasKey, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { INFRASTRUCTURE_GROUP } from '../kubernetes/api-groups.js';
import { templateStem } from '../kubernetes/names.js';
import { resourceKeyOf, type ResourceKey } from '../kubernetes/resource-key.js';
import { entryLabel, filterObject, isSecret, maskSecrets, MASKED, MASKED_CHANGED, type FieldFilter } from './filters.js';
import { entryKeys, NO_SCHEMA, type ListKeys, type SchemaCursor } from './list-keys.js';
import { formatPath } from './path.js';
import type { FieldChange, PathSegment, ResourceChange } from './types.js';

/** What the diff takes: the engine's resources or plain objects as parsed from YAML or JSON. */
export type DiffInput = Resource | JsonObject;

export function objectOf(input: DiffInput): JsonObject {
  return input instanceof Resource ? input.obj : input;
}

export function keyOfObject(obj: JsonObject): ResourceKey {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  return resourceKeyOf({ apiVersion: text(obj.apiVersion), kind: text(obj.kind), name: text(meta.name), namespace: text(meta.namespace) });
}

export function keyText(k: ResourceKey): string {
  return `${k.group}\u0000${k.kind}\u0000${k.namespace}\u0000${k.name}`;
}

export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  return a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

export interface CompareOptions {
  listKeys: ListKeys;
  filter: FieldFilter;
  /**
   * Two different clusters compared (`staging-eu-1` vs `prod-eu-1`): each one's name, where it
   * stands as a word in a string on its side (an object's name, a value), reads as `<cluster>` for
   * matching objects and list entries and for telling whether two strings differ, so the names are
   * no difference. Values are reported as they are.
   */
  names?: { from: string; to: string };
}

const CLUSTER_PLACEHOLDER = '<cluster>';

/** How one side's strings read when they are compared: its cluster's name, as a whole word, as `<cluster>`. */
type SideText = (text: string) => string;

const asIs: SideText = (text) => text;

function placeholderText(name: string): SideText {
  const word = new RegExp(`(?<![A-Za-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g');
  return (text) => (text.includes(name) ? text.replace(word, CLUSTER_PLACEHOLDER) : text);
}

/** Each side's reading of its strings. */
interface Sides {
  from: SideText;
  to: SideText;
}

/** Whether two leaf values are the same, strings as each side reads them. */
function sameLeaf(a: JsonValue, b: JsonValue, sides: Sides): boolean {
  return typeof a === 'string' && typeof b === 'string' ? sides.from(a) === sides.to(b) : deepEqual(a, b);
}

/** kustomize's hash suffix: a dash and ten characters of its consonant-and-digit alphabet. */
const HASH_SUFFIX = /^(.+)-[bcdfghkmt2456789]{10}$/;

/**
 * An object's name without the content hash that renames it when its content changes, or undefined
 * for an object without one: a ConfigMap or Secret generator's hash, or the spec hash `generate`
 * ends a machine template's name with (CAPZ refuses to change an AzureMachineTemplate's spec).
 */
function hashedStem(key: ResourceKey): string | undefined {
  if (key.group === '' && (key.kind === 'ConfigMap' || key.kind === 'Secret')) return HASH_SUFFIX.exec(key.name)?.[1];
  if (key.group === INFRASTRUCTURE_GROUP && key.kind.endsWith('MachineTemplate')) return templateStem(key.name);
  return undefined;
}

/**
 * Compares two sets of rendered resources: objects matched by identity (group, kind, namespace,
 * name), then an object whose content-hashed name changed (a generated ConfigMap or Secret, a
 * machine template) matched to its old self by the name without the hash, then each pair compared
 * field by field.
 */
export function compareResources(from: readonly DiffInput[], to: readonly DiffInput[], options: CompareOptions): { changes: ResourceChange[]; unchanged: number } {
  const sides: Sides = options.names && options.names.from !== options.names.to ? { from: placeholderText(options.names.from), to: placeholderText(options.names.to) } : { from: asIs, to: asIs };
  const keyOn = (obj: JsonObject, text: SideText): ResourceKey => {
    const key = keyOfObject(obj);
    return { ...key, name: text(key.name) };
  };
  const before = new Map<string, { key: ResourceKey; obj: JsonObject }>();
  for (const input of from) {
    const obj = objectOf(input);
    const key = keyOn(obj, sides.from);
    before.set(keyText(key), { key, obj });
  }
  const pairs: { key: ResourceKey; from?: JsonObject; to?: JsonObject; renamedFrom?: string }[] = [];
  const added: { key: ResourceKey; obj: JsonObject }[] = [];
  for (const input of to) {
    const obj = objectOf(input);
    const key = keyOn(obj, sides.to);
    const k = keyText(key);
    const old = before.get(k);
    if (old) {
      before.delete(k);
      pairs.push({ key, from: old.obj, to: obj });
    } else added.push({ key, obj });
  }
  const removedByStem = new Map<string, { key: ResourceKey; obj: JsonObject }[]>();
  for (const old of before.values()) {
    const stem = hashedStem(old.key);
    if (stem !== undefined) {
      const k = keyText({ ...old.key, name: stem });
      removedByStem.set(k, [...(removedByStem.get(k) ?? []), old]);
    }
  }
  for (const a of added) {
    const stem = hashedStem(a.key);
    const candidates = stem === undefined ? undefined : removedByStem.get(keyText({ ...a.key, name: stem }));
    // one old object of the same stem: the same object under its new hash
    if (candidates?.length === 1) {
      const old = candidates.pop()!;
      before.delete(keyText(old.key));
      pairs.push({ key: a.key, from: old.obj, to: a.obj, renamedFrom: old.key.name });
    } else pairs.push({ key: a.key, to: a.obj });
  }
  for (const old of before.values()) pairs.push({ key: old.key, from: old.obj });

  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const pair of pairs) {
    const change = comparePair(pair, options, sides);
    if (change) changes.push(change);
    else unchanged++;
  }
  changes.sort((a, b) => compareKeys(a.key, b.key));
  return { changes, unchanged };
}

function comparePair(pair: { key: ResourceKey; from?: JsonObject; to?: JsonObject; renamedFrom?: string }, options: CompareOptions, sides: Sides): ResourceChange | undefined {
  const sample = (pair.to ?? pair.from)!;
  const cursor = options.listKeys.cursor(String(sample.apiVersion ?? ''), String(sample.kind ?? ''));
  const filtered = (o: JsonObject | undefined): JsonObject | undefined => o && filterObject(o, options.listKeys.cursor(String(o.apiVersion ?? ''), String(o.kind ?? '')), options.filter);
  const [from, to] = maskSecrets(filtered(pair.from), filtered(pair.to), (a, b) => sameLeaf(a, b, sides));
  const secret = isSecret(pair.from) || isSecret(pair.to);
  const out: ResourceChange = { key: pair.key, change: from && to ? 'changed' : from ? 'removed' : 'added', fields: [] };
  if (pair.renamedFrom !== undefined) out.renamedFrom = pair.renamedFrom;
  if (from) out.from = from;
  if (to) out.to = to;
  if (from && to) {
    const fields: FieldChange[] = [];
    compareValue(from, to, cursor, [], fields, sides);
    if (fields.length === 0) return undefined;
    if (secret) for (const f of fields) if (isMaskedValue(f.from) || isMaskedValue(f.to)) f.masked = true;
    out.fields = fields;
  }
  return out;
}

function isMaskedValue(v: JsonValue | undefined): boolean {
  return v === MASKED || v === MASKED_CHANGED;
}

function change(segments: readonly PathSegment[], kind: FieldChange['change'], from?: JsonValue, to?: JsonValue): FieldChange {
  const c: FieldChange = { path: formatPath(segments), segments, change: kind };
  if (from !== undefined) c.from = from;
  if (to !== undefined) c.to = to;
  return c;
}

/** The fields that differ between two values (settings, embedded objects), lists keyed by their entries' names where they have them. */
export function compareValues(a: JsonValue, b: JsonValue): FieldChange[] {
  const out: FieldChange[] = [];
  compareValue(a, b, NO_SCHEMA, [], out, { from: asIs, to: asIs });
  return out;
}

/**
 * Field by field; a list whose entries have a natural key is compared entry by entry by that key,
 * any other list position by position. Strings, and the keys of list entries, are compared as
 * each side reads them (`sides`).
 */
function compareValue(a: JsonValue, b: JsonValue, cursor: SchemaCursor, path: PathSegment[], out: FieldChange[], sides: Sides): void {
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      const at = [...path, { field: k }];
      if (!hasKey(b, k)) out.push(change(at, 'removed', a[k]));
      else compareValue(a[k]!, b[k]!, cursor.field(k), at, out, sides);
    }
    for (const k of Object.keys(b)) if (!hasKey(a, k)) out.push(change([...path, { field: k }], 'added', undefined, b[k]));
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const elements = cursor.elements();
    const keys = entryKeys(cursor, a, b);
    if (keys) {
      const label = (e: JsonValue, text: SideText): string => text(entryLabel(keys, e, 0));
      const inB = new Map(b.map((e) => [label(e, sides.to), e]));
      const inA = new Set<string>();
      for (const e of a) {
        const l = label(e, sides.from);
        inA.add(l);
        const other = inB.get(l);
        const at = [...path, { entry: l }];
        if (other === undefined) out.push(change(at, 'removed', e));
        else compareValue(e, other, elements, at, out, sides);
      }
      for (const e of b) if (!inA.has(label(e, sides.to))) out.push(change([...path, { entry: label(e, sides.to) }], 'added', undefined, e));
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const at = [...path, { entry: String(i) }];
      if (i >= b.length) out.push(change(at, 'removed', a[i]));
      else if (i >= a.length) out.push(change(at, 'added', undefined, b[i]));
      else compareValue(a[i]!, b[i]!, elements, at, out, sides);
    }
    return;
  }
  if (!sameLeaf(a, b, sides)) out.push(change(path, 'changed', a, b));
}
