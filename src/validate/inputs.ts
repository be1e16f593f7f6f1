import { displayPath } from '../display-path.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError, NestedTooDeepForThisThread } from '../errors.js';
import { fileKind, isKernelFilesystem, walkFolder } from '../files.js';
import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { KUSTOMIZATION_FILE_NAMES, loadKustomization, type KustomizationCheck } from '../engine/kustomization.js';
import type { Kustomization } from '../engine/types.js';
import { FileCache, Loader } from '../engine/loader.js';
import { ReadSet, statKind, type Read } from '../engine/read-set.js';
import { emptyBuildState, Resource } from '../engine/resource.js';
import { render, type BuildOptions } from '../engine/target.js';
import { fleetFromDocuments } from '../fleet/load.js';
import { FLEET_API_VERSION, FLEET_KIND } from '../fleet/types.js';
import { CAPI_GROUP } from '../kubernetes/api-groups.js';
import { groupOf } from '../schemas/catalog.js';
import { lineAt } from '../yaml/edit.js';
import { parseDocuments, type ParsedDocument } from '../yaml/parse.js';
import type { ValidationUnit } from './validator.js';
import type { Finding } from './finding.js';
import type { SourceLocator } from './source-map.js';
import type { ExcludedPath } from './repository-options.js';

/** Something to validate, found from a command-line path; a cluster comes loaded from the cluster graph. */
export type Input =
  | { kind: 'kustomization'; dir: string }
  | { kind: 'files'; files: string[]; name: string }
  | { kind: 'stdin' }
  | { kind: 'cluster'; loaded: LoadedInput; builds: ClusterBuildObjects[] };

/**
 * The objects one build of the cluster graph gives a cluster, in the cluster's order. `key`, when
 * set, names what they are as a whole (the path, the spec parts that shape its build, what its
 * read set shows, and after post-build substitution the objects themselves): objects with the same
 * key are the same, from the same file text, so their own findings are too.
 */
export interface ClusterBuildObjects {
  resources: readonly Resource[];
  key?: string;
}

/** Ids of findings about the input itself rather than the objects in it. */
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml']);
const SKIPPED_DIRS = new Set(['node_modules']);

/**
 * What each command-line path means: `-` is stdin; a kustomization directory is built; a file is
 * read; any other directory is searched for the kustomizations no other one in it includes (the
 * leaves a person would build) and for manifest files outside every kustomization, grouped by
 * directory.
 */
export function discoverInputs(paths: readonly string[], options: DiscoverOptions = {}): Input[] {
  const reads = options.reads ?? new ReadSet();
  return paths.flatMap((p): Input[] => {
    if (p === '-') return [{ kind: 'stdin' }];
    reads.add(path.resolve(p), 'stat');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new BuildError(`no such file or directory: ${p}`);
    }
    if (stat.isFile()) return [{ kind: 'files', files: [path.resolve(p)], name: displayPath(p) }];
    // a device or a FIFO would block the read or never end
    if (!stat.isDirectory()) throw new BuildError(`cannot validate ${p}: it is ${fileKind(stat)}, not a file or folder`);
    if (isKernelFilesystem(p)) throw new BuildError(`cannot validate ${p}: it is one of the kernel's file systems (as /proc and /sys are), not files of anyone's`);
    if (isKustomizationDir(p, reads)) return [{ kind: 'kustomization', dir: path.resolve(p) }];
    return discoverTree(path.resolve(p), options, reads);
  });
}

export interface DiscoverOptions {
  kustomizationCheck?: KustomizationCheck;
  /** Paths the search of a tree leaves out (`--exclude`, `exclude:` in `.capifleet.yaml`). */
  exclude?: ExcludedPath;
  /** Receives every path the search looked at (see ReadSet). */
  reads?: ReadSet;
  /** Shares reads and parses of kustomization files with the builds of the same run. */
  fileCache?: FileCache;
  /** What a kustomization file uses (see referencedPaths), as `list` gives it or as a memo of earlier runs has it. */
  references?: (file: string, list: () => string[]) => string[];
}

