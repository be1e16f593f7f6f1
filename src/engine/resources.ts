import { BuildError } from '../errors.js';
import { parseDocuments } from '../yaml/parse.js';
import { clone, getPath, isObject, type JsonObject, type JsonValue } from './json.js';
import type { Loader } from './loader.js';
import { Resource, emptyBuildState } from './resource.js';

/**
 * Reads the resources of one manifest file: every non-empty document, with `kind: *List`
 * documents expanded into their items, as kustomize's resource reader does.
 */
export function readResourceFile(loader: Loader, ref: string): Resource[] {
  const file = loader.resolve(ref);
  const docs = loader.fileCache.memo(`docs:${file}`, () => parseDocuments(loader.fileCache.read(file), file));
  const out: Resource[] = [];
  for (const doc of docs) {
    for (const obj of expandList(doc.value, file, doc.line)) {
      const r = new Resource(clone(obj), emptyBuildState());
      r.state.source = { file, line: doc.line };
      out.push(r);
    }
  }
  return out;
}

/** Objects parsed from inline YAML (patches, inline transformer configs) as resources. */
export function resourcesFromDocuments(values: JsonValue[], file: string, line = 1): Resource[] {
  return values.flatMap((v) => expandList(v, file, line)).map((obj) => new Resource(clone(obj)));
}

function expandList(value: JsonValue, file: string, line: number): JsonObject[] {
  if (value === null || (isObject(value) && Object.keys(value).length === 0)) return [];
  if (!isObject(value)) throw new BuildError('missing Resource metadata: a document is not a mapping', file, line);
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.flatMap((item) => expandList(item, file, line));
  }
  checkIdentity(value, file, line);
  return [value];
}

function checkIdentity(obj: JsonObject, file: string, line: number): void {
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new BuildError('missing kind in object', file, line);
  const name = getPath(obj, ['metadata', 'name']);
  if (typeof name !== 'string' || name === '') {
    throw new BuildError(`missing metadata.name in ${obj.kind} object`, file, line);
  }
}
