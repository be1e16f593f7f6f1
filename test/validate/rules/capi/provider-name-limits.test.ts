import { providerNameLimits } from '../../../../src/validate/rules/capi/provider-name-limits.js';
import { capiCluster } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(providerNameLimits, [
  { name: 'short names', yaml: capiCluster('prod') + 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: pool0, namespace: ns}\nspec: {mode: User}\n', expected: [] },
  { name: 'Cluster name over 63', yaml: capiCluster('c'.repeat(64)), expected: [`${'c'.repeat(64)} /metadata/name`], message: /at most 63/ },
  { name: 'AKS pool name over 12 from metadata', yaml: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: verylongpool01, namespace: ns}\nspec: {}\n', expected: ['verylongpool01 /metadata/name'] },
  { name: 'AKS spec.name wins; Windows pools are 6 at most', yaml: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: p, namespace: ns}\nspec: {name: winpool1, osType: Windows}\n', expected: ['p /spec/name'] },
]);
