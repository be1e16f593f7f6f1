/**
 * Where Flux starts applying a repository: the path each cluster's bootstrap syncs. Found from the
 * objects that declare it (a `flux-system` Kustomization as `flux bootstrap` writes it, a Flux
 * Operator FluxInstance's `spec.sync`, or the flux-instance chart's values that hold one), from
 * the `flux-system/gotk-*.yaml` folder `flux bootstrap` writes, from the management entry point
 * `capifleet generate` writes (`overlays/_management/`, at the root or below the spec's
 * `repository.path`), or given by the caller.
 */
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { getPath, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import type { SourceLocation } from '../engine/resource.js';
import { parseDocuments } from '../yaml/parse.js';
import { FLUX_KUSTOMIZE_GROUP } from '../kubernetes/api-groups.js';
import { fleetRepositoryUrl } from '../fleet/load.js';
import { BOOTSTRAP, groupOf } from './flux-kinds.js';
import type { RepoFiles } from './repo-files.js';

export interface EntryPoint {
  /** Folder relative to the repository root, with `/` separators and no `./` (`` is the root). */
  path: string;
  /** The cluster it is applied to, named after the folder (`clusters/<name>/…` gives `<name>`). */
  cluster: string;
  /** What made it an entry point. */
  via: 'option' | 'flux-system Kustomization' | 'FluxInstance' | 'flux-instance HelmRelease' | 'flux-instance values' | 'flux bootstrap folder' | 'management' | 'clusters folder';
  /** The object that declares it, when there is one. */
  declaredAt?: SourceLocation;
  /** The bootstrap Kustomization's spec when the repository holds it: Flux builds the path with it. */
  spec?: JsonObject;
  /**
   * The Kustomization that syncs the path and its source, which share a name: `flux-system` in
   * `flux-system` unless a FluxInstance's `sync.name` or namespace says otherwise. The source is a
   * GitRepository unless the sync says another kind.
   */
  bootstrap: { namespace: string; name: string; sourceKind: string };
  /** For generate's management entry point: the URL of the fleet spec beside its tree, whose sources are this repository. */
  repositoryUrl?: string;
  /**
   * The folder of the repository that is the root of what the bootstrap source delivers, relative
   * to the repository root ('' or absent: the root). An OCI artifact pushed from a sub-folder
   * (`flux push artifact --path=kubernetes`) has its paths relative to that folder.
   */
  sourceRoot?: string;
}

/** Where `capifleet generate` puts the management cluster's entry point, inside the generated tree. */
export const MANAGEMENT_ENTRY = 'overlays/_management';
export const MANAGEMENT_CLUSTER = 'management';

/**
 * What `flux bootstrap` writes into `<path>/flux-system/`: the folder above is a bootstrap path even
 * when the files are placeholders (examples commit them empty, bootstrap fills them in).
 */
const BOOTSTRAP_FILES = ['gotk-sync.yaml', 'gotk-components.yaml'];

/** A bootstrap Kustomization (`name: flux-system` with a `path`), a FluxInstance, or a FluxInstance's `sync` in chart values. */
const MAY_DECLARE_ENTRY = /kind:\s*FluxInstance|name:\s*["']?flux-system[\s\S]*path:|instance:[\s\S]*sync:/;

/**
 * Whether a file that changed may change what declaredEntryPoints finds: a bootstrap file, or a
 * YAML file whose content on some side (`texts`) may declare an entry point. A folder added or
 * removed may too; that is the caller's to see.
 */
export function mayDeclareEntryPoint(file: string, texts: readonly Buffer[]): boolean {
  const name = path.basename(file);
  if (BOOTSTRAP_FILES.includes(name)) return true;
  return /\.ya?ml$/.test(name) && texts.some(mayDeclareEntry);
}

/** Folders never searched: version control, dependencies. */
const SKIPPED_DIRS = new Set(['node_modules']);

/** A folder given by the caller, relative to the repository or absolute. */
export interface GivenEntryPoint {
  path: string;
  cluster?: string;
}

export function givenEntryPoints(root: string, given: readonly GivenEntryPoint[], files: RepoFiles): EntryPoint[] {
  return dedupe(
    given.map((g) => {
      const rel = repoPath(root, path.resolve(root, g.path));
      if (rel === undefined) throw new BuildError(`entry point ${g.path} is outside the repository ${root}`);
      return withFleetUrl({ path: rel, cluster: g.cluster ?? clusterNameOf(rel), via: 'option' as const, bootstrap: BOOTSTRAP }, root, files);
    }),
  );
}

/**
 * Whether a YAML file may declare an entry point, as `test` tells from its bytes or as a memo of
 * earlier runs has it for the same bytes (then the file is not read: the memo says it was).
 */
export type EntryVerdicts = (file: string, test: (bytes: Buffer) => boolean) => boolean;

/**
 * Text every match of MAY_DECLARE_ENTRY holds, all ASCII: UTF-8 text holds one exactly when its
 * bytes do, so a byte search clears a file without decoding it.
 */
const ENTRY_MARKS = ['FluxInstance', 'flux-system', 'instance:'];

/** Whether a YAML file's bytes may declare an entry point: most files of a large tree do not, and only those that may are parsed. */
export function mayDeclareEntry(bytes: Buffer): boolean {
  return ENTRY_MARKS.some((mark) => bytes.includes(mark)) && MAY_DECLARE_ENTRY.test(bytes.toString('utf8'));
}

/** Entry points the repository declares outside the `excluded` paths, and the management entry point when it exists. */
export function declaredEntryPoints(root: string, files: RepoFiles, excluded: (absolute: string) => boolean = () => false, verdicts?: EntryVerdicts): EntryPoint[] {
  const found: EntryPoint[] = [];
  const walk = (dir: string): void => {
    for (const e of files.list(dir)) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (excluded(p)) continue;
      if (e.isDirectory) {
        if (e.name === 'flux-system' && BOOTSTRAP_FILES.some((f) => files.isFile(path.join(p, f)))) {
          const rel = repoPath(root, dir)!;
          found.push({ path: rel, cluster: clusterNameOf(rel), via: 'flux bootstrap folder', bootstrap: BOOTSTRAP });
        }
        // generate's entry point, at the root or where the spec's repository.path puts the tree
        const rel = repoPath(root, p)!;
        if (isManagementEntry(rel)) found.push({ path: rel, cluster: MANAGEMENT_CLUSTER, via: 'management', bootstrap: BOOTSTRAP });
        if (!SKIPPED_DIRS.has(e.name)) walk(p);
      } else if (/\.ya?ml$/.test(e.name) && (!verdicts || verdicts(p, mayDeclareEntry))) found.push(...entryPointsIn(root, p, files));
    }
  };
  walk(root);
  const rank = (e: EntryPoint): number => ['flux-system Kustomization', 'FluxInstance', 'flux-instance HelmRelease', 'flux-instance values', 'flux bootstrap folder', 'management'].indexOf(e.via);
  return dedupe(found.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))).map((e) => withFleetUrl(e, root, files));
}

