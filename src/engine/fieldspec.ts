import { BuildError } from '../errors.js';
import { emitDocument } from '../yaml/emit.js';
import { getPath, hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { resIdString, type Gvk } from './resid.js';

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

/** Splits a field path; as kustomize does, one leading `/` is allowed and ignored. */
export function splitFieldPath(path: string): string[] {
  let parts = path.split('/');
  if (parts.length > 1 && parts[0] === '') parts = parts.slice(1);
  const out: string[] = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.endsWith('\\')) out[last] = out[last]!.slice(0, -1) + '/' + part;
    else out.push(part);
  }
  return out;
}

/** gvkSelects with the spec as selector, without making one: every transformer asks it of every object for each of its specs. */
export function fieldSpecMatches(fs: FieldSpec, gvk: Gvk): boolean {
  return (!fs.group || fs.group === gvk.group) && (!fs.version || fs.version === gvk.version) && (!fs.kind || fs.kind === gvk.kind);
}

/** Field spec paths split so far in this process (a few dozen distinct ones, walked for every object). */
const splitPaths = new Map<string, readonly string[]>();

function splitFieldPathOnce(path: string): readonly string[] {
  let parts = splitPaths.get(path);
  if (!parts) splitPaths.set(path, (parts = splitFieldPath(path)));
  return parts;
}

function emptyOf(kind: CreateKind | undefined): JsonValue {
  return kind === 'map' ? {} : kind === 'seq' ? [] : '';
}

/** The YAML node kind kustomize names in its errors for a value. */
export function nodeKindOf(v: JsonValue): 'MappingNode' | 'SequenceNode' | 'ScalarNode' {
  return isObject(v) ? 'MappingNode' : Array.isArray(v) ? 'SequenceNode' : 'ScalarNode';
}

/** kustomize's error for a field whose node kind is not the one a setter needs. */
export function wrongNodeKind(expected: 'MappingNode' | 'SequenceNode' | 'ScalarNode', actual: JsonValue): BuildError {
  return new BuildError(
    `wrong node kind: expected ${expected} but got ${nodeKindOf(actual)}: node contents:\n${emitDocument(actual)}`,
  );
}

/**
 * Calls fn on every field the spec's path reaches in obj, descending into every element of any
 * list on the way. A missing field, or a null one on the way, ends the walk silently, except that:
 * with `create` (and a createKind) missing or null fields are created, maps on the way and
 * createKind at the end; and a null field marked `[]` becomes an empty list, as kustomize re-kinds
 * a null it expects to be a sequence. A null at the end is passed to fn (kustomize's setters differ
 * on it: scalar setters treat it as the text `null`, map setters leave it). A scalar where the path
 * goes on is an error. Errors, including those of fn, name the field spec and the object, as
 * kustomize reports them.
 */
export function visitFieldSpec(
  obj: JsonObject,
  gvk: Gvk,
  fs: FieldSpec,
  fn: (ref: FieldRef) => void,
  createKind?: CreateKind,
): void {
  if (!fieldSpecMatches(fs, gvk)) return;
  const parts = splitFieldPathOnce(fs.path);
  const walk = (ref: FieldRef, i: number): void => {
    if (i === parts.length) {
      fn(ref);
      return;
    }
    const node = ref.value;
    if (Array.isArray(node)) {
      node.forEach((_, j) => walk(elementRef(node, j, ref), i));
      return;
    }
    if (!isObject(node)) throw new BuildError('expected sequence or mapping node');
    const raw = parts[i]!;
    const isSeq = raw.endsWith('[]');
    const key = isSeq ? raw.slice(0, -2) : raw;
    if (key === '') throw new BuildError('cannot set or create an empty field name');
    const creating = fs.create === true && createKind !== undefined && !isSeq;
    const current = hasKey(node, key) ? node[key] : undefined;
    const last = i === parts.length - 1;
    if (current === undefined || current === null) {
      if (current === null && isSeq) setKey(node, key, []);
      else if (creating) setKey(node, key, last ? emptyOf(createKind) : {});
      else if (current === undefined || !last) return;
    }
    walk(memberRef(node, key, ref), i + 1);
  };
  try {
    walk({ value: obj, set: () => undefined, path: [] }, 0);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    throw new BuildError(`considering field '${fs.path}' of object ${objectIdString(obj, gvk)}: ${e.message}`);
  }
}

function objectIdString(obj: JsonObject, gvk: Gvk): string {
  const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
  return resIdString({ ...gvk, name: str(getPath(obj, ['metadata', 'name'])), namespace: str(getPath(obj, ['metadata', 'namespace'])) });
}

/**
 * A FieldRef to a map member, below the field `from` refers to. Its path is made when asked (for
 * an error or a source location): walks visit many fields and ask few.
 */
export function memberRef(parent: JsonObject, key: string, from: Pick<FieldRef, 'path'>): FieldRef {
  return new MemberRef(parent, key, from);
}

/** A FieldRef to a list element, below the field `from` refers to (see memberRef). */
export function elementRef(parent: JsonValue[], i: number, from: Pick<FieldRef, 'path'>): FieldRef {
  return new ElementRef(parent, i, from);
}

class MemberRef implements FieldRef {
  private pathMade: (string | number)[] | undefined;

  constructor(
    private readonly parent: JsonObject,
    private readonly key: string,
    private readonly from: Pick<FieldRef, 'path'>,
  ) {}

  get value(): JsonValue {
    return this.parent[this.key] as JsonValue;
  }

  set(v: JsonValue): void {
    setKey(this.parent, this.key, v);
  }

  get path(): readonly (string | number)[] {
    return (this.pathMade ??= [...this.from.path, this.key]);
  }
}

class ElementRef implements FieldRef {
  private pathMade: (string | number)[] | undefined;

  constructor(
    private readonly parent: JsonValue[],
    private readonly i: number,
    private readonly from: Pick<FieldRef, 'path'>,
  ) {}

  get value(): JsonValue {
    return this.parent[this.i] as JsonValue;
  }

  set(v: JsonValue): void {
    this.parent[this.i] = v;
  }

  get path(): readonly (string | number)[] {
    return (this.pathMade ??= [...this.from.path, this.i]);
  }
}
