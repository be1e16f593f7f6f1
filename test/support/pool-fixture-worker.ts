/** Worker side of the worker pool's tests. */
import { isMainThread } from 'node:worker_threads';
import { serveWork, workerSetup } from '../../src/worker-pool.js';
import { poolJob, type PoolSetup } from './pool-jobs.js';

// `node --test dist/test/` also runs this file on its own, as it runs every file under test/
if (!isMainThread) {
  const { job, count } = poolJob(workerSetup<PoolSetup>());
  serveWork(job, count);
}
