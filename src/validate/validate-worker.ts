/** Worker-thread side of validateMany: renders and checks overlays, reads and checks manifest files. */
import { printDebug } from '../debug.js';
import { serveWork, workerSetup } from '../worker-pool.js';
import { ValidationThread, type ValidateSetup } from './validate-many.js';

const thread = new ValidationThread(workerSetup<ValidateSetup>(), printDebug);
serveWork(thread.job, () => thread.compiler.takeCodeCaches());
