/** An API group and a kind in it. */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * What names one object in a cluster: its API group, kind, namespace and name. The version is
 * not part of it (the API server serves one object under every version of its kind). This is
 * the identity the validate rules index by, reports group findings by, and diff matches by.
 */
export interface ResourceKey extends GroupKind {
  /** '' for cluster-scoped objects, and where the object does not say. */
  namespace: string;
  name: string;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  if (i >= 0) return { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
  // kustomize's deprecated builtin-plugin apiVersion is a group, not a version
  if (apiVersion === 'builtin') return { group: apiVersion, version: '' };
  return { group: '', version: apiVersion };
}

/** The key of an object as manifests name it. */
export function resourceKeyOf(object: { apiVersion: string; kind: string; name: string; namespace?: string | undefined }): ResourceKey {
  return { group: parseApiVersion(object.apiVersion).group, kind: object.kind, namespace: object.namespace ?? '', name: object.name };
}

export function sameResourceKey(a: ResourceKey, b: ResourceKey): boolean {
  return a.name === b.name && a.kind === b.kind && a.namespace === b.namespace && a.group === b.group;
}
