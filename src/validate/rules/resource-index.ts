import type { Resource } from '../../engine/resource.js';
import { isClusterScoped, namespaceInScope } from '../../engine/resid.js';
import { parseApiVersion, type GroupKind, type ResourceKey } from '../../kubernetes/resource-key.js';

/**
 * A resource of a set with what the rules ask of every resource, read from its object once per
 * set instead of once per rule and reference.
 */
export interface IndexedResource extends ResourceKey {
  resource: Resource;
  /** metadata.namespace as written ('' when unset). */
  declaredNamespace: string;
  /** The namespace it lives in: cluster-scoped kinds have none, '' means "default" (see effectiveNamespace). */
  namespace: string;
  /** Place in the set, so selections keep the set's order. */
  position: number;
}

/**
 * The resources of one set, found by kind, name and namespace (optionally narrowed by API group)
 * or listed by kind, always in set order. Built once per set and shared by every rule.
 */
export class ResourceIndex {
  /** Every resource of the set, in order. */
  readonly all: readonly IndexedResource[];
  /**
   * By name, in set order. Names are nearly unique in a set, so a short scan of one list beats
   * building a kind/namespace/name key string for every lookup.
   */
  private readonly byName = new Map<string, IndexedResource[]>();
  /** By group and kind, in set order. */
  private readonly byKind = new Map<string, IndexedResource[]>();

  /** Objects Kubernetes or controllers create: present for references, never checked or listed. */
  private readonly created = new Map<string, ResourceKey[]>();

  constructor(resources: readonly Resource[], created: readonly ResourceKey[] = []) {
    for (const c of created) {
      const named = this.created.get(c.name);
      if (named === undefined) this.created.set(c.name, [c]);
      else named.push(c);
    }
    const all: IndexedResource[] = [];
    // a set has few distinct apiVersion/kind pairs: their group, scope and list are looked up once each
    const kinds = new Map<string, Map<string, { group: string; clusterScoped: boolean; list: IndexedResource[] }>>();
    for (let position = 0; position < resources.length; position++) {
      const resource = resources[position]!;
      const apiVersion = resource.apiVersion;
      const kind = resource.kind;
      let ofVersion = kinds.get(apiVersion);
      if (ofVersion === undefined) kinds.set(apiVersion, (ofVersion = new Map()));
      let ofKind = ofVersion.get(kind);
      if (ofKind === undefined) {
        const { group, version } = parseApiVersion(apiVersion);
        const key = kindKey(group, kind);
        let list = this.byKind.get(key);
        if (list === undefined) this.byKind.set(key, (list = []));
        ofVersion.set(kind, (ofKind = { group, clusterScoped: isClusterScoped({ group, version, kind }), list }));
      }
      const name = resource.name;
      const declaredNamespace = resource.namespace;
      const namespace = namespaceInScope(ofKind.clusterScoped, declaredNamespace);
      const entry: IndexedResource = { resource, group: ofKind.group, kind, name, declaredNamespace, namespace, position };
      all.push(entry);
      ofKind.list.push(entry);
      const named = this.byName.get(name);
      if (named === undefined) this.byName.set(name, [entry]);
      else named.push(entry);
    }
    this.all = all;
  }

  /** The resources of any of these kinds, each once, in set order. */
  ofKinds(kinds: readonly GroupKind[]): IndexedResource[] {
    const lists = new Set<IndexedResource[]>();
    for (const k of kinds) {
      const list = this.byKind.get(kindKey(k.group, k.kind));
      if (list !== undefined) lists.add(list);
    }
    // each list is in set order already: merging them costs one pass, where sorting their
    // concatenation compared positions ~n log n times (the management cluster's sets interleave)
    let merged: IndexedResource[] = [];
    for (const list of lists) merged = mergedByPosition(merged, list);
    return merged;
  }

  /** The resource of that kind and name in the namespace ('' = default); group '' matches any. */
  find(target: { kind: string; name: string; namespace: string; group?: string }): IndexedResource | undefined {
    return this.first(target.kind, target.name, target.namespace || 'default', target.group || undefined);
  }

  /** Whether a reference names an object of the set or one that Kubernetes or a controller creates. */
  present(target: { kind: string; name: string; namespace: string; group?: string }): boolean {
    if (this.find(target)) return true;
    const namespace = target.namespace || 'default';
    return (this.created.get(target.name) ?? []).some((c) => c.kind === target.kind && (c.namespace || 'default') === namespace && (!target.group || c.group === target.group));
  }

  /** The first resource of the set with the same group, kind, namespace and name (maybe `r` itself). */
  firstWithId(r: IndexedResource): IndexedResource {
    return this.first(r.kind, r.name, r.namespace, r.group)!;
  }

  /** The first of that kind, name and namespace; of that group unless it is undefined. */
  private first(kind: string, name: string, namespace: string, group: string | undefined): IndexedResource | undefined {
    const named = this.byName.get(name);
    if (named === undefined) return undefined;
    for (let i = 0; i < named.length; i++) {
      const r = named[i]!;
      if (r.kind === kind && r.namespace === namespace && (group === undefined || r.group === group)) return r;
    }
    return undefined;
  }
}

export function isKind(a: GroupKind, b: GroupKind): boolean {
  return a.kind === b.kind && a.group === b.group;
}

export function isOneOf(r: GroupKind, kinds: readonly GroupKind[]): boolean {
  for (let i = 0; i < kinds.length; i++) if (isKind(r, kinds[i]!)) return true;
  return false;
}

/** The kinds of one group, as GroupKinds. */
export function kindsOf(group: string, kinds: readonly string[]): GroupKind[] {
  return kinds.map((kind) => ({ group, kind }));
}

/** Two lists in set order as one, in set order. */
function mergedByPosition(a: readonly IndexedResource[], b: readonly IndexedResource[]): IndexedResource[] {
  if (a.length === 0) return b.slice();
  const out: IndexedResource[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.position < b[j]!.position ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function kindKey(group: string, kind: string): string {
  return `${group}\u0000${kind}`;
}
