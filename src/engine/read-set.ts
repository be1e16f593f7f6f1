import { sha256 } from '../files.js';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

/** What is at a path, symlinks followed. */
export type PathKind = 'file' | 'directory' | 'other' | 'missing';

/** Every PathKind: none is a stat signature nor MISSING. */
const PATH_KINDS: ReadonlySet<string> = new Set<PathKind>(['file', 'directory', 'other', 'missing']);

/**
 * How a build looked at a path: `read` its contents, `stat` what it is (a missing path counts:
 * creating it may change the build), `list` the names in a directory, `resolve` its symlinks.
 */
export type ReadKind = 'read' | 'stat' | 'list' | 'resolve';

const READ_KINDS: readonly ReadKind[] = ['read', 'stat', 'list', 'resolve'];
const BIT: Record<ReadKind, number> = { read: 1, stat: 2, list: 4, resolve: 8 };

/**
 * What reads show by stat alone (see PathObserver.stamp), flat as JSON keeps it cheaply: per path
 * the path, its stat signature (its kind for a path only stat'ed), and for a path resolved its
 * target ('' for the path itself), else null.
 */
export type ReadStamps = (string | null)[];

/** One path a build looked at, and how. */
export interface Read {
  path: string;
  kinds: ReadKind[];
}

/**
 * Every path a build looked at and how, whether the file system or a cache answered: a build
 * whose read set observes the same today (see PathObserver) gives the same result.
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

  /** Reads kept from another run (see entries). */
  addReads(reads: readonly Read[]): void {
    for (const { path, kinds } of reads) for (const kind of kinds) this.add(path, kind);
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
  return kindOf(stat(absPath));
}

function kindOf(stat: PathStat | undefined): PathKind {
  return stat ? (stat.type === 'symlink' ? 'other' : stat.type) : 'missing';
}

/**
 * What read sets use of what lstat(2) or stat(2) tells (see PathObserver's signature): kept for
 * every path a run looks at, so kept small (an fs.Stats holds four Dates besides).
 */
export interface PathStat {
  type: 'file' | 'directory' | 'symlink' | 'other';
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

function sameStat(a: PathStat | undefined, b: PathStat | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.type === b.type && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs);
}

