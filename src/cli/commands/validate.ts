import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { BuildError } from '../../errors.js';
import { REPORTERS, OUTPUT_FORMATS, type OutputFormat } from '../../report/findings/index.js';
import { loadValidateConfig } from '../../validate/config.js';
import { configurableRuleIds, isBadInputRule, RULE_REGISTRY } from '../../validate/rule-registry.js';
import { compareFindings } from '../../validate/finding.js';
import { excludeGlob, existingFolder, mergeRepositoryOptions, parseSource, type RepositoryOptions } from '../../validate/repository-options.js';
// types only: the result cache (with the cluster graph's build store, the engine) is loaded for a run the last one's stamps do not serve
import type { ManifestResultCache, RunScope } from '../../validate/result-cache.js';
import { resultFingerprint } from '../../validate/result-fingerprint.js';
import type { MissingSchemaPolicy } from '../../validate/schema-check.js';
import { lastRunServed, servedRun } from '../../validate/served-run.js';
import { parseVarArgs, parseVarsFile } from '../../validate/template-vars.js';
import type { Validated, ValidateSetup } from '../../validate/validate-many.js';
import { loadCatalog } from '../../schemas/catalog.js';
import { buildId, toolVersion } from '../build-info.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { printDebug } from '../../debug.js';
import { CACHE_DIR, keyedHash, usableCacheDir, userCacheSecret } from '../../files.js';
import { nonEmptyPath, nonEmptyPaths, printWarning, Progress, readInputFile, useColor } from '../io.js';
import { JOBS_OPTION, jobsLimit } from '../jobs.js';
import { BUILD_OPTIONS, buildOptions, type BuildArgs } from '../options.js';
import { warnIfInterruptedRun } from '../../generate/tree-writer.js';

interface ValidateArgs extends BuildArgs {
  paths: string[];
  output: OutputFormat;
  'strict-refs': boolean;
  'missing-schemas': MissingSchemaPolicy;
  var: string[];
  'vars-file': string[];
  'strict-vars': boolean;
  config?: string;
  entry: string[];
  source: string[];
  exclude: string[];
  cache: boolean;
  jobs?: number;
}

/** Compiled schema code and manifest files' results are kept here (see files.ts), under the working directory, between runs. */
export { CACHE_DIR };

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [paths..]',
  describe: 'Check rendered manifests against the bundled schemas and cross-resource rules',
  builder: (y) =>
    y
      // yargs would otherwise drop a lone `-` (stdin) from the positionals
      .parserConfiguration({ 'unknown-options-as-args': true })
      .positional('paths', {
        type: 'string',
        array: true,
        default: ['.'],
        coerce: nonEmptyPaths('a path to validate'),
        describe: 'kustomization directories, directory trees, YAML files, or - for stdin',
      })
      .option('output', { alias: 'o', choices: OUTPUT_FORMATS, default: 'text' as OutputFormat, describe: 'report format' })
      .option('strict-refs', { type: 'boolean', default: false, describe: 'references to objects absent from the manifests are errors, not warnings' })
      .option('missing-schemas', {
        choices: ['error', 'warn', 'ignore'] as const,
        default: 'warn' as MissingSchemaPolicy,
        describe: 'what a kind without a known schema is',
      })
      .option('var', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'template variable NAME=VALUE (repeatable)' })
      .option('vars-file', { type: 'string', array: true, nargs: 1, default: [] as string[], coerce: nonEmptyPaths('--vars-file'), describe: 'file of template variables: YAML map, ConfigMap/Secret, or NAME=VALUE lines' })
      .option('strict-vars', { type: 'boolean', default: false, describe: 'check values still holding ${VAR} like any other value' })
      .option('config', { type: 'string', coerce: nonEmptyPath('--config'), describe: 'configuration file (default: .capifleet.yaml when present)' })
      .option('entry', { type: 'string', array: true, nargs: 1, default: [] as string[], coerce: nonEmptyPaths('--entry'), describe: 'folder Flux starts applying the repository from, instead of those it declares (repeatable)' })
      .option('source', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'NAME=PATH: the GitRepository or OCIRepository NAME (or NAMESPACE/NAME) is the folder PATH of this working tree (repeatable)' })
      .option('exclude', { type: 'string', array: true, nargs: 1, default: [] as string[], coerce: nonEmptyPaths('--exclude'), describe: 'glob of paths the search of a tree leaves out, with all below them (repeatable)' })
      .options(BUILD_OPTIONS)
      .option('load-restrictor', {
        choices: BUILD_OPTIONS['load-restrictor'].choices,
        default: undefined,
        describe: `${BUILD_OPTIONS['load-restrictor'].describe}; default: root, and a kustomization that builds only with none is checked so, with a warning`,
      })
      .option('jobs', JOBS_OPTION)
      .option('cache', { type: 'boolean', default: true, describe: `keep compiled schemas and the results of unchanged manifest files and overlays in ${CACHE_DIR}/ between runs` }),
  handler: async (args) => {
    process.exitCode = await runValidate(args);
  },
};

