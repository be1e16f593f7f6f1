import { displayPath } from '../display-path.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError, NestedTooDeepForThisThread } from '../errors.js';
import { fileKind, isKernelFilesystem, walkFolder } from '../files.js';
import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { KUSTOMIZATION_FILE_NAMES, loadKustomization, type KustomizationCheck } from '../engine/kustomization.js';
import { FileCache, Loader } from '../engine/loader.js';
import { ReadSet, type Read } from '../engine/read-set.js';
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
export function discoverInputs(paths: readonly string[], kustomizationCheck?: KustomizationCheck): Input[] {
  return paths.flatMap((p): Input[] => {
    if (p === '-') return [{ kind: 'stdin' }];
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
    if (isKustomizationDir(p)) return [{ kind: 'kustomization', dir: path.resolve(p) }];
    return discoverTree(path.resolve(p), kustomizationCheck);
  });
}

function discoverTree(root: string, kustomizationCheck: KustomizationCheck | undefined): Input[] {
  const kustomizations: string[] = [];
  const plain = new Map<string, string[]>();
  const walk = (dir: string): void => {
    if (isKustomizationDir(dir)) {
      kustomizations.push(dir);
      // files below a kustomization belong to it (patches, bases); nested kustomizations still count
      for (const sub of subdirectories(dir, walkFolder(dir))) walk(sub);
      return;
    }
    // only plain files and folders are followed, never a link, a device or a FIFO
    const entries = walkFolder(dir);
    if (entries.some((e) => e.name === 'Chart.yaml')) return; // Helm chart templates are not manifests
    const manifests = entries.filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name))).map((e) => path.join(dir, e.name));
    if (manifests.length > 0) plain.set(dir, manifests);
    for (const sub of subdirectories(dir, entries)) walk(sub);
  };
  walk(root);
  const included = new Set(kustomizations.flatMap((dir) => referencedPaths(dir, kustomizationCheck)));
  const kustomizationDirs = new Set(kustomizations);
  const plainFiles = [...plain].flatMap(([dir, files]) => {
    const own = files.filter((f) => !included.has(f) && !insideAny(f, kustomizationDirs));
    return own.length ? [{ kind: 'files' as const, files: own, name: displayPath(dir) }] : [];
  });
  const leaves = kustomizations.filter((k) => !included.has(k)).map((dir) => ({ kind: 'kustomization' as const, dir }));
  return [...leaves, ...plainFiles];
}

function subdirectories(dir: string, entries: readonly fs.Dirent[]): string[] {
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Whether a folder above `file` is one of `dirs`: a walk up its path, whatever the number of dirs. */
function insideAny(file: string, dirs: ReadonlySet<string>): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (dirs.has(dir)) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** A directory holding a kustomization file; a Flux Kustomization that happens to be named so is not one. */
export function isKustomizationDir(dir: string): boolean {
  const file = kustomizationFile(dir);
  if (!file) return false;
  return !/^apiVersion:\s*kustomize\.toolkit\.fluxcd\.io\//m.test(fs.readFileSync(file, 'utf8'));
}

function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Absolute paths of the directories and files a kustomization lists under resources and components. */
function referencedPaths(dir: string, kustomizationCheck: KustomizationCheck | undefined): string[] {
  try {
    const k = loadKustomization(Loader.forDirectory(dir, 'none'), kustomizationCheck).kustomization;
    return [...(k.resources ?? []), ...(k.components ?? [])].map((ref) => path.resolve(dir, ref));
  } catch {
    return []; // its own build reports the problem
  }
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
  readStdin: () => string | Buffer;
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
  const kfile = kustomizationFile(dir);
  const unit: ValidationUnit = { name, resources: [], ...(kfile ? { fallbackLocation: { file: kfile, line: 1 } } : {}) };
  const reads = new ReadSet();
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
    // too deep for this thread is for a thread with a deep stack to read, not a finding
    if (!(e instanceof BuildError) || e instanceof NestedTooDeepForThisThread) throw e;
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
    if (!(e instanceof BuildError) || e instanceof NestedTooDeepForThisThread) throw e;
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