function discoverTree(root: string, options: DiscoverOptions, reads: ReadSet): Input[] {
  const excluded = options.exclude ? (q: string): boolean => options.exclude!(q, root) : (): boolean => false;
  const kustomizations = new Map<string, string>();
  const plain = new Map<string, string[]>();
  const walk = (dir: string): void => {
    const file = kustomizationIn(dir, reads, options.fileCache);
    const entries = readFolder(dir, reads).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (file) kustomizations.set(dir, file);
    // files below a kustomization belong to it (patches, bases); nested kustomizations still count
    else {
      if (entries.some((e) => e.name === 'Chart.yaml')) return; // Helm chart templates are not manifests
      const manifests = entries.filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name))).map((e) => path.join(dir, e.name)).filter((f) => !excluded(f));
      if (manifests.length > 0) plain.set(dir, manifests);
    }
    for (const sub of subdirectories(dir, entries)) if (!excluded(sub)) walk(sub);
  };
  walk(root);
  const included = new Set([...kustomizations].flatMap(([dir, file]) => referencedPaths(dir, file, options, reads)));
  const plainFiles = [...plain].flatMap(([dir, files]) => {
    const own = files.filter((f) => !included.has(f) && !insideAny(f, kustomizations));
    if (isFolderOfAlternatives(own, reads)) return own.map((f) => ({ kind: 'files' as const, files: [f], name: displayPath(f) }));
    return own.length ? [{ kind: 'files' as const, files: own, name: displayPath(dir) }] : [];
  });
  const leaves = [...kustomizations.keys()].filter((k) => !included.has(k)).map((dir) => ({ kind: 'kustomization' as const, dir }));
  return [...leaves, ...plainFiles];
}

/**
 * Whether a folder's manifest files are alternatives rather than one set: two or more of them each
 * define a whole Cluster API cluster, as clusterctl's flavors (`cluster-template-<flavor>.yaml`) do.
 * clusterctl generates a cluster from one such file, so nothing sends two of them to the same
 * cluster: each file is checked as its own set.
 */
function isFolderOfAlternatives(files: readonly string[], reads: ReadSet): boolean {
  let clusters = 0;
  for (const file of files) {
    reads.add(file, 'read');
    if (definesCapiCluster(fs.readFileSync(file, 'utf8')) && ++clusters === 2) return true;
  }
  return false;
}

const CAPI_CLUSTER_API_VERSION = new RegExp(`^apiVersion:[ \\t]*["']?${CAPI_GROUP.replaceAll('.', '\\.')}/`, 'm');
const CLUSTER_KIND = /^kind:[ \t]*["']?Cluster["']?[ \t]*(#.*)?$/m;

/** Whether a YAML text holds a document whose top-level apiVersion is of the cluster.x-k8s.io group and kind is Cluster. */
function definesCapiCluster(text: string): boolean {
  return text.split(/^---/m).some((doc) => CLUSTER_KIND.test(doc) && CAPI_CLUSTER_API_VERSION.test(doc));
}

/**
 * A folder's entries, for the walk (see walkFolder), as the read set's listing observes them. Only
 * plain files and folders are followed, never a link, a device or a FIFO.
 */
function readFolder(dir: string, reads: ReadSet): fs.Dirent[] {
  reads.add(dir, 'list');
  return walkFolder(dir);
}

function subdirectories(dir: string, entries: readonly fs.Dirent[]): string[] {
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Whether a folder above `file` is one of `dirs`: a walk up its path, whatever the number of dirs. */
function insideAny(file: string, dirs: ReadonlyMap<string, unknown>): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (dirs.has(dir)) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** A directory holding a kustomization file; a Flux Kustomization that happens to be named so is not one. */
export function isKustomizationDir(dir: string, reads: ReadSet = new ReadSet()): boolean {
  return kustomizationIn(path.resolve(dir), reads) !== undefined;
}

/**
 * The kustomization file of a folder that is a kustomization (see isKustomizationDir), read through
 * `fileCache` when there is one: its build reads it again.
 */
function kustomizationIn(dir: string, reads: ReadSet, fileCache?: FileCache): string | undefined {
  const file = kustomizationFile(dir, reads);
  if (!file) return undefined;
  reads.add(file, 'read');
  const text = fileCache ? fileCache.read(file).toString('utf8') : fs.readFileSync(file, 'utf8');
  return /^apiVersion:\s*kustomize\.toolkit\.fluxcd\.io\//m.test(text) ? undefined : file;
}

function kustomizationFile(dir: string, reads: ReadSet): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => {
    reads.add(f, 'stat');
    return statKind(f) === 'file';
  });
}

/**
 * Absolute paths of the directories and files a kustomization uses: its resources and components,
 * and the files it reads as patches, replacements, generator sources, transformer or generator
 * configurations, CRDs and OpenAPI schemas. Such a file is part of its build, not a manifest of its
 * own: a strategic-merge patch holds only the fields it changes. What they are depends on the
 * kustomization file and its folder's entries alone (both are in the read set already), so a memo
 * may serve them by those.
 */
