import { BuildError } from '../errors.js';
import { parseSingleDocument } from '../yaml/parse.js';
import { isObject } from '../json/value.js';
import type { Loader } from './loader.js';
import { MergeSchemaSet } from './merge/schema.js';
import { buildMergeTable } from './merge/schema-table.js';

/** The only Kubernetes schema kustomize v5.5.0 has built in. */
const BUILTIN_VERSION = 'v1.21.2';

/**
 * The strategic-merge schemas a kustomization's `openapi` field asks for: `path` names an
 * OpenAPI v2 document (JSON or YAML) that replaces the built-in Kubernetes schema entirely;
 * `version` may only name the built-in one. Which kustomization's field wins is the pipeline's
 * business (target.ts).
 */
export function mergeSchemasFor(openapi: Record<string, string> | undefined, loader: Loader): MergeSchemaSet {
  const version = openapi?.version;
  const file = openapi?.path;
  if (version && file) throw new BuildError('openapi: builtin version and custom schema provided, cannot use both');
  if (version && version !== BUILTIN_VERSION) {
    throw new BuildError(`openapi: the only built-in Kubernetes schema is ${BUILTIN_VERSION}, not '${version}'`);
  }
  if (!file) return MergeSchemaSet.builtin();
  return loader.fileCache.memo(`openapi:${loader.resolve(file)}`, () => {
    const doc = parseSingleDocument(loader.load(file).toString('utf8'), loader.resolve(file));
    const definitions = isObject(doc) ? doc.definitions : undefined;
    if (!isObject(definitions)) throw new BuildError(`openapi schema ${file} has no 'definitions' mapping`, loader.resolve(file));
    return new MergeSchemaSet(buildMergeTable(definitions as Parameters<typeof buildMergeTable>[0]));
  });
}
