/** Worker side of the worker pool's tests. */
import { serveWork, workerSetup } from '../../src/worker-pool.js';
import { poolJob, type PoolSetup } from './pool-jobs.js';

const { job, count } = poolJob(workerSetup<PoolSetup>());
serveWork(job, count);
