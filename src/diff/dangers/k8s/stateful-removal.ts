import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/** Objects whose deletion takes data or other objects with it, and what it takes. */
const STATEFUL: Record<string, string> = {
  '|Namespace': 'every object in it',
  'apiextensions.k8s.io|CustomResourceDefinition': 'every object of its kind',
  '|PersistentVolumeClaim': 'its volume (with the default reclaim policy)',
};

export const statefulRemoval: Danger = {
  meta: {
    id: 'k8s/stateful-removal',
    severity: 'error',
    doc: 'a Namespace, CustomResourceDefinition or PersistentVolumeClaim removed: deleting it deletes what it holds',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      const takes = STATEFUL[`${change.key.group}|${change.key.kind}`];
      if (change.change === 'removed' && takes) out.push({ cluster: cluster.name, resource: change.key, message: `${objectText(change.key)} is removed: deleting it deletes ${takes}` });
    }
    return out;
  },
};
