import { BuildError } from '../../errors.js';
import { clone, hasKey, isWrittenEmpty, isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import {
  findElement,
  isEmptyMap,
  isMissingOrNull,
  keyText,
  nodeKind,
  nodeText,
  setElement,
  setField,
  wrongKind,
} from './nodes.js';
import { MergeSchemaSet, type MergeSchema } from './schema.js';

/**
 * Strategic merge patch as kustomize v5.5.0 applies it (api/filters/patchstrategicmerge, i.e.
 * kyaml's merge2 walker with patch elements prepended), NOT as the Kubernetes API server does:
 *
 * - the schema comes from the built-in kind (Kubernetes v1.21.2) and is looked up again at any
 *   path without one where a map carries apiVersion and kind; lists merge by key only where the
 *   schema says `x-kubernetes-patch-strategy: merge`; every other list is replaced wholesale
 *   (so CRD lists are always replaced);
 * - merged lists start with the patch's elements, then the remaining original ones;
 * - `$patch: delete|replace|merge` work on maps, list elements and lists; the other directives
 *   (`$setElementOrder/…`, `$deleteFromPrimitiveList/…`, `$retainKeys`) are NOT understood and
 *   end up as ordinary fields, exactly as in kustomize;
 * - a null in the patch deletes the field; a null already in the target is kept if written out
 *   (`null`, `~`) and dropped if written as nothing (`key:`);
 * - multi-key lists (ports by containerPort+protocol) follow kyaml's key matching literally,
 *   quirks included.
 */
export function strategicMerge(target: JsonObject, patch: JsonObject, types: MergeSchemaSet = MergeSchemaSet.builtin()): JsonObject | null {
  return strategicMergeConsuming(target, clone(patch), types);
}

/**
 * strategicMerge of a patch the caller gives away (a copy made for this merge): parts of it become
 * parts of the result, and its directives are taken out of it, so it is not copied again.
 */
export function strategicMergeConsuming(target: JsonObject, patch: JsonObject, types: MergeSchemaSet = MergeSchemaSet.builtin()): JsonObject | null {
  const result = walk([clone(target), patch], undefined, types);
  return isObject(result) ? result : null;
}

/** The node being built (dest, seeded from the target) and the patch node at the same path. */
type Sources = [dest: JsonValue | undefined, patch: JsonValue | undefined];

/** The result of visiting a node: its new value, or undefined to remove it. */
type Visited = JsonValue | undefined;

function walk(sources: Sources, schema: MergeSchema | undefined, types: MergeSchemaSet): Visited {
  const s = schema ?? schemaFromSources(sources, types);
  const first = sources.find((n) => !isMissingOrNull(n));
  if (first === undefined) return walkMap(sources, s, types);
  const kind = nodeKind(first);
  for (const n of sources) if (!isMissingOrNull(n) && nodeKind(n) !== kind) throw wrongKind(kind, n);
  if (kind === 'MappingNode') return walkMap(sources, s, types);
  if (kind === 'ScalarNode') return sources[1] !== undefined ? sources[1] : sources[0];
  const keys = s?.mergeKeys();
  if (keys === undefined) return sources[1] !== undefined ? sources[1] : sources[0];
  return walkMergingList(sources, keys, s?.elements(), types);
}

/** kyaml's GetSchema fallback: an embedded object naming a built-in kind brings its schema. */
function schemaFromSources(sources: Sources, types: MergeSchemaSet): MergeSchema | undefined {
  for (const n of sources) {
    if (!isObject(n)) continue;
    const { apiVersion, kind } = n;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) continue;
    const s = types.forType(apiVersion, kind);
    if (s) return s;
  }
  return undefined;
}

