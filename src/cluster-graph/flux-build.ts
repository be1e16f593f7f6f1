/**
 * One path built as Flux's kustomize-controller builds it (fluxcd/pkg/kustomize, used by
 * kustomize-controller v1.9): the folder's kustomization file, or the one Flux generates when
 * there is none, with the Flux Kustomization's own spec written into it; then kustomize without
 * load restrictions. Post-build substitution is substitution.ts.
 */
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { BuildError } from '../errors.js';
import { pointerTokens } from '../json/pointer.js';
import { getPath, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { compiledKustomizationCheck, KUSTOMIZATION_FILE_NAMES, parseKustomization, type KustomizationCheck, type LoadedKustomization } from '../engine/kustomization.js';
import type { FileCache, Loader } from '../engine/loader.js';
import type { ReadSet } from '../engine/read-set.js';
import type { Resource, SourceLocation } from '../engine/resource.js';
import { render } from '../engine/target.js';
import type { Image, Kustomization, Patch } from '../engine/types.js';
import { decodeGoYamlV2 } from '../yaml/go-yaml-v2.js';
import type { RepoFiles } from './repo-files.js';

export interface FluxBuildOptions {
  fileCache?: FileCache;
  /** Receives every path the engine's build looks at. */
  reads?: ReadSet;
  kustomizationCheck?: KustomizationCheck;
  onWarning?: (message: string, file?: string) => void;
}

/**
 * Builds `dir` with a Flux Kustomization's `spec` (declared at `declaredAt`, where errors in the
 * spec's own fields point). Throws BuildError as the engine does.
 */
export function fluxBuild(files: RepoFiles, dir: string, spec: JsonObject, declaredAt: SourceLocation | undefined, options: FluxBuildOptions = {}): Resource[] {
  const resources = render(dir, {
    loadRestrictor: 'none',
    ...(options.fileCache ? { fileCache: options.fileCache } : {}),
    ...(options.reads ? { reads: options.reads } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    // the kustomizations the top one reaches are checked as it is (the engine would compile a check of its own)
    ...(options.kustomizationCheck ? { kustomizationCheck: options.kustomizationCheck } : {}),
    topKustomization: (loader) => withFluxSpec(fluxKustomizationOf(files, loader, declaredAt, options.kustomizationCheck), spec, files, loader.root),
  });
  // kustomize-controller checks what kustomize lets through: every object needs all three
  const incomplete = resources.find((r) => !r.apiVersion || !r.kind || !r.name);
  if (incomplete) {
    throw new BuildError('failed to decode Kubernetes apiVersion, kind and name', incomplete.state.source?.file, incomplete.state.source?.line);
  }
  applyCommonMetadata(resources, spec);
  return resources;
}

/**
 * The fields of a Flux Kustomization's spec that fluxBuild reads (withFluxSpec, commonMetadata):
 * two specs that agree on these build a path alike; the rest (interval, postBuild, kubeConfig, …)
 * acts after the build or not at all.
 */
const BUILD_SPEC_FIELDS = ['targetNamespace', 'namePrefix', 'nameSuffix', 'patches', 'components', 'ignoreMissingComponents', 'images', 'commonMetadata'] as const;

/** The parts of `spec` that shape fluxBuild's result, in a fixed order (see BUILD_SPEC_FIELDS). */
export function buildShapingSpec(spec: JsonObject): [string, JsonValue][] {
  return BUILD_SPEC_FIELDS.flatMap((f): [string, JsonValue][] => (spec[f] !== undefined ? [[f, spec[f]]] : []));
}

/**
 * What fluxBuild's result depends on besides the files: builds with the same key give the same
 * objects (and the same error) while the files are the same. Where the Kustomization is declared
 * counts only for a folder whose kustomization Flux generates (its errors point there).
 */
export function fluxBuildKey(files: RepoFiles, dir: string, spec: JsonObject, declaredAt: SourceLocation | undefined): string {
  const generated = !KUSTOMIZATION_FILE_NAMES.some((n) => files.isFile(path.join(dir, n)));
  return JSON.stringify([dir, generated ? [declaredAt?.file, declaredAt?.line] : [], buildShapingSpec(spec)]);
}

/** The folder's kustomization as Flux reads it, or the one Flux generates for a folder without one. */
function fluxKustomizationOf(files: RepoFiles, loader: Loader, declaredAt: SourceLocation | undefined, check: KustomizationCheck | undefined): LoadedKustomization {
  const present = KUSTOMIZATION_FILE_NAMES.find((n) => loader.isFile(n));
  if (present) {
    const file = path.join(loader.root, present);
    const bytes = loader.load(present);
    const loaded = parsedOrEmpty(bytes, file, present, check);
    // Flux's generator: "if there are no resources, set the build metadata to avoid 'kustomization.yaml is empty'"
    if (!loaded.kustomization.resources?.length) loaded.kustomization.buildMetadata = ['originAnnotations'];
    return loaded;
  }
  const resources = generatedResources(files, loader.root);
  const kustomization: Kustomization = { apiVersion: KUSTOMIZATION_VERSION, kind: 'Kustomization' };
  if (resources.length) kustomization.resources = resources;
  else kustomization.namespace = '_placeholder';
  const file = declaredAt?.file ?? path.join(loader.root, 'kustomization.yaml');
  return { kustomization, deprecations: [], file, fileName: 'kustomization.yaml', lineOf: () => declaredAt?.line };
}

const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';

/**
 * Flux decodes an empty file to an empty kustomization, where kustomize refuses it. Only a file the
 * engine refuses can be one: the common case is parsed once.
 */
function parsedOrEmpty(bytes: Buffer, file: string, fileName: string, check: KustomizationCheck | undefined): LoadedKustomization {
  try {
    return parseKustomization(bytes, file, fileName, droppingUnknownFields(check ?? compiledKustomizationCheck));
  } catch (e) {
    if (!(e instanceof BuildError) || !isEmptyYaml(bytes)) throw e;
    return { kustomization: { apiVersion: KUSTOMIZATION_VERSION, kind: 'Kustomization' }, deprecations: [], file, fileName, lineOf: () => 1 };
  }
}

function isEmptyYaml(bytes: Buffer): boolean {
  try {
    const v = decodeGoYamlV2(bytes.toString('utf8'));
    return v === null || (isObject(v) && Object.keys(v).length === 0);
  } catch {
    return false; // the engine's parse says what is wrong
  }
}

/**
 * Flux re-reads a kustomization file into kustomize's Go types without strict decoding, so a field
 * kustomize does not know is dropped rather than refused. The engine's check stops at the first
 * error; this one removes each unknown field it reports and checks again.
 */
function droppingUnknownFields(check: KustomizationCheck): KustomizationCheck {
  return () => {
    const inner = check();
    const validate = ((value: JsonValue): boolean => {
      for (;;) {
        if (inner(value)) return true;
        const err = inner.errors![0]!;
        const owner = getPath(value, pointerTokens(err.instancePath));
        if (err.keyword !== 'additionalProperties' || !isObject(owner)) {
          validate.errors = inner.errors;
          return false;
        }
        delete owner[(err.params as { additionalProperty: string }).additionalProperty];
      }
    }) as ValidateFunction;
    return validate;
  };
}

/** Files the source-controller leaves out of every artifact (sourceignore's default patterns). */
const IGNORED_NAMES = new Set([
  '.git',
  '.github',
  '.circleci',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '.goreleaser.yml',
  '.sops.yaml',
  '.flux.yaml',
]);

/**
 * What Flux's generator lists for a folder without a kustomization file: every YAML file below it,
 * in walk order, and every sub-folder holding a kustomization file (not descended into).
 */
function generatedResources(files: RepoFiles, root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of files.list(dir)) {
      if (IGNORED_NAMES.has(entry.name)) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory) {
        if (KUSTOMIZATION_FILE_NAMES.some((n) => files.isFile(path.join(p, n)))) out.push(relativeRef(root, p));
        else walk(p);
      } else if (/\.ya?ml$/.test(entry.name)) out.push(relativeRef(root, p));
    }
  };
  walk(root);
  return out;
}