/** `--entry`, `--source` and `--exclude`, relative to the working folder. Entry points name the one repository folder to start in. */
function repositoryArgs(args: ValidateArgs, cwd: string): RepositoryOptions {
  const [only] = args.paths;
  if (args.entry.length && (args.paths.length !== 1 || only === '-' || !fs.statSync(only!, { throwIfNoEntry: false })?.isDirectory())) {
    throw new BuildError(`--entry starts in one repository folder; got ${args.paths.join(' ')}`);
  }
  return {
    entries: args.entry.map((e) => existingFolder(e, cwd, { what: '--entry' })),
    sources: Object.fromEntries(args.source.map((s) => parseSource(s, cwd, { what: '--source' }))),
    exclude: args.exclude.map((glob) => excludeGlob(glob, cwd, { what: '--exclude' })),
  };
}

/** Validates `paths` on this thread and as many others as are worth it, the result cache serving what it can (see validatePaths). */
async function validateAnew(paths: string[], setup: ValidateSetup, { repository, threads, results }: { repository: RepositoryOptions; threads: number | undefined; results: ManifestResultCache | undefined }): Promise<Validated> {
  const { validatePaths, ValidationThread } = await import('../../validate/validate-many.js');
  const here = new ValidationThread(setup, printDebug);
  let progress: Progress | undefined;
  const validated = await validatePaths(paths, here, {
    repository,
    ...(threads ? { threads } : {}),
    ...(results ? { results } : {}),
    onWarning: printWarning,
    onProgress: (done, total) => (progress ??= new Progress('validating', total)).tick(done),
  });
  progress?.end();
  if (validated.servedWhole) printDebug('served whole by the result cache: nothing was searched, built or checked');
  if (validated.cutOff) printDebug('the last report, which what changed since cannot change but in the clusters checked again (early cutoff)');
  printDebug(`validated on ${validated.threads} thread${validated.threads === 1 ? '' : 's'}; this one did ${validated.jobs.here} of ${validated.jobs.total} jobs`);
  here.compiler.saveCodeCaches(validated.codeCaches);
  return validated;
}

async function runValidate(args: ValidateArgs): Promise<number> {
  const cwd = process.cwd();
  const threads = jobsLimit(args.jobs);
  warnIfInterruptedRun(cwd, printWarning);
  const config = loadValidateConfig({ ...(args.config ? { file: args.config } : {}), dir: cwd, knownIds: configurableRuleIds() });
  const vars = new Map<string, string>();
  for (const file of args['vars-file']) for (const [k, v] of parseVarsFile(readInputFile(file), file)) vars.set(k, v);
  for (const [k, v] of parseVarArgs(args.var)) vars.set(k, v);

  // the cache lies in the repository: only what this user's runs wrote, keyed with their secret, is used
  const cacheSecret = args.cache ? userCacheSecret() : undefined;
  const cacheDir = cacheSecret ? usableCacheDir(path.join(cwd, CACHE_DIR)) : undefined;
  const options = { vars, strictVars: args['strict-vars'], strictRefs: args['strict-refs'], missingSchemas: args['missing-schemas'], rules: config.rules };
  const setup: ValidateSetup = { projectDir: cwd, ...(cacheDir && cacheSecret ? { cacheDir, cacheSecret } : {}), options, build: buildOptions(args) };
  const repository = mergeRepositoryOptions(config.repository, repositoryArgs(args, cwd));
  let fingerprint: string | undefined;
  const fingerprintOf = (secret: string): string => (fingerprint ??= resultFingerprint(buildId(), loadCatalog({ projectDir: cwd }), options, secret, setup.build));
  const run: RunScope = { paths: args.paths, repository };
  // a run the last one's stamps serve reads no pack of the result cache and loads neither the engine nor the checks
  const last = cacheDir && cacheSecret ? lastRunServed(cacheDir, run, fingerprintOf(cacheSecret)) : undefined;
  if (last) printDebug('served whole by the last run: nothing was searched, built or checked');
  let newCacheDir: string | undefined;
  try {
    let validated: Validated;
    if (last) validated = servedRun(last, printWarning);
    else {
      const { makeCacheDir, ManifestResultCache } = await import('../../validate/result-cache.js');
      // made before the search, which lists the folders it walks (made after it, the first warm run
      // would find a new folder); a run refused as bad input leaves nothing behind, so it goes again then
      newCacheDir = cacheDir && (await makeCacheDir(cacheDir)) ? cacheDir : undefined;
      const results = cacheDir && cacheSecret ? new ManifestResultCache(cacheDir, () => fingerprintOf(cacheSecret), keyedHash(cacheSecret, buildId())) : undefined;
      validated = await validateAnew(args.paths, setup, { repository, threads, results });
      results?.save();
    }
    const { units, findings } = validated;
    findings.sort(compareFindings);

    const report = { tool: { name: 'capifleet', version: toolVersion() }, units, findings, rules: [...RULE_REGISTRY] };
    process.stdout.write(REPORTERS[args.output].render(report, { color: args.output === 'text' && useColor(), cwd }));
    // a file named on the command line (or stdin) that cannot be read is bad input; one found in a tree is a finding of the repository
    const named = new Set(args.paths.map((p) => (p === '-' ? p : path.resolve(p))));
    if (findings.some((f) => isBadInputRule(f.ruleId) && (!f.location || named.has(f.location.file === '-' ? '-' : path.resolve(f.location.file))))) {
      if (newCacheDir) fs.rmSync(newCacheDir, { recursive: true, force: true });
      return EXIT_USAGE;
    }
    return findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (newCacheDir) fs.rmSync(newCacheDir, { recursive: true, force: true });
    throw e;
  }
}
