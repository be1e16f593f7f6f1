import * as fs from 'node:fs';
import { FileCache } from '../engine/loader.js';
import type { BuildOptions } from '../engine/target.js';
import { ReadSet, type Read } from '../engine/read-set.js';
import { Resource } from '../engine/resource.js';
import { loadCatalog, type SchemaCatalog } from '../schemas/catalog.js';
import { shareWork, threadsFor, type Job, type Warning, type WarningSink } from '../worker-pool.js';
import { CelRules } from './cel/evaluator.js';
import { SchemaCompiler, type CodeCache } from '../schemas/compiled-schemas.js';
import { Validator, type ValidateOptions } from './validator.js';
import { findingResource, type CheckedUnit, type Finding } from './finding.js';
import { checkedFile, loadInput, loadManifests, manifestFile, readManifestFile, type CheckedFile, type Input, type LoadContext, type LoadedInput, type ManifestFile } from './inputs.js';
import type { ManifestResultCache, Rebuilt, RunScope } from './result-cache.js';
import type { RepositoryOptions } from './repository-options.js';
import { discoverRepositoryInputs } from './clusters.js';
import { diskBuildJob, prebuildOnThreads } from '../cluster-graph/threaded-builds.js';
import { mayDeclareEntry } from '../cluster-graph/entry-points.js';
import type { JsonObject } from '../json/value.js';
import { BuildError } from '../errors.js';
import { SourceLocator } from './source-map.js';
import { servedRun } from './served-run.js';

/** What a validation thread is built from; crosses to worker threads. */
export interface ValidateSetup {
  /** The project: its imported schemas are used. */
  projectDir: string;
  /** Where compiled schema code is cached; none with --no-cache. */
  cacheDir?: string;
  /** Keys that cache's file names (see userCacheSecret). */
  cacheSecret?: string;
  options: Omit<ValidateOptions, 'cel'>;
  /** How kustomizations are built (load restrictor, Helm), as `render` builds them. */
  build?: BuildOptions;
}

/** A piece of work a thread does alone: a whole overlay (render and check), or one manifest file's objects. */
export type ValidateJob = { kind: 'overlay'; dir: string } | { kind: 'file'; file: string; bytes: Uint8Array; overlay: string };

/** What a job gives: an overlay's report unit, every finding and what its build read, or a manifest file's CheckedFile. */
export type ValidateJobResult = CheckedOverlay | CheckedFile;

/** An overlay's report unit and findings, every path its build looked at (unless it depended on more) and the warnings it gave. */
export interface CheckedOverlay extends CheckedInput {
  reads?: Read[];
  warnings: Warning[];
}

/** An input's report unit and every finding about it. */
export interface CheckedInput {
  unit: CheckedUnit;
  findings: Finding[];
}

/**
 * Rough cost of each job, in manifest files: an overlay is read, built and checked whole (measured:
 * 2-4 times a file holding the same objects, and overlays usually hold more).
 */
const OVERLAY_COST = 4;
/**
 * Work a thread is worth starting for: a worker takes 0.2-0.3 s of CPU to start (Node, the modules,
 * the schema code it meets) before its first result, about what checking 250 files takes.
 */
const WORK_PER_THREAD = 250;

/** One thread's validator and what it keeps between jobs: compiled schemas, file and line maps. */
export class ValidationThread {
  readonly compiler: SchemaCompiler;
  readonly catalog: SchemaCatalog;
  readonly options: ValidateOptions;
  readonly validator: Validator;
  private readonly locator = new SourceLocator();
  /** Shared by the search for inputs and the builds of this thread. */
  readonly fileCache = new FileCache();

  constructor(
    readonly setup: ValidateSetup,
    onCelSkip: (message: string) => void,
  ) {
    this.compiler = new SchemaCompiler(setup.cacheDir ? { cacheDir: setup.cacheDir, ...(setup.cacheSecret ? { secret: setup.cacheSecret } : {}) } : {});
    this.catalog = loadCatalog({ projectDir: setup.projectDir });
    this.options = { ...setup.options, cel: new CelRules({ strictVars: setup.options.strictVars, onSkip: onCelSkip }) };
    this.validator = new Validator(this.catalog, this.options, { compiler: this.compiler, locator: this.locator });
  }

