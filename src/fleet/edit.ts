/**
 * STUB for the `writer` branch, so `capifleet add-cluster` builds before the `spec` branch lands.
 * The lead takes the `spec` branch's version of this file at merge; only the signature is shared.
 */
import { parseDocument } from 'yaml';
import { BuildError } from '../errors.js';
import type { ClusterEntry, FleetSpec } from './types.js';

export function addClusterToSpec(text: string, file: string, cluster: ClusterEntry): string {
  const doc = parseDocument(text);
  const spec = doc.toJS() as FleetSpec;
  if (spec.spec.clusters.some((c) => c.name === cluster.name)) throw new BuildError(`cluster ${cluster.name} already exists`, file);
  if (!spec.spec.environments.some((e) => e.name === cluster.environment)) throw new BuildError(`unknown environment ${cluster.environment}`, file);
  doc.addIn(['spec', 'clusters'], doc.createNode(cluster));
  return doc.toString();
}
