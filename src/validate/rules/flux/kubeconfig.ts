import { CAPI_GROUP } from '../../../kubernetes/api-groups.js';
import { FLUX_DEPENDENT_KINDS, readRef, type ObjectRef } from '../references.js';
import type { IndexedResource, ResourceIndex } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

export const fluxKubeConfig: Rule = {
  meta: {
    id: 'flux/kubeconfig',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'kubeConfig.secretRef of a Flux Kustomization or HelmRelease names a Secret, or the <cluster>-kubeconfig Secret of a Cluster, in its namespace',
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(FLUX_DEPENDENT_KINDS)) {
      const ref = readRef(r, '/spec/kubeConfig/secretRef', { kind: 'Secret', group: '', sameNamespace: true });
      if (!ref || index.present(ref) || clusterOfKubeconfig(ref, index)) continue;
      const cluster = ref.name.endsWith('-kubeconfig') ? ref.name.slice(0, -'-kubeconfig'.length) : undefined;
      const why = cluster ? `no such Secret, and no Cluster "${cluster}" in that namespace whose kubeconfig Secret it would be` : 'no such Secret';
      out.push({
        resource: r.resource,
        path: ref.path,
        message: `spec.kubeConfig.secretRef names Secret "${ref.name}" in namespace "${ref.namespace}": ${why}`,
        expected: 'a Secret, or a Cluster whose <name>-kubeconfig Secret Cluster API creates',
      });
    }
    return out;
  },
};

/** Cluster API writes a Cluster's kubeconfig to the Secret `<cluster>-kubeconfig` in its namespace. */
function clusterOfKubeconfig(ref: ObjectRef, index: ResourceIndex): IndexedResource | undefined {
  if (!ref.name.endsWith('-kubeconfig')) return undefined;
  return index.find({ kind: 'Cluster', group: CAPI_GROUP, namespace: ref.namespace, name: ref.name.slice(0, -'-kubeconfig'.length) });
}
