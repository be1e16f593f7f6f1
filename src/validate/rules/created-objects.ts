/**
 * Objects that Kubernetes or a controller creates from what a set holds, so references to them are
 * not reported missing. The list, in one place:
 * - every namespace the set uses or declares gets the `kube-root-ca.crt` ConfigMap (the root CA
 *   publisher) and the `default` ServiceAccount (the service account controller);
 * - every ArtifactGenerator (Flux source-watcher) artifact is an ExternalArtifact of its namespace.
 * What only the caller knows (the source and Kustomization `flux bootstrap` or a FluxInstance
 * creates for a cluster) comes with the unit (ValidationUnit.created).
 */
import type { Resource } from '../../engine/resource.js';
import { isObject } from '../../json/value.js';
import { FLUX_SOURCE_GROUP } from '../../kubernetes/api-groups.js';
import { parseApiVersion, type ResourceKey } from '../../kubernetes/resource-key.js';

const ARTIFACT_GENERATOR_GROUP = 'source.extensions.fluxcd.io';

export function createdObjects(resources: readonly Resource[]): ResourceKey[] {
  const namespaces = new Set<string>();
  const out: ResourceKey[] = [];
  for (const r of resources) {
    if (r.namespace) namespaces.add(r.namespace);
    if (r.kind === 'Namespace' && r.apiVersion === 'v1') namespaces.add(r.name);
    if (r.kind === 'ArtifactGenerator' && parseApiVersion(r.apiVersion).group === ARTIFACT_GENERATOR_GROUP) {
      const artifacts = isObject(r.obj.spec) && Array.isArray(r.obj.spec.artifacts) ? r.obj.spec.artifacts : [];
      for (const a of artifacts) {
        if (isObject(a) && typeof a.name === 'string') out.push({ group: FLUX_SOURCE_GROUP, kind: 'ExternalArtifact', namespace: r.namespace || 'default', name: a.name });
      }
    }
  }
  for (const namespace of [...namespaces, 'default']) {
    out.push({ group: '', kind: 'ConfigMap', namespace, name: 'kube-root-ca.crt' }, { group: '', kind: 'ServiceAccount', namespace, name: 'default' });
  }
  return out;
}
