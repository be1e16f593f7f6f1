import { BuildError } from '../errors.js';

/** `--jobs`: the same option, with the same meaning, for every command that spreads work over threads. */
export const JOBS_OPTION = {
  type: 'number',
  describe: 'threads to use (1: no worker threads); default: one per core but one, for inputs large enough to gain from them',
} as const;

/** More threads than any machine gains from; a larger number is a typo, refused before any thread starts. */
const MAX_JOBS = 256;

/** The threads `--jobs` asks for; undefined (the default) when not given. */
export function jobsLimit(jobs: number | undefined): number | undefined {
  if (jobs === undefined) return undefined;
  if (!Number.isInteger(jobs) || jobs < 1) {
    // yargs reads a word given to a number option as NaN
    throw new BuildError(`--jobs ${Number.isNaN(jobs) ? 'is not a number' : jobs}: expected a whole number of threads, 1 or more`);
  }
  if (jobs > MAX_JOBS) throw new BuildError(`--jobs ${jobs}: at most ${MAX_JOBS} threads`);
  return jobs;
}
