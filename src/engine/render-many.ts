import { shareWork, threadsFor, type Job } from '../worker-pool.js';
import { FileCache } from './loader.js';
import { renderYaml } from './output.js';
import { render, type RenderOptions } from './target.js';
import type { KustomizationCheck } from './kustomization.js';

/** Options that can cross to a worker thread (no callbacks, no caches). */
export type PortableRenderOptions = Omit<RenderOptions, 'fileCache' | 'onWarning' | 'kustomizationCheck' | 'reads'>;

export interface RenderManyOptions extends PortableRenderOptions {
  /** Threads to use, this one included; default: defaultThreads(), and one alone for small batches. */
  threads?: number;
  onWarning?: RenderOptions['onWarning'];
  /** The kustomization file check of this thread's renders (e.g. shipped compiled code); workers compile their own. */
  kustomizationCheck?: KustomizationCheck;
  /** Called after each directory is done (in any order), for progress displays. */
  onProgress?: (done: number, total: number) => void;
}

/** A directory's build as kustomize prints it. */
export interface RenderedOverlay {
  dir: string;
  yaml: string;
}

/** Below this many directories per thread a thread costs more to start than it saves. */
const MIN_DIRS_PER_THREAD = 64;

/**
 * Renders many kustomization directories, spread over worker threads. Each thread keeps one file
 * cache, so a base shared by its overlays is read, parsed and built once per thread. Results come
 * back in the order of `dirs`; a failing directory's error is thrown.
 */
export async function renderMany(dirs: readonly string[], options: RenderManyOptions = {}): Promise<RenderedOverlay[]> {
  const { threads, onWarning, onProgress, kustomizationCheck, ...portable } = options;
  const { results } = await shareWork(dirs, {
    threads: threadsFor(dirs.length, MIN_DIRS_PER_THREAD, threads),
    worker: new URL('./render-worker.js', import.meta.url),
    setup: portable,
    job: directoryRenderer(portable, kustomizationCheck),
    ...(onWarning ? { onWarning } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return results;
}

/** What each thread does with a directory; its overlays share one file cache. */
export function directoryRenderer(options: PortableRenderOptions, kustomizationCheck?: KustomizationCheck): Job<string, RenderedOverlay> {
  const fileCache = new FileCache();
  const check = kustomizationCheck ? { kustomizationCheck } : {};
  return (dir, onWarning) => ({ dir, yaml: renderYaml(render(dir, { ...options, ...check, fileCache, onWarning })) });
}
