import { capiTemplateRefs } from '../../../../src/validate/rules/capi/template-refs.js';
import { mdTemplate, obj } from '../fixtures.js';
import { ruleTable } from '../harness.js';

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
