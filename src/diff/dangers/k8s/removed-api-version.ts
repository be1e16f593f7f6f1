import { replacementFor } from '../../../validate/api-versions.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

export const removedApiVersion: Danger = {
  meta: {
    id: 'k8s/removed-api-version',
    severity: 'error',
    doc: 'an object added or changed under an apiVersion the bundled schemas no longer serve for its kind: the API server refuses it',
  },
  check({ clusters, catalog }) {
    const out: DangerHit[] = [];
    if (!catalog) return out;
    for (const { cluster, change } of changesOf(clusters)) {
      const apiVersion = change.to?.apiVersion;
      if (change.change === 'removed' || typeof apiVersion !== 'string' || catalog.lookup(apiVersion, change.key.kind)) continue;
      const replacement = replacementFor(catalog, change.key.group, change.key.kind);
      if (!replacement.known) continue;
      out.push({ cluster: cluster.name, resource: change.key, path: 'apiVersion', message: `${objectText(change.key)}: ${apiVersion} is not served${replacement.servedBy ? ` by ${replacement.servedBy}` : ''}${replacement.use ? `; use ${replacement.use}` : ''}` });
    }
    return out;
  },
};
