import type { Resource } from '../../engine/resource.js';
import { effectiveNamespace, parseApiVersion } from '../../engine/resid.js';

/** Resources of one set found by kind, name and namespace, optionally narrowed by API group. */
export class ResourceIndex {
  private readonly byKey = new Map<string, Resource[]>();

  constructor(resources: readonly Resource[]) {
    for (const r of resources) {
      const key = indexKey(r.kind, r.name, namespaceOf(r));
      const list = this.byKey.get(key);
      if (list) list.push(r);
      else this.byKey.set(key, [r]);
    }
  }

  /** The resource of that kind and name in the namespace ('' = default); group '' matches any. */
  find(target: { kind: string; name: string; namespace: string; group?: string }): Resource | undefined {
    const list = this.byKey.get(indexKey(target.kind, target.name, target.namespace || 'default'));
    return list?.find((r) => !target.group || parseApiVersion(r.apiVersion).group === target.group);
  }
}

const namespaces = new WeakMap<Resource, string>();

/**
 * The namespace a resource lives in: cluster-scoped kinds have none, "" means "default".
 * Remembered per resource: every rule asks again, and nothing changes a resource while it is
 * validated.
 */
export function namespaceOf(r: Resource): string {
  let namespace = namespaces.get(r);
  if (namespace === undefined) {
    namespace = effectiveNamespace(r.curId());
    namespaces.set(r, namespace);
  }
  return namespace;
}

function indexKey(kind: string, name: string, namespace: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
