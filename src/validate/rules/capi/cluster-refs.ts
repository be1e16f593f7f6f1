import { CAPI_GROUP } from '../../../kubernetes/api-groups.js';
import { checkRefs, type RefFields } from '../references.js';
import { kindsOf } from '../resource-index.js';
import type { Rule } from '../rule.js';

const CLUSTER_REFS: RefFields[] = [{ kinds: kindsOf(CAPI_GROUP, ['Cluster']), paths: ['/spec/infrastructureRef', '/spec/controlPlaneRef'] }];

export const capiClusterRefs: Rule = {
  meta: {
    id: 'capi/cluster-refs',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'a Cluster infrastructureRef and controlPlaneRef name an object of that kind in its namespace',
  },
  check: ({ index }) => checkRefs(index, CLUSTER_REFS),
};
