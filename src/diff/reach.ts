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
 * The same files bound the clusters such a build and what it leads to may apply into: those
 * reached through the `kubeConfig` names they write out, unless kustomize or Flux may change one.
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

/** A folder's own reads: whether one is a change, the folders (absolute) it leads to and where its objects may apply; undefined when the files do not bound them. */
type FolderReads = { changed: boolean; next: string[]; applies: FolderApplies } | undefined;

/**
 * What a folder says of the clusters its objects may apply into: the literal `kubeConfig` secret
 * or config map names of its resource files and patches (undefined when one is not literal or a
 * configuration does not parse), and what could rename one of them (kustomize's name references:
 * the kinds its configurations, or CRDs, let a `kubeConfig` field refer to, and the objects that
 * could be referred to).
 */
interface FolderApplies {
  names: string[] | undefined;
  /** Kinds whose renaming a configuration carries into a `kubeConfig` field ('*': any, from CRDs). */
  renamedKinds: string[];
  /** Whether a patch may rename an object (to any name). */
  renames: boolean;
  resourceFiles: string[];
  generated: { kind: string; name: string }[];
}

/** Kustomization fields whose effects the files do not bound (charts, plugins) or that may rewrite any field (replacements). */
const UNBOUNDED_FIELDS = ['helmCharts', 'helmGlobals', 'generators', 'transformers', 'validators', 'replacements'] as const;

/** A resource kustomize would fetch rather than read from the tree. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com[:/])|\?ref=/i;

/**
 * Of the Flux build of a folder of the repository at `root` (relative, with the Flux
 * Kustomization's `spec`) and anything it leads to: whether it may read one of `changes` (false
 * only when the kustomization files prove it does not), and the `kubeConfig` names it may apply
 * through (see appliesInto).
 */
export function changeReach(
  root: string,
  changes: ChangeSet,
  fileCache: FileCache,
  check?: KustomizationCheck,
): { mayRead: (rel: string, spec: JsonObject) => boolean; appliesInto: (rel: string, spec: JsonObject) => Set<string> | undefined } {
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
    if (kind !== 'directory') return { changed: changedAt(dir), next: [], applies: { names: [], renamedKinds: [], renames: false, resourceFiles: [], generated: [] } };
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
    const resourceFiles: string[] = [];
    const patchTexts: string[] = [];
    let renames = false;
    const at = (ref: string): string => path.resolve(dir, ref);
    for (const ref of [...(k.resources ?? []), ...(k.components ?? [])]) {
      if (REMOTE.test(ref)) return undefined;
      const abs = at(ref);
      if (fileCache.kind(abs) === 'directory') next.push(abs);
      else {
        files.push(abs);
        resourceFiles.push(abs);
        const flux = fluxPaths(abs);
        if (!flux) return undefined;
        next.push(...flux);
      }
    }
    for (const p of [...(k.patches ?? []), ...(k.patchesJson6902 ?? [])]) {
      // a patch may turn an object into a Flux Kustomization
      if (p.options?.allowKindChange) return undefined;
      if (p.path !== undefined) files.push(at(p.path));
      const text = p.path !== undefined ? textAt(at(p.path)) : (p.patch ?? '');
      if (mayMovePath(p, text)) return undefined;
      patchTexts.push(text);
      if (p.options?.allowNameChange || text.includes('metadata/name')) renames = true;
    }
    for (const p of k.patchesStrategicMerge ?? []) {
      const file = p.includes('\n') ? undefined : at(p);
      if (file) files.push(file);
      const text = file && fileCache.kind(file) === 'file' ? textAt(file) : p;
      if (mayMovePath({}, text)) return undefined;
      patchTexts.push(text);
    }
    const generated = [...(k.configMapGenerator ?? []).map((g) => ({ kind: 'ConfigMap', name: g.name ?? '' })), ...(k.secretGenerator ?? []).map((g) => ({ kind: 'Secret', name: g.name ?? '' }))];
    for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
      for (const source of g.files ?? []) files.push(at(source.slice(source.indexOf('=') + 1)));
      for (const env of [...(g.envs ?? []), ...(g.env ? [g.env] : [])]) files.push(at(env));
    }
    for (const ref of [...(k.crds ?? []), ...(k.configurations ?? []), ...(k.openapi?.path ? [k.openapi.path] : [])]) files.push(at(ref));
    if (files.some((f) => fileCache.kind(f) !== 'missing' && fileCache.realpath(f) !== f)) return undefined;
    const kubeConfigs = new Set<string>();
    const literal = [...resourceFiles.map((f) => [textAt(f), f] as const), ...patchTexts.map((t) => [t, file] as const)].every(([text, from]) => kubeConfigNames(text, kubeConfigs, from));
    const configured = (k.configurations ?? []).map((c) => referringKinds(textAt(at(c)), at(c)));
    const renamedKinds = [...configured.flatMap((c) => c ?? []), ...((k.crds?.length ?? 0) > 0 ? ['*'] : [])];
    const applies = { names: literal && configured.every((c) => c !== undefined) ? [...kubeConfigs] : undefined, renamedKinds, renames, resourceFiles, generated };
    // a folder that gains or loses a name may gain a second kustomization file
    return { changed: changedAt(dir) || changes.listings.has(relative(dir) ?? '\0') || files.some(changedAt), next, applies };
  };
  const textAt = (file: string): string => (fileCache.kind(file) === 'file' ? fileCache.read(file).toString('utf8') : '');
  /** The folders the Flux Kustomizations of a resource file build; undefined when a path is not known from the file. */
  const fluxPaths = (file: string): string[] | undefined => {
    if (fileCache.kind(file) !== 'file') return [];
    const bytes = fileCache.read(file);
    if (!bytes.includes(FLUX_KUSTOMIZE_GROUP)) return [];
    const values = documentsOf(bytes, file);
    if (!values) return undefined;
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
  /** The kind and name of each object of a resource file (a List's items among them); undefined when it does not parse. */
  const objectsOf = (file: string): { kind: string; name: string }[] | undefined =>
    fileCache.memo(`reach-objects:${file}`, () =>
      documentsOf(textAt(file), file)
        ?.flatMap((v) => (isObject(v) && Array.isArray(v.items) ? [v, ...v.items] : [v]))
        .flatMap((v) => {
          const name = isObject(v) ? getPath(v, ['metadata', 'name']) : undefined;
          return isObject(v) && typeof v.kind === 'string' && typeof name === 'string' ? [{ kind: v.kind, name }] : [];
        }),
    );
  /**
   * The `kubeConfig` secret and config map names the Kustomization's build and everything it leads
   * to may apply through (each to the cluster it names); undefined when the files do not bound them.
   * A name is taken as written unless kustomize may rename it: a configuration (or CRD) refers a
   * `kubeConfig` field to a kind, and an object of that kind has a name that a prefix, suffix or
   * hash could turn into one of the names (it is part of one), or a patch may rename an object.
   */
  const appliesInto = (rel: string, spec: JsonObject): Set<string> | undefined => {
    const names = new Set<string>();
    if (!kubeConfigNamesIn(spec, names, rel)) return undefined;
    const folders: FolderApplies[] = [];
    const seen = new Set<string>();
    for (const stack = [path.join(root, rel)]; stack.length > 0; ) {
      const dir = stack.pop()!;
      if (seen.has(dir)) continue;
      seen.add(dir);
      const reads = folderReads(dir);
      if (!reads?.applies.names) return undefined;
      folders.push(reads.applies);
      for (const name of reads.applies.names) names.add(name);
      stack.push(...reads.next);
    }
    const kinds = new Set(folders.flatMap((f) => f.renamedKinds));
    if (kinds.size === 0 || names.size === 0) return names;
    if (folders.some((f) => f.renames)) return undefined;
    const renamable = (o: { kind: string; name: string }): boolean => (kinds.has('*') || kinds.has(o.kind)) && [...names].some((n) => n.includes(o.name));
    for (const f of folders) {
      if (f.generated.some(renamable)) return undefined;
      for (const file of f.resourceFiles) {
        const objects = objectsOf(file);
        if (!objects || objects.some(renamable)) return undefined;
      }
    }
    return names;
  };
  return { mayRead: (rel, spec) => !boundedSpec(spec) || mayRead(path.join(root, rel)), appliesInto };
}

