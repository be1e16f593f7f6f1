import { BuildError } from '../errors.js';
import { hasKey, isObject, type JsonObject, type JsonValue } from './json.js';
import { gvkSelects, type Gvk } from './resid.js';

/** kustomize's FieldSpec: which kinds (empty = any) and which path a transformer touches. */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  /** `/`-separated; `\/` escapes a slash inside a key; a `[]` suffix marks a list. */
  path: string;
  create?: boolean;
}

/** A located field: read its value, or replace it in its parent. */
export interface FieldRef {
  readonly value: JsonValue;
  set(v: JsonValue): void;
  /** Keys and indexes from the object root, for error messages and source mapping. */
  readonly path: readonly (string | number)[];
}

/** What to create at the end of the path when `create` is set and the field is missing. */
export type CreateKind = 'map' | 'seq' | 'scalar';

export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.endsWith('\\')) out[last] = out[last]!.slice(0, -1) + '/' + part;
    else out.push(part);
  }
  return out;
}

export function fieldSpecMatches(fs: FieldSpec, gvk: Gvk): boolean {
  return gvkSelects({ group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' }, gvk);
}

function emptyOf(kind: CreateKind | undefined): JsonValue {
  return kind === 'map' ? {} : kind === 'seq' ? [] : '';
}

/**
 * Calls fn on every field the spec's path reaches in obj, descending into every element of any
 * list on the way. With `create` (and a createKind), missing fields are created: maps on the way,
 * createKind at the end. Missing fields otherwise end the walk silently.
 */
export function visitFieldSpec(
  obj: JsonObject,
  gvk: Gvk,
  fs: FieldSpec,
  fn: (ref: FieldRef) => void,
  createKind?: CreateKind,
): void {
  if (!fieldSpecMatches(fs, gvk)) return;
  const parts = splitFieldPath(fs.path);
  const walk = (ref: FieldRef, i: number): void => {
    if (i === parts.length) {
      fn(ref);
      return;
    }
    const node = ref.value;
    if (Array.isArray(node)) {
      node.forEach((_, j) => walk(elementRef(node, j, ref.path), i));
      return;
    }
    if (!isObject(node)) {
      throw new BuildError(`obj at path '${fs.path}': expected sequence or mapping node`);
    }
    const raw = parts[i]!;
    const isSeq = raw.endsWith('[]');
    const key = isSeq ? raw.slice(0, -2) : raw;
    const creating = fs.create === true && createKind !== undefined && !isSeq;
    if (!hasKey(node, key) || node[key] === undefined) {
      if (!creating) return;
      node[key] = i === parts.length - 1 ? emptyOf(createKind) : {};
    } else if (node[key] === null) {
      // kustomize turns a null it walks through into the kind it expects there
      if (isSeq) node[key] = [];
      else if (creating) node[key] = i === parts.length - 1 ? emptyOf(createKind) : {};
    }
    walk(memberRef(node, key, ref.path), i + 1);
  };
  walk({ value: obj, set: () => undefined, path: [] }, 0);
}

function memberRef(parent: JsonObject, key: string, base: readonly (string | number)[]): FieldRef {
  return {
    get value() {
      return parent[key] as JsonValue;
    },
    set(v) {
      parent[key] = v;
    },
    path: [...base, key],
  };
}

function elementRef(parent: JsonValue[], i: number, base: readonly (string | number)[]): FieldRef {
  return {
    get value() {
      return parent[i] as JsonValue;
    },
    set(v) {
      parent[i] = v;
    },
    path: [...base, i],
  };
}
