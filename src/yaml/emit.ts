import { stringify } from 'yaml';
import type { JsonValue } from '../engine/json.js';

/**
 * Prints one resource exactly as kustomize does: a JSON round trip (sorted keys, Go number
 * formatting) emitted by go-yaml v2 (block style, 80-column folding, its quoting rules).
 * TEMPORARY: plain `yaml` library output; being replaced by the go-yaml compatible emitter.
 */
export function emitDocument(value: JsonValue): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 80 });
}
