import { dependsOn, FLUX_DEPENDENT_KINDS, reportMissingTarget } from '../references.js';
import type { Rule, RuleFinding } from '../rule.js';

export const fluxDependsOn: Rule = {
  meta: { id: 'flux/depends-on', defaultSeverity: 'warning', reference: true, doc: 'each Flux dependsOn entry names a Kustomization or HelmRelease in the manifests' },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(FLUX_DEPENDENT_KINDS)) for (const ref of dependsOn(r)) reportMissingTarget(out, r, ref, index);
    return out;
  },
};
