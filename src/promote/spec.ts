import { mergeSettings } from '../fleet/resolve.js';
import type { ClusterSettings, FleetSpec } from '../fleet/types.js';
import { clone, deepEqual, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import type { SpecCategory } from './categories.js';

/** A step into an environment's settings: a field, or a node pool by name. */
type Step = string | { pool: string };

interface Leaf {
  steps: Step[];
  value: JsonValue;
}

/**
 * What an environment's settings are to a promotion:
 * - `version`: what a release is made of and what a lagging target catches up on (kubernetesVersion,
 *   capiVersion, an add-on's chart version);
 * - `release`: the rest of a release (add-ons' enabled and values, pool machine types and modes);
 * - `size`: how big the environment is (pool replicas and bounds, control plane replicas);
 * - `place`: where and as what it runs (provider, location, azure, labels): never carried.
 */
type Kind = 'version' | 'release' | 'size' | 'place';

const SIZE_FIELDS = new Set(['replicas', 'minReplicas', 'maxReplicas']);

function kindOf(steps: readonly Step[]): { kind: Kind; category?: SpecCategory } {
  const [top, second, third] = steps;
  if (top === 'kubernetesVersion' || top === 'capiVersion') return { kind: 'version', category: 'kubernetes' };
  if (top === 'addons') return { kind: third === 'version' ? 'version' : 'release', category: 'addons' };
  if (top === 'nodePools') return { kind: typeof third === 'string' && SIZE_FIELDS.has(third) ? 'size' : 'release', category: 'pools' };
  if (top === 'controlPlane') return { kind: second === 'replicas' ? 'size' : 'release', category: 'pools' };
  return { kind: 'place' };
}

/** Every leaf an environment's `defaults` writes; a node pool's fields are leaves of the pool named. */
function leaves(value: JsonValue, steps: Step[] = []): Leaf[] {
  if (steps.length === 1 && steps[0] === 'nodePools' && Array.isArray(value)) {
    return value.flatMap((pool) => {
      if (!isObject(pool) || typeof pool.name !== 'string') return [];
      const { name, ...fields } = pool;
      const at: Step[] = ['nodePools', { pool: name }];
      return Object.keys(fields).length ? Object.keys(fields).map((k) => ({ steps: [...at, k], value: fields[k]! })) : [{ steps: at, value: {} }];
    });
  }
  if (isObject(value) && Object.keys(value).length > 0) return Object.keys(value).flatMap((k) => leaves(value[k]!, [...steps, k]));
  return steps.length ? [{ steps, value }] : [];
}

function key(steps: readonly Step[]): string {
  return JSON.stringify(steps);
}

function getAt(settings: JsonValue | undefined, steps: readonly Step[]): JsonValue | undefined {
  let v = settings;
  for (const s of steps) {
    if (typeof s === 'string') v = isObject(v) ? v[s] : undefined;
    else v = Array.isArray(v) ? v.find((p) => isObject(p) && p.name === s.pool) : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

function setAt(settings: JsonObject, steps: readonly Step[], value: JsonValue): void {
  let v: JsonValue = settings;
  steps.forEach((s, i) => {
    const last = i === steps.length - 1;
    if (typeof s === 'string') {
      const obj = v as JsonObject;
      if (last) obj[s] = clone(value);
      else if (steps[i + 1] !== undefined && typeof steps[i + 1] !== 'string') obj[s] = Array.isArray(obj[s]) ? obj[s] : [];
      else obj[s] = isObject(obj[s]) ? obj[s] : {};
      v = obj[s]!;
    } else {
      const pools = v as JsonValue[];
      let pool = pools.find((p) => isObject(p) && p.name === s.pool) as JsonObject | undefined;
      if (!pool) pools.push((pool = { name: s.pool }));
      v = pool;
    }
  });
}

function removeAt(settings: JsonObject, steps: readonly Step[]): void {
  const parent = getAt(settings, steps.slice(0, -1));
  const last = steps[steps.length - 1]!;
  if (typeof last === 'string' && isObject(parent)) delete parent[last];
}

/** Objects left empty by removals go too, so `to` does not keep `addons: {x: {}}`; a pool keeps at least its name. */
function pruneEmpty(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) return value.map((v) => pruneEmpty(v) ?? {});
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    const v = pruneEmpty(value[k]!);
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The `defaults` environment `to` gets when what `from` sets is carried into it (undefined: none
 * left). The rule, for the selected categories:
 * - every setting `from`'s own `defaults` writes is written into `to`'s, replacing `to`'s value:
 *   versions, add-on values, pool machine types and modes; but never where and as what `to` runs
 *   (provider, location, azure, labels), nor its sizes (pool replicas and bounds, control plane
 *   replicas), except those of a pool `to` does not have at all;
 * - a version `from` inherits (from the fleet's `defaults`, or an add-on's own chart version) that
 *   `to` overrides in its `defaults` is the lag promotion closes: `to`'s override is removed, so
 *   `to` inherits what `from` does. Anything else `to` sets that `from` does not (its sizes,
 *   values, places) is `to`'s own and stays;
 * - clusters are never edited: what a cluster of `to` sets itself keeps winning over its
 *   environment.
 */
export function promotedDefaults(spec: FleetSpec, from: string, to: string, categories: ReadonlySet<SpecCategory>): ClusterSettings | undefined {
  const environments = spec.spec.environments;
  const source = environments.find((e) => e.name === from)!;
  const target = environments.find((e) => e.name === to)!;
  const fleetDefaults = spec.spec.defaults ?? {};
  const fromOwn = leaves((source.defaults ?? {}) as unknown as JsonValue);
  const fromWrites = new Set(fromOwn.map((l) => key(l.steps)));
  const fromLevel = mergeSettings([fleetDefaults, source.defaults ?? {}]) as unknown as JsonValue;
  const toLevel = mergeSettings([fleetDefaults, target.defaults ?? {}]) as unknown as JsonValue;
  const result = clone((target.defaults ?? {}) as unknown as JsonObject);
  const selected = (steps: readonly Step[]): Kind | undefined => {
    const { kind, category } = kindOf(steps);
    return category && categories.has(category) ? kind : undefined;
  };
  for (const leaf of fromOwn) {
    const kind = selected(leaf.steps);
    if (kind === undefined || kind === 'place') continue;
    if (kind === 'size' && !(leaf.steps[0] === 'nodePools' && getAt(toLevel, leaf.steps.slice(0, 2)) === undefined)) continue;
    setAt(result, leaf.steps, leaf.value);
  }
  for (const leaf of leaves((target.defaults ?? {}) as unknown as JsonValue)) {
    if (selected(leaf.steps) !== 'version' || fromWrites.has(key(leaf.steps))) continue;
    const inherited = getAt(fromLevel, leaf.steps) ?? chartVersion(spec, leaf.steps);
    if (inherited !== undefined && !deepEqual(inherited, leaf.value)) removeAt(result, leaf.steps);
  }
  // what `to` wrote empty (`addons: {x: {}}`) stays as written when nothing was carried into it
  if (deepEqual(pruneEmpty(result), pruneEmpty((target.defaults ?? {}) as unknown as JsonObject))) return target.defaults;
  return pruneEmpty(result) as ClusterSettings | undefined;
}

/** An add-on's own chart version, what an environment gets that sets none. */
function chartVersion(spec: FleetSpec, steps: readonly Step[]): string | undefined {
  if (steps[0] !== 'addons' || steps[2] !== 'version') return undefined;
  return spec.spec.addons?.find((a) => a.name === steps[1])?.chart.version;
}
