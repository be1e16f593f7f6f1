import { BuildError } from '../errors.js';
import { getPath, isObject } from '../json/value.js';
import { parseDocuments, type ParsedDocument } from '../yaml/parse.js';
import { checkClusterNames, checkClusterSettings, checkSpec } from './checks.js';
import { DEFAULT_BRANCH, fleetNamespace, mergeSettings, repositoryPath, resolveCluster, settingsLevels } from './resolve.js';
import { checkSchema } from './schema.js';
import { SpecSource } from './source.js';
import { FLEET_KIND, type FleetSpec, type ResolvedCluster, type ResolvedFleet } from './types.js';

/**
 * Reads a fleet spec (fleet.yaml): parses it, checks it against its JSON Schema and the rules
 * the schema cannot express, and resolves every cluster's settings. Pure; every problem with the
 * spec is a BuildError `file:line: what is wrong`, the first one in the file.
 */
export function loadFleet(text: string, file: string): ResolvedFleet {
  return fleetFromDocuments(parseDocuments(text, file), file);
}

/** loadFleet for a file already parsed (validate meets fleet.yaml among the manifests). */
export function fleetFromDocuments(docs: readonly ParsedDocument[], file: string): ResolvedFleet {
  const content = docs.filter((d) => d.value !== null);
  if (content.length !== 1) {
    throw new BuildError(`expected one YAML document holding the Fleet, found ${content.length}`, file, content[1]?.line);
  }
  const { value, lines } = content[0]!;
  const source = new SpecSource(file, lines);
  checkSchema(value, source);
  const spec = value as unknown as FleetSpec;
  checkSpec(spec, source);
  const clusters = spec.spec.clusters.map((entry, i): ResolvedCluster => {
    const levels = settingsLevels(spec, i);
    const merged = mergeSettings(levels.map((l) => l.settings));
    checkClusterSettings(entry.name, merged, levels, source);
    const cluster = resolveCluster(spec, entry, merged);
    checkClusterNames(cluster, levels, source);
    return cluster;
  });
  return {
    name: spec.metadata.name,
    namespace: fleetNamespace(spec),
    repository: { url: spec.spec.repository.url, branch: spec.spec.repository.branch ?? DEFAULT_BRANCH, path: repositoryPath(spec.spec.repository.path) },
    environments: spec.spec.environments,
    addons: spec.spec.addons ?? [],
    clusters,
    spec,
    file,
  };
}

/**
 * The repository URL a fleet spec names (`spec.repository.url`), read without checking or
 * resolving the rest: undefined when the text holds no Fleet with one or does not parse.
 */
export function fleetRepositoryUrl(text: string | Buffer, file: string): string | undefined {
  try {
    const fleet = parseDocuments(text, file).find((d) => isObject(d.value) && d.value.kind === FLEET_KIND);
    const url = getPath(fleet?.value, ['spec', 'repository', 'url']);
    return typeof url === 'string' ? url : undefined;
  } catch (e) {
    if (e instanceof BuildError) return undefined; // what is wrong with the spec is for whoever loads it whole
    throw e;
  }
}
