import type { Resource } from '../../engine/resource.js';
import { effectiveNamespace, parseApiVersion } from '../../engine/resid.js';

/** An API group and a kind in it. */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * A resource of a set with what the rules ask of every resource, read from its object once per
 * set instead of once per rule and reference.
 */
export interface IndexedResource extends GroupKind {
  resource: Resource;
  name: string;
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
  /** By kind, namespace and name, in set order; all groups together. */
  private readonly byKey = new Map<string, IndexedResource[]>();
  /** By group and kind, in set order. */
  private readonly byKind = new Map<string, IndexedResource[]>();

  constructor(resources: readonly Resource[]) {
    this.all = resources.map((resource, position) => {
      const kind = resource.kind;
      const name = resource.name;
      const declaredNamespace = resource.namespace;
      const { group, version } = parseApiVersion(resource.apiVersion);
      const namespace = effectiveNamespace({ group, version, kind, name, namespace: declaredNamespace });
      const entry: IndexedResource = { resource, group, kind, name, declaredNamespace, namespace, position };
      append(this.byKey, indexKey(kind, name, namespace), entry);
      append(this.byKind, kindKey(group, kind), entry);
      return entry;
    });
  }

  /** The resources of any of these kinds, each once, in set order. */
  ofKinds(kinds: readonly GroupKind[]): IndexedResource[] {
    const keys = new Set(kinds.map((k) => kindKey(k.group, k.kind)));
    const lists = [...keys].flatMap((key) => this.byKind.get(key) ?? []);
    return keys.size > 1 ? lists.sort((a, b) => a.position - b.position) : lists;
  }

  /** The resource of that kind and name in the namespace ('' = default); group '' matches any. */
  find(target: { kind: string; name: string; namespace: string; group?: string }): IndexedResource | undefined {
    const list = this.byKey.get(indexKey(target.kind, target.name, target.namespace || 'default'));
    return list?.find((r) => !target.group || r.group === target.group);
  }

  /** The first resource of the set with the same group, kind, namespace and name (maybe `r` itself). */
  firstWithId(r: IndexedResource): IndexedResource {
    return this.byKey.get(indexKey(r.kind, r.name, r.namespace))!.find((other) => other.group === r.group)!;
  }
}

export function isKind(a: GroupKind, b: GroupKind): boolean {
  return a.kind === b.kind && a.group === b.group;
}

export function isOneOf(r: GroupKind, kinds: readonly GroupKind[]): boolean {
  return kinds.some((k) => isKind(r, k));
}

/** The kinds of one group, as GroupKinds. */
export function kindsOf(group: string, kinds: readonly string[]): GroupKind[] {
  return kinds.map((kind) => ({ group, kind }));
}

function append(map: Map<string, IndexedResource[]>, key: string, r: IndexedResource): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

function indexKey(kind: string, name: string, namespace: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function kindKey(group: string, kind: string): string {
  return `${group}\u0000${kind}`;
}