/** `clusters/<name>/` folders outside the `excluded` paths, for a repository that declares no bootstrap of its own. */
export function clusterFolders(root: string, files: RepoFiles, excluded: (absolute: string) => boolean = () => false): EntryPoint[] {
  return files
    .list(path.join(root, 'clusters'))
    .filter((e) => e.isDirectory && !e.name.startsWith('.') && !excluded(path.join(root, 'clusters', e.name)))
    .map((e) => ({ path: `clusters/${e.name}`, cluster: e.name, via: 'clusters folder' as const, bootstrap: BOOTSTRAP }));
}

function entryPointsIn(root: string, file: string, files: RepoFiles): EntryPoint[] {
  const bytes = files.read(file);
  if (!mayDeclareEntry(bytes)) return [];
  let docs;
  try {
    docs = parseDocuments(bytes, file);
  } catch {
    return []; // a file that does not parse declares nothing; its own build reports it
  }
  return docs.flatMap((d): EntryPoint[] => {
    const entry = entryPointOf(d.value);
    const rel = entry && normalize(entry.path);
    // a path that Flux substitutes names no folder here
    if (!entry || rel === undefined || rel.includes('${')) return [];
    const sourceRoot = sourceRootOf(root, rel, file, files);
    const at = sourceRoot ? `${sourceRoot}/${rel}`.replace(/\/$/, '') : rel;
    return [{ ...entry, path: at, cluster: clusterNameOf(at), declaredAt: { file, line: d.line }, ...(sourceRoot ? { sourceRoot } : {}) }];
  });
}

/**
 * Where the bootstrap source's root lies in the repository, for a sync path `rel` declared in
 * `file`: the root itself when the path is there; else the nearest folder above the declaring file
 * below which the path is a folder holding that file (a FluxInstance syncs the path it is applied
 * from, so the declaring file lies inside it; its source is then an artifact of that folder).
 * Undefined when the root serves or no such folder exists.
 */
