import { compareKubeVersions, type SchemaCatalog } from '../schemas/catalog.js';

/**
 * Kubernetes kinds whose removed version lived in another group, so the catalog cannot name the
 * replacement by group and kind alone. `undefined`: removed with no replacement.
 */
const MOVED_KINDS: Record<string, Record<string, string | undefined>> = {
  extensions: {
    Deployment: 'apps/v1',
    DaemonSet: 'apps/v1',
    ReplicaSet: 'apps/v1',
    Ingress: 'networking.k8s.io/v1',
    NetworkPolicy: 'networking.k8s.io/v1',
    PodSecurityPolicy: undefined,
  },
  policy: { PodSecurityPolicy: undefined },
};

/** The apiVersion a manifest of this group and kind should use: the served, not deprecated, newest one. */
export function preferredApiVersion(catalog: SchemaCatalog, group: string, kind: string): string | undefined {
  const versions = [...catalog.versionsOf(group, kind)].sort(compareKubeVersions);
  const apiVersion = (v: string): string => (group ? `${group}/${v}` : v);
  const current = versions.find((v) => catalog.lookup(apiVersion(v), kind)?.deprecated === false);
  const chosen = current ?? versions[0];
  return chosen === undefined ? undefined : apiVersion(chosen);
}

/** What replaces an apiVersion the catalog does not serve for this kind, if the kind is known at all. */
export type Replacement = { known: false } | { known: true; use?: string };

export function replacementFor(catalog: SchemaCatalog, group: string, kind: string): Replacement {
  const preferred = preferredApiVersion(catalog, group, kind);
  if (preferred) return { known: true, use: preferred };
  const moved = MOVED_KINDS[group];
  if (moved && kind in moved) return moved[kind] === undefined ? { known: true } : { known: true, use: moved[kind]! };
  return { known: false };
}
