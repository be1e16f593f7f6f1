import { BuildError } from '../../errors.js';
import { parseBlockSubset } from '../../yaml/block-subset.js';
import { decodeGoYamlV2 } from '../../yaml/go-yaml-v2.js';
import { clone, deepEqual, hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../../json/value.js';
import { unescapePointerToken } from '../../json/pointer.js';

/**
 * RFC 6902 JSON patches as kustomize applies them (api/filters/patchjson6902 on top of
 * evanphx/json-patch v4), including that library's leniencies and error texts:
 * `replace` of a missing object key adds it, `copy` from a missing key copies null, negative
 * array indexes count from the end, a path without a leading slash names a top-level key, and
 * null values read as absent. The patched object comes back through Go's JSON decoding, so
 * every number becomes a float64.
 */

/** One operation as decoded: the raw fields, since evanphx reads each only when it needs it. */
export type JsonPatchOp = Record<string, JsonValue>;

/** Decodes a JSON patch given as JSON (text starting with "[") or YAML; throws what kustomize reports. */
export function parseJson6902(text: string): JsonPatchOp[] {
  if (text === '') throw new BuildError('empty json patch operations');
  let doc: JsonValue;
  if (text[0] === '[') {
    try {
      doc = JSON.parse(text) as JsonValue;
    } catch (e) {
      throw new BuildError((e as Error).message);
    }
  } else {
    // kustomize converts YAML operations to JSON with go-yaml v2
    doc = blockMapping(text) ?? decodeGoYamlV2(text);
  }
  if (doc === null) return [];
  if (!Array.isArray(doc)) throw new BuildError(`json: cannot unmarshal ${goJsonType(doc)} into Go value of type jsonpatch.Patch`);
  return doc.map((op) => {
    if (op !== null && !isObject(op)) {
      throw new BuildError(`json: cannot unmarshal ${goJsonType(op)} into Go value of type jsonpatch.Operation`);
    }
    return op ?? {};
  });
}

/**
 * A text that is one plain block mapping (every strategic-merge patch is tried as a JSON patch
 * first, as kustomize does) is no list of operations in any YAML version: saying so needs no
 * full reader, which would take longer to load than a small build takes to run.
 */
function blockMapping(text: string): JsonObject | undefined {
  const docs = parseBlockSubset(text);
  const value = docs?.length === 1 ? docs[0]!.value : undefined;
  return isObject(value) ? value : undefined;
}

function goJsonType(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'bigint' ? 'number' : typeof v;
}

/** Applies decoded operations to a copy of obj. */
export function applyJson6902(obj: JsonObject, ops: readonly JsonPatchOp[]): JsonObject {
  const root: { doc: JsonValue } = { doc: clone(obj) };
  for (const op of ops) applyOp(root, op);
  if (!isObject(root.doc)) {
    throw new BuildError(`json: cannot unmarshal ${goJsonType(root.doc)} into Go value of type map[string]interface {}`);
  }
  return toFloat64(root.doc) as JsonObject;
}

function toFloat64(v: JsonValue): JsonValue {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toFloat64);
  if (isObject(v)) {
    for (const k of Object.keys(v)) setKey(v, k, toFloat64(v[k]!));
  }
  return v;
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function stringField(op: JsonPatchOp, field: 'op' | 'path' | 'from'): string | undefined {
  if (!hasKey(op, field)) return undefined;
  const v = op[field]!;
  if (v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

function kindOf(op: JsonPatchOp): string {
  return stringField(op, 'op') ?? 'unknown';
}

function pathOf(op: JsonPatchOp, field: 'path' | 'from', what: string, wrapWithMissing: boolean): string {
  const p = stringField(op, field);
  if (p !== undefined) return p;
  if (!hasKey(op, field)) {
    const inner = `operation missing ${field} field: ${MISSING}`;
    throw new BuildError(wrapWithMissing ? `${what}: ${MISSING}` : `${what}: ${inner}`);
  }
  throw new BuildError(`${what}: json: cannot unmarshal ${goJsonType(op[field]!)} into Go value of type string`);
}

/** The value to write: JSON null when the operation has none. */
function valueOf(op: JsonPatchOp): JsonValue {
  return hasKey(op, 'value') ? clone(op.value!) : null;
}

interface Container {
  get(key: string): JsonValue | undefined;
  set(key: string, v: JsonValue): void;
  add(key: string, v: JsonValue): void;
  remove(key: string): void;
}

function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function container(v: JsonValue): Container | undefined {
  if (isObject(v)) {
    return {
      get: (k) => (hasKey(v, k) ? v[k] : undefined),
      set: (k, x) => setKey(v, k, x),
      add: (k, x) => setKey(v, k, x),
      remove: (k) => {
        if (!hasKey(v, k)) throw new Error(`Unable to remove nonexistent key: ${k}: ${MISSING}`);
        delete v[k];
      },
    };
  }
  if (Array.isArray(v)) {
    const index = (key: string, len: number): number => {
      let i = atoi(key);
      if (i < 0) {
        if (i < -len) throw new Error(`Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
        i += len;
      }
      return i;
    };
    return {
      get: (k) => {
        const i = index(k, v.length);
        if (i >= v.length) throw new Error(`Unable to access invalid index: ${atoi(k)}: ${INVALID_INDEX}`);
        return v[i];
      },
      set: (k, x) => {
        v[index(k, v.length)] = x;
      },
      add: (k, x) => {
        if (k === '-') {
          v.push(x);
          return;
        }
        let i: number;
        try {
          i = atoi(k);
        } catch (e) {
          throw new Error(`value was not a proper array index: '${k}': ${(e as Error).message}`);
        }
        if (i >= v.length + 1) throw new Error(`Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
        if (i < 0) {
          if (i < -(v.length + 1)) throw new Error(`Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
          i += v.length + 1;
        }
        v.splice(i, 0, x);
      },
      remove: (k) => {
        const n = atoi(k);
        if (n >= v.length) throw new Error(`Unable to access invalid index: ${n}: ${INVALID_INDEX}`);
        v.splice(index(k, v.length), 1);
      },
    };
  }
  return undefined;
}

/** evanphx findObject: the container holding the path's last segment, or undefined. */
function findObject(doc: JsonValue, path: string): { con: Container; key: string } | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  let cur: JsonValue = doc;
  for (const part of parts.slice(1, -1)) {
    const c = container(cur);
    let next: JsonValue | undefined;
    try {
      next = c?.get(unescapePointerToken(part));
    } catch {
      return undefined;
    }
    // evanphx reads JSON null as an absent node
    if (next === undefined || next === null || (!isObject(next) && !Array.isArray(next))) return undefined;
    cur = next;
  }
  const con = container(cur);
  return con && { con, key: unescapePointerToken(parts[parts.length - 1]!) };
}

function wrap(e: unknown, prefix: string): BuildError {
  return new BuildError(`${prefix}: ${(e as Error).message}`);
}

function applyOp(root: { doc: JsonValue }, op: JsonPatchOp): void {
  const kind = kindOf(op);
  switch (kind) {
    case 'add': {
      const path = pathOf(op, 'path', 'add operation failed to decode path', true);
      const t = findObject(root.doc, path);
      if (!t) throw new BuildError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        t.con.add(t.key, valueOf(op));
      } catch (e) {
        throw wrap(e, `error in add for path: '${path}'`);
      }
      return;
    }
    case 'remove': {
      const path = pathOf(op, 'path', 'remove operation failed to decode path', false);
      const t = findObject(root.doc, path);
      if (!t) throw new BuildError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        t.con.remove(t.key);
      } catch (e) {
        throw wrap(e, `error in remove for path: '${path}'`);
      }
      return;
    }
    case 'replace': {
      const path = pathOf(op, 'path', 'replace operation failed to decode path', false);
      if (path === '') {
        const v = valueOf(op);
        if (!isObject(v) && !Array.isArray(v)) throw new BuildError('replace operation value must be object or array');
        root.doc = v;
        return;
      }
      const t = findObject(root.doc, path);
      if (!t) throw new BuildError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      try {
        t.con.get(t.key);
      } catch {
        throw new BuildError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      }
      t.con.set(t.key, valueOf(op));
      return;
    }
    case 'move': {
      const from = pathOf(op, 'from', 'move operation failed to decode from', false);
      const src = findObject(root.doc, from);
      if (!src) throw new BuildError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: JsonValue | undefined;
      try {
        val = src.con.get(src.key);
        src.con.remove(src.key);
      } catch (e) {
        throw wrap(e, `error in move for path: '${src.key}'`);
      }
      const path = pathOf(op, 'path', 'move operation failed to decode path', false);
      const dst = findObject(root.doc, path);
      if (!dst) throw new BuildError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        dst.con.add(dst.key, val ?? null);
      } catch (e) {
        throw wrap(e, `error in move for path: '${path}'`);
      }
      return;
    }
    case 'copy': {
      const from = pathOf(op, 'from', 'copy operation failed to decode from', false);
      const src = findObject(root.doc, from);
      if (!src) throw new BuildError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: JsonValue | undefined;
      try {
        val = src.con.get(src.key);
      } catch (e) {
        throw wrap(e, `error in copy for from: '${from}'`);
      }
      const path = pathOf(op, 'path', 'copy operation failed to decode path', true);
      const dst = findObject(root.doc, path);
      if (!dst) throw new BuildError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        dst.con.add(dst.key, clone(val ?? null));
      } catch (e) {
        throw wrap(e, 'error while adding value during copy');
      }
      return;
    }
    case 'test': {
      const path = pathOf(op, 'path', 'test operation failed to decode path', false);
      const failed = new BuildError(`testing value ${path} failed: test failed`);
      if (path === '') {
        if (!deepEqual(root.doc, valueOf(op))) throw failed;
        return;
      }
      const t = findObject(root.doc, path);
      if (!t) throw new BuildError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      let val: JsonValue | undefined;
      try {
        val = t.con.get(t.key);
      } catch (e) {
        throw wrap(e, `error in test for path: '${path}'`);
      }
      if (val === undefined || val === null) {
        if (valueOf(op) === null) return;
        throw failed;
      }
      if (!deepEqual(val, valueOf(op))) throw failed;
      return;
    }
    default:
      throw new BuildError(`Unexpected kind: ${kind}`);
  }
}
