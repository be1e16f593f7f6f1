import type { FileCache } from '../engine/loader.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statKind, type ReadSet } from '../engine/read-set.js';

/**
 * What the cluster graph reads of a repository itself (finding entry points, listing folders for
 * Flux's generated kustomization). Builds read files through the engine's loader.
 */
export interface RepoFiles {
  /** A folder's entries, sorted by name as Go's filepath.Walk visits them; none if it is no folder. */
  list(dir: string): { name: string; isDirectory: boolean }[];
  isFile(p: string): boolean;
  isDirectory(p: string): boolean;
  exists(p: string): boolean;
  read(file: string): Buffer;
}

export const diskFiles: RepoFiles = {
  list(dir) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .map((e) => ({ name: e.name, isDirectory: e.isDirectory() || (e.isSymbolicLink() && statKind(path.join(dir, e.name)) === 'directory') }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  isFile: (p) => statKind(p) === 'file',
  isDirectory: (p) => statKind(p) === 'directory',
  exists: (p) => statKind(p) !== 'missing',
  read: (file) => fs.readFileSync(file),
};

/** The files a build's file cache shows (a tree held in memory, say: see TreeFileCache), folders sorted by name. */
export function cachedFiles(cache: FileCache): RepoFiles {
  const kind = (p: string): string => cache.kind(p);
  return {
    list: (dir) => (kind(dir) === 'directory' ? [...cache.entries(dir)] : []),
    isFile: (p) => kind(p) === 'file',
    isDirectory: (p) => kind(p) === 'directory',
    exists: (p) => kind(p) !== 'missing',
    read: (file) => cache.read(file),
  };
}


/**
 * `files`, recording into `reads` every path the graph looks at through it: a folder listed, each
 * of its entries stat'ed (a symlink counts as what it points to), a path stat'ed, a file read.
 */
export function recordingFiles(files: RepoFiles, reads: ReadSet): RepoFiles {
  const stat = (p: string): string => {
    const abs = path.resolve(p);
    reads.add(abs, 'stat');
    return abs;
  };
  return {
    list(dir) {
      const abs = path.resolve(dir);
      reads.add(abs, 'list');
      const entries = files.list(abs);
      for (const e of entries) stat(path.join(abs, e.name));
      return entries;
    },
    isFile: (p) => files.isFile(stat(p)),
    isDirectory: (p) => files.isDirectory(stat(p)),
    exists: (p) => files.exists(stat(p)),
    read(file) {
      const abs = path.resolve(file);
      reads.add(abs, 'read');
      return files.read(abs);
    },
  };
}
