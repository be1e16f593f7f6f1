import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { isWithin } from '../files.js';
import { PathStats, ReadSet, type PathKind } from './read-set.js';

export type LoadRestrictor = 'root' | 'none';

/**
 * Reads the files one kustomization refers to. Paths are relative to the kustomization's
 * directory; under the `root` restrictor a file must resolve (symlinks followed) inside it.
 * What the file system answers is cached per process (see FileCache) so a base shared by many
 * overlays is read once; what the build asked is recorded in its read set, cached or not.
 */
export class Loader {
  constructor(
    /** Absolute, symlink-resolved directory of the kustomization. */
    readonly root: string,
    readonly restrictor: LoadRestrictor,
    readonly fileCache: FileCache = new FileCache(),
    /** Everything the build this loader serves looked at; shared with its child loaders. */
    readonly reads: ReadSet = new ReadSet(),
  ) {}

  static forDirectory(dir: string, restrictor: LoadRestrictor, cache: FileCache = new FileCache(), reads: ReadSet = new ReadSet()): Loader {
    return new Loader(realDir(path.resolve(dir), cache, reads), restrictor, cache, reads);
  }

  /** Absolute path of a reference, symlinks resolved, checked against the restrictor. */
  resolve(ref: string): string {
    const abs = resolveIn(this.root, ref);
    this.reads.add(abs, 'resolve');
    const real = this.fileCache.realpath(abs);
    if (real === undefined) throw new BuildError(`evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`);
    if (this.restrictor === 'root' && !isWithin(real, this.root)) {
      throw new BuildError(
        `security; file '${real}' is not in or below '${this.root}' (--load-restrictor LoadRestrictionsNone allows files outside the kustomization directory)`,
      );
    }
    return real;
  }

  /** The bytes of a file the kustomization refers to. */
  load(ref: string): Buffer {
    const p = this.resolve(ref);
    this.reads.add(p, 'read');
    return this.fileCache.read(p);
  }

  isFile(ref: string): boolean {
    return this.kind(ref) === 'file';
  }

  isDirectory(ref: string): boolean {
    return this.kind(ref) === 'directory';
  }

  /** Names in the kustomization's directory. */
  list(): string[] {
    this.reads.add(this.root, 'list');
    return this.fileCache.list(this.root);
  }

  /** A loader for a sub-directory (a base or component), sharing the file cache and the read set. */
  child(ref: string): Loader {
    return new Loader(realDir(resolveIn(this.root, ref), this.fileCache, this.reads), this.restrictor, this.fileCache, this.reads);
  }

  /** This loader recording into another read set (a base built once for many overlays keeps its own). */
  recordingInto(reads: ReadSet): Loader {
    return new Loader(this.root, this.restrictor, this.fileCache, reads);
  }

  private kind(ref: string): PathKind {
    const abs = resolveIn(this.root, ref);
    this.reads.add(abs, 'stat');
    return this.fileCache.kind(abs);
  }
}

/**
 * path.resolve(root, ref) for a loader's root (absolute and resolved, so normalized): a plain name,
 * as most references are, is joined without normalizing the whole path again.
 */
function resolveIn(root: string, ref: string): string {
  if (path.sep !== '/' || ref === '' || ref === '.' || ref === '..' || ref.includes('/')) return path.resolve(root, ref);
  return root === '/' ? `/${ref}` : `${root}/${ref}`;
}

function realDir(abs: string, cache: FileCache, reads: ReadSet): string {
  reads.add(abs, 'resolve');
  const real = cache.realpath(abs);
  if (real === undefined) {
    throw new BuildError(`must build at directory: not a valid directory: evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`);
  }
  reads.add(real, 'stat');
  if (cache.kind(real) !== 'directory') throw new BuildError(`must build at directory: '${real}': file is not directory`);
  return real;
}

/** A name in a directory, and whether it is one (symlinks followed). */
export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

/**
 * Process-wide cache of what the file system answered (contents, kinds, symlink targets, listings)
 * and of parsed documents, keyed by absolute path: within one run a path is asked once.
 */