function relativeRef(root: string, p: string): string {
  return `./${path.relative(root, p).split(path.sep).join('/')}`;
}

/** The kustomization with the Flux Kustomization's spec written in, as Flux's generator writes it. */
function withFluxSpec(loaded: LoadedKustomization, spec: JsonObject, files: RepoFiles, root: string): LoadedKustomization {
  const k: Kustomization = { ...loaded.kustomization };
  if (typeof spec.targetNamespace === 'string') k.namespace = spec.targetNamespace;
  if (typeof spec.namePrefix === 'string') k.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === 'string') k.nameSuffix = spec.nameSuffix;
  const patches = objectsAt(spec, 'patches').map((p): Patch => ({ ...(typeof p.patch === 'string' ? { patch: p.patch } : {}), ...(isObject(p.target) ? { target: p.target } : {}) }));
  if (patches.length) k.patches = [...(k.patches ?? []), ...patches];
  const components = Array.isArray(spec.components) ? spec.components.filter((c): c is string => typeof c === 'string') : [];
  for (const c of components) {
    if (/^(?:git::|gh:|ssh:\/\/|https?:\/\/|git@|github\.com[:/])/i.test(c) || path.isAbsolute(c.replace(/^file:\/\//i, ''))) {
      throw new BuildError(`component path '${c}' must be local and relative`);
    }
    if (spec.ignoreMissingComponents === true && !files.exists(path.join(root, c))) continue;
    k.components = [...(k.components ?? []), c];
  }
  const images = objectsAt(spec, 'images');
  if (images.length) k.images = mergeImages(k.images ?? [], images);
  return { ...loaded, kustomization: k };
}

/**
 * Flux merges its images into an entry of the same name field by field; a new tag or digest
 * replaces both, since either one selects the version.
 */
function mergeImages(own: readonly Image[], images: JsonObject[]): Image[] {
  const out = own.map((i) => ({ ...i }));
  for (const image of images) {
    const str = (k: string): string => (typeof image[k] === 'string' ? (image[k] as string) : '');
    const existing = out.find((i) => i.name === str('name'));
    if (!existing) {
      out.push({ name: str('name'), ...(str('newName') ? { newName: str('newName') } : {}), ...(str('newTag') ? { newTag: str('newTag') } : {}), ...(str('digest') ? { digest: str('digest') } : {}) });
      continue;
    }
    if (str('newName')) existing.newName = str('newName');
    if (str('newTag') || str('digest')) {
      existing.newTag = str('newTag');
      existing.digest = str('digest');
      if (!existing.newTag) delete existing.newTag;
      if (!existing.digest) delete existing.digest;
    }
  }
  return out;
}

/** `commonMetadata`: labels and annotations kustomize-controller sets on every object it applies. */
function applyCommonMetadata(resources: Resource[], spec: JsonObject): void {
  const meta = spec.commonMetadata;
  if (!isObject(meta)) return;
  for (const field of ['labels', 'annotations'] as const) {
    const add = meta[field];
    if (!isObject(add)) continue;
    const strings = Object.fromEntries(Object.entries(add).filter((e): e is [string, string] => typeof e[1] === 'string'));
    for (const r of resources) r.setStringMap(field, { ...(field === 'labels' ? r.labels() : r.annotations()), ...strings });
  }
}

function objectsAt(spec: JsonObject, field: string): JsonObject[] {
  const v = spec[field];
  return Array.isArray(v) ? v.filter(isObject) : [];
}
