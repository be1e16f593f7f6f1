import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { isWithin } from '../files.js';
import { GENERATED_ROOTS, type PlanEntry } from './plan.js';

/** Temporary files of `applyPlan`; one left behind by a killed run is removed by the next. */
const TEMP_FILE = /^\.capifleet-.*\.tmp$/;

function tempFile(dir: string, n: number): string {
  return path.join(dir, `.capifleet-${process.pid}-${n}.tmp`);
}

/**
 * What a run is about to do once every new file is staged: the renames and removals that turn the
 * old tree into the new one. It lives in the repository's root while they happen, so a run killed
 * among them is finished by the next one before that plans anything.
 */
const JOURNAL = '.capifleet-generate.journal';
const JOURNAL_TEMP = `${JOURNAL}.tmp`;

interface Journal {
  /** [temporary file, target], relative to the root. */
  renames: [string, string][];
  removals: string[];
}

export interface TreeOnDisk {
  /** Every file under the generated roots, path (relative, POSIX) → content. */
  files: Map<string, string>;
  /** Temporary files an interrupted run left behind (relative paths). */
  leftovers: string[];
}

/**
 * Reads the files under `tops` (top-level folders or files of the repository at `root`). Symbolic
 * links are read as files, and as empty when they lead nowhere readable, so `generate` sees that
 * something not its own is in the way.
 */
export function readTree(root: string, tops: Iterable<string>): TreeOnDisk {
  const tree: TreeOnDisk = { files: new Map(), leftovers: [] };
  const visit = (rel: string, kind: nodeFs.Dirent | nodeFs.Stats): void => {
    if (kind.isDirectory()) {
      const entries = nodeFs.readdirSync(path.join(root, rel), { withFileTypes: true });
      for (const entry of entries) visit(`${rel}/${entry.name}`, entry);
    } else if (kind.isFile() && TEMP_FILE.test(path.posix.basename(rel))) {
      tree.leftovers.push(rel);
    } else if (kind.isFile() || kind.isSymbolicLink()) {
      tree.files.set(rel, readOrEmpty(path.join(root, rel)));
    }
  };
  for (const top of new Set(tops)) {
    const stats = nodeFs.lstatSync(path.join(root, top), { throwIfNoEntry: false });
    if (stats) visit(top, stats);
  }
  return tree;
}

