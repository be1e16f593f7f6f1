import { CAPI_GROUP, CONTROL_PLANE_GROUP, INFRASTRUCTURE_GROUP } from '../../../kubernetes/api-groups.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/** The objects whose deletion deletes a cluster, its control plane or a node pool in the cloud. */
const LIFECYCLE_KINDS: Record<string, readonly string[]> = {
  [CAPI_GROUP]: ['Cluster', 'MachineDeployment', 'MachinePool'],
  [CONTROL_PLANE_GROUP]: ['KubeadmControlPlane'],
  [INFRASTRUCTURE_GROUP]: [
    'AzureCluster',
    'AzureManagedCluster',
    'AzureManagedControlPlane',
    'AzureManagedMachinePool',
    'AzureASOManagedCluster',
    'AzureASOManagedControlPlane',
    'AzureASOManagedMachinePool',
    'DockerCluster',
  ],
};

export const clusterRecreated: Danger = {
  meta: {
    id: 'capi/recreated',
    severity: 'error',
    doc: 'a CAPI Cluster, control plane or node pool removed or renamed: Cluster API deletes it (and its machines) and creates any new one from scratch',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      if (change.change !== 'removed' || !LIFECYCLE_KINDS[change.key.group]?.includes(change.key.kind)) continue;
      const successor = cluster.resources.find((c) => c.change === 'added' && c.key.group === change.key.group && c.key.kind === change.key.kind && c.key.namespace === change.key.namespace);
      out.push({
        cluster: cluster.name,
        resource: change.key,
        message: successor
          ? `${objectText(change.key)} is renamed to ${successor.key.name}: it is deleted and ${successor.key.name} created from scratch`
          : `${objectText(change.key)} is removed: Cluster API deletes it and what it runs`,
      });
    }
    return out;
  },
};