function pathStat(stats: fs.Stats | undefined): PathStat | undefined {
  if (!stats) return undefined;
  const type = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : stats.isSymbolicLink() ? 'symlink' : 'other';
  return { type, dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/**
 * Observations kept between runs (validate's cache): a file's hash or a folder's listing, served
 * again while the path's stat signature (see statSignature) is the one it was made under.
 */
export interface ObservationMemo {
  get(key: string, signature: string): string | undefined;
  set(key: string, signature: string, value: string): void;
}

/**
 * More than the kernel's clock tick plus a fine file system's time granularity: a file change is
 * stamped with a clock that lags up to a tick behind, truncated to the file system's granularity.
 */
export const CLOCK_TICK_MS = 50;

/**
 * More than the granularity of a file system that stamps whole seconds (FAT stamps even seconds,
 * ext3 and HFS+ whole ones): two changes that far apart may carry the same stamp.
 */
const COARSE_TICK_MS = 2000;

/**
 * Whether a path whose stat shows these change and modification times (ms since the epoch) was
 * last changed before `startedAt` (ms since the epoch, this process's clock) as its file system
 * tells: then any change from `startedAt` on is stamped later than both, and a stat signature
 * made after `startedAt` tells it apart (as git trusts an index entry older than the index). The
 * margin is the file system's clock tick, or its granularity when its change time (which no
 * program can set) is a whole second, as a coarse file system stamps every change; a fine one
 * does so once in about a thousand, which costs a read, never a wrong answer.
 */
export function changedBefore(ctimeMs: number, mtimeMs: number, startedAt: number): boolean {
  const before = startedAt - (ctimeMs % 1000 === 0 ? COARSE_TICK_MS : CLOCK_TICK_MS);
  return ctimeMs < before && mtimeMs < before;
}

/**
 * What the file system shows today of what builds looked at. Each path is looked at once per run;
 * with a memo, a file is read and hashed, and a folder listed, only when its stat signature
 * changed since the run that made the observation (as git's index trusts a file's stat).
 */
export class PathObserver {
  /** What each path showed this run, by how it was looked at. */
  private readonly seen = new Map<string, Partial<Record<ReadKind, string>>>();
  private readonly paths = new PathStats();

  constructor(
    private readonly memo?: ObservationMemo,
    /** In ms since the epoch, before this observer's first stat: the memo never serves nor keeps a path not changed before it (see changedBefore). */
    private readonly startedAt = Date.now(),
    /**
     * What files and folders hold: the disk's, or a cache's (the builds', so a file is read and a
     * folder listed once per run) that looked at none before `startedAt`. What it gives from
     * before the observer's stat of the path is then what the path held at the stat, or the path
     * changed since `startedAt`: changedSince says so, and the memo keeps no signature that recent.
     */
    private readonly contentsOf: PathContents = diskContents,
  ) {}

  /**
   * One hash of what `reads` observe: equal hashes mean every file read has the same bytes, every
   * path stat'ed the same kind, every directory listed the same entries (names and types) and
   * every path resolved the same target.
   */
  observe(reads: readonly Read[]): string {
    const parts: string[] = [];
    for (const { path, kinds } of reads) {
      let seen = this.seen.get(path);
      if (!seen) this.seen.set(path, (seen = {}));
      parts.push(path);
      for (const kind of kinds) parts.push(kind, (seen[kind] ??= this.look(path, kind)));
    }
    return sha256(parts.join('\0'));
  }

  /**
   * Whether a path of `reads` may have changed at or after `since` (ms since the epoch), as its
   * stat this run shows (see changedBefore): what a build read then may not be what its reads
   * observe now.
   */
  changedSince(reads: readonly Read[], since: number): boolean {
    return reads.some(({ path }) => [this.paths.lstat(path), this.paths.stat(path)].some((s) => s !== undefined && !changedBefore(s.ctimeMs, s.mtimeMs, since)));
  }

  /**
   * Whether a file this observer read or a folder it listed shows another stat now, or a path it
   * stat'ed another kind: each is looked at once per run, so a change made after that shows in
   * neither changedSince nor what observe gives. (The folders above a path, stat'ed only to resolve
   * it, change whenever a sibling does; a link retargeted while the run went on is not seen.)
   */
  changedSinceLooked(): boolean {
    for (const [path, seen] of this.seen) {
      const contents = seen.read !== undefined || seen.list !== undefined;
      if (!contents && seen.stat === undefined) continue;
      const was = this.paths.stat(path);
      const now = stat(path);
      if (contents ? !sameStat(was, now) : kindOf(was) !== kindOf(now)) return true;
    }
    return false;
  }

  /**
   * What `reads` show by stat alone, to tell later whether they still observe the same (see
   * stillStamped): per path its stat signature and, for a path resolved, its target. Undefined
   * when a path was changed too recently to tell a later change by its times (see startedAt).
   */
  stamp(reads: readonly Read[]): ReadStamps | undefined {
    const stamps: ReadStamps = [];
    for (const { path, kinds } of reads) {
      const stamp = kinds.includes('read') || kinds.includes('list') ? this.contentStamp(path) : this.paths.kind(path);
      if (stamp === undefined) return undefined;
      stamps.push(path, stamp, kinds.includes('resolve') ? this.stampedTarget(path) : null);
    }
    return stamps;
  }

  /**
   * Whether every path of `stamps` shows today what it showed when they were made: then every read
   * observes the same (a settled signature changes with the contents, the listing and the kind,
   * see signature), and each resolved path resolves to the same target.
   */
  stillStamped(stamps: ReadStamps): boolean {
    if (stamps.length % 3 !== 0) return false;
    for (let i = 0; i < stamps.length; i += 3) {
      const path = stamps[i]!;
      const stamp = stamps[i + 1]!;
      // a path only stat'ed keeps its kind as its stamp (its times change with what it holds)
      if ((PATH_KINDS.has(stamp) ? this.paths.kind(path) : this.contentStamp(path)) !== stamp) return false;
      if (stamps[i + 2] !== null && this.stampedTarget(path) !== stamps[i + 2]) return false;
    }
    return true;
  }

  /** A read or listed path's signature, MISSING for nothing there; undefined for one changed too recently to tell. */
  private contentStamp(path: string): string | undefined {
    return this.paths.stat(path) ? this.signature(path) : MISSING;
  }

  /** What a path resolves to as stamps keep it: '' for itself (most paths, and no target is empty). */
  private stampedTarget(path: string): string {
    const target = this.resolved(path);
    return target === path ? '' : target;
  }

  /** What a path resolves to, with MISSING for nothing there. */
  private resolved(path: string): string {
    return this.paths.realpath(path) ?? MISSING;
  }

  private look(path: string, kind: ReadKind): string {
    if (kind === 'resolve') return this.resolved(path);
    if (kind === 'stat') return this.paths.kind(path);
    const signature = this.memo && this.signature(path);
    if (signature === undefined) return this.contents(path, kind);
    const key = `${kind}\0${path}`;
    const kept = this.memo!.get(key, signature);
    if (kept !== undefined) return kept;
    const value = this.contents(path, kind);
    this.memo!.set(key, signature, value);
    return value;
  }

  /** A file's bytes or a folder's listing, hashed; MISSING when it cannot be read. */
  private contents(path: string, kind: 'read' | 'list'): string {
    try {
      return kind === 'read' ? sha256(this.contentsOf.read(path)) : listing(this.contentsOf.list(path));
    } catch {
      return MISSING;
    }
  }

  /**
   * What identifies a path's contents without reading them, symlinks followed: device, inode, size,
   * modification and change times. A write changes the change time (which no program can set
   * back), a replacement the inode, an entry added to or removed from a folder the folder's times.
   * Undefined for a missing path and for one changed too recently to tell (see startedAt).
   */
  private signature(path: string): string | undefined {
    const stat = this.paths.stat(path);
    if (!stat || !changedBefore(stat.ctimeMs, stat.mtimeMs, this.startedAt)) return undefined;
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  }
}

/**
 * What the file system answers about paths, each asked once: lstat(2), stat(2), and realpath(3)
 * worked out component by component from lstat. glibc's realpath reads every component's link
 * (one readlink per component, per call): a path whose folder is resolved costs one lstat here.
 */
export class PathStats {
  /** What lstat(2) answered per path (undefined: nothing there). */
  private readonly lstats = new Map<string, PathStat | undefined>();
  /** What stat(2) answered per symlink (undefined: nothing at its end). */
  private readonly linkStats = new Map<string, PathStat | undefined>();
  /** Resolved folders and files. */
  private readonly reals = new Map<string, string | undefined>();

  /** What is at a path, symlinks followed. */
  kind(path: string): PathKind {
    return kindOf(this.stat(path));
  }

  /** stat(2): lstat, and stat only for a symlink. */
  stat(path: string): PathStat | undefined {
    const l = this.lstat(path);
    if (l?.type !== 'symlink') return l;
    if (!this.linkStats.has(path)) this.linkStats.set(path, stat(path));
    return this.linkStats.get(path);
  }

  lstat(path: string): PathStat | undefined {
    if (this.lstats.has(path)) return this.lstats.get(path);
    const l = lstat(path);
    this.lstats.set(path, l);
    return l;
  }

  /**
   * `realpath(3)` of an absolute, normalized path, component by component with every resolved
   * prefix remembered; undefined when nothing is there. A link whose target climbs with `..` is
   * left to realpath(3), which follows links before climbing.
   */
  realpath(abs: string, depth = 0): string | undefined {
    if (this.reals.has(abs)) return this.reals.get(abs);
    const parentPath = nodePath.dirname(abs);
    let real: string | undefined;
    if (parentPath === abs) real = abs;
    else {
      const parent = this.realpath(parentPath, depth);
      const candidate = parent === undefined ? undefined : `${parent.endsWith(nodePath.sep) ? parent : parent + nodePath.sep}${nodePath.basename(abs)}`;
      const found = candidate === undefined ? undefined : this.lstat(candidate);
      if (!found) real = undefined;
      else if (found.type !== 'symlink') real = candidate;
      else {
        const target = fs.readlinkSync(candidate!);
        if (depth >= MAX_LINKS || target.split(/[\\/]/).includes('..')) real = realpathOrMissing(candidate!);
        else real = this.realpath(nodePath.resolve(parent!, target), depth + 1);
      }
    }
    this.reals.set(abs, real);
    return real;
  }
}

/** Links followed in a row before realpath(3) decides (it refuses a loop). */
const MAX_LINKS = 40;
const MISSING = '\0missing';

function lstat(p: string): PathStat | undefined {
  try {
    return pathStat(fs.lstatSync(p, { throwIfNoEntry: false }));
  } catch {
    return undefined; // a file where a folder was expected on the way (ENOTDIR), no permission
  }
}

function stat(p: string): PathStat | undefined {
  try {
    return pathStat(fs.statSync(p, { throwIfNoEntry: false }));
  } catch {
    return undefined; // a file where a directory was expected on the way (ENOTDIR), a symlink loop
  }
}

function realpathOrMissing(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** Where a PathObserver finds what files and folders hold. */
export interface PathContents {
  read(file: string): Buffer;
  /** A folder's entries with their own types (a symlink is one), as readdir(3) gives them. */
  list(dir: string): readonly fs.Dirent[];
}

/** What the disk holds now. */
export const diskContents: PathContents = {
  read: (file) => fs.readFileSync(file),
  list: (dir) => fs.readdirSync(dir, { withFileTypes: true }),
};

/** A folder's entries with their types (a file replaced by a folder of the same name changes it), sorted, hashed. */
function listing(entries: readonly fs.Dirent[]): string {
  return sha256(
    entries
      .map((e) => `${e.name}\0${e.isFile() ? 'f' : e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'o'}`)
      .sort()
      .join('\0'),
  );
}
