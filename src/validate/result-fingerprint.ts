import { keyedHash } from '../files.js';
import type { SchemaCatalog } from '../schemas/catalog.js';
import type { BuildOptions } from '../engine/target.js';
import type { ValidateOptions } from './validator.js';

/**
 * Everything besides a file's bytes that its objects' findings depend on: capifleet's build, the
 * schemas (CEL rules come with them), template variables and the options and configuration the
 * checks read. Results are made by validation threads, which always evaluate CEL rules: the
 * evaluator is no part of it, so a run can be served before one is made.
 */
export function resultFingerprint(build: string, catalog: SchemaCatalog, options: Omit<ValidateOptions, 'cel'>, secret: string, buildOptions: BuildOptions = {}): string {
  return keyedHash(
    secret,
    JSON.stringify({
      build,
      // the release is in messages ("not served by Flux 2.9")
      schemas: catalog.entries().map((e) => `${e.apiVersion}/${e.kind}@${e.hash}:${e.release ?? ''}`),
      vars: [...options.vars],
      strictVars: options.strictVars,
      strictRefs: options.strictRefs,
      missingSchemas: options.missingSchemas,
      rules: [...options.rules],
      // how kustomizations are built: another load restrictor or Helm setting builds other objects
      buildOptions,
    }),
  );
}