interface Listing {
  names: string[];
  entries: DirectoryEntry[];
  dirents: fs.Dirent[];
}

export class FileCache {
  /** When it was made (ms since the epoch): it read no file before. */
  readonly madeAt = Date.now();
  private readonly bytes = new Map<string, Buffer>();
  private readonly paths = new PathStats();
  private readonly listings = new Map<string, Listing>();
  /**
   * The kinds of the entries of directories listed that are no symlinks, by path: a listing's types
   * spare each an lstat, and such an entry resolves where its directory does (see realpath).
   */
  private readonly listedKinds = new Map<string, PathKind>();
  private readonly listedReals = new Map<string, string | undefined>();
  private readonly parsed = new Map<string, unknown>();
  private readonly askedOnce = new Set<string>();

  read(absPath: string): Buffer {
    let b = this.bytes.get(absPath);
    if (!b) {
      try {
        b = fs.readFileSync(absPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') throw new BuildError(`read ${absPath}: is a directory`);
        throw new BuildError(`open ${absPath}: no such file or directory`);
      }
      this.bytes.set(absPath, b);
    }
    return b;
  }

  /**
   * For results that callers mutate: the first request gets what make returns, unkept; once a
   * key is asked for again, a result is kept and every later caller gets a copy of it. So a base
   * used once (a chain of bases) is neither kept nor copied, and one shared by many overlays is
   * built twice and copied for each.
   */
  memoWhenShared<T>(key: string, make: () => T, copy: (kept: T) => T): T {
    if (this.parsed.has(key)) return copy(this.parsed.get(key) as T);
    if (!this.askedOnce.has(key)) {
      this.askedOnce.add(key);
      return make();
    }
    const v = make();
    this.parsed.set(key, v);
    return copy(v);
  }

  /** What is at a path, symlinks followed. */
  kind(absPath: string): PathKind {
    return this.listedKinds.get(absPath) ?? this.paths.kind(absPath);
  }

  /** The path with every symlink resolved; undefined when nothing is there. */
  realpath(absPath: string): string | undefined {
    if (!this.listedKinds.has(absPath)) return this.paths.realpath(absPath);
    if (!this.listedReals.has(absPath)) {
      const dir = this.realpath(path.dirname(absPath));
      this.listedReals.set(absPath, dir === undefined ? undefined : path.join(dir, path.basename(absPath)));
    }
    return this.listedReals.get(absPath);
  }

  /** Names in a directory, sorted. */
  list(absDir: string): string[] {
    return this.listing(absDir).names;
  }

  /** What a directory holds, sorted by name, each entry a directory or not (symlinks followed). */
  entries(absDir: string): DirectoryEntry[] {
    return this.listing(absDir).entries;
  }

  /** What readdir(3) gave for a directory, sorted by name: each entry's own type (a symlink is one). */
  dirents(absDir: string): readonly fs.Dirent[] {
    return this.listing(absDir).dirents;
  }

  /** One read of a directory for all: the types it gives spare a stat of each entry but symlinks. */
  private listing(absDir: string): Listing {
    let listing = this.listings.get(absDir);
    if (!listing) {
      const dirents = fs.readdirSync(absDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const d of dirents) if (!d.isSymbolicLink()) this.listedKinds.set(path.join(absDir, d.name), d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other');
      const entries = dirents.map((d) => ({ name: d.name, isDirectory: d.isDirectory() || (d.isSymbolicLink() && this.kind(path.join(absDir, d.name)) === 'directory') }));
      this.listings.set(absDir, (listing = { names: dirents.map((d) => d.name), entries, dirents }));
    }
    return listing;
  }

  /** Memoizes a parse of a file; callers must not mutate what they get back. */
  memo<T>(key: string, make: () => T): T {
    if (this.parsed.has(key)) return this.parsed.get(key) as T;
    const v = make();
    this.parsed.set(key, v);
    return v;
  }
}
