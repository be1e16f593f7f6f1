import { CAPI_GROUP } from '../../../kubernetes/api-groups.js';
import { checkRefs, type RefFields } from '../references.js';
import { kindsOf } from '../resource-index.js';
import type { Rule } from '../rule.js';

const CLASS_TEMPLATE_PATHS = ['/spec/infrastructure', '/spec/controlPlane', '/spec/controlPlane/machineInfrastructure']
  .concat(['machineDeployments', 'machinePools'].flatMap((w) => [`/spec/workers/${w}/*/template/bootstrap`, `/spec/workers/${w}/*/template/infrastructure`]))
  .flatMap((p) => [`${p}/ref`, `${p}/templateRef`]);

const TEMPLATE_REFS: RefFields[] = [
  {
    kinds: kindsOf(CAPI_GROUP, ['MachineDeployment', 'MachineSet', 'MachinePool']),
    paths: ['/spec/template/spec/infrastructureRef', '/spec/template/spec/bootstrap/configRef'],
  },
  { kinds: kindsOf(CAPI_GROUP, ['Machine']), paths: ['/spec/infrastructureRef', '/spec/bootstrap/configRef'] },
  {
    kinds: kindsOf('controlplane.cluster.x-k8s.io', ['KubeadmControlPlane']),
    paths: ['/spec/machineTemplate/infrastructureRef', '/spec/machineTemplate/spec/infrastructureRef'],
  },
  { kinds: kindsOf(CAPI_GROUP, ['ClusterClass']), paths: CLASS_TEMPLATE_PATHS },
];

export const capiTemplateRefs: Rule = {
  meta: {
    id: 'capi/template-refs',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'machine infrastructure templates and bootstrap config refs (MachineDeployment, MachinePool, KubeadmControlPlane, ClusterClass) resolve in the namespace',
  },
  check: ({ index }) => checkRefs(index, TEMPLATE_REFS),
};
