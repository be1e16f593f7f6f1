import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { convertCrdDocuments, readCrdDocuments } from './crd-files.js';
import { deriveKubernetesSchemas, KUBERNETES_MODELS_PROJECT, kubernetesRelease } from './kubernetes-models.js';
import { renderCatalogFiles, type CatalogRelease, type StoredSchema } from './store.js';

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
  const releases = bundledReleases(schemas);
  releases.push({ project: KUBERNETES_MODELS_PROJECT, name: kubernetesRelease() });
  return renderCatalogFiles([...schemas, ...deriveKubernetesSchemas()], releases);
}

/** `v1.14.0` → `v1.14`: people name a release by its minor version. */
const minorOf = (tag: string): string => tag.split('.').slice(0, 2).join('.');

/**
 * How each project folder of shared/crds names its release, from the tags its PROVENANCE.md
 * records (by source project). Flux is released as a whole while the CRDs come from its
 * controllers: since Flux 2.3, Flux 2.N ships kustomize-controller v1.N.
 */
const RELEASE_NAMES: Record<string, (tags: ReadonlyMap<string, string>) => string | undefined> = {
  'cluster-api': (tags) => tags.get('cluster-api') && `Cluster API ${minorOf(tags.get('cluster-api')!)}`,
  'cluster-api-provider-azure': (tags) => tags.get('cluster-api-provider-azure') && `CAPZ ${minorOf(tags.get('cluster-api-provider-azure')!)}`,
  flux: (tags) => {
    const controller = /^v1\.(\d+)\./.exec(tags.get('flux/kustomize-controller') ?? '');
    return controller ? `Flux 2.${controller[1]}` : undefined;
  },
};

/** The release of each project folder the schemas come from, named once for the catalog's index. */
function bundledReleases(schemas: readonly StoredSchema[]): CatalogRelease[] {
  const tags = new Map(schemas.map((s) => [s.source.project, s.source.tag]));
  const folders = [...new Set(schemas.map((s) => s.source.project.split('/')[0]!))].sort();
  return folders.map((project) => {
    const name = RELEASE_NAMES[project]?.(tags);
    if (name === undefined) throw new BuildError(`no release name for the CRDs of ${project}; add one to RELEASE_NAMES`);
    return { project, name };
  });
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
