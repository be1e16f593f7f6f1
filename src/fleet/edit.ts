import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deepEqual, type JsonValue } from '../json/value.js';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { resolvePlain } from '../yaml/parse.js';
import { loadFleet } from './load.js';
import type { ClusterEntry } from './types.js';

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
  const result = insertEntry(text, clusters, entry);
  const added = loadFleet(result, file).spec.spec.clusters.at(-1);
  if (!deepEqual(added as unknown as JsonValue, entry as unknown as JsonValue)) {
    throw new Error(`cluster "${cluster.name}" does not read back as written`);
  }
  return result;
}

/**
 * The entry as YAML. A string that a plain scalar would not give back (`0o14` is a number and
 * `2024-01-01` a date to the YAML reader capifleet and kustomize share) is double-quoted.
 */
function entryYaml(entry: ClusterEntry, flow: boolean): string {
  const { Document, Scalar, visit } = yamlLibrary();
  const doc = new Document(entry);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && resolvePlain(node.value).type !== 'str') node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, ...(flow ? { collectionStyle: 'flow', flowCollectionPadding: false } : {}) }).trimEnd();
}

function insertEntry(text: string, clusters: Pair<Scalar, YAMLSeq>, entry: ClusterEntry): string {
  const seq = clusters.value!;
  const [start, end] = seq.range!;
  if (seq.flow && seq.items.length > 0) {
    const close = text.lastIndexOf(']', end - 1);
    return `${text.slice(0, close)}, ${entryYaml(entry, true)}${text.slice(close)}`;
  }
  const lines = entryYaml(entry, false).split('\n');
  if (seq.flow) {
    // `clusters: []  # comment` → `clusters:  # comment` and a block list one step below the key
    const indent = columnAt(text, clusters.key.range![0]) + 2;
    const colon = text.lastIndexOf(':', start);
    const lineEnd = endOfLine(text, end);
    return `${text.slice(0, colon + 1)}${text.slice(end, lineEnd)}\n${blockItem(lines, indent, indent + 2)}\n${text.slice(lineEnd + 1)}`;
  }
  const first = seq.items[0] as Node;
  const dash = text.lastIndexOf('-', first.range![0] - 1);
  const contentColumn = columnAt(text, first.range![0]);
  const item = blockItem(lines, columnAt(text, dash), contentColumn);
  let lineEnd = endOfLine(text, contentEnd(seq));
  // comment lines indented like the last entry's fields are the last entry's
  for (let next = lineEnd + 1; next < text.length; next = lineEnd + 1) {
    const comment = /^( *)#/.exec(text.slice(next, endOfLine(text, next)));
    if (!comment || comment[1]!.length < contentColumn) break;
    lineEnd = endOfLine(text, next);
  }
  return `${text.slice(0, lineEnd)}\n${item}\n${text.slice(lineEnd + 1)}`;
}

/** Where a block collection's last value ends: comments and blank lines after it belong to what follows. */
function contentEnd(node: Node): number {
  const { isCollection, isPair } = yamlLibrary();
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const value = isPair(last) ? (last.value ?? last.key) : last;
    return contentEnd(value as Node);
  }
  return node.range![1];
}

/** A block list item: `-` at dashColumn, the entry's lines at contentColumn. */
function blockItem(lines: readonly string[], dashColumn: number, contentColumn: number): string {
  return lines
    .map((line, i) => (i === 0 ? `${' '.repeat(dashColumn)}-${' '.repeat(contentColumn - dashColumn - 1)}${line}` : `${' '.repeat(contentColumn)}${line}`))
    .join('\n');
}

/** The offset of the line break ending the line at offset (the text's length when it has none). */
function endOfLine(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
