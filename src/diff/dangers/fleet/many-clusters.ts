import type { Danger } from '../danger.js';

export const manyClusters: Danger = {
  meta: {
    id: 'fleet/many-clusters',
    severity: 'info',
    doc: 'a change that reaches many clusters at once (10 or more by default): consider rolling it out in waves',
  },
  check({ clusters, manyClusters: threshold }) {
    const changed = clusters.filter((c) => c.status !== 'unchanged');
    if (changed.length < threshold) return [];
    return [{ message: `${changed.length} of ${clusters.length} clusters change at once` }];
  },
};
