/**
 * What capifleet asks git: for `diff --base-ref`, the repository, the base commit, what changed
 * since, and the base's files, written into a temporary folder (the user's working tree is never
 * checked out or touched); for `promote`, the uncommitted changes it must not write over. Every
 * question is a plain git command; none writes to the repository.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { memoryTree, type FileTree } from '../engine/file-tree.js';
import { BuildError } from '../errors.js';

/** A git command's output; undefined when it fails (an unknown ref, no upstream, …). */
function git(cwd: string, args: string[], input?: string): Buffer | undefined {
  const r = spawnSync('git', args, { cwd, maxBuffer: GIT_OUTPUT_MAX, ...(input !== undefined ? { input } : {}) });
  if (r.error) throw cannotRunGit(r.error);
  return r.status === 0 ? r.stdout : undefined;
}

/** git's output, as git() gives it, from a command that runs while the caller goes on (with other git commands, say). */
function gitLater(cwd: string, args: string[]): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: GIT_OUTPUT_MAX }, (error, stdout) => {
      // a number is git's exit status; anything else is git not running at all
      if (error && typeof (error as NodeJS.ErrnoException).code !== 'number') reject(cannotRunGit(error));
      else resolve(error ? undefined : stdout);
    });
  });
}

const GIT_OUTPUT_MAX = 1 << 30;

function cannotRunGit(error: Error): BuildError {
  return new BuildError(`cannot run git: ${error.message}`);
}

function gitText(cwd: string, args: string[]): string | undefined {
  return git(cwd, args)?.toString('utf8').trim();
}

/** The top folder of the repository holding `cwd`. */
export function repositoryRoot(cwd: string): string {
  const top = gitText(cwd, ['rev-parse', '--show-toplevel']);
  if (!top) throw new BuildError(`${cwd}: not inside a git repository (diff --base-ref compares the repository at a ref with its working tree)`);
  return fs.realpathSync(top);
}

export interface BaseCommit {
  commit: string;
  /** How the commit was chosen, for the reader: `origin/main`, `merge-base of HEAD and origin/main`. */
  label: string;
}

/**
 * The commit to compare with: the ref given, else the merge-base of HEAD with its upstream branch;
 * a pull-request checkout has none, so then the base branch CI names (GITHUB_BASE_REF), the
 * remote's default branch, origin/main or origin/master.
 */
