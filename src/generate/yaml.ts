import type { JsonObject } from '../json/value.js';
import { emitDocument } from '../yaml/emit.js';

/**
 * Generated files in the style kustomize prints, with keys in the order the generator builds them
 * (apiVersion, kind, metadata, spec). Strings go-yaml v2 would read as something else (`yes`, `on`,
 * `0644`) are quoted, which matters because kustomize reads kustomization files with it.
 */
export function toYaml(docs: readonly JsonObject[]): string {
  return docs.map((doc) => emitDocument(doc, { keyOrder: 'insertion' })).join('---\n');
}
