import * as path from 'node:path';
import { discoverRepositoryInputs } from '../../src/validate/clusters.js';
import type { Finding } from '../../src/validate/finding.js';
import { ManifestResultCache } from '../../src/validate/result-cache.js';
import { resultFingerprint } from '../../src/validate/result-fingerprint.js';
import { validateMany, ValidationThread, type ValidateSetup } from '../../src/validate/validate-many.js';

/**
 * validate of a repository (or a plain tree) as the command runs it, on one thread; each finding
 * as `ruleId file:line message`, file relative to the root. With a cache folder, the result cache
 * serves and keeps results as it does for the command.
 */
export async function validateRepository(root: string, cacheDir?: string): Promise<string[]> {
  const setup: ValidateSetup = {
    projectDir: root,
    ...(cacheDir ? { cacheDir } : {}),
    options: { vars: new Map(), strictVars: false, strictRefs: false, missingSchemas: 'warn', rules: new Map() },
  };
  const here = new ValidationThread(setup, () => {});
  const results = cacheDir ? new ManifestResultCache(cacheDir, () => resultFingerprint('test', here.catalog, here.options, 'secret')) : undefined;
  const inputs = discoverRepositoryInputs([root], { kustomizationCheck: here.kustomizationCheck });
  const validated = await validateMany(inputs, here, { threads: 1, ...(results ? { results } : {}) });
  results?.save();
  return validated.findings.map((f) => describeFinding(f, root));
}

/** Paths in messages are relative to the working directory, which is not the tree's: they read relative to the tree. */
function describeFinding(f: Finding, root: string): string {
  const at = f.location ? ` ${path.relative(root, f.location.file)}:${f.location.line}` : '';
  return `${f.ruleId}${at} ${f.message.split(`${root}/`).join('')}`;
}