function readOrEmpty(file: string): string {
  try {
    return nodeFs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The file-system calls `applyPlan` makes; tests pass one that fails midway. */
export type TreeFs = Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'linkSync' | 'rmSync' | 'rmdirSync' | 'realpathSync'>;

export interface ApplyOptions {
  fs?: TreeFs;
  /** Called after each step: `done` of `total` file writes, renames and removals. */
  onProgress?: (done: number, total: number) => void;
}

/** Where a file replaced or removed by `applyPlan` is kept until the run is whole; a temporary file too. */
function backupFile(file: string, n: number): string {
  return path.join(path.dirname(file), `.capifleet-${process.pid}-${n}.old.tmp`);
}

/**
 * Carries out a plan in the repository at `root`: removes the temporary files of an interrupted
 * run, writes every new content to a temporary file beside its target, records the renames and
 * removals still to do in a journal, carries them out, then drops the journal.
 *
 * Every file is always either its old or its new version (a rename is atomic), and the tree as a
 * whole is old or new: a failure the process survives (a full disk, a file it may not replace)
 * undoes what was done, from the old files kept (hard-linked, or moved aside when removed) until
 * the end, and removes only the folders this run created. A run killed among its renames leaves
 * a journal, and the next run finishes it (`finishInterruptedRun`); `--check` reports the tree as
 * half-written until then.
 */
export function applyPlan(repository: string, entries: readonly PlanEntry[], leftovers: readonly string[], options: ApplyOptions = {}): void {
  const root = path.resolve(repository);
  const fs = options.fs ?? nodeFs;
  const writes = entries.filter((e) => e.action === 'create' || e.action === 'update');
  const removals = entries.filter((e) => e.action === 'delete');
  const total = writes.length * 2 + removals.length;
  let done = 0;
  const step = (): void => options.onProgress?.(++done, total);
  const emptied = removeFiles(leftovers.map((leftover) => path.join(root, leftover)), fs);

  const staged: { temp: string; target: string; backup?: string }[] = [];
  const backups: string[] = [];
  const created: string[] = [];
  /** How to undo each rename or removal done so far, in order. */
  const undo: (() => void)[] = [];
  try {
    const checkInside = insideChecker(root, fs);
    makeFolders(root, writes.map((e) => path.dirname(path.join(root, e.path))), { checkInside, created, fs });
    for (const entry of writes) {
      const target = path.join(root, entry.path);
      const temp = tempFile(path.dirname(target), staged.length);
      staged.push({ temp, target });
      fs.writeFileSync(temp, entry.content ?? '');
      step();
    }
    for (const entry of removals) checkInside(path.dirname(path.join(root, entry.path)));
    for (const file of staged) {
      const stats = nodeFs.lstatSync(file.target, { throwIfNoEntry: false });
      if (!stats) continue;
      if (stats.isDirectory()) throw new BuildError(`cannot write the tree, left as it was: ${posixRelative(root, file.target)} is a folder where generate writes a file`);
      const backup = backupFile(file.target, backups.length);
      fs.linkSync(file.target, backup);
      backups.push((file.backup = backup));
    }
    writeJournal(root, { renames: staged.map(({ temp, target }) => [posixRelative(root, temp), posixRelative(root, target)]), removals: removals.map((e) => e.path) }, fs);
    for (const { temp, target, backup } of staged) {
      fs.renameSync(temp, target);
      undo.push(backup ? () => fs.renameSync(backup, target) : () => fs.rmSync(target, { force: true }));
      step();
    }
    for (const entry of removals) {
      const file = path.join(root, entry.path);
      if (nodeFs.lstatSync(file, { throwIfNoEntry: false })) {
        const backup = backupFile(file, backups.length);
        fs.renameSync(file, backup);
        backups.push(backup);
        undo.push(() => fs.renameSync(backup, file));
      }
      emptied.push(path.dirname(file));
      step();
    }
  } catch (e) {
    for (const restore of undo.reverse()) ignoreErrors(restore);
    for (const file of [...staged.map((s) => s.temp), ...backups]) ignoreErrors(() => fs.rmSync(file, { force: true }));
    for (const file of [JOURNAL_TEMP, JOURNAL]) ignoreErrors(() => fs.rmSync(path.join(root, file), { force: true }));
    for (const dir of created.reverse()) ignoreErrors(() => fs.rmdirSync(dir));
    throw e;
  }

  fs.rmSync(path.join(root, JOURNAL), { force: true });
  // what is left is ours alone: one not removed now is a leftover the next run removes
  for (const backup of backups) ignoreErrors(() => fs.rmSync(backup, { force: true }));
  removeEmptyDirs(root, emptied, fs);
}

/**
 * The journal is written whole or not at all (a temporary file renamed into place): one cut short
 * would be refused like any other it cannot trust.
 */
function writeJournal(root: string, journal: Journal, fs: TreeFs): void {
  const temp = path.join(root, JOURNAL_TEMP);
  fs.writeFileSync(temp, JSON.stringify(journal));
  fs.renameSync(temp, path.join(root, JOURNAL));
}

/** Whether a run was killed among its renames, leaving the tree part old, part new. */
export function interruptedRun(root: string): boolean {
  return nodeFs.lstatSync(path.join(root, JOURNAL), { throwIfNoEntry: false }) !== undefined;
}

/** What every command says when it finds the tree of the repository it runs in half-written (see interruptedRun). */
export const INTERRUPTED_RUN = 'an interrupted run of capifleet generate left the tree half-written; run capifleet generate to finish it';

/** For commands that read the tree (render, validate): a warning when a generate run was killed in the working directory. */
export function warnIfInterruptedRun(root: string, warn: (message: string) => void): void {
  if (interruptedRun(root)) warn(INTERRUPTED_RUN);
}

/**
 * Finishes the renames and removals of a run killed among them, so the tree is the one that run
 * wrote; returns whether there was one. Its temporary files are complete: the journal is written
 * only once all of them are.
 *
 * The journal lies in the repository, so whoever can commit can write one: it is checked whole
 * before anything is carried out (see checkJournal), and refused whole at the first doubt.
 */
export function finishInterruptedRun(repository: string, fs: TreeFs = nodeFs): boolean {
  const root = path.resolve(repository);
  const file = path.join(root, JOURNAL);
  const stats = nodeFs.lstatSync(file, { throwIfNoEntry: false });
  if (!stats) return false;
  const refuse = (what: string): BuildError => new BuildError(`${what}; this is not a journal capifleet wrote: look at it, remove it and run generate again`, file);
  // a FIFO would block the read, a link would make the journal another file's content
  if (!stats.isFile()) throw refuse('not a regular file');
  let journal: unknown;
  try {
    journal = JSON.parse(nodeFs.readFileSync(file, 'utf8'));
  } catch {
    throw refuse('not readable JSON');
  }
  const { renames, removals } = checkJournal(root, journal, fs, refuse);
  for (const [from, to] of renames) {
    if (nodeFs.lstatSync(from, { throwIfNoEntry: false })) fs.renameSync(from, to);
  }
  const emptied = removeFiles(removals, fs);
  fs.rmSync(file, { force: true });
  removeEmptyDirs(root, emptied, fs);
  return true;
}

/** A temporary file's name as `tempFile` makes it. */
const STAGED_FILE = /^\.capifleet-\d+-\d+\.tmp$/;

/**
 * The journal's renames and removals as absolute paths, once each is what `applyPlan` writes: a
 * relative POSIX path without `.` or `..` below a generated root; a rename moves a temporary file
 * of ours onto its sibling; no folder on the way resolves, through a symbolic link, out of the
 * repository; what is moved or removed is a file (or nothing), never a link or a special file.
 */
function checkJournal(root: string, journal: unknown, fs: TreeFs, refuse: (what: string) => BuildError): { renames: [string, string][]; removals: string[] } {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(journal) || Object.keys(journal).sort().join() !== 'removals,renames') throw refuse('not an object with exactly "renames" and "removals"');
  const { renames, removals } = journal;
  if (!Array.isArray(renames) || !renames.every((r) => Array.isArray(r) && r.length === 2 && r.every((p) => typeof p === 'string'))) {
    throw refuse('"renames" is not a list of [temporary file, target] pairs of paths');
  }
  if (!Array.isArray(removals) || !removals.every((p) => typeof p === 'string')) throw refuse('"removals" is not a list of paths');
  const checkInside = insideChecker(root, fs);
  const generated = (rel: string): string => {
    const segments = rel.split('/');
    const plain = segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !s.includes('\0'));
    if (!plain || segments.length < 2 || !GENERATED_ROOTS.includes(segments[0]!)) throw refuse(`names ${JSON.stringify(rel)}, not a path below ${GENERATED_ROOTS.map((r) => `${r}/`).join(' or ')}`);
    const abs = path.join(root, ...segments);
    try {
      checkInside(path.dirname(abs));
    } catch (e) {
      if (e instanceof BuildError) throw refuse(`names ${JSON.stringify(rel)}, which leads out of the repository`);
      throw e;
    }
    const stats = nodeFs.lstatSync(abs, { throwIfNoEntry: false });
    if (stats && !stats.isFile()) throw refuse(`names ${JSON.stringify(rel)}, which is not a regular file`);
    return abs;
  };
  return {
    renames: (renames as [string, string][]).map(([temp, target]): [string, string] => {
      if (!STAGED_FILE.test(path.posix.basename(temp)) || path.posix.dirname(temp) !== path.posix.dirname(target) || TEMP_FILE.test(path.posix.basename(target))) {
        throw refuse(`renames ${JSON.stringify(temp)} to ${JSON.stringify(target)}, not a temporary file of generate onto its sibling`);
      }
      return [generated(temp), generated(target)];
    }),
    removals: (removals as string[]).map(generated),
  };
}

function posixRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // already failing: the first error is the one to report
  }
}

/**
 * Generated paths are checked to stay inside the repository, but a symbolic link among its
 * folders could still lead out of it: each folder written to must resolve inside the root.
 */
function insideChecker(root: string, fs: TreeFs): (dir: string) => void {
  const realRoot = fs.realpathSync(root);
  const checked = new Set<string>();
  return (dir) => {
    if (checked.has(dir)) return;
    let existing = dir;
    let real: string | undefined;
    while (real === undefined) {
      try {
        real = fs.realpathSync(existing);
      } catch {
        const parent = path.dirname(existing);
        if (parent === existing) throw new BuildError(`cannot resolve ${dir}`);
        existing = parent;
      }
    }
    if (!isWithin(real, realRoot)) {
      throw new BuildError(`refusing to write outside the fleet repository: ${path.relative(root, dir)} leads to ${real}`);
    }
    checked.add(dir);
  };
}

/**
 * Makes the folders `dirs` (below `root`) and their missing parents, parents first, one call
 * each, adding those it creates to `created`. A folder that exists is checked to resolve inside
 * the root; one it creates lies inside its parent, already checked or created.
 */
function makeFolders(root: string, dirs: readonly string[], { checkInside, created, fs }: { checkInside: (dir: string) => void; created: string[]; fs: TreeFs }): void {
  const ordered = new Set<string>();
  for (const dir of new Set(dirs)) {
    const chain: string[] = [];
    for (let d = dir; d.startsWith(root + path.sep) && !ordered.has(d); d = path.dirname(d)) chain.push(d);
    for (let i = chain.length - 1; i >= 0; i--) ordered.add(chain[i]!);
  }
  for (const dir of ordered) {
    try {
      fs.mkdirSync(dir);
      created.push(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      checkInside(dir);
    }
  }
}

/** Removes files (absolute paths); returns their folders, which may now be empty. */
function removeFiles(files: readonly string[], fs: TreeFs): string[] {
  return files.map((file) => {
    fs.rmSync(file, { force: true });
    return path.dirname(file);
  });
}

/** Removes each folder that is empty, and its parents that become empty, below `root`. */
function removeEmptyDirs(root: string, dirs: Iterable<string>, fs: TreeFs): void {
  for (let dir of new Set(dirs)) {
    while (dir !== root && dir.startsWith(root + path.sep)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
  }
}
