import { loadFleet } from '../fleet/load.js';
import type { ResolvedFleet } from '../fleet/types.js';
import { BuildError } from '../errors.js';
import { clone, type JsonValue } from '../json/value.js';

/**
 * The fleet as it would be if environment `to` set what `from` sets: `to`'s defaults replaced by
 * `from`'s, everything else (the fleet's defaults, every cluster's own settings, names, places)
 * as it is. Comparing `to`'s clusters in this fleet with the real ones shows, per cluster, what
 * the environments' difference means for it, and nothing of what makes each cluster itself.
 * A spec the change makes invalid is a BuildError, as `generate` would report it.
 */
export function withEnvironmentSettings(fleet: ResolvedFleet, from: string, to: string): ResolvedFleet {
  const spec = clone(fleet.spec as unknown as JsonValue) as unknown as ResolvedFleet['spec'];
  const source = spec.spec.environments.find((e) => e.name === from);
  const target = spec.spec.environments.find((e) => e.name === to);
  if (!source || !target) throw new BuildError(`unknown environment ${source ? to : from}`);
  if (source.defaults) target.defaults = source.defaults;
  else delete target.defaults;
  return loadFleet(JSON.stringify(spec), fleet.file);
}

/**
 * The fleet with one environment's clusters only. Every file generated for those clusters is the
 * same as in the whole fleet's tree (bases and components exist for what some cluster uses), so
 * comparing an environment needs no more than this.
 */
export function withClustersOf(fleet: ResolvedFleet, environment: string): ResolvedFleet {
  const spec = { ...fleet.spec, spec: { ...fleet.spec.spec, clusters: fleet.spec.spec.clusters.filter((c) => c.environment === environment) } };
  return { ...fleet, spec, clusters: fleet.clusters.filter((c) => c.environment === environment) };
}

/**
 * What a cluster is within its group, for pairing two groups' clusters: its name without the
 * group's name in front (`staging-eu-1` in `staging` and `prod-eu-1` in `prod` are both `eu-1`).
 */
export function clusterRole(name: string, group: string): string {
  return name.startsWith(`${group}-`) && name.length > group.length + 1 ? name.slice(group.length + 1) : name;
}

/** Two groups' clusters paired by role; a cluster without a partner is paired with nothing. */
export function pairByRole<T extends { name: string }>(from: readonly T[], fromGroup: string, to: readonly T[], toGroup: string): { from?: T; to?: T }[] {
  const toByRole = new Map(to.map((c) => [clusterRole(c.name, toGroup), c]));
  const pairs: { from?: T; to?: T }[] = [];
  for (const f of from) {
    const role = clusterRole(f.name, fromGroup);
    const partner = toByRole.get(role);
    if (partner) toByRole.delete(role);
    pairs.push(partner ? { from: f, to: partner } : { from: f });
  }
  for (const t of toByRole.values()) pairs.push({ to: t });
  return pairs;
}
