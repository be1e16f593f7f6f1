import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { convertCrdDocuments, readCrdDocuments } from './crd-files.js';
import { deriveKubernetesSchemas } from './kubernetes-models.js';
import { renderCatalogFiles, type StoredSchema } from './store.js';

/** A release folder under shared/crds: `cluster-api/v1.14.0/…`, `flux/helm-controller/v1.6.3/…`. */
const TAG_SEGMENT = /^v\d+\.\d+\.\d+$/;

/**
 * The bundled catalog (every served version of every CRD under crdRoot, and the core
 * Kubernetes kinds derived from kubernetes-models) as files by relative path. Each schema's source is the project folder, the release tag folder and the file below
 * it; the tag must be the one the project's PROVENANCE.md records.
 */
export function renderBundledCatalog(crdRoot: string): Map<string, string> {
  const converted = convertCrdDocuments(readCrdDocuments([crdRoot], () => ''));
  const schemas: StoredSchema[] = converted.map((c) => {
    const segments = path.relative(crdRoot, c.file).split(path.sep);
    const tagAt = segments.findIndex((s) => TAG_SEGMENT.test(s));
    if (tagAt < 1) throw new BuildError('CRD file is not under <project>/<tag>/', c.file);
    const project = segments.slice(0, tagAt).join('/');
    const tag = segments[tagAt]!;
    checkProvenance(crdRoot, segments[0]!, tag, c.file);
    const stored: StoredSchema = {
      apiVersion: c.apiVersion,
      kind: c.kind,
      deprecated: c.deprecated,
      source: { project, tag, file: segments.slice(tagAt + 1).join('/') },
      schema: c.schema,
    };
    if (c.deprecationWarning !== undefined) stored.deprecationWarning = c.deprecationWarning;
    return stored;
  });
  return renderCatalogFiles([...schemas, ...deriveKubernetesSchemas()]);
}

function checkProvenance(crdRoot: string, projectFolder: string, tag: string, file: string): void {
  const provenance = path.join(crdRoot, projectFolder, 'PROVENANCE.md');
  if (!fs.existsSync(provenance) || !fs.readFileSync(provenance, 'utf8').includes(`\`${tag}\``)) {
    throw new BuildError(`${provenance} does not record tag ${tag}`, file);
  }
}

/** The hand-written schema of fleet.yaml lives beside the generated catalog and is not part of it. */
const KEPT_FOLDERS = new Set(['fleet']);

/** Replaces the catalog in outDir with exactly these files (keeping the fleet spec's schema). */
export function writeCatalogFolder(outDir: string, files: ReadonlyMap<string, string>): void {
  if (fs.existsSync(outDir)) {
    for (const entry of fs.readdirSync(outDir)) {
      if (!KEPT_FOLDERS.has(entry)) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
    }
  }
  for (const [rel, content] of files) {
    const target = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}
