import { isObject } from '../../json/value.js';
import { parseApiVersion } from '../../engine/resid.js';
import { fieldPath, valueAt } from '../../json/pointer.js';
import { holdsVariable } from '../template-vars.js';
import type { GroupKind, IndexedResource, ResourceIndex } from './resource-index.js';
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
  if (!ref || index.find(ref)) return;
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