function sourceRootOf(root: string, rel: string, file: string, files: RepoFiles): string | undefined {
  if (files.isDirectory(path.join(root, rel))) return undefined;
  for (let dir = path.dirname(file); repoPath(root, dir) !== undefined && dir !== root; dir = path.dirname(dir)) {
    const synced = path.join(dir, rel);
    if (files.isDirectory(synced) && repoPath(synced, file) !== undefined) return repoPath(root, dir);
  }
  return undefined;
}

type Declared = Pick<EntryPoint, 'path' | 'via' | 'bootstrap'> & { spec?: JsonObject };

function entryPointOf(v: JsonValue): Declared | undefined {
  // the flux-instance chart's values in a file of their own (a HelmRelease's valuesFrom ConfigMap made by a generator)
  if (isObject(v) && v.kind === undefined && isObject(v.instance)) return synced(v.instance.sync, 'flux-instance values', BOOTSTRAP.namespace);
  if (!isObject(v) || typeof v.kind !== 'string' || !isObject(v.spec)) return undefined;
  const spec = v.spec;
  const name = getPath(v, ['metadata', 'name']);
  const namespace = stringAt(v, ['metadata', 'namespace']) ?? BOOTSTRAP.namespace;
  if (v.kind === 'Kustomization' && groupOf(v) === FLUX_KUSTOMIZE_GROUP && name === BOOTSTRAP.name && typeof spec.path === 'string') {
    const sourceKind = stringAt(spec, ['sourceRef', 'kind']) ?? BOOTSTRAP.sourceKind;
    return { path: spec.path, via: 'flux-system Kustomization', spec, bootstrap: { namespace, name, sourceKind } };
  }
  if (v.kind === 'FluxInstance') return synced(spec.sync, 'FluxInstance', namespace);
  if (v.kind === 'HelmRelease') return synced(getPath(spec, ['values', 'instance', 'sync']), 'flux-instance HelmRelease', stringAt(spec, ['targetNamespace']) ?? namespace);
  return undefined;
}

/** A FluxInstance's sync: its source and Kustomization are named `sync.name`, else after the instance's namespace. */
function synced(sync: JsonValue | undefined, via: EntryPoint['via'], namespace: string): Declared | undefined {
  if (!isObject(sync) || typeof sync.path !== 'string') return undefined;
  const name = stringAt(sync, ['name']) ?? namespace;
  return { path: sync.path, via, bootstrap: { namespace, name, sourceKind: stringAt(sync, ['kind']) ?? BOOTSTRAP.sourceKind } };
}

function stringAt(v: JsonValue, at: string[]): string | undefined {
  const s = getPath(v, at);
  return typeof s === 'string' && s ? s : undefined;
}

/**
 * A Flux path (`./clusters/x`, `clusters/x/`) as a repository-relative folder. Like Flux's secure
 * join, `..` stops at the root.
 */
export function normalize(p: string): string {
  return path.posix.normalize(`/${p}`).slice(1).replace(/\/$/, '');
}

function repoPath(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The fleet spec generate wrote the tree from, beside the tree (`<tree>/fleet.yaml`). */
const FLEET_SPEC_FILE = 'fleet.yaml';

/**
 * An entry point at generate's management entry point (however it was found: the folder itself,
 * the `flux-system/` that `flux bootstrap` wrote into it, a FluxInstance syncing it) with the
 * `spec.repository.url` of the fleet spec beside its tree, when there is one.
 */
function withFleetUrl(entry: EntryPoint, root: string, files: RepoFiles): EntryPoint {
  if (!isManagementEntry(entry.path)) return entry;
  const spec = path.join(root, entry.path, '..', '..', FLEET_SPEC_FILE);
  if (!files.isFile(spec)) return entry;
  // a spec that does not parse is validate's finding, not the graph's
  const url = fleetRepositoryUrl(files.read(spec), spec);
  return url === undefined ? entry : { ...entry, repositoryUrl: url };
}

function isManagementEntry(rel: string): boolean {
  return rel === MANAGEMENT_ENTRY || rel.endsWith(`/${MANAGEMENT_ENTRY}`);
}

/** `clusters/<name>/…` is `<name>`, the management entry point (wherever the tree lies) `management`; any other folder is named by its path. */
export function clusterNameOf(rel: string): string {
  if (isManagementEntry(rel)) return MANAGEMENT_CLUSTER;
  const parts = rel.split('/');
  const i = parts.indexOf('clusters');
  if (i >= 0 && parts[i + 1]) return parts[i + 1]!;
  return rel === '' ? '.' : rel;
}

function dedupe(entries: EntryPoint[]): EntryPoint[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.path) && seen.add(e.path));
}
