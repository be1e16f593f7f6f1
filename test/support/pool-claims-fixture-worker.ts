/** Worker side of the tests of the worker pool's shareWorkNow. */
import { isMainThread } from 'node:worker_threads';
import { serveClaims, workerSetup } from '../../src/worker-pool.js';
import { poolJob, type PoolSetup } from './pool-jobs.js';

// `node --test dist/test/` also runs this file on its own, as it runs every file under test/
if (!isMainThread) serveClaims(poolJob(workerSetup<PoolSetup>()).job);
