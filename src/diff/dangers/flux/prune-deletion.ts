import { FLUX_KUSTOMIZE_GROUP } from '../../../kubernetes/api-groups.js';
import { changesOf, fieldAt, objectText, type Danger, type DangerHit } from '../danger.js';

export const pruneDeletion: Danger = {
  meta: {
    id: 'flux/prune-deletion',
    severity: 'warning',
    doc: 'objects removed from what a Flux Kustomization with `prune: true` applies, or such a Kustomization removed: Flux deletes them from the cluster',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const cluster of clusters) {
      const removed = cluster.resources.filter((c) => c.change === 'removed' && !c.renamedFrom);
      if (cluster.pruned && removed.length > 0) {
        const names = removed.slice(0, 3).map((c) => objectText(c.key));
        const more = removed.length > names.length ? ` and ${removed.length - names.length} more` : '';
        out.push({ cluster: cluster.name, message: `${removed.length} object${removed.length === 1 ? '' : 's'} no longer in the build, so Flux's prune deletes ${removed.length === 1 ? 'it' : 'them'}: ${names.join(', ')}${more}` });
      }
    }
    for (const { cluster, change } of changesOf(clusters)) {
      if (change.change === 'removed' && change.key.group === FLUX_KUSTOMIZE_GROUP && change.key.kind === 'Kustomization' && fieldAt(change.from, 'spec', 'prune') === true) {
        out.push({ cluster: cluster.name, resource: change.key, message: `${objectText(change.key)} is removed with prune: true: Flux deletes everything it applied` });
      }
    }
    return out;
  },
};
