import type { GroupKind } from '../../../kubernetes/resource-key.js';
import { FLUX_HELM_GROUP, FLUX_IMAGE_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_NOTIFICATION_GROUP, FLUX_SOURCE_GROUP } from '../../../kubernetes/api-groups.js';
import { readRef, reportMissingTarget } from '../references.js';
import { isKind } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

/** Reference fields of Flux objects and what they point at when the reference omits it. */
const SOURCE_REFS: (GroupKind & { path: string; target: { kind?: string; group: string } })[] = [
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', path: '/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/chart/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/chartRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_SOURCE_GROUP, kind: 'HelmChart', path: '/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_IMAGE_GROUP, kind: 'ImageUpdateAutomation', path: '/spec/sourceRef', target: { kind: 'GitRepository', group: FLUX_SOURCE_GROUP } },
  { group: FLUX_IMAGE_GROUP, kind: 'ImagePolicy', path: '/spec/imageRepositoryRef', target: { kind: 'ImageRepository', group: FLUX_IMAGE_GROUP } },
  { group: FLUX_NOTIFICATION_GROUP, kind: 'Alert', path: '/spec/providerRef', target: { kind: 'Provider', group: FLUX_NOTIFICATION_GROUP } },
];

export const fluxSourceRef: Rule = {
  meta: {
    id: 'flux/source-ref',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'Flux sourceRef and chartRef (and image policy and alert provider refs) name an object in the manifests',
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(SOURCE_REFS)) {
      for (const f of SOURCE_REFS) if (isKind(r, f)) reportMissingTarget(out, r, readRef(r, f.path, f.target), index);
    }
    return out;
  },
};
