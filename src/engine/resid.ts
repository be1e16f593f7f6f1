import { isClusterScopedKind } from './openapi.js';

/** Group, version and kind of a resource; empty strings mean "unset" (and match anything in selectors). */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** Identity of a resource inside one build: gvk, name and namespace ("" when unset). */
export interface ResId extends Gvk {
  name: string;
  namespace: string;
}

export const DEFAULT_NAMESPACE = 'default';
const CLUSTER_SCOPE = '_non_namespaceable_';

export function isClusterScoped(gvk: Gvk): boolean {
  return isClusterScopedKind(gvk);
}

/** The namespace used for equality: cluster-scoped kinds have none, and "" means "default". */
export function effectiveNamespace(id: ResId): string {
  return namespaceInScope(isClusterScoped(id), id.namespace);
}

/** effectiveNamespace for a kind whose scope is already known. */
export function namespaceInScope(clusterScoped: boolean, namespace: string): string {
  if (clusterScoped) return CLUSTER_SCOPE;
  return namespace === '' ? DEFAULT_NAMESPACE : namespace;
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function resIdEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a, b) && effectiveNamespace(a) === effectiveNamespace(b);
}

/** A selector's empty fields match anything. */
export function gvkSelects(selector: Partial<Gvk>, gvk: Gvk): boolean {
  return (
    (!selector.group || selector.group === gvk.group) &&
    (!selector.version || selector.version === gvk.version) &&
    (!selector.kind || selector.kind === gvk.kind)
  );
}

export function resIdSelects(selector: Partial<ResId>, id: ResId): boolean {
  return (
    (!selector.name || selector.name === id.name) &&
    (!selector.namespace || effectiveNamespace({ ...id, namespace: selector.namespace }) === effectiveNamespace(id)) &&
    gvkSelects(selector, id)
  );
}

/** kustomize's human-readable form, used in its error messages: `Kind.version.group/name.namespace`. */
export function gvkString(gvk: Gvk): string {
  return [gvk.kind || '[noKind]', gvk.version || '[noVer]', gvk.group || '[noGrp]'].join('.');
}

export function resIdString(id: ResId): string {
  return `${gvkString(id)}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}