  readonly kustomizationCheck = () => this.compiler.kustomizationCheck();

  readonly knownKind = (group: string, kind: string): boolean => this.catalog.versionsOf(group, kind).length > 0;

  readonly job: Job<ValidateJob, ValidateJobResult> = (job, onWarning) => {
    if (job.kind === 'file') {
      // a Buffer crosses threads as a plain Uint8Array
      const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
      const read = readManifestFile(job.file, bytes, job.overlay, this.locator, this.knownKind);
      return checkedFile(read, this.validator.objectFindings({ name: job.overlay, resources: read.resources }));
    }
    // kept with the result, so an overlay served from the result cache warns as its build did
    const warnings: Warning[] = [];
    const warn: WarningSink = (message, file) => {
      warnings.push({ message, ...(file !== undefined ? { file } : {}) });
      onWarning(message, file);
    };
    const loaded = loadInput({ kind: 'kustomization', dir: job.dir }, this.loadContext(warn));
    return { ...this.checked(loaded), ...(loaded.reads ? { reads: loaded.reads } : {}), warnings };
  };

  /** An input's report unit and findings: its problems, then the validator's. */
  checked({ unit, problems, objectFindings }: LoadedInput): CheckedInput {
    return {
      unit: { name: unit.name, resources: unit.resources.map(findingResource) },
      findings: [...this.validator.graded(problems), ...this.validator.validate(unit, objectFindings)],
    };
  }

  /**
   * A cluster of the graph's report unit and findings: its objects' own findings build by build,
   * served by the result cache for a build whose objects it knows by their key (the schemas the
   * cluster's CRDs define are seen in Validator.validate, which checks the objects of those kinds
   * again), then the cluster's.
   */
  checkedCluster(input: Input & { kind: 'cluster' }, results?: ManifestResultCache): CheckedInput {
    const { name } = input.loaded.unit;
    const objectFindings = input.builds.flatMap(({ resources, key }) => {
      const kept = key !== undefined ? results?.lookupBuildFindings(name, key) : undefined;
      if (kept) return kept;
      const findings = this.validator.objectFindings({ name, resources });
      if (key !== undefined) results?.recordBuildFindings(name, key, findings);
      return findings;
    });
    return this.checked({ ...input.loaded, objectFindings });
  }

  loadContext(onWarning?: WarningSink): LoadContext {
    return {
      fileCache: this.fileCache,
      knownKind: this.knownKind,
      kustomizationCheck: this.kustomizationCheck,
      locator: this.locator,
      // bytes, as a file's are read: a byte-order mark (UTF-16) or invalid UTF-8 is seen, not replaced
      readStdin: () => fs.readFileSync(0),
      ...(this.setup.build ? { build: this.setup.build } : {}),
      ...(onWarning ? { onWarning } : {}),
    };
  }
}

export interface ValidateManyOptions {
  /** Threads to use, this one included; default: defaultThreads() for large runs, one for small ones. */
  threads?: number;
  /** Serves unchanged manifest files and overlays, and keeps what checking the others gives. */
  results?: ManifestResultCache;
  onWarning?: WarningSink;
  /** Called as jobs and then inputs are done, for progress displays. */
  onProgress?: (done: number, total: number) => void;
}

export interface Validated {
  units: CheckedUnit[];
  /** In the order of the inputs, each input's as Validator gives them (not sorted). */
  findings: Finding[];
  /** V8 code caches worker threads made, for this thread's compiler to save. */
  codeCaches: CodeCache[];
  /** Threads the jobs were spread over, this one included. */
  threads: number;
  /** Jobs in all, and those this thread did. */
  jobs: { total: number; here: number };
  /** The report is the last run's from the same paths, served whole (see validatePaths). */
  servedWhole?: true;
  /**
   * The report is the last run's from the same paths: what changed since cannot change it, or
   * changes only the clusters some builds apply into, which were checked again (see ManifestResultCache.cutoffRun).
   */
  cutOff?: true;
  /**
   * Every path checking the inputs looked at (the overlays' builds, the manifest files); none when
   * that is not known (stdin, a build that ran helm). A cluster's are its search's (see Input).
   */
  reads?: ReadSet;
}

