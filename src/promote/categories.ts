import { BuildError } from '../errors.js';

/**
 * What `promote --only` can select. A fleet spec's environment settings fall into `kubernetes`,
 * `addons` and `pools`; a tree without a spec carries `images`, `charts` and `flux`.
 */
export const SPEC_CATEGORIES = ['kubernetes', 'addons', 'pools'] as const;
export const TREE_CATEGORIES = ['images', 'charts', 'flux'] as const;

export type SpecCategory = (typeof SPEC_CATEGORIES)[number];
export type TreeCategory = (typeof TREE_CATEGORIES)[number];
export type Category = SpecCategory | TreeCategory;

/** One line per category, for help and the README. */
export const CATEGORY_DOCS: Record<Category, string> = {
  kubernetes: 'kubernetesVersion and capiVersion',
  addons: "add-ons' enabled, chart version and values",
  pools: "node pools' and the control plane's machine settings (vmSize, mode; sizes only of a pool the target does not have)",
  images: "kustomization `images:` tags and digests, containers' images",
  charts: "HelmRelease chart versions, the OCIRepository ref or HelmChart version of one on chartRef",
  flux: "the Flux version a Flux Operator FluxInstance installs (spec.distribution.version), or the flux-instance chart's values (instance.distribution.version)",
};

/**
 * The categories `--only` names (comma-separated or repeated), checked against those that apply
 * (`spec` or `tree`); none named means all of them. An unknown one, or one that applies only to
 * the other kind of repository, is a BuildError naming the valid ones.
 */
export function selectCategories<C extends Category>(only: readonly string[], valid: readonly C[], kind: 'spec' | 'tree'): Set<C> {
  const named = only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  if (named.length === 0) return new Set(valid);
  for (const name of named) {
    if ((valid as readonly string[]).includes(name)) continue;
    const other = kind === 'spec' ? TREE_CATEGORIES : SPEC_CATEGORIES;
    const why = (other as readonly string[]).includes(name) ? `applies to ${kind === 'spec' ? 'a tree without a fleet spec' : 'a fleet spec'}` : 'unknown';
    throw new BuildError(`--only ${name}: ${why}; with ${kind === 'spec' ? 'a fleet spec' : 'a tree without a fleet spec'} choose from ${valid.join(', ')}`);
  }
  return new Set(named as C[]);
}
