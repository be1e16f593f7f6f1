import { joinPointer, valueAt } from '../../json/pointer.js';
import { CAPI_GROUP, FLUX_HELM_GROUP, FLUX_IMAGE_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_NOTIFICATION_GROUP, FLUX_SOURCE_GROUP } from '../../kubernetes/api-groups.js';
import { readRef, reportMissingTarget, type ObjectRef } from './references.js';
import { isKind, isOneOf, type GroupKind, type IndexedResource, type ResourceIndex } from './resource-index.js';
import type { Rule, RuleFinding } from './rule.js';


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
    id: 'flux-source-ref',
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

/** Flux objects that wait for others of their own kind. */
const DEPENDENT_KINDS: GroupKind[] = [
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization' },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease' },
];

/** The dependsOn entries of a Kustomization or HelmRelease: objects of its own kind. */
function dependsOn(r: IndexedResource): ObjectRef[] {
  const refs: ObjectRef[] = [];
  const list = isOneOf(r, DEPENDENT_KINDS) ? valueAt(r.resource.obj, '/spec/dependsOn') : undefined;
  if (!Array.isArray(list)) return refs;
  for (let i = 0; i < list.length; i++) {
    const ref = readRef(r, joinPointer('/spec/dependsOn', i), { group: r.group, kind: r.kind });
    if (ref) refs.push(ref);
  }
  return refs;
}

export const fluxDependsOn: Rule = {
  meta: { id: 'flux-depends-on', defaultSeverity: 'warning', reference: true, doc: 'each Flux dependsOn entry names a Kustomization or HelmRelease in the manifests' },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(DEPENDENT_KINDS)) for (const ref of dependsOn(r)) reportMissingTarget(out, r, ref, index);
    return out;
  },
};

export const fluxDependsOnCycle: Rule = {
  meta: { id: 'flux-depends-on-cycle', defaultSeverity: 'error', doc: 'Flux dependsOn chains have no cycle (such objects never become ready)' },
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
    for (const r of index.ofKinds(DEPENDENT_KINDS)) {
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

export const fluxKubeConfig: Rule = {
  meta: {
    id: 'flux-kubeconfig',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'kubeConfig.secretRef of a Flux Kustomization or HelmRelease names a Secret, or the <cluster>-kubeconfig Secret of a Cluster, in its namespace',
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds(DEPENDENT_KINDS)) {
      const ref = readRef(r, '/spec/kubeConfig/secretRef', { kind: 'Secret', group: '', sameNamespace: true });
      if (!ref || index.find(ref) || clusterOfKubeconfig(ref, index)) continue;
      const cluster = ref.name.endsWith('-kubeconfig') ? ref.name.slice(0, -'-kubeconfig'.length) : undefined;
      const why = cluster ? `no such Secret, and no Cluster "${cluster}" in that namespace whose kubeconfig Secret it would be` : 'no such Secret';
      out.push({
        resource: r.resource,
        path: ref.path,
        message: `spec.kubeConfig.secretRef names Secret "${ref.name}" in namespace "${ref.namespace}": ${why}`,
        expected: 'a Secret, or a Cluster whose <name>-kubeconfig Secret Cluster API creates',
      });
    }
    return out;
  },
};

/** Cluster API writes a Cluster's kubeconfig to the Secret `<cluster>-kubeconfig` in its namespace. */
function clusterOfKubeconfig(ref: ObjectRef, index: ResourceIndex): IndexedResource | undefined {
  if (!ref.name.endsWith('-kubeconfig')) return undefined;
  return index.find({ kind: 'Cluster', group: CAPI_GROUP, namespace: ref.namespace, name: ref.name.slice(0, -'-kubeconfig'.length) });
}

const VALUE_SOURCES: (GroupKind & { path: string })[] = [
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/valuesFrom' },
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', path: '/spec/postBuild/substituteFrom' },
];

export const fluxValuesFrom: Rule = {
  meta: {
    id: 'flux-values-from',
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
