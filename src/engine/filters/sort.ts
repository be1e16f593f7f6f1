import { BuildError } from '../../errors.js';
import { compareGoStrings } from '../../json/value.js';
import { gvkEquals, gvkString, type Gvk, type ResId } from '../resid.js';
import type { Resource } from '../resource.js';
import type { ResMap } from '../resmap.js';
import type { SortOptions, Transformer } from '../types.js';

/** kustomize's fixed default: things others depend on first, admission webhooks last. */
export const DEFAULT_ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount',
  'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap',
  'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
export const DEFAULT_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/**
 * Output order. Without sortOptions kustomize build uses the legacy order; `fifo` keeps the order
 * in which resources were accumulated.
 */
export function sortTransformer(options: SortOptions | undefined): Transformer {
  // a sortOptions mapping must name its order; only an absent (or null) one means legacy
  const order = options ? options.order : 'legacy';
  if (order !== 'legacy' && order !== 'fifo') throw new BuildError("the field 'sortOptions.order' must be one of [fifo, legacy]");
  if (order === 'fifo') {
    if (options?.legacySortOptions) {
      throw new BuildError("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'");
    }
    return () => undefined;
  }
  const first = options?.legacySortOptions ? options.legacySortOptions.orderFirst ?? [] : DEFAULT_ORDER_FIRST;
  const last = options?.legacySortOptions ? options.legacySortOptions.orderLast ?? [] : DEFAULT_ORDER_LAST;
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, i - first.length));
  last.forEach((k, i) => rank.set(k, i + 1));
  return (resources: ResMap) => {
    const keyed = resources.resources().map((r): [Resource, ResId] => [r, r.curId()]);
    keyed.sort(([, a], [, b]) => compareLegacy(a, b, rank));
    resources.setAll(keyed.map(([r]) => r));
  };
}

function compareLegacy(a: ResId, b: ResId, rank: Map<string, number>): number {
  if (!gvkEquals(a, b)) {
    const ra = rank.get(a.kind) ?? 0;
    const rb = rank.get(b.kind) ?? 0;
    if (ra !== rb) return ra - rb;
    const order = compareGoStrings(gvkSortString(a), gvkSortString(b));
    // kustomize puts the core Namespace ahead of look-alike Namespace kinds from other groups
    const coreNamespace = a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '');
    return coreNamespace ? -order : order;
  }
  return compareGoStrings(idSortString(a), idSortString(b));
}

function gvkSortString(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function idSortString(id: ResId): string {
  return `${gvkString(id)}|${id.namespace || '~X'}|${id.name || '~N'}`;
}
