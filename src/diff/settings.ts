import { mergeSettings } from '../fleet/resolve.js';
import type { ClusterSettings, ResolvedCluster, ResolvedFleet } from '../fleet/types.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { compareValues } from './compare.js';
import type { SettingChange } from './types.js';

/** What an environment sets for its clusters: the fleet's defaults with the environment's over them. */
export function environmentSettings(fleet: ResolvedFleet, environment: string): ClusterSettings {
  const env = fleet.environments.find((e) => e.name === environment);
  return mergeSettings([fleet.spec.spec.defaults ?? {}, env?.defaults ?? {}]);
}

/**
 * The settings two environments define differently, as the spec says them ("kubernetesVersion:
 * v1.33.4 → v1.32.6"). Only the environments' own levels are compared: what a cluster sets
 * itself (its name, location, pool sizes, values) is the cluster, not the environment.
 */
export function environmentSettingsDiff(fleet: ResolvedFleet, from: string, to: string): SettingChange[] {
  return settingChanges(environmentSettings(fleet, from) as JsonObject, environmentSettings(fleet, to) as JsonObject);
}

/** The resolved settings two clusters differ in, besides what names them (name, environment, and values defaulted to the name, such as the resource group). */
export function clusterSettingsDiff(from: ResolvedCluster, to: ResolvedCluster): SettingChange[] {
  const strip = ({ name: _n, environment: _e, ...rest }: ResolvedCluster): JsonObject => rest as unknown as JsonObject;
  return settingChanges(strip(from), strip(to)).filter((s) => !(s.from === from.name && s.to === to.name));
}

/** What two versions of a fleet spec set differently, anywhere in the spec (`environments[name=prod].defaults.kubernetesVersion`). */
export function specSettingsDiff(from: ResolvedFleet, to: ResolvedFleet): SettingChange[] {
  return settingChanges(from.spec.spec as unknown as JsonObject, to.spec.spec as unknown as JsonObject);
}

/** The fields two settings differ in, as SettingChanges. */
export function settingChanges(from: JsonValue, to: JsonValue): SettingChange[] {
  return compareValues(from, to).map((c) => {
    const s: SettingChange = { path: c.path };
    if (c.from !== undefined) s.from = c.from;
    if (c.to !== undefined) s.to = c.to;
    return s;
  });
}
