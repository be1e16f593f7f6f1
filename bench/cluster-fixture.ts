import * as fs from 'node:fs';
import * as path from 'node:path';

const REGIONS = ['westeurope', 'northeurope', 'eastus2', 'westus3', 'uksouth', 'swedencentral'];
const KUBERNETES_VERSIONS = ['v1.31.9', 'v1.32.6', 'v1.33.2'];
const VM_SIZES = ['Standard_D4ds_v5', 'Standard_D8ds_v5', 'Standard_E4ds_v5'];

/**
 * The manifests of one workload cluster as a fleet repository holds them after rendering: its
 * namespace, the Cluster API objects (v1beta2 Cluster, KubeadmControlPlane, MachineDeployment and
 * KubeadmConfigTemplate), the CAPZ infrastructure (AzureCluster, identity, machine templates) and
 * the Flux objects that deliver add-ons into it through its kubeconfig. Every reference resolves,
 * so a correct validator reports nothing.
 */
export function clusterManifests(i: number): string {
  const name = `cluster-${String(i).padStart(4, '0')}`;
  const ns = `fleet-${name}`;
  const region = REGIONS[i % REGIONS.length]!;
  const version = KUBERNETES_VERSIONS[i % KUBERNETES_VERSIONS.length]!;
  const vmSize = VM_SIZES[i % VM_SIZES.length]!;
  const labels = `    cluster.x-k8s.io/cluster-name: ${name}\n    fleet.example.com/region: ${region}`;
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    fleet.example.com/cluster: ${name}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
${labels}
    cni: calico
spec:
  clusterNetwork:
    pods:
      cidrBlocks:
      - 192.168.0.0/16
    services:
      cidrBlocks:
      - 10.96.0.0/12
  controlPlaneRef:
    apiGroup: controlplane.cluster.x-k8s.io
    kind: KubeadmControlPlane
    name: ${name}-control-plane
  infrastructureRef:
    apiGroup: infrastructure.cluster.x-k8s.io
    kind: AzureCluster
    name: ${name}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureCluster
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
${labels}
spec:
  identityRef:
    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
    kind: AzureClusterIdentity
    name: ${name}-identity
  location: ${region}
  networkSpec:
    vnet:
      name: ${name}-vnet
      cidrBlocks:
      - 10.${i % 256}.0.0/16
    subnets:
    - name: control-plane-subnet
      role: control-plane
      cidrBlocks:
      - 10.${i % 256}.0.0/24
    - name: node-subnet
      role: node
      cidrBlocks:
      - 10.${i % 256}.1.0/24
  resourceGroup: ${name}-rg
  subscriptionID: 00000000-0000-0000-0000-${String(i).padStart(12, '0')}
  additionalTags:
    fleet: example
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureClusterIdentity
metadata:
  name: ${name}-identity
  namespace: ${ns}
  labels:
${labels}
spec:
  type: WorkloadIdentity
  clientID: 11111111-1111-1111-1111-${String(i).padStart(12, '0')}
  tenantID: 22222222-2222-2222-2222-222222222222
  allowedNamespaces:
    list:
    - ${ns}
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: ${name}-control-plane
  namespace: ${ns}
  labels:
${labels}
spec:
  replicas: ${i % 2 === 0 ? 3 : 5}
  version: ${version}
  machineTemplate:
    spec:
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: AzureMachineTemplate
        name: ${name}-control-plane
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        extraArgs:
        - name: cloud-provider
          value: external
      controllerManager:
        extraArgs:
        - name: cloud-provider
          value: external
        - name: cluster-name
          value: ${name}
    initConfiguration:
      nodeRegistration:
        name: '{{ ds.meta_data["local_hostname"] }}'
        kubeletExtraArgs:
        - name: cloud-provider
          value: external
    joinConfiguration:
      nodeRegistration:
        name: '{{ ds.meta_data["local_hostname"] }}'
        kubeletExtraArgs:
        - name: cloud-provider
          value: external
    files:
    - contentFrom:
        secret:
          key: control-plane-azure.json
          name: ${name}-control-plane-azure-json
      owner: root:root
      path: /etc/kubernetes/azure.json
      permissions: "0644"
    preKubeadmCommands:
    - echo "preparing ${name}"
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureMachineTemplate
metadata:
  name: ${name}-control-plane
  namespace: ${ns}
  labels:
${labels}
spec:
  template:
    spec:
      vmSize: ${vmSize}
      osDisk:
        osType: Linux
        diskSizeGB: 128
      dataDisks:
      - diskSizeGB: 256
        lun: 0
        nameSuffix: etcddisk
      sshPublicKey: ""
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: ${name}-md-0
  namespace: ${ns}
  labels:
${labels}
spec:
  clusterName: ${name}
  replicas: ${2 + (i % 8)}
  selector:
    matchLabels:
      cluster.x-k8s.io/cluster-name: ${name}
  template:
    metadata:
      labels:
        cluster.x-k8s.io/cluster-name: ${name}
    spec:
      clusterName: ${name}
      version: ${version}
      bootstrap:
        configRef:
          apiGroup: bootstrap.cluster.x-k8s.io
          kind: KubeadmConfigTemplate
          name: ${name}-md-0
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: AzureMachineTemplate
        name: ${name}-md-0
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureMachineTemplate
metadata:
  name: ${name}-md-0
  namespace: ${ns}
  labels:
${labels}
spec:
  template:
    spec:
      vmSize: ${vmSize}
      osDisk:
        osType: Linux
        diskSizeGB: 128
      sshPublicKey: ""
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: ${name}-md-0
  namespace: ${ns}
  labels:
${labels}
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          name: '{{ ds.meta_data["local_hostname"] }}'
          kubeletExtraArgs:
          - name: cloud-provider
            value: external
      files:
      - contentFrom:
          secret:
            key: worker-node-azure.json
            name: ${name}-md-0-azure-json
        owner: root:root
        path: /etc/kubernetes/azure.json
        permissions: "0644"
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}-addons
  namespace: ${ns}
