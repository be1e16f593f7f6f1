import type { SchemaCatalog } from '../schemas/catalog.js';
import { compareResources, type DiffInput } from './compare.js';
import { findDangers, DANGERS } from './dangers/index.js';
import type { Danger } from './dangers/danger.js';
import type { FieldFilter } from './filters.js';
import { ListKeys } from './list-keys.js';
import { parsePattern, type FieldPattern } from './path.js';
import type { ClusterDiff, DangerSeverity, DiffReport, SettingChange } from './types.js';

/** One cluster's resources on each side; a side without the cluster has none. */
export interface ClusterInput {
  name: string;
  from?: readonly DiffInput[];
  to?: readonly DiffInput[];
  /** Flux applies the cluster's objects with `prune: true` (generated overlays are): objects that disappear are deleted. Default true. */
  pruned?: boolean;
  /**
   * The cluster's name on each side when two different clusters are compared (`staging-eu-1` vs
   * `prod-eu-1`): where it appears in a string on its side it is read as `<cluster>` when
   * comparing, so the clusters' names are not reported as differences (CompareOptions.names).
   */
  names?: { from: string; to: string };
}

export interface DiffOptions {
  /** Field paths to leave out (`--ignore`), as formatPath prints them. */
  ignore?: readonly string[];
  /** Leave out the fields every chart bump changes (default true). */
  noise?: boolean;
  /** For list keys from `x-kubernetes-list-map-keys` and the API versions served; without it only the merge table and names key lists, and k8s/removed-api-version checks nothing. */
  catalog?: SchemaCatalog;
  dangers?: readonly Danger[];
  /** How many changed clusters fleet/many-clusters reports (default 10). */
  manyClusters?: number;
}

export const DEFAULT_MANY_CLUSTERS = 10;

/** A pattern that does not parse, for the caller to report as bad input. */
export class BadPatternError extends Error {}

export function parseIgnorePatterns(patterns: readonly string[]): FieldPattern[] {
  return patterns.map((p) => {
    const parsed = parsePattern(p);
    if (!parsed) throw new BadPatternError(`--ignore ${JSON.stringify(p)}: not a field path (write it as spec.template.spec.containers[name=app].image)`);
    return parsed;
  });
}

/**
 * Compares each cluster's two sides and checks the result for dangers. Pure: the inputs are not
 * changed, and the report is frozen.
 */
export function diffClusters(sides: { from: string; to: string }, clusters: readonly ClusterInput[], settings: readonly SettingChange[] = [], options: DiffOptions = {}): DiffReport {
  const filter: FieldFilter = { noise: options.noise ?? true, ignore: parseIgnorePatterns(options.ignore ?? []) };
  const listKeys = new ListKeys(options.catalog);
  const diffs = clusters.map((c): ClusterDiff => {
    const { changes, unchanged } = compareResources(c.from ?? [], c.to ?? [], { listKeys, filter, ...(c.names ? { names: c.names } : {}) });
    const status = c.from === undefined ? 'added' : c.to === undefined ? 'removed' : changes.length ? 'changed' : 'unchanged';
    return { name: c.name, status, resources: changes, unchanged, pruned: c.pruned ?? true };
  });
  const dangers = findDangers(
    { clusters: diffs, manyClusters: options.manyClusters ?? DEFAULT_MANY_CLUSTERS, ...(options.catalog ? { catalog: options.catalog } : {}) },
    options.dangers ?? DANGERS,
  );
  const count = (kind: 'added' | 'changed' | 'removed'): number => diffs.reduce((n, d) => n + d.resources.filter((r) => r.change === kind).length, 0);
  const bySeverity: Record<DangerSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of dangers) bySeverity[d.severity]++;
  const report: DiffReport = {
    from: sides.from,
    to: sides.to,
    settings,
    clusters: diffs,
    dangers,
    summary: {
      clusters: diffs.length,
      clustersChanged: diffs.filter((d) => d.status !== 'unchanged').length,
      added: count('added'),
      changed: count('changed'),
      removed: count('removed'),
      dangers: bySeverity,
    },
  };
  return deepFreeze(report);
}

/** Whether the two sides differ at all: in a setting or in any cluster. */
export function sidesDiffer(report: DiffReport): boolean {
  return report.settings.length > 0 || report.summary.clustersChanged > 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
