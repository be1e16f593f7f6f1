import { BuildError } from '../errors.js';

/** `--jobs`: the same option, with the same meaning, for every command that spreads work over threads. */
export const JOBS_OPTION = {
  type: 'number',
  describe: 'threads to use at most, this one included (default: one per core; 1: no worker threads); small inputs use one',
} as const;

/** The thread limit `--jobs` gives; undefined (one per core) when not given. */
export function jobsLimit(jobs: number | undefined): number | undefined {
  if (jobs === undefined) return undefined;
  if (!Number.isInteger(jobs) || jobs < 1) throw new BuildError(`--jobs ${jobs}: expected a whole number of threads, 1 or more`);
  return jobs;
}