function referencedPaths(dir: string, file: string, options: DiscoverOptions, reads: ReadSet): string[] {
  const listed = (): string[] => {
    let k: Kustomization;
    try {
      k = loadKustomization(Loader.forDirectory(dir, 'none', options.fileCache, reads), options.kustomizationCheck).kustomization;
    } catch {
      return []; // its own build reports the problem
    }
    const generatorFiles = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) => [
      ...(g.files ?? []).map((f) => f.slice(f.indexOf('=') + 1)),
      ...(g.envs ?? []),
    ]);
    const refs = [
      ...(k.resources ?? []),
      ...(k.components ?? []),
      ...[...(k.patches ?? []), ...(k.patchesJson6902 ?? []), ...(k.replacements ?? [])].flatMap((p) => (p.path ? [p.path] : [])),
      // an entry of patchesStrategicMerge is a file's path or, holding a newline, the patch itself
      ...(k.patchesStrategicMerge ?? []).filter((p) => !p.includes('\n')),
      ...generatorFiles,
      ...(k.helmCharts ?? []).flatMap((c) => [...(c.valuesFile ? [c.valuesFile] : []), ...(c.additionalValuesFiles ?? [])]),
      ...(k.crds ?? []),
      ...(k.configurations ?? []),
      ...(k.generators ?? []),
      ...(k.transformers ?? []),
      ...(k.validators ?? []),
      ...(k.openapi?.path ? [k.openapi.path] : []),
    ];
    return refs.filter((ref): ref is string => typeof ref === 'string');
  };
  return (options.references ? options.references(file, listed) : listed()).map((ref) => path.resolve(dir, ref));
}

/** A unit ready for the validator, plus findings about the input itself. */
export interface LoadedInput {
  unit: ValidationUnit;
  problems: Finding[];
  /** For a kustomization: every path its build looked at (see ReadSet), unless it depended on more (helm). */
  reads?: Read[];
  /** Its objects' own findings (Validator.objectFindings), when every file's were made ahead (see CheckedFile). */
  objectFindings?: Finding[];
}

/** What one manifest file gives; `objectFindings` as in LoadedInput. */
export interface ManifestFile {
  resources: Resource[];
  problems: Finding[];
  objectFindings?: Finding[];
}

/**
 * What reading and checking one manifest file gives, in a form that crosses threads and is kept
 * on disk: its objects with their documents' lines, its own problems, its objects' findings.
 */
export interface CheckedFile {
  objects: { obj: JsonObject; line: number }[];
  problems: Finding[];
  objectFindings: Finding[];
}

export function checkedFile(read: ManifestFile, objectFindings: Finding[]): CheckedFile {
  return { objects: read.resources.map((r) => ({ obj: r.obj, line: r.state.source!.line })), problems: read.problems, objectFindings };
}

export function manifestFile(file: string, checked: CheckedFile): ManifestFile {
  return { resources: checked.objects.map((o) => manifestResource(o.obj, file, o.line)), problems: checked.problems, objectFindings: checked.objectFindings };
}

export interface LoadContext {
  fileCache: FileCache;
  /** Whether a schema is known for a group and kind (see readManifestFile); all count as known without it. */
  knownKind?: KnownKind;
  kustomizationCheck?: KustomizationCheck;
  locator: SourceLocator;
  readStdin: () => string | Buffer;
  onWarning?: (message: string, file?: string) => void;
  build?: BuildOptions;
}

export function loadInput(input: Input, ctx: LoadContext): LoadedInput {
  if (input.kind === 'cluster') return input.loaded;
  if (input.kind === 'kustomization') return loadKustomizationInput(input.dir, ctx);
  if (input.kind === 'stdin') return loadManifests([readManifestFile('-', ctx.readStdin(), '-', ctx.locator, ctx.knownKind)], '-');
  return loadManifests(input.files.map((file) => readManifestFile(file, fs.readFileSync(file), input.name, ctx.locator, ctx.knownKind)), input.name);
}

