import type { JsonObject } from '../../src/json/value.js';
import { parseDocuments } from '../../src/yaml/parse.js';

/** The objects of a multi-document YAML text. */
export function objects(yaml: string): JsonObject[] {
  return parseDocuments(yaml, 'test.yaml')
    .map((d) => d.value)
    .filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v));
}
