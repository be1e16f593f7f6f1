/**
 * STUB for the `writer` branch, so `capifleet generate` builds before the `spec` branch lands.
 * The lead takes the `spec` branch's version of this file at merge; only the signature is shared.
 */
import { parse, YAMLParseError } from 'yaml';
import { BuildError } from '../errors.js';
import type { FleetSpec, ResolvedFleet } from './types.js';

export function loadFleet(text: string, file: string): ResolvedFleet {
  let spec: FleetSpec;
  try {
    spec = parse(text) as FleetSpec;
  } catch (e) {
    if (e instanceof YAMLParseError) throw new BuildError(e.message.split('\n')[0]!, file, e.linePos?.[0].line);
    throw e;
  }
  if (spec?.kind !== 'Fleet' || !Array.isArray(spec.spec?.clusters)) throw new BuildError('not a Fleet spec', file, 1);
  const namespace = spec.spec.namespace ?? spec.metadata.name;
  return {
    name: spec.metadata.name,
    namespace,
    repository: { url: spec.spec.repository.url, branch: spec.spec.repository.branch ?? 'main' },
    environments: spec.spec.environments,
    addons: spec.spec.addons ?? [],
    clusters: spec.spec.clusters.map((c) => ({
      name: c.name,
      environment: c.environment,
      namespace,
      provider: c.provider ?? spec.spec.defaults?.provider ?? 'docker',
      capiVersion: 'v1beta2',
      kubernetesVersion: c.kubernetesVersion ?? spec.spec.defaults?.kubernetesVersion ?? 'v1.32.6',
      azure: {},
      nodePools: [],
      controlPlane: {},
      addons: [],
      labels: c.labels ?? {},
    })),
    spec,
    file,
  };
}
