import { capiClusterName, capiClusterRefs, capiTemplateRefs } from '../../../src/validate/rules/capi-refs.js';
import { dnsName } from '../../../src/validate/rules/dns-name.js';
import { duplicateId } from '../../../src/validate/rules/duplicate-id.js';
import { fluxDependsOn, fluxDependsOnCycle, fluxKubeConfig, fluxSourceRef, fluxValuesFrom } from '../../../src/validate/rules/flux-refs.js';
import { providerNameLimits } from '../../../src/validate/rules/provider-name-limits.js';
import { versionSkew } from '../../../src/validate/rules/version-skew.js';
import { ruleTable } from './harness.js';

const cm = (name: string, ns = 'default', apiVersion = 'v1'): string => `apiVersion: ${apiVersion}\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n---\n`;

ruleTable(duplicateId, [
  { name: 'distinct objects', yaml: cm('a') + cm('b') + cm('a', 'other'), expected: [] },
  { name: 'same id twice', yaml: cm('a') + cm('a'), expected: ['a /metadata/name'], message: /defined more than once \(first at .*:1\)/ },
  { name: 'another version of the same object', yaml: cm('a', 'x', 'v1') + cm('a', 'x', 'v2'), expected: ['a /metadata/name'] },
  { name: 'empty namespace is default', yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${cm('a', 'default')}`, expected: ['a /metadata/name'] },
]);

ruleTable(dnsName, [
  { name: 'valid names', yaml: cm('web-1.example') + 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:x"}\n', expected: [] },
  { name: 'uppercase and underscore', yaml: cm('Bad_Name'), expected: ['Bad_Name /metadata/name'], message: /DNS-1123 subdomain/ },
  { name: 'too long', yaml: cm('a'.repeat(254)), expected: [`${'a'.repeat(254)} /metadata/name`], message: /at most 253/ },
  { name: 'namespace must be a label', yaml: cm('a', 'a.b'), expected: ['a /metadata/namespace'] },
  { name: 'a Namespace is a label, no dots', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n', expected: ['a.b /metadata/name'] },
  { name: 'a Service starts with a letter', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n', expected: ['1web /metadata/name'] },
  { name: 'templated names are skipped', yaml: cm('${CLUSTER_NAME}-Config'), expected: [] },
]);

const capiCluster = (name: string, spec = ''): string =>
  `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: ${name}, namespace: ns}\nspec:\n${spec || '  paused: false\n'}---\n`;
const obj = (kind: string, name: string, apiVersion = 'infrastructure.cluster.x-k8s.io/v1beta1', ns = 'ns'): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}}\n---\n`;

ruleTable(providerNameLimits, [
  { name: 'short names', yaml: capiCluster('prod') + 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: pool0, namespace: ns}\nspec: {mode: User}\n', expected: [] },
  { name: 'Cluster name over 63', yaml: capiCluster('c'.repeat(64)), expected: [`${'c'.repeat(64)} /metadata/name`], message: /at most 63/ },
  { name: 'AKS pool name over 12 from metadata', yaml: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: verylongpool01, namespace: ns}\nspec: {}\n', expected: ['verylongpool01 /metadata/name'] },
  { name: 'AKS spec.name wins; Windows pools are 6 at most', yaml: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureManagedMachinePool\nmetadata: {name: p, namespace: ns}\nspec: {name: winpool1, osType: Windows}\n', expected: ['p /spec/name'] },
]);

const clusterWithRefs = capiCluster(
  'c1',
  '  controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: c1-cp}\n  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureCluster, name: c1}\n',
);

ruleTable(capiClusterRefs, [
  { name: 'both refs resolve', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2') + obj('AzureCluster', 'c1'), expected: [] },
  { name: 'control plane missing', yaml: clusterWithRefs + obj('AzureCluster', 'c1'), expected: ['c1 /spec/controlPlaneRef'], message: /KubeadmControlPlane\.controlplane\.cluster\.x-k8s\.io "c1-cp" in namespace "ns"/ },
  { name: 'target in another namespace does not count', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2', 'other') + obj('AzureCluster', 'c1'), expected: ['c1 /spec/controlPlaneRef'] },
  { name: 'same name, other kind does not count', yaml: clusterWithRefs + obj('KubeadmControlPlane', 'c1-cp', 'controlplane.cluster.x-k8s.io/v1beta2') + obj('DockerCluster', 'c1'), expected: ['c1 /spec/infrastructureRef'] },
  { name: 'v1beta1 refs with apiVersion', yaml: capiCluster('c2', '  infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: AzureCluster, name: c2}\n'), expected: ['c2 /spec/infrastructureRef'] },
  { name: 'topology clusters have no refs', yaml: capiCluster('c3', '  topology: {classRef: {name: x}, version: v1.30.0}\n'), expected: [] },
  { name: 'templated ref is skipped', yaml: capiCluster('c4', '  infrastructureRef: {kind: AzureCluster, name: "${CLUSTER_NAME}"}\n'), expected: [] },
]);

const md = (spec: string): string => `apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: md, namespace: ns}\nspec:\n${spec}---\n`;
const mdTemplate = md(
  '  clusterName: c1\n  template:\n    spec:\n      bootstrap:\n        configRef: {apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: md-boot}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: AzureMachineTemplate, name: md-infra}\n',
);

ruleTable(capiTemplateRefs, [
  { name: 'templates resolve', yaml: mdTemplate + obj('KubeadmConfigTemplate', 'md-boot', 'bootstrap.cluster.x-k8s.io/v1beta2') + obj('AzureMachineTemplate', 'md-infra'), expected: [] },
  { name: 'bootstrap template missing', yaml: mdTemplate + obj('AzureMachineTemplate', 'md-infra'), expected: ['md /spec/template/spec/bootstrap/configRef'] },
  {
    name: 'KubeadmControlPlane v1beta1 and v1beta2 machine templates',
    yaml:
      'apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {name: a, namespace: ns}\nspec:\n  machineTemplate:\n    infrastructureRef: {kind: AzureMachineTemplate, name: gone}\n---\n' +
      'apiVersion: controlplane.cluster.x-k8s.io/v1beta2\nkind: KubeadmControlPlane\nmetadata: {name: b, namespace: ns}\nspec:\n  machineTemplate:\n    spec:\n      infrastructureRef: {kind: AzureMachineTemplate, name: gone}\n',
    expected: ['a /spec/machineTemplate/infrastructureRef', 'b /spec/machineTemplate/spec/infrastructureRef'],
  },
  {
    name: 'ClusterClass worker templates (v1beta2 templateRef)',
    yaml: 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: ClusterClass\nmetadata: {name: cc, namespace: ns}\nspec:\n  workers:\n    machineDeployments:\n    - class: default\n      template:\n        bootstrap: {templateRef: {kind: KubeadmConfigTemplate, name: boot}}\n        infrastructure: {templateRef: {kind: DockerMachineTemplate, name: infra}}\n---\n' + obj('DockerMachineTemplate', 'infra'),
    expected: ['cc /spec/workers/machineDeployments/0/template/bootstrap/templateRef'],
  },
]);

ruleTable(capiClusterName, [
  { name: 'names a Cluster', yaml: capiCluster('c1') + md('  clusterName: c1\n'), expected: [] },
  { name: 'names no Cluster', yaml: capiCluster('c1') + md('  clusterName: c2\n'), expected: ['md /spec/clusterName'], message: /Cluster\.cluster\.x-k8s\.io "c2"/ },
  { name: 'MachinePool too', yaml: 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachinePool\nmetadata: {name: mp, namespace: ns}\nspec: {clusterName: nope}\n', expected: ['mp /spec/clusterName'] },
  { name: 'templated clusterName is skipped', yaml: md('  clusterName: ${CLUSTER_NAME}\n'), expected: [] },
]);

const kcp = (version: string): string => `apiVersion: controlplane.cluster.x-k8s.io/v1beta2\nkind: KubeadmControlPlane\nmetadata: {name: c1-cp, namespace: ns}\nspec: {version: ${version}}\n---\n`;
const worker = (version: string): string => md(`  clusterName: c1\n  template:\n    spec:\n      version: ${version}\n`);

ruleTable(versionSkew, [
  { name: 'same version', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.31.0'), expected: [] },
  { name: 'three minors older is allowed', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.28.9'), expected: [] },
  { name: 'four minors older is not', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.27.0'), expected: ['md /spec/template/spec/version'], message: /4 minor versions older/ },
  { name: 'newer than the control plane', yaml: clusterWithRefs + kcp('v1.30.0') + worker('v1.31.0'), expected: ['md /spec/template/spec/version'], message: /newer than its control plane/ },
  { name: 'templated versions are skipped', yaml: clusterWithRefs + kcp('"${KUBERNETES_VERSION}"') + worker('v1.20.0'), expected: [] },
]);

const fluxKs = (name: string, spec: string, ns = 'flux-system'): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;
const gitRepo = (name: string, ns = 'flux-system'): string => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: ${name}, namespace: ${ns}}\n---\n`;
const helmRelease = (name: string, spec: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: ${name}, namespace: apps}\nspec:\n${spec}---\n`;

ruleTable(fluxSourceRef, [
  { name: 'sourceRef resolves', yaml: gitRepo('fleet') + fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet}\n'), expected: [] },
  { name: 'sourceRef to another namespace', yaml: gitRepo('fleet', 'other') + fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet, namespace: other}\n'), expected: [] },
  { name: 'sourceRef missing', yaml: fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet}\n'), expected: ['apps /spec/sourceRef'] },
  { name: 'wrong kind', yaml: gitRepo('fleet') + fluxKs('apps', '  sourceRef: {kind: OCIRepository, name: fleet}\n'), expected: ['apps /spec/sourceRef'] },
  { name: 'HelmRelease chart sourceRef and chartRef', yaml: helmRelease('a', '  chart:\n    spec:\n      chart: x\n      sourceRef: {kind: HelmRepository, name: charts}\n') + helmRelease('b', '  chartRef: {kind: OCIRepository, name: oci}\n'), expected: ['a /spec/chart/spec/sourceRef', 'b /spec/chartRef'] },
]);

ruleTable(fluxDependsOn, [
  { name: 'dependency present', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  path: ./b\n'), expected: [] },
  { name: 'dependency missing', yaml: fluxKs('a', '  dependsOn: [{name: b}, {name: c, namespace: other}]\n') + fluxKs('b', '  path: ./b\n'), expected: ['a /spec/dependsOn/1'] },
  { name: 'HelmRelease depends on HelmReleases', yaml: helmRelease('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  path: x\n', 'apps'), expected: ['a /spec/dependsOn/0'] },
]);

ruleTable(fluxDependsOnCycle, [
  { name: 'a chain', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  dependsOn: [{name: c}]\n') + fluxKs('c', '  path: x\n'), expected: [] },
  { name: 'a cycle of three, reported once', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  dependsOn: [{name: c}]\n') + fluxKs('c', '  dependsOn: [{name: a}]\n'), expected: ['c /spec/dependsOn/0'], message: /a → .*b → .*c → .*a$/ },
  { name: 'depends on itself', yaml: fluxKs('a', '  dependsOn: [{name: a}]\n'), expected: ['a /spec/dependsOn/0'] },
  { name: 'a diamond is no cycle', yaml: fluxKs('a', '  dependsOn: [{name: b}, {name: c}]\n') + fluxKs('b', '  dependsOn: [{name: d}]\n') + fluxKs('c', '  dependsOn: [{name: d}]\n') + fluxKs('d', '  path: x\n'), expected: [] },
]);

const workloadKs = (secret: string): string => fluxKs('workload', `  kubeConfig:\n    secretRef: {name: ${secret}}\n`, 'ns');

ruleTable(fluxKubeConfig, [
  { name: 'the kubeconfig Secret of a Cluster in the namespace', yaml: capiCluster('c1') + workloadKs('c1-kubeconfig'), expected: [] },
  { name: 'an explicit Secret', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: remote, namespace: ns}\n---\n' + workloadKs('remote'), expected: [] },
  { name: 'no such Cluster', yaml: capiCluster('c1') + workloadKs('c2-kubeconfig'), expected: ['workload /spec/kubeConfig/secretRef'], message: /no Cluster "c2"/ },
  { name: 'Cluster in another namespace', yaml: capiCluster('c1') + fluxKs('w', '  kubeConfig:\n    secretRef: {name: c1-kubeconfig}\n', 'other'), expected: ['w /spec/kubeConfig/secretRef'] },
]);

ruleTable(fluxValuesFrom, [
  { name: 'ConfigMap present', yaml: cm('values', 'apps') + helmRelease('a', '  valuesFrom: [{kind: ConfigMap, name: values}]\n'), expected: [] },
  { name: 'Secret missing, optional one skipped', yaml: helmRelease('a', '  valuesFrom: [{kind: Secret, name: s}, {kind: Secret, name: o, optional: true}]\n'), expected: ['a /spec/valuesFrom/0'] },
  { name: 'postBuild.substituteFrom', yaml: fluxKs('k', '  postBuild:\n    substituteFrom: [{kind: ConfigMap, name: cluster-vars}]\n'), expected: ['k /spec/postBuild/substituteFrom/0'] },
]);
