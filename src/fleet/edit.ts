import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deepEqual, type JsonValue } from '../json/value.js';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { appendToSequence, lineAt, setYamlValue } from '../yaml/edit.js';
import { loadFleet } from './load.js';
import type { ClusterEntry, ClusterSettings } from './types.js';

/**
 * fleet.yaml with one more cluster at the end of `spec.clusters`. The rest of the text is kept
 * byte for byte (comments, blank lines, key order, quoting); only the new entry is written, in
 * the style of the list it joins (block or flow; `clusters: []` becomes a block list). Both the
 * spec and the result must load: their problems are BuildErrors, and so is adding a cluster
 * whose name is taken or whose environment is not defined.
 */
export function addClusterToSpec(text: string, file: string, cluster: ClusterEntry): string {
  const fleet = loadFleet(text, file);
  // loadFleet allows empty documents around the Fleet's
  const { Document, parseAllDocuments } = yamlLibrary();
  const doc = parseAllDocuments(text).find((d) => d instanceof Document && d.contents !== null) as Document;
  const clusters = (doc.get('spec', true) as YAMLMap<Scalar, unknown>).items.find((p) => p.key.value === 'clusters') as Pair<Scalar, YAMLSeq>;
  const existing = fleet.spec.spec.clusters.findIndex((c) => c.name === cluster.name);
  if (existing >= 0) {
    const at = (clusters.value!.items[existing] as Node).range![0];
    throw new BuildError(`cluster "${cluster.name}" is already in the spec`, file, lineAt(text, at));
  }
  const environments = fleet.environments.map((e) => e.name);
  if (!environments.includes(cluster.environment)) {
    const at = (doc.getIn(['spec', 'environments'], true) as Node).range![0];
    throw new BuildError(`environment "${cluster.environment}" is not defined in spec.environments (defined: ${environments.join(', ')})`, file, lineAt(text, at));
  }
  const { name, environment, ...settings } = cluster;
  const entry = JSON.parse(JSON.stringify({ name, environment, ...settings })) as ClusterEntry;
  const result = appendToSequence(text, clusters, entry as unknown as JsonValue);
  const added = loadFleet(result, file).spec.spec.clusters.at(-1);
  if (!deepEqual(added as unknown as JsonValue, entry as unknown as JsonValue)) {
    throw new Error(`cluster "${cluster.name}" does not read back as written`);
  }
  return result;
}

/**
 * fleet.yaml with environment `name`'s `defaults` made `defaults` (undefined: removed), keeping
 * every byte that does not change (see setYamlValue). The spec must load before and after.
 */
export function setEnvironmentDefaults(text: string, file: string, name: string, defaults: ClusterSettings | undefined): string {
  const fleet = loadFleet(text, file);
  const index = fleet.environments.findIndex((e) => e.name === name);
  if (index < 0) throw new BuildError(`environment "${name}" is not defined in spec.environments`, file);
  const { Document, parseAllDocuments } = yamlLibrary();
  const documentIndex = parseAllDocuments(text).findIndex((d) => d instanceof Document && d.contents !== null);
  const value = defaults === undefined ? undefined : (JSON.parse(JSON.stringify(defaults)) as JsonValue);
  const result = setYamlValue(text, documentIndex, ['spec', 'environments', index, 'defaults'], value);
  const written = loadFleet(result, file).environments[index]!.defaults as unknown as JsonValue | undefined;
  if (!deepEqual(written, value)) throw new Error(`environment "${name}" does not read back as written`);
  return result;
}
