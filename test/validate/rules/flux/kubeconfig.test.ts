import { fluxKubeConfig } from '../../../../src/validate/rules/flux/kubeconfig.js';
import { capiCluster, fluxKs, workloadKs } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(fluxKubeConfig, [
  { name: 'the kubeconfig Secret of a Cluster in the namespace', yaml: capiCluster('c1') + workloadKs('c1-kubeconfig'), expected: [] },
  { name: 'an explicit Secret', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: remote, namespace: ns}\n---\n' + workloadKs('remote'), expected: [] },
  { name: 'no such Cluster', yaml: capiCluster('c1') + workloadKs('c2-kubeconfig'), expected: ['workload /spec/kubeConfig/secretRef'], message: /no Cluster "c2"/ },
  { name: 'Cluster in another namespace', yaml: capiCluster('c1') + fluxKs('w', '  kubeConfig:\n    secretRef: {name: c1-kubeconfig}\n', 'other'), expected: ['w /spec/kubeConfig/secretRef'] },
]);
