import * as fs from 'node:fs';
import * as path from 'node:path';
import { safeFileName, sha256, writeFileInside } from '../files.js';

/** Where a schema came from: an upstream project at a tag, and the CRD file in it. */
export interface SchemaSource {
  project: string;
  tag: string;
  file: string;
}

/** One line of a catalog folder's index.json. */
export interface IndexRecord {
  apiVersion: string;
  kind: string;
  /** the schema file, relative to the catalog folder */
  file: string;
  deprecated: boolean;
  /** the served version's deprecationWarning, when upstream sets one */
  deprecationWarning?: string;
  /** sha256 (hex) of the schema file's bytes */
  hash: string;
  source: SchemaSource;
}

/** A schema ready to be written to a catalog folder. */
export interface StoredSchema extends Omit<IndexRecord, 'file' | 'hash'> {
  schema: object;
}

export const INDEX_FILE = 'index.json';

/** The schema as written: minified JSON in the key order the converter built, so output is reproducible. */
export function serializeSchema(schema: object): string {
  return JSON.stringify(schema);
}

/**
 * cluster.x-k8s.io/v1beta2 + Cluster → cluster.x-k8s.io/v1beta2/Cluster.json; core v1 → core/v1/...
 * The parts come from a CRD, so each is made one safe path segment.
 */
export function schemaFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return [group!, version!, `${kind}.json`].map(safeFileName).join('/');
}

export function compareRecords(a: { apiVersion: string; kind: string }, b: { apiVersion: string; kind: string }): number {
  const ka = `${a.apiVersion}\u0000${a.kind}`;
  const kb = `${b.apiVersion}\u0000${b.kind}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Reads a catalog folder's index; a folder without one is an empty catalog. */
export function readIndex(dir: string): IndexRecord[] {
  const file = path.join(dir, INDEX_FILE);
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { schemas?: IndexRecord[] };
  return parsed.schemas ?? [];
}

/** The JSON file of each schema (by path relative to the catalog folder) and its index record. */
export function renderSchemaFiles(schemas: readonly StoredSchema[]): { files: Map<string, string>; records: IndexRecord[] } {
  const files = new Map<string, string>();
  const records: IndexRecord[] = [];
  for (const s of schemas) {
    const text = serializeSchema(s.schema);
    const file = schemaFileName(s.apiVersion, s.kind);
    files.set(file, `${text}\n`);
    records.push({
      apiVersion: s.apiVersion,
      kind: s.kind,
      file,
      deprecated: s.deprecated,
      ...(s.deprecationWarning === undefined ? {} : { deprecationWarning: s.deprecationWarning }),
      hash: sha256(text),
      source: { project: s.source.project, tag: s.source.tag, file: s.source.file },
    });
  }
  return { files, records };
}

/** index.json for these records, sorted by apiVersion and kind. */
export function renderIndex(records: readonly IndexRecord[]): string {
  return `${JSON.stringify({ schemas: [...records].sort(compareRecords) }, null, 1)}\n`;
}

/** Every file of a catalog folder holding exactly these schemas. */
export function renderCatalogFiles(schemas: readonly StoredSchema[]): Map<string, string> {
  const { files, records } = renderSchemaFiles(schemas);
  files.set(INDEX_FILE, renderIndex(records));
  return files;
}

/**
 * Adds schemas to a catalog folder, replacing any of the same apiVersion and kind. Each file is
 * replaced atomically and the index last, so a reader never sees an index naming a missing or
 * half-written file.
 */
export function addToCatalog(dir: string, schemas: readonly StoredSchema[]): IndexRecord[] {
  const { files, records } = renderSchemaFiles(schemas);
  for (const [file, content] of files) writeFileInside(dir, file.split('/'), content);
  const added = new Set(records.map((r) => `${r.apiVersion}\u0000${r.kind}`));
  const kept = readIndex(dir).filter((r) => !added.has(`${r.apiVersion}\u0000${r.kind}`));
  writeFileInside(dir, [INDEX_FILE], renderIndex([...kept, ...records]));
  return records;
}