function loadKustomizationInput(dir: string, ctx: LoadContext): LoadedInput {
  const name = displayPath(dir);
  const reads = new ReadSet();
  const kfile = kustomizationFile(dir, reads);
  const unit: ValidationUnit = { name, resources: [], ...(kfile ? { fallbackLocation: { file: kfile, line: 1 } } : {}) };
  const build = (options: BuildOptions | undefined, onWarning: LoadContext['onWarning']): Resource[] =>
    render(dir, {
      ...options,
      fileCache: ctx.fileCache,
      reads,
      ...(ctx.kustomizationCheck ? { kustomizationCheck: ctx.kustomizationCheck } : {}),
      ...(onWarning ? { onWarning } : {}),
    });
  try {
    if (ctx.build?.loadRestrictor !== undefined) return { unit: { ...unit, resources: build(ctx.build, ctx.onWarning) }, problems: [], ...completeReads(reads) };
    return { ...buildEitherRestrictor(build, ctx, name, kfile, unit), ...completeReads(reads) };
  } catch (e) {
    // too deep for this thread is for a thread with a deep stack to read, not a finding
    if (!(e instanceof BuildError) || e instanceof NestedTooDeepForThisThread) throw e;
    return { unit, problems: [inputProblem(e, name, buildRule(e), kfile)], ...completeReads(reads) };
  }
}

/**
 * With no --load-restrictor given: kustomize's default (files inside the kustomization's folder);
 * a kustomization that builds only with LoadRestrictionsNone, as CAPI's and CAPZ's Makefiles and
 * Flux build theirs, is built so and checked, with a warning saying so. Warnings of a build that
 * is thrown away are not printed.
 */
function buildEitherRestrictor(
  build: (options: BuildOptions | undefined, onWarning: LoadContext['onWarning']) => Resource[],
  ctx: LoadContext,
  name: string,
  kfile: string | undefined,
  unit: ValidationUnit,
): Pick<LoadedInput, 'unit' | 'problems'> {
  const held: [string, string | undefined][] = [];
  try {
    const resources = build({ ...ctx.build, loadRestrictor: 'root' }, (message, file) => held.push([message, file]));
    for (const [message, file] of held) ctx.onWarning?.(message, file);
    return { unit: { ...unit, resources }, problems: [] };
  } catch (e) {
    if (!(e instanceof BuildError) || !OUTSIDE_ROOT.test(e.message)) throw e;
    const resources = build({ ...ctx.build, loadRestrictor: 'none' }, ctx.onWarning);
    const warning = inputProblem(e, name, 'input/load-restrictor', kfile);
    return { unit: { ...unit, resources }, problems: [{ ...warning, severity: 'warning', message: `builds only with --load-restrictor none: ${warning.message}` }] };
  }
}

/** kustomize's refusal of a file outside the kustomization's folder under LoadRestrictionsRootOnly, however deep it is wrapped. */
const OUTSIDE_ROOT = /security; file '[^']*' is not in or below '/;

/**
 * What a failed build is: a kustomization capifleet cannot build offline or without an option
 * (a remote resource, a Helm chart without --enable-helm) is left unchecked, not wrong; anything
 * else does not build.
 */
function buildRule(e: BuildError): string {
  return isRemoteResourceError(e.message) || /helmCharts entry '[^']*' needs --enable-helm/.test(e.message) ? 'input/unchecked' : 'input/build';
}

/** The engine's refusal to fetch a remote resource: kustomize and kustomize-controller fetch it, capifleet builds offline. */
export function isRemoteResourceError(message: string): boolean {
  return /remote resource '[^']*' cannot be fetched/.test(message);
}

function completeReads(reads: ReadSet): { reads?: Read[] } {
  return reads.complete ? { reads: reads.entries() } : {};
}

/** The unit of an input's manifest files, read in its order. */
export function loadManifests(files: readonly ManifestFile[], name: string): LoadedInput {
  const loaded: LoadedInput = { unit: { name, resources: files.flatMap((f) => f.resources) }, problems: files.flatMap((f) => f.problems) };
  if (files.every((f) => f.objectFindings)) loaded.objectFindings = files.flatMap((f) => f.objectFindings!);
  return loaded;
}

export type KnownKind = (group: string, kind: string) => boolean;

/**
 * The objects of one manifest file and the problems of the file itself; its documents go to the
 * locator. A document without apiVersion, kind or metadata.name is an error (the API server
 * refuses it), except a tool's configuration file that shares the look of an object: one with no
 * `metadata` at all whose kind is missing or of a group and kind no schema knows (kind's
 * `kind.x-k8s.io` Cluster, kubeadm's ClusterConfiguration, clusterctl's metadata.yaml,
 * clusterawsadm's AWSIAMConfiguration, the Flux CLI's `.fluxschema.yml`). Nothing applies those:
 * they are skipped with an info line.
 */
