import type { GroupKind } from '../../../kubernetes/resource-key.js';
import { joinPointer, valueAt } from '../../../json/pointer.js';
import { FLUX_HELM_GROUP, FLUX_KUSTOMIZE_GROUP } from '../../../kubernetes/api-groups.js';
import { readRef, reportMissingTarget } from '../references.js';
import { isKind } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

const VALUE_SOURCES: (GroupKind & { path: string })[] = [
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/valuesFrom' },
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', path: '/spec/postBuild/substituteFrom' },
];

export const fluxValuesFrom: Rule = {
  meta: {
    id: 'flux/values-from',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'HelmRelease valuesFrom and Kustomization postBuild.substituteFrom name a ConfigMap or Secret in the namespace (unless optional)',
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(VALUE_SOURCES)) {
      for (const f of VALUE_SOURCES) {
        const list = isKind(r, f) ? valueAt(r.resource.obj, f.path) : undefined;
        if (!Array.isArray(list)) continue;
        list.forEach((item, i) => {
          if (valueAt(item, '/optional') !== true) reportMissingTarget(out, r, readRef(r, joinPointer(f.path, i), { group: '', sameNamespace: true }), index);
        });
      }
    }
    return out;
  },
};
