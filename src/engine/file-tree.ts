import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { FileCache, type DirectoryEntry } from './loader.js';
import type { PathKind } from './read-set.js';

/**
 * A tree of files that is not on disk as such (generated files held in memory, a commit's files):
 * builds read it through a TreeFileCache, so nothing needs writing out, or removing afterwards.
 * Paths are relative to the tree's top, with `/` separators (`` is the top); it holds no symlinks.
 */
export interface FileTree {
  kind(rel: string): PathKind;
  /** Names in a folder, sorted. */
  list(rel: string): string[];
  /** A file's bytes; asked only of paths whose kind is `file`. */
  read(rel: string): Buffer;
}

/** A tree of the files given, each at its relative path, with the folders above them. */
export function memoryTree(files: ReadonlyMap<string, Buffer>): FileTree {
  const folders = new Map<string, Set<string>>([['', new Set()]]);
  for (const file of files.keys()) {
    let child = file;
    for (;;) {
      const slash = child.lastIndexOf('/');
      const parent = slash < 0 ? '' : child.slice(0, slash);
      const known = folders.get(parent);
      (known ?? folders.set(parent, new Set()).get(parent)!).add(child.slice(slash + 1));
      if (known || parent === '') break;
      child = parent;
    }
  }
  const listings = new Map([...folders].map(([dir, names]) => [dir, [...names].sort()]));
  return {
    kind: (rel) => (files.has(rel) ? 'file' : listings.has(rel) ? 'directory' : 'missing'),
    list: (rel) => listings.get(rel) ?? [],
    read: (rel) => files.get(rel)!,
  };
}

/**
 * The file cache of builds that read a FileTree placed at `root` (an absolute path where nothing
 * need exist): what lies below `root` is the tree's, anything outside it is the disk's.
 */
export class TreeFileCache extends FileCache {
  constructor(
    readonly root: string,
    private readonly tree: FileTree,
  ) {
    super();
  }

  /** The path relative to the tree, or undefined for a path outside it. */
  private inTree(absPath: string): string | undefined {
    if (absPath === this.root) return '';
    if (!absPath.startsWith(this.root + path.sep)) return undefined;
    return absPath.slice(this.root.length + 1).split(path.sep).join('/');
  }

  override read(absPath: string): Buffer {
    const rel = this.inTree(absPath);
    if (rel === undefined) return super.read(absPath);
    const kind = this.tree.kind(rel);
    if (kind === 'directory') throw new BuildError(`read ${absPath}: is a directory`);
    if (kind !== 'file') throw new BuildError(`open ${absPath}: no such file or directory`);
    return this.tree.read(rel);
  }

  override kind(absPath: string): PathKind {
    const rel = this.inTree(absPath);
    return rel === undefined ? super.kind(absPath) : this.tree.kind(rel);
  }

  override realpath(absPath: string): string | undefined {
    const rel = this.inTree(absPath);
    if (rel === undefined) return super.realpath(absPath);
    return this.tree.kind(rel) === 'missing' ? undefined : absPath;
  }

  override list(absDir: string): string[] {
    const rel = this.inTree(absDir);
    return rel === undefined ? super.list(absDir) : this.tree.list(rel);
  }

  override entries(absDir: string): DirectoryEntry[] {
    const rel = this.inTree(absDir);
    return rel === undefined ? super.entries(absDir) : this.tree.list(rel).map((name) => ({ name, isDirectory: this.kind(path.join(absDir, name)) === 'directory' }));
  }
}