/**
 * Validates inputs as one thread would, one after the other, but with the expensive part spread
 * over worker threads when there is enough of it: overlays are rendered and checked whole, and
 * manifest files the result cache does not serve are read and their objects checked. This thread
 * then checks each input's set of objects together, in input order, so the result is the same
 * whatever thread did what.
 */
export async function validateMany(inputs: readonly Input[], here: ValidationThread, options: ValidateManyOptions = {}): Promise<Validated> {
  const jobs: ValidateJob[] = [];
  const job = (j: ValidateJob): number => jobs.push(j) - 1;
  const plans = inputs.map((input): Plan => {
    const cache = options.results;
    if (input.kind === 'kustomization') {
      const served = cache?.lookupOverlay(input.dir);
      return served ? { input, ...served } : { input, job: job({ kind: 'overlay', dir: input.dir }) };
    }
    if (input.kind !== 'files') return { input };
    const read = input.files.map((file) => {
      const bytes = fs.readFileSync(file);
      return { file, bytes, key: cache?.fileKey(file, input.name, bytes) };
    });
    const unitKey = cache?.unitKey(input.name, read.map((f) => f.key!));
    const checked = unitKey !== undefined ? cache!.lookupUnit(input.name, unitKey) : undefined;
    if (checked) return { input, checked };
    const files = read.map(({ file, bytes, key }): FilePlan => {
      const hit = key !== undefined ? cache!.lookup(file, key) : undefined;
      return hit ? { file, hit: manifestFile(file, hit) } : { file, key, job: job({ kind: 'file', file, bytes, overlay: input.name }) };
    });
    return { input, files, unitKey };
  });
  const total = jobs.length + inputs.length;
  const threads = threadsToValidate(jobs, options.threads);
  const { results, finals, here: jobsHere } = await shareWork<ValidateJob, ValidateJobResult, CodeCache[]>(jobs, {
    threads,
    worker: new URL('./validate-worker.js', import.meta.url),
    setup: here.setup,
    job: here.job,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    onProgress: (done) => options.onProgress?.(done, total),
  });

  const units: CheckedUnit[] = [];
  const findings: Finding[] = [];
  const looked = new ReadSet();
  let known = true;
  const assemble = (plan: Plan): CheckedInput => {
    if (plan.input.kind === 'files') for (const file of plan.input.files) looked.add(file, 'read');
    if (plan.input.kind === 'stdin') known = false;
    if ('job' in plan) {
      const { reads, warnings, ...checked } = results[plan.job] as CheckedOverlay;
      if (reads) looked.addReads(reads);
      else known = false;
      if (plan.input.kind === 'kustomization' && reads) options.results?.recordOverlay(plan.input.dir, { ...checked, reads, warnings });
      return checked;
    }
    if ('checked' in plan) {
      if (plan.reads) looked.addReads(plan.reads);
      for (const w of plan.warnings ?? []) options.onWarning?.(w.message, w.file);
      return plan.checked;
    }
    if (plan.input.kind === 'cluster') return here.checkedCluster(plan.input, options.results);
    if (!('files' in plan)) return here.checked(loadInput(plan.input, here.loadContext(options.onWarning)));
    const files = plan.files.map((f): ManifestFile => {
      if ('hit' in f) return f.hit;
      const checked = results[f.job] as CheckedFile;
      if (f.key !== undefined) options.results?.record(f.file, f.key, checked);
      return manifestFile(f.file, checked);
    });
    const checked = here.checked(loadManifests(files, plan.input.name));
    if (plan.unitKey !== undefined) options.results?.recordUnit(plan.input.name, plan.unitKey, plan.input.files, checked);
    return checked;
  };
  plans.forEach((plan, i) => {
    const checked = assemble(plan);
    units.push(checked.unit);
    findings.push(...checked.findings);
    options.onProgress?.(jobs.length + i + 1, total);
  });
  return { units, findings, codeCaches: finals.flat(), threads, jobs: { total: jobs.length, here: jobsHere }, ...(known ? { reads: looked } : {}) };
}

/**
 * Validates what command-line paths name (see discoverRepositoryInputs) as validateMany does. With
 * the result cache, a run whose search, overlay builds and manifest files all show the same as the
 * last run's from the same paths is that run's report, warnings included: nothing is searched,
 * rebuilt or checked. Otherwise the search is served when what it looked at is unchanged, and
 * each overlay and file as validateMany says.
 */
