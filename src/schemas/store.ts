import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { readRegularFile, safeFileName, sha256, writeFileInside } from '../files.js';

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

/**
 * An upstream release a catalog holds, as people name it: the schemas whose `source.project` is
 * `project` or lies below it (`flux` holds `flux/helm-controller`) come from `name` ("Flux 2.9").
 */
export interface CatalogRelease {
  project: string;
  name: string;
}

/** A catalog folder's index.json: its schemas and, for the bundled catalog, the releases they come from. */
export interface CatalogIndex {
  releases: CatalogRelease[];
  schemas: IndexRecord[];
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

/** A catalog folder's schema records (see readCatalogIndex). */
export function readIndex(dir: string): IndexRecord[] {
  return readCatalogIndex(dir).schemas;
}

/**
 * Reads a catalog folder's index; a folder without one is an empty catalog. The index lies in the
 * repository, so it is checked whole: one that is not what `schemas import` writes is refused in
 * one line (JSON.parse's own message would quote the file's bytes).
 */
export function readCatalogIndex(dir: string): CatalogIndex {
  const file = path.join(dir, INDEX_FILE);
  const bytes = readRegularFile(file);
  if (bytes === undefined) return { releases: [], schemas: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BuildError(bytes.length === 0 ? 'the schema catalog index is empty' : 'the schema catalog index is not valid JSON', file);
  }
  const schemas = isRecord(parsed) ? parsed.schemas : undefined;
  if (!Array.isArray(schemas)) throw new BuildError('the schema catalog index is not an object with a "schemas" list', file);
  schemas.forEach((record, i) => {
    const wrong = wrongRecordField(record);
    if (wrong) throw new BuildError(`the schema catalog index's schemas[${i}]: ${wrong}`, file);
  });
  const releases = (parsed as Record<string, unknown>).releases ?? [];
  if (!Array.isArray(releases) || !releases.every((r) => isRecord(r) && typeof r.project === 'string' && typeof r.name === 'string')) {
    throw new BuildError('the schema catalog index\'s releases is not a list of objects of project and name', file);
  }
  return { releases: releases as CatalogRelease[], schemas: schemas as IndexRecord[] };
}

/** The release a schema of this source project comes from, if its catalog names one. */
export function releaseOf(releases: readonly CatalogRelease[], project: string): CatalogRelease | undefined {
  return releases.find((r) => project === r.project || project.startsWith(`${r.project}/`));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with an index record, if anything: its fields' types, and a file that is a path below the catalog. */
function wrongRecordField(record: unknown): string | undefined {
  if (!isRecord(record)) return 'not an object';
  for (const field of ['apiVersion', 'kind', 'file', 'hash'] as const) if (typeof record[field] !== 'string') return `${field} is not a string`;
  if (typeof record.deprecated !== 'boolean') return 'deprecated is not true or false';
  if (record.deprecationWarning !== undefined && typeof record.deprecationWarning !== 'string') return 'deprecationWarning is not a string';
  const source = record.source;
  if (!isRecord(source) || !['project', 'tag', 'file'].every((f) => typeof source[f] === 'string')) return 'source is not an object of project, tag and file';
  const segments = (record.file as string).split('/');
  if (segments.some((s) => s !== safeFileName(s) || s === '')) return `file ${JSON.stringify(record.file)} is not a path below the catalog folder`;
  return undefined;
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

/** index.json for these records, sorted by apiVersion and kind, after the releases they come from (if named). */
export function renderIndex(records: readonly IndexRecord[], releases: readonly CatalogRelease[] = []): string {
  return `${JSON.stringify({ ...(releases.length ? { releases } : {}), schemas: [...records].sort(compareRecords) }, null, 1)}\n`;
}

/** Every file of a catalog folder holding exactly these schemas, from these releases. */
export function renderCatalogFiles(schemas: readonly StoredSchema[], releases: readonly CatalogRelease[] = []): Map<string, string> {
  const { files, records } = renderSchemaFiles(schemas);
  files.set(INDEX_FILE, renderIndex(records, releases));
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
