/**
 * STUB, written on the `layout` branch only so the tree generator builds and its tests run: a
 * minimal `docker` provider and placeholders for the others. The `providers` branch owns this file;
 * at merge its version replaces this one entirely.
 */
import type { JsonObject } from '../../engine/json.js';
import type { Provider, ResolvedCluster } from '../../fleet/types.js';
import type { ProviderModule } from './provider.js';

const INFRA = 'infrastructure.cluster.x-k8s.io';

function dockerObjects(cluster: ResolvedCluster): JsonObject[] {
  const name = cluster.name;
  const labels = { 'cluster.x-k8s.io/cluster-name': name, ...cluster.labels };
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name, labels },
      spec: {
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: `${name}-control-plane` },
        infrastructureRef: { apiGroup: INFRA, kind: 'DockerCluster', name },
      },
    },
    { apiVersion: `${INFRA}/v1beta2`, kind: 'DockerCluster', metadata: { name, labels }, spec: {} },
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: { name: `${name}-control-plane`, labels },
      spec: {
        replicas: cluster.controlPlane.replicas ?? 1,
        version: cluster.kubernetesVersion,
        machineTemplate: { spec: { infrastructureRef: { apiGroup: INFRA, kind: 'DockerMachineTemplate', name: `${name}-control-plane` } } },
        kubeadmConfigSpec: { initConfiguration: { nodeRegistration: { criSocket: 'unix:///var/run/containerd/containerd.sock' } } },
      },
    },
    { apiVersion: `${INFRA}/v1beta2`, kind: 'DockerMachineTemplate', metadata: { name: `${name}-control-plane`, labels }, spec: { template: { spec: {} } } },
  ];
}

const docker: ProviderModule = {
  provider: 'docker',
  clusterObjects: dockerObjects,
  basePatches: () => [
    {
      target: { group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'Cluster' },
      patch: { spec: { clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.128.0.0/12'] } } } },
    },
  ],
};

function notInStub(provider: Provider): ProviderModule {
  const fail = (): never => {
    throw new Error(`provider ${provider} is not in the layout branch's stub`);
  };
  return { provider, clusterObjects: fail, basePatches: fail };
}

export const PROVIDER_MODULES: Record<Provider, ProviderModule> = {
  aks: notInStub('aks'),
  'aks-azuremanaged': notInStub('aks-azuremanaged'),
  azure: notInStub('azure'),
  docker,
};
