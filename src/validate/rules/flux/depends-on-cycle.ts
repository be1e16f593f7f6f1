import { dependsOn, FLUX_DEPENDENT_KINDS, type ObjectRef } from '../references.js';
import type { IndexedResource } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

export const fluxDependsOnCycle: Rule = {
  meta: { id: 'flux/depends-on-cycle', defaultSeverity: 'error', doc: 'Flux dependsOn chains have no cycle (such objects never become ready)' },
  check({ index }) {
    const out: RuleFinding[] = [];
    const state = new Map<IndexedResource, 'visiting' | 'done'>();
    const stack: { r: IndexedResource; via?: ObjectRef }[] = [];
    const visit = (r: IndexedResource, refs: readonly ObjectRef[]): void => {
      state.set(r, 'visiting');
      for (const ref of refs) {
        const target = index.find(ref);
        if (!target) continue;
        stack.push({ r, via: ref });
        if (state.get(target) === 'visiting') out.push(cycleFinding(stack, target));
        else if (!state.has(target)) visit(target, dependsOn(target));
        stack.pop();
      }
      state.set(r, 'done');
    };
    for (const r of index.ofKinds(FLUX_DEPENDENT_KINDS)) {
      if (state.has(r)) continue;
      const refs = dependsOn(r);
      if (refs.length) visit(r, refs);
    }
    return out;
  },
};

/** Reported once, on the object whose dependsOn entry closes the cycle. */
function cycleFinding(stack: { r: IndexedResource; via?: ObjectRef }[], target: IndexedResource): RuleFinding {
  const start = stack.findIndex((s) => s.r === target);
  const members = stack.slice(start);
  const last = members[members.length - 1]!;
  const names = [...members.map((m) => label(m.r)), label(target)].join(' → ');
  return { resource: last.r.resource, path: last.via!.path, message: `dependsOn cycle: ${names}` };
}

function label(r: IndexedResource): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}
