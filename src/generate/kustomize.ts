import type { JsonObject } from '../json/value.js';
import type { PatchTarget } from './providers/provider.js';
import { toYaml } from './yaml.js';

/** A kustomization patch target: the provider's kind selector, optionally narrowed to one name. */
export interface Target extends PatchTarget {
  name?: string;
}

/** A kustomization's `patches:` entry. */
export interface PatchEntry {
  target: Target;
  patch: string;
}

/**
 * A strategic-merge patch applied to every object the target selects. The body still needs a kind
 * and a name for kustomize to parse it; they are filled from the target (the target, not the body,
 * decides what is patched). A target that selects nothing is no error, so one environment patch
 * serves clusters that have the add-on and those that do not.
 */
export function patchEntry(target: Target, patch: JsonObject): PatchEntry {
  const { apiVersion, kind, metadata, ...rest } = patch;
  const body: JsonObject = {
    ...(apiVersion !== undefined ? { apiVersion } : target.version ? { apiVersion: target.group ? `${target.group}/${target.version}` : target.version } : {}),
    kind: kind ?? target.kind,
    metadata: { name: target.name ?? 'all', ...(metadata as JsonObject | undefined) },
    ...rest,
  };
  const cleanTarget: Target = {
    ...(target.group !== undefined ? { group: target.group } : {}),
    ...(target.version !== undefined ? { version: target.version } : {}),
    kind: target.kind,
    ...(target.name !== undefined ? { name: target.name } : {}),
  };
  return { target: cleanTarget, patch: toYaml([body]) };
}

export interface KustomizationFields {
  namespace?: string;
  namePrefix?: string;
  labels?: Record<string, string>;
  resources?: string[];
  components?: string[];
  configurations?: string[];
  patches?: PatchEntry[];
}

/** A `kustomization.yaml` (a Kustomization or a Component) with its fields in a fixed, readable order; empty lists left out. */
export function kustomizationFile(kind: 'Kustomization' | 'Component', fields: KustomizationFields): string {
  const doc: JsonObject = {
    apiVersion: kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1',
    kind,
  };
  if (fields.namespace) doc.namespace = fields.namespace;
  if (fields.namePrefix) doc.namePrefix = fields.namePrefix;
  if (fields.labels) doc.labels = [{ pairs: fields.labels }];
  for (const key of ['resources', 'components', 'configurations'] as const) {
    const list = fields[key];
    if (list?.length) doc[key] = list;
  }
  if (fields.patches?.length) doc.patches = fields.patches.map((p) => ({ target: { ...p.target }, patch: p.patch }));
  return toYaml([doc]);
}
