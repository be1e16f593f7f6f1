/** Worker-thread side of renderMany: renders its share of directories with one shared file cache. */
import { parentPort, workerData } from 'node:worker_threads';
import { BuildError } from '../errors.js';
import { FileCache } from './loader.js';
import { renderYaml } from './output.js';
import type { PortableRenderOptions } from './render-many.js';
import { render } from './target.js';

const { dirs, options } = workerData as { dirs: string[]; options: PortableRenderOptions };
const fileCache = new FileCache();
const onWarning = (message: string, file?: string): void => parentPort!.postMessage({ type: 'warning', message, file });
try {
  for (const dir of dirs) {
    parentPort!.postMessage({ type: 'done', dir, yaml: renderYaml(render(dir, { ...options, fileCache, onWarning })) });
  }
} catch (e) {
  const err = e as Error;
  const user = e instanceof BuildError;
  parentPort!.postMessage({
    type: 'error',
    error: { message: err.message, user, stack: err.stack, ...(user && e.file ? { file: e.file } : {}), ...(user && e.line ? { line: e.line } : {}) },
  });
}
