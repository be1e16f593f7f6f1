import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { BuildError } from '../errors.js';
import { FileCache } from './loader.js';
import { renderYaml } from './output.js';
import { render, type RenderOptions } from './target.js';

/** Options that can cross to a worker thread (no callbacks, no caches). */
export type PortableRenderOptions = Omit<RenderOptions, 'fileCache' | 'onWarning' | 'kustomizationCheck'>;

export interface RenderManyOptions extends PortableRenderOptions {
  /** Threads to use; default: one per core, and none for small batches. */
  threads?: number;
  onWarning?: RenderOptions['onWarning'];
  /** Called after each directory is done (in any order), for progress displays. */
  onProgress?: (done: number, total: number) => void;
}

/** A directory's build as kustomize prints it. */
export interface RenderedOverlay {
  dir: string;
  yaml: string;
}

/** Below this many directories a thread costs more to start than it saves. */
const MIN_DIRS_PER_THREAD = 64;

/**
 * Renders many kustomization directories, spread over worker threads. Each thread keeps one file
 * cache, so a base shared by its overlays is read, parsed and built once per thread. Results come
 * back in the order of `dirs`; a failing directory's error is thrown.
 */
export async function renderMany(dirs: readonly string[], options: RenderManyOptions = {}): Promise<RenderedOverlay[]> {
  const { threads: requested, onWarning, onProgress, ...portable } = options;
  const threads = Math.max(1, Math.min(requested ?? os.availableParallelism(), Math.floor(dirs.length / MIN_DIRS_PER_THREAD)));
  let done = 0;
  const tick = (): void => onProgress?.(++done, dirs.length);
  if (threads === 1) {
    const fileCache = new FileCache();
    return dirs.map((dir) => {
      const yaml = renderYaml(render(dir, { ...portable, fileCache, ...(onWarning ? { onWarning } : {}) }));
      tick();
      return { dir, yaml };
    });
  }
  const chunks = Array.from({ length: threads }, (_, t) => dirs.filter((_, i) => i % threads === t));
  const results = await Promise.all(chunks.map((chunk) => runWorker(chunk, portable, tick, onWarning)));
  const byDir = new Map(results.flat().map((r) => [r.dir, r]));
  return dirs.map((dir) => byDir.get(dir)!);
}

type WorkerMessage =
  | { type: 'done'; dir: string; yaml: string }
  | { type: 'warning'; message: string; file?: string }
  | { type: 'error'; error: { message: string; file?: string; line?: number; user: boolean; stack?: string } };

function runWorker(
  dirs: string[],
  options: PortableRenderOptions,
  tick: () => void,
  onWarning: RenderOptions['onWarning'],
): Promise<RenderedOverlay[]> {
  return new Promise((resolve, reject) => {
    const out: RenderedOverlay[] = [];
    const worker = new Worker(new URL('./render-worker.js', import.meta.url), { workerData: { dirs, options } });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') {
        out.push({ dir: m.dir, yaml: m.yaml });
        tick();
      } else if (m.type === 'warning') onWarning?.(m.message, m.file);
      else {
        const e = m.error;
        reject(e.user ? new BuildError(e.message, e.file, e.line) : Object.assign(new Error(e.message), { stack: e.stack }));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`render worker exited with code ${code}`))));
  });
}
