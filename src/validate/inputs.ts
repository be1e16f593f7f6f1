import { displayPath } from '../display-path.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { cannot, fileKind } from '../files.js';
import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { KUSTOMIZATION_FILE_NAMES, loadKustomization, type KustomizationCheck } from '../engine/kustomization.js';
import { FileCache, Loader } from '../engine/loader.js';
import { ReadSet, statKind, type Read } from '../engine/read-set.js';
import { emptyBuildState, Resource } from '../engine/resource.js';
import { render, type BuildOptions } from '../engine/target.js';
import { fleetFromDocuments } from '../fleet/load.js';
import { FLEET_API_VERSION, FLEET_KIND } from '../fleet/types.js';
import { parseDocuments, type ParsedDocument } from '../yaml/parse.js';
import type { ValidationUnit } from './validator.js';
import type { Finding } from './finding.js';
import type { SourceLocator } from './source-map.js';

/** Something to validate, found from a command-line path; a cluster comes loaded from the cluster graph. */
export type Input =
  | { kind: 'kustomization'; dir: string }
  | { kind: 'files'; files: string[]; name: string }
  | { kind: 'stdin' }
  | { kind: 'cluster'; loaded: LoadedInput };

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
    if (isKustomizationDir(p, reads)) return [{ kind: 'kustomization', dir: path.resolve(p) }];
    return discoverTree(path.resolve(p), options, reads);
  });
}

export interface DiscoverOptions {
  kustomizationCheck?: KustomizationCheck;
  /** Receives every path the search looked at (see ReadSet). */
  reads?: ReadSet;
  /** Shares reads and parses of kustomization files with the builds of the same run. */
  fileCache?: FileCache;
  /** What a kustomization file lists under resources and components, as `list` gives it or as a memo of earlier runs has it. */
  references?: (file: string, list: () => string[]) => string[];
}

function discoverTree(root: string, options: DiscoverOptions, reads: ReadSet): Input[] {
  const kustomizations = new Map<string, string>();
  const plain = new Map<string, string[]>();
  const walk = (dir: string): void => {
    const file = kustomizationIn(dir, reads);
    const entries = readFolder(dir, reads).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (file) kustomizations.set(dir, file);
    // files below a kustomization belong to it (patches, bases); nested kustomizations still count
    else {
      if (entries.some((e) => e.name === 'Chart.yaml')) return; // Helm chart templates are not manifests
      const manifests = entries.filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name))).map((e) => path.join(dir, e.name));
      if (manifests.length > 0) plain.set(dir, manifests);
    }
    for (const sub of subdirectories(dir, entries)) walk(sub);
  };
  walk(root);
  const included = new Set([...kustomizations].flatMap(([dir, file]) => referencedPaths(dir, file, options, reads)));
  const plainFiles = [...plain].flatMap(([dir, files]) => {
    const own = files.filter((f) => !included.has(f) && !insideAny(f, kustomizations));
    return own.length ? [{ kind: 'files' as const, files: own, name: displayPath(dir) }] : [];
  });
  const leaves = [...kustomizations.keys()].filter((k) => !included.has(k)).map((dir) => ({ kind: 'kustomization' as const, dir }));
  return [...leaves, ...plainFiles];
}

/**
 * A folder's entries, for the walk; one it may not read is refused in one line, not skipped: a
 * manifest there would silently go unchecked. Only plain files and folders are followed, never a
 * link, a device or a FIFO: the entries' types are what the read set's listing observes.
 */
function readFolder(dir: string, reads: ReadSet): fs.Dirent[] {
  reads.add(dir, 'list');
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw cannot('read the folder', dir, e);
  }
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

/** The kustomization file of a folder that is a kustomization (see isKustomizationDir). */
function kustomizationIn(dir: string, reads: ReadSet): string | undefined {
  const file = kustomizationFile(dir, reads);
  if (!file) return undefined;
  reads.add(file, 'read');
  return /^apiVersion:\s*kustomize\.toolkit\.fluxcd\.io\//m.test(fs.readFileSync(file, 'utf8')) ? undefined : file;
}

function kustomizationFile(dir: string, reads: ReadSet): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => {
    reads.add(f, 'stat');
    return statKind(f) === 'file';
  });
}

/**
 * Absolute paths of the directories and files a kustomization lists under resources and
 * components. What they are depends on the kustomization file and its folder's entries alone
 * (both are in the read set already), so a memo may serve them by those.
 */
function referencedPaths(dir: string, file: string, options: DiscoverOptions, reads: ReadSet): string[] {
  const listed = (): string[] => {
    try {
      const k = loadKustomization(Loader.forDirectory(dir, 'none', options.fileCache, reads), options.kustomizationCheck).kustomization;
      return [...(k.resources ?? []), ...(k.components ?? [])];
    } catch {
      return []; // its own build reports the problem
    }
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
  kustomizationCheck?: KustomizationCheck;
  locator: SourceLocator;
  readStdin: () => string;
  onWarning?: (message: string, file?: string) => void;
  build?: BuildOptions;
}

export function loadInput(input: Input, ctx: LoadContext): LoadedInput {
  if (input.kind === 'cluster') return input.loaded;
  if (input.kind === 'kustomization') return loadKustomizationInput(input.dir, ctx);
  if (input.kind === 'stdin') return loadManifests([readManifestFile('-', ctx.readStdin(), '-', ctx.locator)], '-');
  return loadManifests(input.files.map((file) => readManifestFile(file, fs.readFileSync(file), input.name, ctx.locator)), input.name);
}

function loadKustomizationInput(dir: string, ctx: LoadContext): LoadedInput {
  const name = displayPath(dir);
  const reads = new ReadSet();
  const kfile = kustomizationFile(dir, reads);
  const unit: ValidationUnit = { name, resources: [], ...(kfile ? { fallbackLocation: { file: kfile, line: 1 } } : {}) };
  try {
    const resources = render(dir, {
      ...ctx.build,
      fileCache: ctx.fileCache,
      reads,
      ...(ctx.kustomizationCheck ? { kustomizationCheck: ctx.kustomizationCheck } : {}),
      ...(ctx.onWarning ? { onWarning: ctx.onWarning } : {}),
    });
    return { unit: { ...unit, resources }, problems: [], ...completeReads(reads) };
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return { unit, problems: [inputProblem(e, name, 'input/build', kfile)], ...completeReads(reads) };
  }
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

/** The objects of one manifest file and the problems of the file itself; its documents go to the locator. */
export function readManifestFile(file: string, text: string | Buffer, overlay: string, locator: SourceLocator): ManifestFile {
  const resources: Resource[] = [];
  const problems: Finding[] = [];
  let docs;
  try {
    docs = parseDocuments(text, file);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
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
      else {
        const path = `/${missing[0]!.replace('.', '/')}`;
        problems.push({ ruleId: 'manifest/identity', severity: 'error', overlay, message: `object without ${missing.join(', ')}`, path, location: { file, line: doc.line } });
      }
    }
  }
  return { resources, problems };
}

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
    severity: 'error',
    message: e.displayMessage(process.cwd()),
    overlay,
    ...(file ? { location: { file, line: e.line ?? 1 } } : {}),
  };
}
