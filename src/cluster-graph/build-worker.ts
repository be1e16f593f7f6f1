/** Worker-thread side of the cluster graph's threaded builds: builds the paths it claims from the disk. */
import { FileCache } from '../engine/loader.js';
import { SchemaCompiler } from '../schemas/compiled-schemas.js';
import { serveClaims } from '../worker-pool.js';
import { diskBuildJob } from './threaded-builds.js';

// the kustomization check as compiled at build time: compiling it in the worker cost ~0.26 s of CPU
const compiler = new SchemaCompiler();
serveClaims(diskBuildJob(new FileCache(), () => compiler.kustomizationCheck()));
