import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { loadFleet } from '../fleet/load.js';
import { GENERATED_ROOTS, planTree, type PlanEntry, type PlanMode, type PlanOptions } from './plan.js';
import { generateTree } from './tree.js';
import { applyPlan, finishInterruptedRun, interruptedRun, readTree } from './tree-writer.js';

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

/** Carries a plan out, all or nothing. A file system that refuses is the user's to fix, not a bug. */
export function writeGeneration(generation: Generation, onProgress?: (done: number, total: number) => void): void {
  try {
    applyPlan(generation.root, generation.entries, generation.leftovers, onProgress ? { onProgress } : {});
  } catch (e) {
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new BuildError(`cannot write the tree, left as it was: ${(e as Error).message}`);
  }
}

/** Whether the run found what it exits 1 for: under `--check` a tree that differs, otherwise a conflict with a person's edits. */
export function generationDiffers(generation: Generation, mode: PlanMode): boolean {
  const { entries } = generation;
  return mode === 'check' ? generation.interrupted || entries.some((e) => e.action !== 'unchanged') : entries.some((e) => e.action === 'conflict');
}