/**
 * Adds to `names` the `kubeConfig` secret and config map names of the objects or patches in a
 * file's text; false when one is not literal (a variable), or a patch of a text (a Flux
 * Kustomization's `patches`, a JSON patch) may set one.
 */
function kubeConfigNames(text: string, names: Set<string>, file: string): boolean {
  if (!text.includes('kubeConfig')) return true;
  const values = documentsOf(text, file);
  // a bare string naming kubeConfig is a JSON patch's path (or a text substituted into one)
  return values !== undefined && values.every((v) => (isObject(v) || Array.isArray(v)) && kubeConfigNamesIn(v, names, file));
}

/** kubeConfigNames of a parsed value: the names under each `kubeConfig` key, and those of patch texts held in strings. */
function kubeConfigNamesIn(value: JsonValue, names: Set<string>, file: string): boolean {
  if (typeof value === 'string') return kubeConfigNames(value, names, file);
  if (Array.isArray(value)) return value.every((v) => kubeConfigNamesIn(v, names, file));
  if (!isObject(value)) return true;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'kubeConfig') {
      // substituted variables could make any reference of it
      if (!isObject(v) || JSON.stringify(v).includes('$')) return false;
      for (const ref of ['secretRef', 'configMapRef']) {
        const name = getPath(v, [ref, 'name']);
        if (typeof name === 'string') names.add(name);
        else if (name !== undefined) return false;
      }
    }
    if (!kubeConfigNamesIn(v, names, file)) return false;
  }
  return true;
}

/** The kinds a kustomize configuration's name references refer a `kubeConfig` field to ('*' for any); undefined when it does not parse. */
function referringKinds(text: string, file: string): string[] | undefined {
  if (!text.includes('kubeConfig') && !text.includes('*')) return [];
  const values = documentsOf(text, file);
  if (!values) return undefined;
  const references = values.flatMap((v) => (isObject(v) && Array.isArray(v.nameReference) ? v.nameReference : []));
  return references.flatMap((r) => {
    const specs = isObject(r) && Array.isArray(r.fieldSpecs) ? r.fieldSpecs : [];
    const touches = specs.some((f) => isObject(f) && typeof f.path === 'string' && (f.path.includes('kubeConfig') || f.path.includes('*')));
    return touches ? [isObject(r) && typeof r.kind === 'string' ? r.kind : '*'] : [];
  });
}

/** The documents of a YAML text; undefined when it does not parse (kustomize would fail on it). */
function documentsOf(text: string | Buffer, file: string): JsonValue[] | undefined {
  try {
    return parseDocuments(text, file).map((d) => d.value);
  } catch (e) {
    if (e instanceof BuildError) return undefined;
    throw e;
  }
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
