import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BuildError } from '../../errors.js';
import { loadFleet } from '../../fleet/load.js';
import { formatPlan, type PlanMode } from '../../report/generate-plan.js';
import { GENERATED_ROOTS, planTree, type PlanEntry, type PlanOptions } from '../../generate/plan.js';
import { generateTree } from '../../generate/tree.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { printWarning, Progress, readInputFile, useColor } from '../io.js';
import { applyPlan, finishInterruptedRun, INTERRUPTED_RUN, interruptedRun, readTree } from '../tree-writer.js';

interface GenerateArgs {
  spec: string;
  'dry-run': boolean;
  check: boolean;
  prune: boolean;
  force: boolean;
}

/** The `--spec` option, shared by every command that reads the fleet spec. */
export function specOption<T>(y: Argv<T>): Argv<T & { spec: string }> {
  return y.option('spec', { type: 'string', default: 'fleet.yaml', describe: 'the fleet spec; the tree is written beside it' });
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write base/ and overlays/ from the fleet spec; files people edited are left alone',
  builder: (y) =>
    specOption(y)
      .option('dry-run', { type: 'boolean', default: false, describe: 'print what would change, with diffs; write nothing' })
      .option('check', { type: 'boolean', default: false, describe: 'write nothing; exit 1 when the tree differs from the spec' })
      .option('prune', { type: 'boolean', default: false, describe: 'remove generated files the spec no longer generates' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite (with --prune: remove) generated files people edited' }),
  handler: (args) => {
    const mode: PlanMode = args.check ? 'check' : args['dry-run'] ? 'dry-run' : 'write';
    process.exitCode = runGeneration(planGeneration(args.spec, readInputFile(args.spec), args, mode), mode);
  },
};

/** A spec turned into a plan for the repository it lies in; nothing written yet. */
export interface Generation {
  specFile: string;
  /** The fleet repository's root: the spec's folder. */
  root: string;
  entries: PlanEntry[];
  /** Temporary files of an interrupted run, removed by the next writing run. */
  leftovers: string[];
  warnings: string[];
  /** A run killed among its renames left the tree half-written (seen by modes that write nothing). */
  interrupted: boolean;
}

/**
 * Reads the spec `text`, generates its tree and plans it against the files on disk. In `write`
 * mode a run killed among its renames is finished first, so the plan starts from a whole tree;
 * otherwise nothing is written.
 */
export function planGeneration(specFile: string, text: string, options: PlanOptions, mode: PlanMode): Generation {
  const { files, warnings } = generateTree(loadFleet(text, specFile));
  const root = path.dirname(path.resolve(specFile));
  if (mode === 'write') finishInterruptedRun(root);
  const onDisk = readTree(root, GENERATED_ROOTS);
  return { specFile, root, entries: planTree(files, onDisk.files, options), leftovers: onDisk.leftovers, warnings, interrupted: interruptedRun(root) };
}

/** Prints the warnings, carries the plan out in `write` mode, prints it; returns the exit code. */
export function runGeneration(generation: Generation, mode: PlanMode): number {
  for (const warning of generation.warnings) printWarning(warning, generation.specFile);
  const { entries } = generation;
  if (mode === 'write') {
    let progress: Progress | undefined;
    try {
      applyPlan(generation.root, entries, generation.leftovers, { onProgress: (done, total) => (progress ??= new Progress('writing', total)).tick(done) });
    } catch (e) {
      // a full disk or a read-only folder is the user's to fix, not a bug
      if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
      throw new BuildError(`cannot write the tree (each file is whole, old or new; run generate again): ${(e as Error).message}`);
    } finally {
      progress?.end();
    }
  }
  if (generation.interrupted) process.stdout.write(`generate: ${INTERRUPTED_RUN}\n`);
  process.stdout.write(formatPlan(entries, mode, useColor()));
  const differs = mode === 'check' ? generation.interrupted || entries.some((e) => e.action !== 'unchanged') : entries.some((e) => e.action === 'conflict');
  return differs ? EXIT_FINDINGS : EXIT_OK;
}
