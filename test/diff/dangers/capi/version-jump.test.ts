import { kubernetesVersionJump } from '../../../../src/diff/dangers/capi/version-jump.js';
import { dangerTable } from '../harness.js';

const kcp = (version: string) => `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata: {name: cp, namespace: fleet}
spec: {version: ${version}, replicas: 3}
`;
const md = (version: string) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: md, namespace: fleet}
spec: {clusterName: c, template: {spec: {clusterName: c, version: ${version}}}}
`;

dangerTable(kubernetesVersionJump, [
  { name: 'one minor up', from: kcp('v1.31.4') + '---\n' + md('v1.31.4'), to: kcp('v1.32.1') + '---\n' + md('v1.32.1'), expected: [] },
  { name: 'a patch release', from: kcp('v1.32.1'), to: kcp('v1.32.6'), expected: [] },
  { name: 'two minors up', from: kcp('v1.31.4'), to: kcp('v1.33.0'), expected: ['c0 cp spec.version'], message: /skips 1 minor version$/ },
  { name: 'a downgrade of the workers', from: md('v1.33.2'), to: md('v1.32.6'), expected: ['c0 md spec.template.spec.version'], message: /is a downgrade/ },
  { name: 'a templated version is not read', from: kcp('"${K8S_VERSION}"'), to: kcp('v1.33.0'), expected: [] },
]);
