import type { GroupKind } from '../../kubernetes/resource-key.js';
import { FLUX_HELM_GROUP, FLUX_KUSTOMIZE_GROUP } from '../../kubernetes/api-groups.js';
import { isObject, type JsonObject } from '../../json/value.js';
import { parseApiVersion } from '../../kubernetes/resource-key.js';
import { fieldPath, joinPointer, valueAt } from '../../json/pointer.js';
import { holdsVariable } from '../template-vars.js';
import { isOneOf, type IndexedResource, type ResourceIndex } from './resource-index.js';
import type { RuleFinding } from './rule.js';

/** A reference from one object to another, read from a field of the first. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace: string;
  /** '' when the reference does not say; then any group matches. */
  group: string;
  /** Pointer of the reference field in the referring object. */
  path: string;
}

/**
 * Reads a reference object (`{kind, name}` plus optional `apiVersion`, `apiGroup`, `namespace`)
 * at a pointer. Defaults fill what the field's API implies; the namespace defaults to the
 * referring object's unless `sameNamespace` forces it. Absent, incomplete or templated
 * references are not checked.
 */
export function readRef(
  r: IndexedResource,
  path: string,
  defaults: { kind?: string; group?: string; sameNamespace?: boolean } = {},
): ObjectRef | undefined {
  const ref = valueAt(r.resource.obj, path);
  if (!isObject(ref)) return undefined;
  const kind = typeof ref.kind === 'string' ? ref.kind : defaults.kind;
  const name = ref.name;
  if (typeof name !== 'string' || !name || !kind || holdsVariable(name) || holdsVariable(kind)) return undefined;
  let group = defaults.group ?? '';
  if (typeof ref.apiGroup === 'string') group = ref.apiGroup;
  else if (typeof ref.apiVersion === 'string') group = parseApiVersion(ref.apiVersion).group;
  if (holdsVariable(group)) group = '';
  const namespace = !defaults.sameNamespace && typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : r.namespace;
  if (holdsVariable(namespace)) return undefined;
  return { kind, name, namespace, group, path };
}

/** Adds a finding to `out` when the reference names nothing in the set. */
export function reportMissingTarget(out: RuleFinding[], r: IndexedResource, ref: ObjectRef | undefined, index: ResourceIndex): void {
  if (!ref || index.present(ref)) return;
  const kind = ref.group ? `${ref.kind}.${ref.group}` : ref.kind;
  out.push({
    resource: r.resource,
    path: ref.path,
    message: `${fieldPath(ref.path)} names ${kind} "${ref.name}" in namespace "${ref.namespace}", which is not among the rendered objects`,
  });
}

/** A reference written as a bare name (`clusterName: foo`) to an object of a known kind in the same namespace. */
export function readNameRef(r: IndexedResource, path: string, target: GroupKind): ObjectRef | undefined {
  const name = valueAt(r.resource.obj, path);
  if (typeof name !== 'string' || !name || holdsVariable(name)) return undefined;
  return { ...target, name, namespace: r.namespace, path };
}

/** Where each kind keeps references to other objects; Cluster API requires them in the same namespace. */
export interface RefFields {
  kinds: GroupKind[];
  /** Pointers of reference objects; `*` stands for every index of a list. */
  paths: string[];
}

function expandStars(obj: JsonObject, path: string): string[] {
  const star = path.indexOf('/*');
  if (star < 0) return [path];
  const list = valueAt(obj, path.slice(0, star));
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, i) => expandStars(obj, joinPointer(path.slice(0, star), i) + path.slice(star + 2)));
}

/** Checks the reference fields of every served Cluster API version (v1beta1 `ref`, v1beta2 `templateRef`). */
export function checkRefs(index: ResourceIndex, fields: readonly RefFields[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const r of index.ofKinds(fields.flatMap((f) => f.kinds))) {
    for (const f of fields) {
      if (!isOneOf(r, f.kinds)) continue;
      for (const path of f.paths) {
        for (const p of expandStars(r.resource.obj, path)) reportMissingTarget(out, r, readRef(r, p, { sameNamespace: true }), index);
      }
    }
  }
  return out;
}

/** Flux objects that wait for others of their own kind. */
export const FLUX_DEPENDENT_KINDS: GroupKind[] = [
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization' },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease' },
];

/** The dependsOn entries of a Kustomization or HelmRelease: objects of its own kind. */
export function dependsOn(r: IndexedResource): ObjectRef[] {
  const refs: ObjectRef[] = [];
  const list = isOneOf(r, FLUX_DEPENDENT_KINDS) ? valueAt(r.resource.obj, '/spec/dependsOn') : undefined;
  if (!Array.isArray(list)) return refs;
  for (let i = 0; i < list.length; i++) {
    const ref = readRef(r, joinPointer('/spec/dependsOn', i), { group: r.group, kind: r.kind });
    if (ref) refs.push(ref);
  }
  return refs;
}
