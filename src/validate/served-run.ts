import type { RepositoryOptions } from './repository-options.js';
import type { ManifestResultCache } from './result-cache.js';
import type { Validated } from './validate-many.js';
import type { WarningSink } from '../worker-pool.js';

/**
 * What validatePaths reports for `paths` when the result cache serves the run whole (see
 * ManifestResultCache.lookupRun): the last run's units and findings, its warnings given again.
 * Apart from validate-many, which loads the engine and the checks: the command line asks here
 * first, and loads them only for a run the cache cannot serve.
 */
export function servedRun(paths: readonly string[], cache: ManifestResultCache, options: { repository?: RepositoryOptions; onWarning?: WarningSink } = {}): Validated | undefined {
  const served = cache.lookupRun({ paths, ...(options.repository ? { repository: options.repository } : {}) });
  if (!served) return undefined;
  for (const w of served.warnings) options.onWarning?.(w.message, w.file);
  return { units: served.units, findings: served.findings, codeCaches: [], threads: 1, jobs: { total: 0, here: 0 }, servedWhole: true };
}
