import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../../../src/json/value.js';
import { Resource } from '../../../src/engine/resource.js';
import { ResMap } from '../../../src/engine/resmap.js';
import type { Transformer } from '../../../src/engine/types.js';

/** The objects of a multi-document YAML text (test tables are easier to read in YAML). */
export function objects(yamlText: string): JsonObject[] {
  return parseAllDocuments(yamlText).map((d) => d.toJS() as JsonObject);
}

export function resMapOf(yamlText: string): ResMap {
  return new ResMap(objects(yamlText).map((o) => new Resource(o)));
}

/** Runs a transformer on the objects of a YAML text and returns the resulting objects. */
export function transform(t: Transformer, yamlText: string): JsonObject[] {
  const m = resMapOf(yamlText);
  t(m);
  return m.resources().map((r) => r.obj);
}
