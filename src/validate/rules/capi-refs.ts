import { CAPI_GROUP } from '../../kubernetes/api-groups.js';
import type { JsonObject } from '../../json/value.js';
import { joinPointer, valueAt } from '../../json/pointer.js';
import { readNameRef, readRef, reportMissingTarget } from './references.js';
import { isOneOf, kindsOf, type GroupKind, type ResourceIndex } from './resource-index.js';
import type { Rule, RuleFinding } from './rule.js';

/** Where each kind keeps references to other objects; Cluster API requires them in the same namespace. */
interface RefFields {
  kinds: GroupKind[];
  /** Pointers of reference objects; `*` stands for every index of a list. */
  paths: string[];
}

function expandStars(obj: JsonObject, path: string): string[] {
  const star = path.indexOf('/*');
  if (star < 0) return [path];
  const list = valueAt(obj, path.slice(0, star));
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, i) => expandStars(obj, joinPointer(path.slice(0, star), i) + path.slice(star + 2)));
}

/** Checks the reference fields of every served Cluster API version (v1beta1 `ref`, v1beta2 `templateRef`). */
function checkRefs(index: ResourceIndex, fields: readonly RefFields[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const r of index.ofKinds(fields.flatMap((f) => f.kinds))) {
    for (const f of fields) {
      if (!isOneOf(r, f.kinds)) continue;
      for (const path of f.paths) {
        for (const p of expandStars(r.resource.obj, path)) reportMissingTarget(out, r, readRef(r, p, { sameNamespace: true }), index);
      }
    }
  }
  return out;
}

const CLUSTER_REFS: RefFields[] = [{ kinds: kindsOf(CAPI_GROUP, ['Cluster']), paths: ['/spec/infrastructureRef', '/spec/controlPlaneRef'] }];

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

export const capiClusterRefs: Rule = {
  meta: {
    id: 'capi-cluster-refs',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'a Cluster infrastructureRef and controlPlaneRef name an object of that kind in its namespace',
  },
  check: ({ index }) => checkRefs(index, CLUSTER_REFS),
};

export const capiTemplateRefs: Rule = {
  meta: {
    id: 'capi-template-refs',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'machine infrastructure templates and bootstrap config refs (MachineDeployment, MachinePool, KubeadmControlPlane, ClusterClass) resolve in the namespace',
  },
  check: ({ index }) => checkRefs(index, TEMPLATE_REFS),
};

const CLUSTER_NAME_KINDS = kindsOf(CAPI_GROUP, ['MachineDeployment', 'MachineSet', 'MachinePool', 'Machine', 'MachineHealthCheck']);

export const capiClusterName: Rule = {
  meta: {
    id: 'capi-cluster-name',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'spec.clusterName of a MachineDeployment, MachinePool, MachineSet, Machine or MachineHealthCheck names a Cluster in its namespace',
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(CLUSTER_NAME_KINDS)) reportMissingTarget(out, r, readNameRef(r, '/spec/clusterName', { kind: 'Cluster', group: CAPI_GROUP }), index);
    return out;
  },
};