export function baseCommit(root: string, ref: string | undefined): BaseCommit {
  if (ref) {
    const commit = gitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    if (!commit) {
      // `--base-ref overlays/prod` takes the path for the ref: the default base is `--base-ref= PATH`
      const hint = fs.existsSync(ref) ? ` (for the default base and this path, write --base-ref= ${ref})` : '';
      throw new BuildError(`--base-ref ${ref}: no such commit, branch or tag in ${root}${hint}`);
    }
    return { commit, label: ref };
  }
  const candidates = ['@{upstream}', ...(process.env.GITHUB_BASE_REF ? [`origin/${process.env.GITHUB_BASE_REF}`] : []), 'origin/HEAD', 'origin/main', 'origin/master'];
  for (const candidate of candidates) {
    if (!gitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`])) continue;
    const name = candidate === '@{upstream}' ? (gitText(root, ['rev-parse', '--abbrev-ref', '@{upstream}']) ?? candidate) : candidate;
    const commit = gitText(root, ['merge-base', 'HEAD', candidate]);
    if (commit) return { commit, label: `merge-base of HEAD and ${name}` };
  }
  throw new BuildError(`no base to compare with: HEAD has no upstream branch and there is no origin/HEAD, origin/main or origin/master; name one with --base-ref REF`);
}

export interface ChangedFiles {
  /** Files whose bytes differ between the commit and the working tree. */
  modified: string[];
  /** Files on one side only: added (untracked ones too) or deleted. */
  oneSided: string[];
}

/** What differs between a commit and the working tree (tracked or not, ignored files left out), relative to the root. */
export async function changedFiles(root: string, commit: string): Promise<ChangedFiles> {
  const [diffOutput, untrackedOutput] = await Promise.all([
    gitLater(root, ['diff', '--name-status', '-z', '--no-renames', '--no-ext-diff', commit, '--']),
    gitLater(root, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name']),
  ]);
  const diff = diffOutput?.toString('utf8');
  if (diff === undefined) throw new BuildError(`git diff ${commit} failed in ${root}`);
  const modified: string[] = [];
  const oneSided: string[] = [];
  const fields = diff.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) (fields[i] === 'A' || fields[i] === 'D' ? oneSided : modified).push(fields[i + 1]!);
  oneSided.push(...(untrackedOutput?.toString('utf8') ?? '').split('\0').filter(Boolean));
  return { modified, oneSided };
}

/** A file of a commit: its mode and blob. */
interface CommitEntry {
  mode: string;
  sha: string;
}

/** A commit's files by path (submodules left out): see commitEntries. */
export type CommitEntries = ReadonlyMap<string, CommitEntry>;

/** The commit's files by path (submodules left out). */
export async function commitEntries(root: string, commit: string): Promise<CommitEntries> {
  const listing = await gitLater(root, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (!listing) throw new BuildError(`git ls-tree ${commit} failed in ${root}`);
  const entries = new Map<string, CommitEntry>();
  for (const line of listing.toString('utf8').split('\0')) {
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    if (type === 'blob') entries.set(line.slice(tab + 1), { mode: mode!, sha: sha! });
  }
  return entries;
}

/** The bytes of blobs, by sha, from one `git cat-file --batch`. */
function blobs(root: string, shas: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!shas.length) return out;
  const batch = git(root, ['cat-file', '--batch'], shas.join('\n') + '\n');
  if (!batch) throw new BuildError(`git cat-file failed in ${root}`);
  let at = 0;
  for (const sha of shas) {
    const end = batch.indexOf(10, at);
    const size = Number(batch.toString('latin1', at, end).split(' ')[2]);
    out.set(sha, batch.subarray(end + 1, end + 1 + size));
    at = end + 1 + size + 1;
  }
  return out;
}

/**
 * The repository as it was at a commit (its `committed` files), as a tree builds can read without
 * a checkout: which files there are comes from the commit; a file git finds unchanged is read from
 * the working tree, one that `differs` from git's object store. Files in `asNow` (changes that do
 * not count) are as in the working tree. Undefined when the commit holds a symlink, which a tree
 * in memory cannot be.
 */
export function commitTree(root: string, committed: CommitEntries, differs: readonly string[], asNow: readonly string[]): FileTree | undefined {
  const entries = new Map(committed);
  if ([...entries.values()].some((e) => e.mode === '120000')) return undefined;
  for (const rel of asNow) {
    if (fs.statSync(path.join(root, rel), { throwIfNoEntry: false })?.isFile()) entries.set(rel, { mode: '100644', sha: '' });
    else entries.delete(rel);
  }
  const changed = new Set(differs.filter((rel) => entries.has(rel)));
  const bytes = blobs(root, [...changed].map((rel) => entries.get(rel)!.sha));
  const tree = memoryTree(new Map([...entries.keys()].map((rel) => [rel, Buffer.alloc(0)])));
  const read = new Map<string, Buffer>();
  return {
    kind: tree.kind,
    list: tree.list,
    read: (rel) => {
      let b = read.get(rel);
      if (!b) read.set(rel, (b = changed.has(rel) ? bytes.get(entries.get(rel)!.sha)! : fs.readFileSync(path.join(root, rel))));
      return b;
    },
  };
}

/**
 * Writes a commit's files (its `entries`: symlinks as symlinks, submodules left out) under `dir`, read with
 * `git ls-tree` and `git cat-file --batch`, so .gitattributes filters change nothing.
 */
export function writeCommitFiles(root: string, entries: CommitEntries, dir: string): void {
  const contents = blobs(root, [...entries.values()].map((e) => e.sha));
  const made = new Set<string>();
  for (const [file, e] of entries) {
    const target = path.join(dir, file);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    const bytes = contents.get(e.sha)!;
    if (e.mode === '120000') fs.symlinkSync(bytes.toString('utf8'), target);
    else fs.writeFileSync(target, bytes, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
}

/**
 * What is uncommitted (untracked files too) under `paths` of the repository holding `root`;
 * undefined outside a git repository or without git.
 */
export function uncommittedChanges(root: string, paths: readonly string[]): string[] | undefined {
  let status: Buffer | undefined;
  try {
    status = git(root, ['status', '--porcelain', '--untracked-files=all', '--', ...paths]);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return undefined; // no git to ask
  }
  return status?.toString('utf8').split('\n').filter(Boolean).map((l) => l.slice(3));
}
