import { capiClusterName } from '../../../../src/validate/rules/capi/cluster-name.js';
import { capiCluster, md } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(capiClusterName, [
  { name: 'names a Cluster', yaml: capiCluster('c1') + md('  clusterName: c1\n'), expected: [] },
  { name: 'names no Cluster', yaml: capiCluster('c1') + md('  clusterName: c2\n'), expected: ['md /spec/clusterName'], message: /Cluster\.cluster\.x-k8s\.io "c2"/ },
  { name: 'MachinePool too', yaml: 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachinePool\nmetadata: {name: mp, namespace: ns}\nspec: {clusterName: nope}\n', expected: ['mp /spec/clusterName'] },
  { name: 'templated clusterName is skipped', yaml: md('  clusterName: ${CLUSTER_NAME}\n'), expected: [] },
]);
