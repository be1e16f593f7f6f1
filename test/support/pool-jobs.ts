import { isMainThread } from 'node:worker_threads';
import { BuildError } from '../../src/errors.js';
import type { Job } from '../../src/worker-pool.js';

/** An item of the worker pool's tests; `fail` happens only in a worker thread. */
export interface PoolItem {
  n: number;
  warn?: boolean;
  fail?: 'user' | 'bug' | 'exit';
  /** Block this thread until a worker has started on its first item (so that item is the worker's). */
  awaitWorker?: boolean;
}

/** What every test worker starts from: a flag a worker raises when it starts its first item. */
export interface PoolSetup {
  started: SharedArrayBuffer;
}

/** Doubles n; counts the items it did, for `finish`. */
export function poolJob(setup: PoolSetup): { job: Job<PoolItem, number>; count: () => number } {
  const started = new Int32Array(setup.started);
  let count = 0;
  const job: Job<PoolItem, number> = (item, onWarning) => {
    if (!isMainThread) {
      Atomics.store(started, 0, 1);
      Atomics.notify(started, 0);
    }
    if (item.awaitWorker) Atomics.wait(started, 0, 0, 30_000);
    if (item.warn) onWarning(`warning ${item.n}`, `f${item.n}.yaml`);
    if (!isMainThread && item.fail === 'user') throw new BuildError('bad item', 'items.yaml', item.n);
    if (!isMainThread && item.fail === 'bug') throw new TypeError(`broken item ${item.n}`);
    if (!isMainThread && item.fail === 'exit') process.exit(3);
    count++;
    return item.n * 2;
  };
  return { job, count: () => count };
}
