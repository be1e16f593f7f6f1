import { capiClusterRefs } from '../../../../src/validate/rules/capi/cluster-refs.js';
import { capiCluster, clusterWithRefs, obj } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(capiClusterRefs, [
  { name: 'both refs resolve', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2') + obj('AzureCluster', 'c1'), expected: [] },
  { name: 'control plane missing', yaml: clusterWithRefs + obj('AzureCluster', 'c1'), expected: ['c1 /spec/controlPlaneRef'], message: /KubeadmControlPlane\.controlplane\.cluster\.x-k8s\.io "c1-cp" in namespace "ns"/ },
  { name: 'target in another namespace does not count', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2', 'other') + obj('AzureCluster', 'c1'), expected: ['c1 /spec/controlPlaneRef'] },
  { name: 'same name, other kind does not count', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2') + obj('DockerCluster', 'c1'), expected: ['c1 /spec/infrastructureRef'] },
  { name: 'v1beta1 refs with apiVersion', yaml: capiCluster('c2', '  infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: AzureCluster, name: c2}\n'), expected: ['c2 /spec/infrastructureRef'] },
  { name: 'topology clusters have no refs', yaml: capiCluster('c3', '  topology: {classRef: {name: x}, version: v1.30.0}\n'), expected: [] },
  { name: 'templated ref is skipped', yaml: capiCluster('c4', '  infrastructureRef: {kind: AzureCluster, name: "${CLUSTER_NAME}"}\n'), expected: [] },
]);
