import { createHash } from 'node:crypto';
import type { SchemaCatalog, SchemaEntry } from '../../src/schemas/catalog.js';
import { compareKubeVersions } from '../../src/schemas/catalog.js';
import { parseApiVersion } from '../../src/kubernetes/resource-key.js';
import { Resource } from '../../src/engine/resource.js';
import { parseDocuments } from '../../src/yaml/parse.js';
import type { JsonObject } from '../../src/json/value.js';

/** A catalog of hand-written schemas, so tests do not depend on the bundled ones. */
export function fakeCatalog(schemas: { apiVersion: string; kind: string; schema: object; deprecated?: boolean; release?: string }[]): SchemaCatalog {
  const entries: SchemaEntry[] = schemas.map((s) => ({
    apiVersion: s.apiVersion,
    kind: s.kind,
    schema: s.schema,
    deprecated: s.deprecated ?? false,
    hash: createHash('sha256').update(JSON.stringify(s.schema)).digest('hex'),
    source: { project: 'test', tag: 'v0', file: 'test.yaml' },
    ...(s.release ? { release: s.release } : {}),
  }));
  return {
    lookup: (apiVersion, kind) => entries.find((e) => e.apiVersion === apiVersion && e.kind === kind),
    versionsOf: (group, kind) =>
      entries
        .filter((e) => e.kind === kind && parseApiVersion(e.apiVersion).group === group)
        .map((e) => parseApiVersion(e.apiVersion).version)
        .sort(compareKubeVersions),
    entries: () => entries,
    releases: () => [],
  };
}

/** A strict object schema: the given properties, nothing else. */
export function strict(properties: Record<string, object>, required: string[] = []): object {
  return { type: 'object', properties, required, additionalProperties: false };
}

const metadata = strict({ name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object' }, annotations: { type: 'object' } });

/** A whole-object schema as the converter writes them: apiVersion, kind, metadata, then spec. */
export function objectSchema(spec: object, extra: Record<string, object> = {}): object {
  return strict({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata, spec, ...extra }, ['apiVersion', 'kind']);
}

/** Resources from a YAML stream, each remembering its document's file and line like rendered ones. */
export function resourcesFromYaml(yaml: string, file = '/virtual/manifests.yaml'): Resource[] {
  return parseDocuments(yaml, file)
    .filter((d) => d.value !== null)
    .map((d) => {
      const r = new Resource(d.value as JsonObject);
      r.state.source = { file, line: d.line };
      return r;
    });
}
