/**
 * STUB for the `writer` branch, so `capifleet add-cluster` builds before the `spec` branch lands.
 * The lead takes the `spec` branch's version of this file at merge; only the signature is shared.
 * It appends to the end of the file, so it only works where `spec.clusters` comes last.
 */
import { parse } from 'yaml';
import { BuildError } from '../errors.js';
import type { ClusterEntry, FleetSpec } from './types.js';

export function addClusterToSpec(text: string, file: string, cluster: ClusterEntry): string {
  const spec = parse(text) as FleetSpec;
  if (spec.spec.clusters.some((c) => c.name === cluster.name)) throw new BuildError(`cluster ${cluster.name} already exists`, file);
  if (!spec.spec.environments.some((e) => e.name === cluster.environment)) throw new BuildError(`unknown environment ${cluster.environment}`, file);
  return text + Object.entries(cluster).map(([key, value], i) => `${i ? '      ' : '    - '}${key}: ${String(value)}\n`).join('');
}