spec:
  interval: 5m
  url: https://git.example.com/fleet/addons.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}-addons
  namespace: ${ns}
spec:
  interval: 10m
  path: ./clusters/${region}
  prune: true
  sourceRef:
    kind: GitRepository
    name: ${name}-addons
  kubeConfig:
    secretRef:
      name: ${name}-kubeconfig
  postBuild:
    substitute:
      CLUSTER_NAME: ${name}
      REGION: ${region}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}-apps
  namespace: ${ns}
spec:
  interval: 10m
  path: ./apps
  prune: true
  wait: true
  timeout: 5m
  sourceRef:
    kind: GitRepository
    name: ${name}-addons
  dependsOn:
  - name: ${name}-addons
  kubeConfig:
    secretRef:
      name: ${name}-kubeconfig
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${name}-projectcalico
  namespace: ${ns}
spec:
  interval: 1h
  url: https://docs.tigera.io/calico/charts
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-calico-values
  namespace: ${ns}
data:
  values.yaml: |
    installation:
      cni:
        type: Calico
      calicoNetwork:
        ipPools:
        - cidr: 192.168.0.0/16
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}-calico
  namespace: ${ns}
spec:
  interval: 10m
  releaseName: calico
  targetNamespace: tigera-operator
  install:
    createNamespace: true
  chart:
    spec:
      chart: tigera-operator
      version: 3.29.3
      sourceRef:
        kind: HelmRepository
        name: ${name}-projectcalico
  kubeConfig:
    secretRef:
      name: ${name}-kubeconfig
  valuesFrom:
  - kind: ConfigMap
    name: ${name}-calico-values
    valuesKey: values.yaml
`;
}

/** Writes `count` clusters' manifests as plain YAML files, one per cluster, under `dir`. */
export function writeClusterManifests(dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `cluster-${String(i).padStart(4, '0')}.yaml`);
    fs.writeFileSync(file, clusterManifests(i));
    files.push(file);
  }
  return files;
}