function walkMap(sources: Sources, schema: MergeSchema | undefined, types: MergeSchemaSet): Visited {
  const dest = visitMap(sources);
  sources[0] = dest;
  if (dest === undefined) return undefined;
  for (const key of fieldNames(sources)) {
    const fieldSources: Sources = [fieldOf(sources[0], key), fieldOf(sources[1], key)];
    // kyaml drops a field of the target written without a value (`key:`) as if it were absent,
    // and keeps a null written out (`null`, `~`) that the patch does not mention
    if (isWrittenEmpty(dest as JsonObject, key)) fieldSources[0] = undefined;
    else if (fieldSources[0] === null && fieldSources[1] === undefined) continue;
    setField(dest as JsonObject, key, walk(fieldSources, schema?.field(key), types));
  }
  return dest;
}

function visitMap([dest, patch]: Sources): Visited {
  if (isMissingOrNull(dest)) {
    return directiveOf(patch, false) === 'delete' ? undefined : patch;
  }
  if (patch === null) return undefined;
  return applyDirective(directiveOf(patch, true), dest, patch);
}

function applyDirective(d: Directive, dest: JsonValue, patch: JsonValue | undefined): Visited {
  if (d === 'delete') return undefined;
  if (d === 'replace') return patch;
  return dest;
}

function fieldNames(sources: Sources): string[] {
  const names = new Set<string>();
  for (const n of sources) if (isObject(n)) for (const k of Object.keys(n)) names.add(k);
  return [...names];
}

function fieldOf(n: JsonValue | undefined, key: string): JsonValue | undefined {
  return isObject(n) && hasKey(n, key) ? n[key] : undefined;
}

type Directive = 'merge' | 'replace' | 'delete' | 'unknown';
const DIRECTIVE_KEY = '$patch';
const DIRECTIVES = new Set(['merge', 'replace', 'delete']);

/**
 * The `$patch` directive of a patch map or list, removed from the patch once read. An unknown
 * value is an error where kyaml checks it (strict) and is left in place where it does not.
 */
function directiveOf(patch: JsonValue | undefined, strict: boolean): Directive {
  let value: string;
  if (isObject(patch)) {
    if (!hasKey(patch, DIRECTIVE_KEY)) return 'merge';
    value = nodeText(patch[DIRECTIVE_KEY]);
    if (DIRECTIVES.has(value)) delete patch[DIRECTIVE_KEY];
  } else if (Array.isArray(patch)) {
    // only an element holding nothing but the directive speaks for the whole list
    const holder = patch.find((e) => isObject(e) && hasKey(e, DIRECTIVE_KEY));
    if (!isObject(holder) || Object.keys(holder).length > 1) return 'merge';
    value = nodeText(holder[DIRECTIVE_KEY]);
    if (DIRECTIVES.has(value)) setElement(patch, undefined, [DIRECTIVE_KEY], [value]);
  } else {
    return 'merge';
  }
  if (DIRECTIVES.has(value)) return value as Directive;
  if (strict) throw new BuildError(`unknown patch strategy '${value}'`);
  return 'unknown';
}

/** A list whose schema says it merges: elements paired by the merge keys (or by value). */
function walkMergingList(sources: Sources, keys: string[], elementSchema: MergeSchema | undefined, types: MergeSchemaSet): Visited {
  const [dest0, patch] = sources;
  let dest: Visited;
  if (isMissingOrNull(dest0)) dest = patch;
  else if (patch === null) dest = undefined;
  else dest = applyDirective(directiveOf(patch, true), dest0, patch);
  sources[0] = dest;
  if (!Array.isArray(dest)) return dest;

  const values = elementKeyValues(sources, keys);
  if (values.length > 0 || keys.length > 0) return mergeElements(sources, dest, values, keys, elementSchema, types);
  return mergeElements(sources, dest, scalarElementValues(sources), [''], elementSchema, types);
}

/** Patch first, then target: each element's merge-key texts, once per distinct tuple. */
function elementKeyValues(sources: Sources, keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const list of [sources[1], sources[0]]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      const vs = keys.map((k) => keyText(fieldOf(e, k)));
      const id = JSON.stringify(vs);
      if (vs.length === 0 || seen.has(id)) continue;
      seen.add(id);
      out.push(vs);
    }
  }
  return out;
}

