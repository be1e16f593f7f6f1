import { CAPI_GROUP } from '../../../kubernetes/api-groups.js';
import { readNameRef, reportMissingTarget } from '../references.js';
import { kindsOf } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

const CLUSTER_NAME_KINDS = kindsOf(CAPI_GROUP, ['MachineDeployment', 'MachineSet', 'MachinePool', 'Machine', 'MachineHealthCheck']);

export const capiClusterName: Rule = {
  meta: {
    id: 'capi/cluster-name',
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