export async function validatePaths(paths: readonly string[], here: ValidationThread, options: ValidateManyOptions & { repository?: RepositoryOptions } = {}): Promise<Validated> {
  const cache = options.results;
  cache?.readThrough(here.fileCache);
  const run: RunScope = { paths, ...(options.repository ? { repository: options.repository } : {}) };
  const served = cache?.lookupRun(run);
  if (served) return servedRun(served, options.onWarning);
  const cut = cache?.cutoffRun(run, { rebuild: rebuildOn(here), mayDeclareEntry, check: (input) => here.checkedCluster(input, cache) });
  if (cut) {
    for (const w of cut.warnings) options.onWarning?.(w.message, w.file);
    return { units: cut.units, findings: cut.findings, codeCaches: [], threads: 1, jobs: { total: 0, here: 0 }, cutOff: true };
  }
  const warnings: Warning[] = [];
  const onWarning: WarningSink = (message, file) => {
    warnings.push({ message, ...(file !== undefined ? { file } : {}) });
    options.onWarning?.(message, file);
  };
  const searched = new ReadSet();
  const prebuild = prebuildOnThreads({ fileCache: here.fileCache, kustomizationCheck: here.kustomizationCheck, ...(options.threads ? { threads: options.threads } : {}) });
  const discover = (reads: ReadSet): Input[] =>
    discoverRepositoryInputs(paths, {
      ...(options.repository ? { repository: options.repository } : {}),
      kustomizationCheck: here.kustomizationCheck,
      fileCache: here.fileCache,
      onWarning,
      reads,
      ...(prebuild ? { prebuild } : {}),
      ...(cache ? { references: cache.references, cachedSearch: cache.cachedSearch, graphBuilds: (root: string) => cache.graphBuilds(root) } : {}),
    });
  const inputs = cache ? cache.cachedInputs(run, discover, searched) : discover(searched);
  if (inputs.length === 0) throw new BuildError(`nothing to validate in ${paths.join(', ')}: no kustomization and no YAML file`);
  const validated = await validateMany(inputs, here, { ...options, onWarning });
  if (cache && validated.reads) {
    validated.reads.addAll(searched);
    cache.recordRun(run, validated.reads, { units: validated.units, findings: validated.findings, warnings });
  }
  return validated;
}

/** Builds a path of the disk with a Flux Kustomization's spec as the cluster graph does, here (see ManifestResultCache.cutoffRun). */
function rebuildOn(here: ValidationThread): (dir: string, spec: JsonObject) => Rebuilt {
  const job = diskBuildJob(here.fileCache, here.kustomizationCheck);
  return (dir, spec) => {
    const warnings: Warning[] = [];
    const built = job({ dir, spec }, (message, file) => warnings.push({ message, ...(file !== undefined ? { file } : {}) }));
    const reads = new ReadSet();
    // the graph looks at the folder before it builds it
    reads.add(dir, 'stat');
    reads.addReads(built.reads);
    if (!built.complete) reads.markPartial();
    return { resources: built.objects.map((o) => new Resource(o.obj, o.state)), reads, warnings, failed: built.failure !== undefined };
  };
}

/** How many threads jobs are worth: `requested`, else as threadsFor says with `available` threads. */
export function threadsToValidate(jobs: readonly ValidateJob[], requested?: number, available?: number): number {
  const work = jobs.reduce((sum, j) => sum + (j.kind === 'overlay' ? OVERLAY_COST : 1), 0);
  return threadsFor(work, WORK_PER_THREAD, requested, available);
}

/**
 * How an input is assembled: from its job; as the result cache has it; from its files' (served by
 * the result cache or jobs), then kept under `unitKey`; or here (stdin, a cluster of the graph).
 */
type Plan =
  | { input: Input; job: number }
  | { input: Input; checked: CheckedInput; warnings?: Warning[]; reads?: Read[] }
  | { input: Input & { kind: 'files' }; files: FilePlan[]; unitKey?: string }
  | { input: Input };
type FilePlan = { file: string; hit: ManifestFile } | { file: string; key?: string | undefined; job: number };
