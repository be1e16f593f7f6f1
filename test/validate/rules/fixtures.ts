/** Manifests the rule tables share, as YAML text. */
export const cm = (name: string, ns = 'default', apiVersion = 'v1'): string => `apiVersion: ${apiVersion}\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n---\n`;

export const capiCluster = (name: string, spec = ''): string =>
  `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: ${name}, namespace: ns}\nspec:\n${spec || '  paused: false\n'}---\n`;

export const obj = (kind: string, name: string, apiVersion = 'infrastructure.cluster.x-k8s.io/v1beta1', ns = 'ns'): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}}\n---\n`;

export const clusterWithRefs = capiCluster(
  'c1',
  '  controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: c1-cp}\n  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureCluster, name: c1}\n',
);

export const md = (spec: string): string => `apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: md, namespace: ns}\nspec:\n${spec}---\n`;

export const mdTemplate = md(
  '  clusterName: c1\n  template:\n    spec:\n      bootstrap:\n        configRef: {apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: md-boot}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureMachineTemplate, name: md-infra}\n',
);

export const kcp = (version: string): string => `apiVersion: controlplane.cluster.x-k8s.io/v1beta2\nkind: KubeadmControlPlane\nmetadata: {name: c1-cp, namespace: ns}\nspec: {version: ${version}}\n---\n`;

export const worker = (version: string): string => md(`  clusterName: c1\n  template:\n    spec:\n      version: ${version}\n`);

export const fluxKs = (name: string, spec: string, ns = 'flux-system'): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;

export const gitRepo = (name: string, ns = 'flux-system'): string => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: ${name}, namespace: ${ns}}\n---\n`;

export const helmRelease = (name: string, spec: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: ${name}, namespace: apps}\nspec:\n${spec}---\n`;

export const workloadKs = (secret: string): string => fluxKs('workload', `  kubeConfig:\n    secretRef: {name: ${secret}}\n`, 'ns');
