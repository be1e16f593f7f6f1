/** Worker-thread side of the cluster graph's threaded builds: builds the paths it claims from the disk. */
import { FileCache } from '../engine/loader.js';
import { serveClaims } from '../worker-pool.js';
import { diskBuildJob } from './threaded-builds.js';

serveClaims(diskBuildJob(new FileCache()));