export function readManifestFile(file: string, text: string | Buffer, overlay: string, locator: SourceLocator, knownKind?: KnownKind): ManifestFile {
  const resources: Resource[] = [];
  const problems: Finding[] = [];
  const template = (message: string, line: number): ManifestFile => ({ resources, problems: [{ ruleId: 'input/template', severity: 'info', overlay, message, location: { file, line } }] });
  const yttLine = YTT_ANNOTATION.exec(text.toString());
  if (yttLine) return template('a ytt template (#@ annotations), objects only once rendered: skipped', lineAt(text.toString(), yttLine.index));
  let docs;
  try {
    docs = parseDocuments(text, file);
  } catch (e) {
    if (!(e instanceof BuildError) || e instanceof NestedTooDeepForThisThread) throw e;
    if (GO_TEMPLATE_ACTION.test(text.toString())) return template('a Go template ({{ … }}), not YAML until rendered: skipped', e.line ?? 1);
    return { resources, problems: [inputProblem(e, overlay, 'input/yaml', file)] };
  }
  locator.remember(file, docs);
  for (const doc of docs) {
    if (isFleetSpec(doc.value)) {
      problems.push(...fleetSpecProblems(docs, file, overlay));
      continue;
    }
    for (const obj of manifestObjects(doc.value)) {
      const r = manifestResource(obj, file, doc.line);
      const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
      if (!r.name) missing.push('metadata.name');
      if (missing.length === 0) resources.push(r);
      else if (isToolConfig(obj, knownKind)) {
        const what = [obj.apiVersion, obj.kind].filter((v) => typeof v === 'string').join(' ');
        problems.push({ ruleId: 'manifest/not-an-object', severity: 'info', overlay, message: `${what}: no Kubernetes object (no metadata, no known schema), skipped`, location: { file, line: doc.line } });
      } else {
        const path = `/${missing[0]!.replace('.', '/')}`;
        problems.push({ ruleId: 'manifest/identity', severity: 'error', overlay, message: `object without ${missing.join(', ')}`, path, location: { file, line: doc.line } });
      }
    }
  }
  return { resources, problems };
}

/** A document readManifestFile skips: see there. */
function isToolConfig(obj: JsonObject, knownKind: KnownKind | undefined): boolean {
  if (!knownKind || 'metadata' in obj || typeof obj.apiVersion !== 'string') return false;
  return typeof obj.kind !== 'string' || !knownKind(groupOf(obj.apiVersion), obj.kind);
}

/** A Carvel ytt annotation (`#@ load(...)`, `#@overlay/match ...`, `#@ data.values.x`): the file is valid YAML but a template. */
const YTT_ANNOTATION = /^[ \t]*#@(?:[ \t]|[a-z]+\/)/m;

/** A Go template action (`{{.Namespace}}`, `{{ .Values.x }}`): a file holding one that is no valid YAML is a template, as Helm's and test tools' are. */
const GO_TEMPLATE_ACTION = /\{\{-?\s*[.$\w(/"-][^\n]*?\}\}/;

/** An object read from the document at `line` of a manifest file. */
export function manifestResource(obj: JsonObject, file: string, line: number): Resource {
  const r = new Resource(obj, emptyBuildState());
  r.state.source = { file, line };
  return r;
}

/** capifleet's own spec is no Kubernetes object: the spec loader checks it, as `generate` would. */
function isFleetSpec(value: JsonValue): boolean {
  return isObject(value) && value.apiVersion === FLEET_API_VERSION && value.kind === FLEET_KIND;
}

function fleetSpecProblems(docs: readonly ParsedDocument[], file: string, overlay: string): Finding[] {
  try {
    fleetFromDocuments(docs, file);
    return [];
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return [inputProblem(e, overlay, 'fleet/spec', file)];
  }
}

/** Kubernetes objects of a document: a `*List` gives its items; YAML that is no object at all (values files) gives none. */
function manifestObjects(value: JsonValue): JsonObject[] {
  if (!isObject(value) || !('kind' in value || 'apiVersion' in value)) return [];
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.filter(isObject);
  }
  return [value];
}

/** A BuildError as a finding; the reader's duplicate-key error is a finding about content, not bad input. */
function inputProblem(e: BuildError, overlay: string, ruleId: string, fallbackFile: string | undefined): Finding {
  const duplicate = /mapping key .* already defined/.test(e.message);
  const file = e.file ?? fallbackFile;
  return {
    ruleId: duplicate ? 'yaml/duplicate-key' : ruleId,
    severity: ruleId === 'input/unchecked' ? 'warning' : 'error',
    message: e.displayMessage(process.cwd()),
    overlay,
    ...(file ? { location: { file, line: e.line ?? 1 } } : {}),
  };
}
