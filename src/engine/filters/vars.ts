import { BuildError } from '../../errors.js';
import { formatGoFloatG } from '../../yaml/numbers.js';
import { lookupPath } from '../fieldpath.js';
import { visitFieldSpec, type FieldSpec } from '../fieldspec.js';
import { isObject, setKey, type JsonValue } from '../../json/value.js';
import { gvkEquals, gvkString, isClusterScoped, type Gvk, type ResId } from '../resid.js';
import { parseApiVersion } from '../../kubernetes/resource-key.js';
import type { ResMap } from '../resmap.js';
import { checkFreshNodesReadableBack } from '../resources.js';
import type { Var } from '../types.js';

/*
 * kustomize's deprecated `vars`: each kustomization's vars name a field of one of the resources
 * it has accumulated (found by original id); at the very end of the build, `$(NAME)` in the
 * varReference fields of every resource is replaced by that field's final value.
 */

/** The vars of a build so far, by name (names are unique across the whole build). */
export type VarSet = Map<string, Var>;

const DEFAULT_FIELD_PATH = 'metadata.name';

/** The var's object's gvk: apiVersion, when set, overrides group and version. */
function objrefGvk(v: Var): Gvk {
  const o = v.objref;
  const gvk = { group: o.group ?? '', version: o.version ?? '', kind: o.kind ?? '' };
  if (!o.apiVersion) return gvk;
  const parts = o.apiVersion.split('/');
  if (parts.length > 2) return gvk;
  return { ...gvk, ...parseApiVersion(o.apiVersion) };
}

/** Go's %v of a kustomize Var: `{NAME Kind.version.group {fieldPath}}`. */
function varString(name: string, gvk: Gvk, fieldPath: string): string {
  return `{${name} ${gvkString(gvk)} {${fieldPath}}}`;
}

function fieldPathOf(v: Var): string {
  return v.fieldref?.fieldPath || DEFAULT_FIELD_PATH;
}

/** kustomize's namespace equality for var targets: "" and "default" are the same. */
function sameNamespace(a: string, b: string): boolean {
  const norm = (ns: string) => (ns === '' ? 'default' : ns);
  return norm(a) === norm(b);
}

/**
 * kustomize's ResAccumulator.MergeVars, for the `vars:` of one kustomization after its own
 * transformers ran: each var marks the one resource whose original id it names (any namespace
 * when the var has none and the kind is namespaced), then joins the set; a name already in the
 * set is an error.
 */
export function mergeVars(set: VarSet, incoming: readonly Var[], resources: ResMap): void {
  try {
    for (const v of incoming) {
      const gvk = objrefGvk(v);
      const target: ResId = { ...gvk, name: v.objref.name ?? '', namespace: v.objref.namespace ?? '' };
      const anyNamespace = target.namespace === '' && !isClusterScoped(gvk);
      const matched = resources.resources().filter((r) => {
        const org = r.orgId();
        return gvkEquals(org, target) && org.name === target.name && (anyNamespace || sameNamespace(org.namespace, target.namespace));
      });
      if (matched.length > 1) {
        throw new BuildError(
          `found ${matched.length} resId matches for var ${varString(v.name, gvk, v.fieldref?.fieldPath ?? '')} (unable to disambiguate)`,
        );
      }
      matched[0]?.state.refVarNames.push(v.name);
    }
    for (const v of incoming) addVar(set, v);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    const listed = incoming.map((v) => varString(v.name, { group: v.objref.group ?? '', version: v.objref.version ?? '', kind: v.objref.kind ?? '' }, v.fieldref?.fieldPath ?? ''));
    throw new BuildError(`merging vars [${listed.join(' ')}]: ${e.message}`);
  }
}

/** kustomize's VarSet.MergeSet: the vars of a base or component join the including set. */
export function mergeVarSets(into: VarSet, from: VarSet): void {
  for (const v of from.values()) addVar(into, v);
}

