import type { Argv } from 'yargs';
import { generationDiffers, writeGeneration, type Generation } from '../generate/generation.js';
import type { PlanMode } from '../generate/plan.js';
import { INTERRUPTED_RUN } from '../generate/tree-writer.js';
import { formatPlan } from '../report/generate-plan.js';
import { EXIT_FINDINGS, EXIT_OK } from './exit-codes.js';
import { nonEmptyPath, printWarning, Progress, useColor } from './io.js';

/** The `--spec` option, shared by every command that reads the fleet spec. */
export function specOption<T>(y: Argv<T>): Argv<T & { spec: string }> {
  return y.option('spec', { type: 'string', default: 'fleet.yaml', coerce: nonEmptyPath('--spec'), describe: 'the fleet spec; the tree is written beside it' });
}

/**
 * Prints the warnings, carries the plan out in `write` mode, then calls `afterWrite` (nothing is
 * written after a tree that failed), prints the plan; returns the exit code.
 */
export function runGeneration(generation: Generation, mode: PlanMode, afterWrite?: () => void): number {
  for (const warning of generation.warnings) printWarning(warning, generation.specFile);
  if (mode === 'write') {
    let progress: Progress | undefined;
    try {
      writeGeneration(generation, (done, total) => (progress ??= new Progress('writing', total)).tick(done));
    } finally {
      progress?.end();
    }
    afterWrite?.();
  }
  if (generation.interrupted) process.stdout.write(`generate: ${INTERRUPTED_RUN}\n`);
  process.stdout.write(formatPlan(generation.entries, mode, useColor()));
  return generationDiffers(generation, mode) ? EXIT_FINDINGS : EXIT_OK;
}
