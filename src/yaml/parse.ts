import { parseAllDocuments } from 'yaml';
import { BuildError } from '../errors.js';
import type { JsonValue } from '../engine/json.js';

/** One YAML document of a file, with the 1-based line where its content starts. */
export interface ParsedDocument {
  value: JsonValue;
  line: number;
}

/**
 * Parses a multi-document YAML file as kustomize (go-yaml v3) reads it.
 * TEMPORARY: plain `yaml` library semantics; being replaced by the go-yaml compatible reader.
 */
export function parseDocuments(text: string | Buffer, file: string): ParsedDocument[] {
  const src = typeof text === 'string' ? text : text.toString('utf8');
  const docs = parseAllDocuments(src);
  const out: ParsedDocument[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      throw new BuildError(e.message.split('\n')[0]!, file, e.linePos?.[0]?.line);
    }
    const value = d.toJS() as JsonValue;
    out.push({ value: value ?? null, line: 1 });
  }
  return out;
}
