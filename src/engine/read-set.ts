import { sha256 } from '../files.js';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/** What is at a path, symlinks followed. */
export type PathKind = 'file' | 'directory' | 'other' | 'missing';

/**
 * How a build looked at a path: `read` its contents, `stat` what it is (a missing path counts:
 * creating it may change the build), `list` the names in a directory, `resolve` its symlinks.
 */
export type ReadKind = 'read' | 'stat' | 'list' | 'resolve';

const READ_KINDS: readonly ReadKind[] = ['read', 'stat', 'list', 'resolve'];
const BIT: Record<ReadKind, number> = { read: 1, stat: 2, list: 4, resolve: 8 };

/** One path a build looked at, and how. */
export interface Read {
  path: string;
  kinds: ReadKind[];
}

/**
 * Every path a build looked at and how, whether the file system or a cache answered: a build
 * whose read set observes the same today (see observeReads) gives the same result.
 */
export class ReadSet {
  private readonly paths = new Map<string, number>();
  private partial = false;

  add(absPath: string, kind: ReadKind): void {
    this.paths.set(absPath, (this.paths.get(absPath) ?? 0) | BIT[kind]);
  }

  addAll(other: ReadSet): void {
    for (const [p, bits] of other.paths) this.paths.set(p, (this.paths.get(p) ?? 0) | bits);
    this.partial ||= other.partial;
  }

  /** Something outside the engine (a helm binary) read files for the build: the set is not all it depends on. */
  markPartial(): void {
    this.partial = true;
  }

  /** Whether the set names everything the build depended on (see markPartial). */
  get complete(): boolean {
    return !this.partial;
  }

  /** Sorted by path. */
  entries(): Read[] {
    return [...this.paths.keys()].sort().map((p) => ({ path: p, kinds: READ_KINDS.filter((k) => this.paths.get(p)! & BIT[k]) }));
  }
}

export function statKind(absPath: string): PathKind {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(absPath, { throwIfNoEntry: false });
  } catch {
    return 'missing'; // a file where a directory was expected on the way (ENOTDIR), a symlink loop
  }
  if (!stat) return 'missing';
  return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
}

/**
 * What the file system shows today of what a build looked at, as one hash: equal hashes mean
 * every file read has the same bytes, every path stat'ed the same kind, every directory listed
 * the same names and every path resolved the same target. `observed` memoizes one path's
 * observation, so paths many builds share are looked at once per run.
 */
export function observeReads(reads: readonly Read[], observed: Map<string, string> = new Map()): string {
  const hash = createHash('sha256');
  for (const { path, kinds } of reads) {
    for (const kind of kinds) {
      const key = `${kind}\0${path}`;
      let seen = observed.get(key);
      if (seen === undefined) observed.set(key, (seen = observe(path, kind)));
      hash.update(`${key}\0${seen}\0`);
    }
  }
  return hash.digest('hex');
}

function observe(path: string, kind: ReadKind): string {
  try {
    switch (kind) {
      case 'read':
        return sha256(fs.readFileSync(path));
      case 'stat':
        return statKind(path);
      case 'list':
        return fs.readdirSync(path).sort().join('\0');
      case 'resolve':
        return fs.realpathSync.native(path);
    }
  } catch {
    return '\0missing';
  }
}