function addVar(set: VarSet, v: Var): void {
  if (set.has(v.name)) throw new BuildError(`var '${v.name}' already encountered`);
  set.set(v.name, v);
}

/** What a var stands for: a scalar keeps its type where `$(NAME)` is a whole field. */
type VarValue = string | number | bigint | boolean;

/**
 * kustomize's ResAccumulator.ResolveVars: every var's value from the resource it marked, then
 * `$(NAME)` replaced in the varReference fields of all resources. Returns the names of vars that
 * were never used (kustomize only logs them).
 */
export function resolveVars(resources: ResMap, vars: VarSet, varReference: readonly FieldSpec[]): string[] {
  const names = [...vars.keys()].sort();
  if (names.length === 0) return [];
  const values = new Map<string, VarValue | undefined>();
  for (const name of names) values.set(name, varValue(resources, vars.get(name)!));
  const used = new Set<string>();
  const mapping = (name: string): VarValue | undefined => {
    const v = values.get(name);
    if (v !== undefined) used.add(name);
    return v;
  };
  for (const r of resources) {
    for (const fs of varReference) {
      visitFieldSpec(r.obj, r.gvk, fs, (ref) => {
        const node = ref.value;
        // kustomize writes a scalar or map entry back as a fresh node, which it must be able to print
        // and read back (list items keep theirs)
        if (typeof node === 'string') ref.set(checkFreshNodesReadableBack(expandVars(node, mapping)));
        else if (isObject(node)) {
          for (const [k, v] of Object.entries(node)) if (typeof v === 'string') setKey(node, k, checkFreshNodesReadableBack(expandVars(v, mapping)));
        } else if (Array.isArray(node)) {
          node.forEach((item, i) => {
            if (typeof item !== 'string') throw new BuildError('invalid value type expect a string');
            node[i] = expandVars(item, mapping);
          });
        }
      });
    }
  }
  return names.filter((n) => !used.has(n));
}

/**
 * The value of a var from the first resource it marked. Maps and lists are no value kustomize can
 * substitute (undefined: references to them stay as written); null reads as its text.
 */
function varValue(resources: ResMap, v: Var): VarValue | undefined {
  const gvk = objrefGvk(v);
  const fieldPath = fieldPathOf(v);
  const described = varString(v.name, gvk, fieldPath);
  const owner = resources.resources().find((r) => r.state.refVarNames.includes(v.name));
  if (!owner) throw new BuildError(`var '${described}' cannot be mapped to a field in the set of known resources`);
  let found: JsonValue | undefined;
  try {
    found = lookupPath(owner.obj, splitVarFieldPath(fieldPath));
  } catch {
    found = undefined;
  }
  if (found === undefined) throw new BuildError(`field specified in var '${described}' not found in corresponding resource`);
  if (found === null) return 'null';
  if (isObject(found) || Array.isArray(found)) return undefined;
  return found;
}

/** kyaml's GetFieldValue path: split on every dot, `name[3]` meaning `name` then `3`. */
function splitVarFieldPath(path: string): string[] {
  return path.split('.').flatMap((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    if (!m) return [part];
    return m[1] ? [m[1], m[2]!] : [m[2]!];
  });
}

/** Go's %v of a var value inside a longer string. */
function varText(v: VarValue): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return formatGoFloatG(v);
  return String(v);
}

/**
 * Kubernetes' `$(VAR)` expansion as kustomize uses it: `$$` is a literal `$`, unknown names and
 * unterminated references stay as written, and a field that is exactly one reference takes the
 * var's value with its type (a number stays a number).
 */
export function expandVars(input: string, mapping: (name: string) => VarValue | undefined): JsonValue {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) out += '$(';
      else {
        const name = rest.slice(1, close);
        const value = mapping(name);
        if (input === `$(${name})`) return value ?? input;
        out += value === undefined ? `$(${name})` : varText(value);
        advance = close + 1;
      }
    } else {
      out += '$' + rest[0];
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
