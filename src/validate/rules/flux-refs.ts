import { joinPointer, valueAt } from '../json-pointer.js';
import { FLUX_HELM_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP, missingTarget, readRef, type ObjectRef } from './references.js';
import { isKind, isOneOf, type GroupKind, type IndexedResource, type ResourceIndex } from './resource-index.js';
import type { Rule, RuleFinding } from './rule.js';

const IMAGE_GROUP = 'image.toolkit.fluxcd.io';
const NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';

/** Reference fields of Flux objects and what they point at when the reference omits it. */
const SOURCE_REFS: (GroupKind & { path: string; target: { kind?: string; group: string } })[] = [
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', path: '/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/chart/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease', path: '/spec/chartRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: FLUX_SOURCE_GROUP, kind: 'HelmChart', path: '/spec/sourceRef', target: { group: FLUX_SOURCE_GROUP } },
  { group: IMAGE_GROUP, kind: 'ImageUpdateAutomation', path: '/spec/sourceRef', target: { kind: 'GitRepository', group: FLUX_SOURCE_GROUP } },
  { group: IMAGE_GROUP, kind: 'ImagePolicy', path: '/spec/imageRepositoryRef', target: { kind: 'ImageRepository', group: IMAGE_GROUP } },
  { group: NOTIFICATION_GROUP, kind: 'Alert', path: '/spec/providerRef', target: { kind: 'Provider', group: NOTIFICATION_GROUP } },
];

export const fluxSourceRef: Rule = {
  meta: {
    id: 'flux-source-ref',
    defaultSeverity: 'warning',
    reference: true,
    doc: 'Flux sourceRef and chartRef (and image policy and alert provider refs) name an object in the manifests',
  },
  check: ({ index }) =>
    index.ofKinds(SOURCE_REFS).flatMap((r) => SOURCE_REFS.filter((f) => isKind(r, f)).flatMap((f) => missingTarget(r, readRef(r, f.path, f.target), index))),
};

/** Flux objects that wait for others of their own kind. */
const DEPENDENT_KINDS: GroupKind[] = [
  { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization' },
  { group: FLUX_HELM_GROUP, kind: 'HelmRelease' },
];

/** The dependsOn entries of a Kustomization or HelmRelease: objects of its own kind. */
function dependsOn(r: IndexedResource): ObjectRef[] {
  if (!isOneOf(r, DEPENDENT_KINDS)) return [];
  const list = valueAt(r.resource.obj, '/spec/dependsOn');
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, i) => readRef(r, joinPointer('/spec/dependsOn', i), { group: r.group, kind: r.kind }) ?? []);
}

export const fluxDependsOn: Rule = {
  meta: { id: 'flux-depends-on', defaultSeverity: 'warning', reference: true, doc: 'each Flux dependsOn entry names a Kustomization or HelmRelease in the manifests' },
  check: ({ index }) => index.ofKinds(DEPENDENT_KINDS).flatMap((r) => dependsOn(r).flatMap((ref) => missingTarget(r, ref, index))),
};

export const fluxDependsOnCycle: Rule = {
  meta: { id: 'flux-depends-on-cycle', defaultSeverity: 'error', doc: 'Flux dependsOn chains have no cycle (such objects never become ready)' },
  check({ index }) {
    const out: RuleFinding[] = [];
    const state = new Map<IndexedResource, 'visiting' | 'done'>();
    const stack: { r: IndexedResource; via?: ObjectRef }[] = [];
    const visit = (r: IndexedResource): void => {
      state.set(r, 'visiting');
      for (const ref of dependsOn(r)) {
        const target = index.find(ref);
        if (!target) continue;
        stack.push({ r, via: ref });
        if (state.get(target) === 'visiting') out.push(cycleFinding(stack, target));
        else if (!state.has(target)) visit(target);
        stack.pop();
      }
      state.set(r, 'done');
    };
    for (const r of index.ofKinds(DEPENDENT_KINDS)) if (!state.has(r) && dependsOn(r).length) visit(r);
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
  check: ({ index }) =>
    index
      .ofKinds(DEPENDENT_KINDS)
      .flatMap((r) => {
        const ref = readRef(r, '/spec/kubeConfig/secretRef', { kind: 'Secret', group: '', sameNamespace: true });
        if (!ref || index.find(ref) || clusterOfKubeconfig(ref, index)) return [];
        const cluster = ref.name.endsWith('-kubeconfig') ? ref.name.slice(0, -'-kubeconfig'.length) : undefined;
        const why = cluster ? `no such Secret, and no Cluster "${cluster}" in that namespace whose kubeconfig Secret it would be` : 'no such Secret';
        return [
          {
            resource: r.resource,
            path: ref.path,
            message: `spec.kubeConfig.secretRef names Secret "${ref.name}" in namespace "${ref.namespace}": ${why}`,
            expected: 'a Secret, or a Cluster whose <name>-kubeconfig Secret Cluster API creates',
          },
        ];
      }),
};

/** Cluster API writes a Cluster's kubeconfig to the Secret `<cluster>-kubeconfig` in its namespace. */
function clusterOfKubeconfig(ref: ObjectRef, index: ResourceIndex): IndexedResource | undefined {
  if (!ref.name.endsWith('-kubeconfig')) return undefined;
  return index.find({ kind: 'Cluster', group: 'cluster.x-k8s.io', namespace: ref.namespace, name: ref.name.slice(0, -'-kubeconfig'.length) });
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
  check: ({ index }) =>
    index.ofKinds(VALUE_SOURCES).flatMap((r) =>
      VALUE_SOURCES.filter((f) => isKind(r, f)).flatMap((f) => {
        const list = valueAt(r.resource.obj, f.path);
        if (!Array.isArray(list)) return [];
        return list.flatMap((item, i) => {
          if (valueAt(item, '/optional') === true) return [];
          return missingTarget(r, readRef(r, joinPointer(f.path, i), { group: '', sameNamespace: true }), index);
        });
      }),
    ),
};
