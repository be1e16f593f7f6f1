import { displayPath } from '../display-path.js';
import { compareKubeVersions, type SchemaCatalog, type SchemaEntry } from '../schemas/catalog.js';
import { KUBERNETES_MODELS_PROJECT } from '../schemas/kubernetes-models.js';

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

/**
 * What replaces an apiVersion the catalog does not serve for this kind, if the kind is known at
 * all, and what the catalog holds for it ("Flux 2.9 (bundled schemas)"), for messages.
 */
export type Replacement = { known: false } | { known: true; use?: string; servedBy?: string };

export function replacementFor(catalog: SchemaCatalog, group: string, kind: string): Replacement {
  const preferred = preferredApiVersion(catalog, group, kind);
  const entry = preferred === undefined ? undefined : catalog.lookup(preferred, kind);
  if (preferred) return { known: true, use: preferred, ...(entry ? { servedBy: servedBy(entry) } : {}) };
  const moved = MOVED_KINDS[group];
  if (!moved || !(kind in moved)) return { known: false };
  const kubernetes = catalog.releases().find((r) => r.project === KUBERNETES_MODELS_PROJECT);
  const movedTo = moved[kind] === undefined ? undefined : catalog.lookup(moved[kind]!, kind);
  const served = movedTo ? servedBy(movedTo) : kubernetes && `${kubernetes.name} (bundled schemas)`;
  return { known: true, ...(moved[kind] === undefined ? {} : { use: moved[kind]! }), ...(served ? { servedBy: served } : {}) };
}

/** Who serves the versions of a kind a schema belongs to: a bundled release, the imported schemas, or a repository's own CRD. */
export function servedBy(entry: SchemaEntry): string {
  if (entry.crd) return `the CustomResourceDefinition ${entry.crd.name}${entry.crd.file === undefined ? '' : ` at ${displayPath(entry.crd.file)}:${entry.crd.line ?? 1}`}`;
  return entry.release ? `${entry.release} (bundled schemas)` : 'the imported schemas';
}