/** Patch first, then target: each distinct element text of a list of scalars (e.g. finalizers). */
function scalarElementValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const list of [sources[1], sources[0]]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      const t = nodeText(e);
      if (seen.has(t)) continue;
      seen.add(t);
      out.push([t]);
    }
  }
  return out;
}

function mergeElements(
  sources: Sources,
  dest: JsonValue[],
  valuesList: string[][],
  keys: string[],
  elementSchema: MergeSchema | undefined,
  types: MergeSchemaSet,
): Visited {
  const items: JsonValue[] = [];
  if (keys.length > 1) unifyPartialKeys(valuesList);
  let validKeys = keys;
  for (const values of valuesList) {
    if (values.length === 0) continue;
    let validValues: string[];
    [validKeys, validValues] = keysWithValues(valuesList, values, keys);
    const [findKeys, findValues] = keysWithValues([validValues], validValues, validKeys);
    const val = walk(
      [
        sources[0] === undefined ? undefined : findElement(sources[0], findKeys, findValues),
        sources[1] === undefined ? undefined : findElement(sources[1], findKeys, findValues),
      ],
      elementSchema,
      types,
    );
    if (isMissingOrNull(val) || isEmptyMap(val)) {
      setElement(dest, undefined, validKeys, validValues);
      continue;
    }
    validKeys.forEach((key, i) => {
      if (fieldOf(val, key) === undefined && validValues[i] !== '') setMergeKey(val, key, validValues[i]!);
    });
    setElement(items, val, validKeys, validValues);
  }
  if (valuesList.length === 0) return dest;
  appendElements(items, dest, validKeys);
  return items;
}

/** kyaml's validateKeys: drop the keys no element has a value for (all keys if none has any). */
function keysWithValues(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const present = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && present.add(keys[i]!));
  if (present.size === 0) return [keys, values];
  return [keys.filter((k) => present.has(k)), values.filter((v, i) => v !== '' || present.has(keys[i]!))];
}

/**
 * kyaml's mergeValues: tuples that agree where both have a value (e.g. a port with and without
 * protocol) are unified, in place, in the order kyaml visits them.
 */
function unifyPartialKeys(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const a = valuesList[i]!;
    for (let j = 0; j < valuesList.length; j++) {
      const unified = unify(a, valuesList[j]!);
      if (unified) {
        valuesList[i] = unified;
        valuesList[j] = unified;
      }
    }
  }
}

function unify(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      out.push(a[i]!);
    } else if (a[i] !== '' && b[i] !== '') {
      return undefined;
    } else {
      out.push(a[i] !== '' ? a[i]! : b[i]!);
    }
  }
  return common ? out : undefined;
}

/** kyaml's appendListNode: every target element replaces its match in dst or is appended. */
function appendElements(dst: JsonValue[], src: JsonValue[], keys: string[]): void {
  for (const elem of [...src]) {
    if (keys[0] === '') {
      setElement(dst, elem, [''], [nodeText(elem)]);
      continue;
    }
    const values: string[] = [];
    for (const key of keys) {
      if (!isMissingOrNull(elem) && !isObject(elem)) throw wrongKind('MappingNode', elem);
      if (!isObject(elem) || !hasKey(elem, key)) {
        dst.push(elem);
        continue;
      }
      values.push(nodeText(elem[key]));
    }
    // with several keys kyaml removes the old match first, moving the element to the end
    if (keys.length > 1) setElement(dst, undefined, keys, values);
    setElement(dst, elem, keys, values);
  }
}

/** Sets a merge key kyaml restores on a merged element, as the plain YAML scalar it writes. */
function setMergeKey(val: JsonValue, key: string, text: string): void {
  if (key === '' && nodeKind(val) === 'ScalarNode') return;
  if (!isObject(val)) throw wrongKind('MappingNode', val);
  setField(val, key, plainScalar(text));
}

function plainScalar(text: string): JsonValue {
  if (/^-?(?:0|[1-9][0-9]*)$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}
