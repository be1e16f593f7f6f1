import { machineTemplateSwap } from '../../../../src/diff/dangers/capi/template-swap.js';
import { dangerTable } from '../harness.js';

const md = (template: string, replicas: number) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: md, namespace: fleet}
spec:
  clusterName: c
  replicas: ${replicas}
  template:
    spec:
      clusterName: c
      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureMachineTemplate, name: ${template}}
`;
const kcp = (template: string) => `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata: {name: cp, namespace: fleet}
spec: {version: v1.32.6, machineTemplate: {spec: {infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureMachineTemplate, name: ${template}}}}}
`;

dangerTable(machineTemplateSwap, [
  { name: 'scaling keeps the machines', from: md('md-1', 2), to: md('md-1', 4), expected: [] },
  { name: 'a new machine template rolls the deployment', from: md('md-1', 2), to: md('md-2', 2), expected: ['c0 md spec.template.spec.infrastructureRef.name'], message: /every machine is replaced/ },
  { name: 'a new control plane template rolls the control plane', from: kcp('cp-1'), to: kcp('cp-2'), expected: ['c0 cp spec.machineTemplate.spec.infrastructureRef.name'] },
]);
