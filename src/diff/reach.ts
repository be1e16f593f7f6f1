/**
 * What a Flux build of a folder can read, bounded from the kustomization files alone, without
 * building it: a kustomization reads its own file, the files and folders its fields name
 * (resources, components, patches, generator sources, CRDs, configurations, OpenAPI schema) and
 * nothing else; the Flux Kustomizations among the resource files it names lead to further folders
 * (their `spec.path`), which are bounded the same way. So when no changed path is among all that,
 * the folder's build and everything it leads to are the same at both states of a diff and need
 * not be built. Where the files do not bound what is read or where Flux goes next, the answer is
 * that the folder may read a change: a folder without a kustomization file (Flux lists it), helm
 * charts, plugins and replacements, a remote resource, a symlink, a path Flux substitutes
 * variables into, a patch that may set a Flux Kustomization's path or change an object's kind,
 * components, substitutions from objects or an ExternalArtifact source in a Flux Kustomization.
 */
import * as path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization, type KustomizationCheck } from '../engine/kustomization.js';
import type { FileCache } from '../engine/loader.js';
import type { Kustomization, Patch } from '../engine/types.js';
import { BuildError } from '../errors.js';
import { getPath, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { FLUX_KUSTOMIZE_GROUP } from '../kubernetes/api-groups.js';
import { normalize } from '../cluster-graph/entry-points.js';
import { postBuildOf } from '../cluster-graph/substitution.js';
import { parseDocuments } from '../yaml/parse.js';
import type { ChangeSet } from './repository.js';

/** A folder's own reads: whether one is a change, and the folders (absolute) it leads to; undefined when the files do not bound them. */
type FolderReads = { changed: boolean; next: string[] } | undefined;

/** Kustomization fields whose effects the files do not bound (charts, plugins) or that may rewrite any field (replacements). */
const UNBOUNDED_FIELDS = ['helmCharts', 'helmGlobals', 'generators', 'transformers', 'validators', 'replacements'] as const;

/** A resource kustomize would fetch rather than read from the tree. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com[:/])|\?ref=/i;

/**
 * Whether the Flux build of a folder of the repository at `root` (relative, with the Flux
 * Kustomization's `spec`) or anything it leads to may read one of `changes`: false only when the
 * kustomization files prove it does not.
 */
export function changeReach(root: string, changes: ChangeSet, fileCache: FileCache, check?: KustomizationCheck): (rel: string, spec: JsonObject) => boolean {
  const top = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const relative = (abs: string): string | undefined => (abs === root ? '' : abs.startsWith(top) ? abs.slice(top.length).split(path.sep).join('/') : undefined);
  const changedAt = (abs: string): boolean => {
    const rel = relative(abs);
    // outside the repository both states see the same
    if (rel === undefined) return false;
    for (let p = rel; p !== '' && p !== '.'; p = path.posix.dirname(p)) if (changes.paths.has(p)) return true;
    return false;
  };
  const own = new Map<string, FolderReads>();
  const folderReads = (dir: string): FolderReads => {
    if (!own.has(dir)) own.set(dir, readsOf(dir));
    return own.get(dir);
  };
  const readsOf = (dir: string): FolderReads => {
    const kind = fileCache.kind(dir);
    // Flux finds no folder to build there, at either state unless the path changed
    if (kind !== 'directory') return { changed: changedAt(dir), next: [] };
    if (fileCache.realpath(dir) !== dir) return undefined;
    const names = fileCache.list(dir);
    const present = KUSTOMIZATION_FILE_NAMES.filter((n) => names.includes(n) && fileCache.kind(path.join(dir, n)) === 'file');
    if (present.length !== 1) return undefined;
    const file = path.join(dir, present[0]!);
    let k: Kustomization;
    try {
      // by text: overlays of one shape share theirs (the paths it names are relative)
      const bytes = fileCache.read(file);
      k = fileCache.memo(`reach-kustomization:${bytes.toString('latin1')}`, () => parseKustomization(bytes, file, present[0], check).kustomization);
    } catch (e) {
      if (e instanceof BuildError) return undefined;
      throw e;
    }
    if (UNBOUNDED_FIELDS.some((f) => k[f] !== undefined)) return undefined;
    const files: string[] = [file];
    const next: string[] = [];
    const at = (ref: string): string => path.resolve(dir, ref);
    for (const ref of [...(k.resources ?? []), ...(k.components ?? [])]) {
      if (REMOTE.test(ref)) return undefined;
      const abs = at(ref);
      if (fileCache.kind(abs) === 'directory') next.push(abs);
      else {
        files.push(abs);
        const flux = fluxPaths(abs);
        if (!flux) return undefined;
        next.push(...flux);
      }
    }
    for (const p of [...(k.patches ?? []), ...(k.patchesJson6902 ?? [])]) {
      // a patch may turn an object into a Flux Kustomization
      if (p.options?.allowKindChange) return undefined;
      if (p.path !== undefined) files.push(at(p.path));
      if (mayMovePath(p, p.path !== undefined ? textAt(at(p.path)) : (p.patch ?? ''))) return undefined;
    }
    for (const p of k.patchesStrategicMerge ?? []) {
      const file = p.includes('\n') ? undefined : at(p);
      if (file) files.push(file);
      if (mayMovePath({}, file && fileCache.kind(file) === 'file' ? textAt(file) : p)) return undefined;
    }
    for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
      for (const source of g.files ?? []) files.push(at(source.slice(source.indexOf('=') + 1)));
      for (const env of [...(g.envs ?? []), ...(g.env ? [g.env] : [])]) files.push(at(env));
    }
    for (const ref of [...(k.crds ?? []), ...(k.configurations ?? []), ...(k.openapi?.path ? [k.openapi.path] : [])]) files.push(at(ref));
    if (files.some((f) => fileCache.kind(f) !== 'missing' && fileCache.realpath(f) !== f)) return undefined;
    // a folder that gains or loses a name may gain a second kustomization file
    return { changed: changedAt(dir) || changes.listings.has(relative(dir) ?? '\0') || files.some(changedAt), next };
  };
  const textAt = (file: string): string => (fileCache.kind(file) === 'file' ? fileCache.read(file).toString('utf8') : '');
  /** The folders the Flux Kustomizations of a resource file build; undefined when a path is not known from the file. */
  const fluxPaths = (file: string): string[] | undefined => {
    if (fileCache.kind(file) !== 'file') return [];
    const bytes = fileCache.read(file);
    if (!bytes.includes(FLUX_KUSTOMIZE_GROUP)) return [];
    let values: JsonValue[];
    try {
      values = parseDocuments(bytes, file).map((d) => d.value);
    } catch (e) {
      if (e instanceof BuildError) return undefined;
      throw e;
    }
    const out: string[] = [];
    for (const v of values) {
      if (!isObject(v) || v.kind !== 'Kustomization' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith(`${FLUX_KUSTOMIZE_GROUP}/`)) continue;
      const spec = isObject(v.spec) ? v.spec : {};
      const to = spec.path ?? '';
      if (typeof to !== 'string' || to.includes('$') || !boundedSpec(spec)) return undefined;
      out.push(path.join(root, normalize(to)));
    }
    return out;
  };
  const known = new Map<string, boolean | 'visiting'>();
  const mayRead = (dir: string): boolean => {
    const seen = known.get(dir);
    // a cycle is a build error somewhere: said to read a change rather than worked out
    if (seen !== undefined) return seen !== false;
    known.set(dir, 'visiting');
    const reads = folderReads(dir);
    const result = reads === undefined || reads.changed || reads.next.some(mayRead);
    known.set(dir, result);
    return result;
  };
  return (rel, spec) => !boundedSpec(spec) || mayRead(path.join(root, rel));
}

/**
 * A Flux Kustomization spec that reads no file of its own (components), takes no variables from
 * objects of other builds (substituteFrom), and patches no Flux Kustomization's path, sourceRef
 * (an ExternalArtifact maps paths elsewhere) or the like.
 */
function boundedSpec(spec: JsonObject): boolean {
  if (Array.isArray(spec.components) && spec.components.length > 0) return false;
  if ((postBuildOf(spec)?.substituteFrom.length ?? 0) > 0) return false;
  if (getPath(spec, ['sourceRef', 'kind']) === 'ExternalArtifact') return false;
  const patches = Array.isArray(spec.patches) ? spec.patches.filter(isObject) : [];
  return !patches.some((p) => mayMovePath({ ...(isObject(p.target) ? { target: p.target } : {}) }, typeof p.patch === 'string' ? p.patch : ''));
}

/** Whether a patch may change where a Flux Kustomization goes: its target's kind (a regular expression) may be one, and it names a `path`. */
function mayMovePath(patch: Pick<Patch, 'target'>, text: string): boolean {
  const kind = patch.target?.kind;
  const otherKind = kind !== undefined && /^[A-Za-z0-9]+$/.test(kind) && kind !== 'Kustomization';
  return !otherKind && /\bpath\b/.test(text);
}
