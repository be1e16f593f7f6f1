/**
 * The cluster graph's builds of the disk spread over worker threads (ClusterGraphOptions.prebuild):
 * each thread builds with fluxBuild and a file cache of its own, and the objects, what each build
 * read and the error it threw cross back by structured cloning.
 */
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import type { JsonObject } from '../json/value.js';
import type { KustomizationCheck } from '../engine/kustomization.js';
import type { FileCache } from '../engine/loader.js';
import { ReadSet, type Read } from '../engine/read-set.js';
import { Resource, type BuildState } from '../engine/resource.js';
import { defaultThreads, shareWorkNow, threadsFor, type Job } from '../worker-pool.js';
import { fluxBuild } from './flux-build.js';
import type { PlannedBuild, Prebuilt } from './graph.js';
import { diskFiles, recordingFiles } from './repo-files.js';

/** A build as it crosses threads: a Resource is its object and build state. */
export interface PortableBuild {
  objects: { obj: JsonObject; state: BuildState }[];
  reads: Read[];
  complete: boolean;
  failure?: { message: string; file?: string; line?: number };
}

/**
 * Builds a worker is worth starting for: one takes 0.2-0.3 s of CPU to start, about what 100
 * builds of a generated cluster overlay take.
 */
const BUILDS_PER_THREAD = 100;

/** How a thread builds a PlannedBuild from the disk, as the graph builds it in process. */
export function diskBuildJob(fileCache: FileCache, kustomizationCheck?: KustomizationCheck): Job<PlannedBuild, PortableBuild> {
  return ({ dir, spec, declaredAt }, onWarning) => {
    const reads = new ReadSet();
    const seen = (): Pick<PortableBuild, 'reads' | 'complete'> => ({ reads: reads.entries(), complete: reads.complete });
    try {
      const resources = fluxBuild(recordingFiles(diskFiles, reads), dir, spec, declaredAt, { fileCache, reads, onWarning, ...(kustomizationCheck ? { kustomizationCheck } : {}) });
      return { objects: resources.map((r) => ({ obj: r.obj, state: r.state })), ...seen() };
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      return { objects: [], ...seen(), failure: { message: e.message, ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}) } };
    }
  };
}

/**
 * A prebuild for the cluster graph: builds spread over up to `threads` threads (default as
 * threadsFor decides), this one's share with its file cache. None where only one thread may run:
 * the graph then builds as ever, without planning ahead.
 */
export function prebuildOnThreads(here: { fileCache: FileCache; kustomizationCheck?: KustomizationCheck; threads?: number }): ((builds: readonly PlannedBuild[]) => Prebuilt[]) | undefined {
  if ((here.threads ?? defaultThreads()) <= 1) return undefined;
  return (builds) => {
    const threads = threadsFor(builds.length, BUILDS_PER_THREAD, here.threads);
    if (threads <= 1) return [];
    const { results, warnings, here: built } = shareWorkNow(builds, {
      threads,
      worker: new URL('./build-worker.js', import.meta.url),
      setup: undefined,
      job: diskBuildJob(here.fileCache, here.kustomizationCheck),
    });
    printDebug(`cluster graph: built ${builds.length} paths on ${threads} threads; this one did ${built}`);
    return results.map((r, i) => arrived(r, warnings[i]!));
  };
}

function arrived(build: PortableBuild, warnings: Prebuilt['warnings']): Prebuilt {
  const reads = new ReadSet();
  reads.addReads(build.reads);
  if (!build.complete) reads.markPartial();
  const { failure } = build;
  return {
    resources: build.objects.map((o) => new Resource(o.obj, o.state)),
    reads,
    warnings,
    ...(failure ? { failure: new BuildError(failure.message, failure.file, failure.line) } : {}),
  };
}
