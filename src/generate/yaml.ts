import { stringify } from 'yaml';
import type { JsonObject } from '../engine/json.js';

/**
 * Generated files as a person reads them: keys in the order the generator builds them (apiVersion,
 * kind, metadata, spec), block style, no line folding. Strings YAML 1.1 would read as something else
 * (`yes`, `on`, `0644`) are quoted, because kustomize reads kustomization files with a YAML 1.1 parser.
 */
export function toYaml(docs: readonly JsonObject[]): string {
  return docs.map((doc) => stringify(doc, { version: '1.1', lineWidth: 0, indentSeq: false })).join('---\n');
}
