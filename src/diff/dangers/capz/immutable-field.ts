import { INFRASTRUCTURE_GROUP } from '../../../kubernetes/api-groups.js';
import type { FieldChange } from '../../types.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/**
 * Fields that cannot change once the object exists, by kind, as field names from the object's root
 * (list entries not counted). From CAPZ's update webhooks (internal/webhooks/*_webhook.go, v1.x):
 * AzureManagedControlPlane and AzureManagedMachinePool list their immutable fields, and an
 * AzureMachineTemplate's whole `spec.template.spec` is. For the AzureASOManaged* kinds CAPZ checks
 * nothing itself; AKS refuses these changes to the ManagedCluster and agent pool they embed.
 */
const IMMUTABLE: Record<string, readonly (readonly string[])[]> = {
  AzureManagedControlPlane: [
    'subscriptionID',
    'resourceGroupName',
    'nodeResourceGroupName',
    'location',
    'sshPublicKey',
    'dnsServiceIP',
    'networkPlugin',
    'networkPolicy',
    'networkDataplane',
    'loadBalancerSKU',
    'httpProxyConfig',
    'azureEnvironment',
    'dnsPrefix',
    'outboundType',
  ].map((f) => ['spec', f]),
  AzureManagedMachinePool: [
    'name',
    'osType',
    'sku',
    'osDiskSizeGB',
    'osDiskType',
    'subnetName',
    'enableFIPS',
    'enableEncryptionAtHost',
    'availabilityZones',
    'maxPods',
    'scaleSetPriority',
    'enableUltraSSD',
    'enableNodePublicIP',
    'nodePublicIPPrefixID',
    'kubeletConfig',
    'kubeletDiskType',
    'linuxOSConfig',
  ].map((f) => ['spec', f]),
  AzureMachineTemplate: [['spec', 'template', 'spec']],
  AzureASOManagedControlPlane: [
    ['spec', 'resources', 'spec', 'location'],
    ['spec', 'resources', 'spec', 'dnsPrefix'],
    ['spec', 'resources', 'spec', 'fqdnSubdomain'],
    ['spec', 'resources', 'spec', 'nodeResourceGroup'],
    ['spec', 'resources', 'spec', 'networkProfile', 'networkPlugin'],
    ['spec', 'resources', 'spec', 'networkProfile', 'podCidr'],
    ['spec', 'resources', 'spec', 'networkProfile', 'serviceCidr'],
    ['spec', 'resources', 'spec', 'networkProfile', 'dnsServiceIP'],
  ],
  AzureASOManagedMachinePool: ['azureName', 'vmSize', 'osType', 'osSKU', 'osDiskSizeGB', 'osDiskType', 'availabilityZones', 'maxPods', 'vnetSubnetReference', 'kubeletDiskType', 'enableFIPS', 'enableEncryptionAtHost', 'enableUltraSSD'].map((f) => ['spec', 'resources', 'spec', f]),
};

function fieldNames(change: FieldChange): string[] {
  return change.segments.flatMap((s) => ('field' in s ? [s.field] : []));
}

function startsWith(names: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= names.length && prefix.every((p, i) => names[i] === p);
}

export const immutableField: Danger = {
  meta: {
    id: 'capz/immutable-field',
    severity: 'error',
    doc: 'a field CAPZ (or AKS, for AzureASOManaged*) cannot change in place: the update is refused, or the node pool or cluster must be replaced',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      const immutable = change.key.group === INFRASTRUCTURE_GROUP ? IMMUTABLE[change.key.kind] : undefined;
      // a renamed object (a machine template under its new spec hash) is a new object: nothing changes in place
      if (!immutable || change.change !== 'changed' || change.renamedFrom !== undefined) continue;
      const hit = new Set<string>();
      for (const field of change.fields) {
        const names = fieldNames(field);
        const rule = immutable.find((prefix) => startsWith(names, prefix));
        if (!rule || hit.has(rule.join('.'))) continue;
        hit.add(rule.join('.'));
        out.push({
          cluster: cluster.name,
          resource: change.key,
          path: field.path,
          message: `${objectText(change.key)}: ${rule.filter((n) => n !== 'resources').join('.')} cannot change in place${field.change === 'changed' ? ` (${JSON.stringify(field.from)} → ${JSON.stringify(field.to)})` : ''}`,
        });
      }
    }
    return out;
  },
};
