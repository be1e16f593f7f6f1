import { immutableField } from '../../../../src/diff/dangers/capz/immutable-field.js';
import { dangerTable } from '../harness.js';

const amcp = (fields: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata: {name: cp, namespace: fleet}
spec: {version: v1.32.6, ${fields}}
`;
const ammp = (fields: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedMachinePool
metadata: {name: pool, namespace: fleet}
spec: {mode: User, ${fields}}
`;
const asoPool = (vmSize: string, count: number) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureASOManagedMachinePool
metadata: {name: pool, namespace: fleet}
spec:
  resources:
  - apiVersion: containerservice.azure.com/v1api20240901
    kind: ManagedClustersAgentPool
    metadata: {name: pool}
    spec: {azureName: pool, vmSize: ${vmSize}, count: ${count}}
`;
const template = (vmSize: string, name = 'md-1') => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureMachineTemplate
metadata: {name: ${name}, namespace: fleet}
spec: {template: {spec: {vmSize: ${vmSize}}}}
`;

dangerTable(immutableField, [
  { name: 'a control plane version bump is allowed', from: amcp('location: westeurope'), to: amcp('location: westeurope, sku: {tier: Standard}'), expected: [] },
  { name: 'control plane location', from: amcp('location: westeurope'), to: amcp('location: northeurope'), expected: ['c0 cp spec.location'], message: /spec\.location cannot change in place \("westeurope" → "northeurope"\)/ },
  { name: 'control plane subscription, resource group and network plugin', from: amcp('subscriptionID: a, resourceGroupName: rg1, networkPlugin: azure'), to: amcp('subscriptionID: b, resourceGroupName: rg2, networkPlugin: kubenet'), expected: ['c0 cp spec.subscriptionID', 'c0 cp spec.resourceGroupName', 'c0 cp spec.networkPlugin'] },
  { name: 'control plane DNS prefix set later', from: amcp('location: x'), to: amcp('location: x, dnsPrefix: other'), expected: ['c0 cp spec.dnsPrefix'] },
  { name: 'node pool VM size (sku)', from: ammp('sku: Standard_D4s_v5, scaling: {minSize: 1}'), to: ammp('sku: Standard_D8s_v5, scaling: {minSize: 2}'), expected: ['c0 pool spec.sku'] },
  { name: 'node pool zones, OS disk, max pods, OS type', from: ammp('availabilityZones: ["1"], osDiskSizeGB: 128, maxPods: 30, osType: Linux'), to: ammp('availabilityZones: ["1", "2"], osDiskSizeGB: 256, maxPods: 50, osType: Windows'), expected: ['c0 pool spec.availabilityZones[1]', 'c0 pool spec.osDiskSizeGB', 'c0 pool spec.maxPods', 'c0 pool spec.osType'] },
  { name: 'ASO agent pool VM size, not its count', from: asoPool('Standard_D4s_v5', 1), to: asoPool('Standard_D8s_v5', 3), expected: ['c0 pool spec.resources[0].spec.vmSize'], message: /spec\.spec\.vmSize|vmSize cannot change/ },
  { name: 'ASO agent pool count alone', from: asoPool('Standard_D4s_v5', 1), to: asoPool('Standard_D4s_v5', 3), expected: [] },
  { name: 'machine template spec', from: template('Standard_D4s_v5'), to: template('Standard_D8s_v5'), expected: ['c0 md-1 spec.template.spec.vmSize'] },
  { name: 'a new machine template under its new spec hash (as generate names them) changes nothing in place', from: template('Standard_D4s_v5', 'md-1-65a34140'), to: template('Standard_D8s_v5', 'md-1-772d304c'), expected: [] },
]);
