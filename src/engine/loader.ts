import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';

export type LoadRestrictor = 'root' | 'none';

/**
 * Reads the files one kustomization refers to. Paths are relative to the kustomization's
 * directory; under the `root` restrictor a file must resolve (symlinks followed) inside it.
 * File contents are cached per process so a base shared by many overlays is read once.
 */
export class Loader {
  constructor(
    /** Absolute, symlink-resolved directory of the kustomization. */
    readonly root: string,
    readonly restrictor: LoadRestrictor,
    readonly fileCache: FileCache = new FileCache(),
  ) {}

  static forDirectory(dir: string, restrictor: LoadRestrictor, cache?: FileCache): Loader {
    return new Loader(realDir(dir), restrictor, cache);
  }

  /** Absolute path of a reference, symlinks resolved, checked against the restrictor. */
  resolve(ref: string): string {
    const abs = path.resolve(this.root, ref);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw new BuildError(`evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`);
    }
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
    return this.fileCache.read(p);
  }

  isFile(ref: string): boolean {
    try {
      return fs.statSync(path.resolve(this.root, ref)).isFile();
    } catch {
      return false;
    }
  }

  isDirectory(ref: string): boolean {
    try {
      return fs.statSync(path.resolve(this.root, ref)).isDirectory();
    } catch {
      return false;
    }
  }

  /** A loader for a sub-directory (a base or component), sharing the file cache. */
  child(ref: string): Loader {
    return new Loader(this.resolveDirectory(ref), this.restrictor, this.fileCache);
  }

  private resolveDirectory(ref: string): string {
    const abs = path.resolve(this.root, ref);
    let real: string;
    try {
      real = realDir(abs);
    } catch {
      throw new BuildError(`must build at directory: not a valid directory: evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`);
    }
    return real;
  }

}

function realDir(dir: string): string {
  const abs = path.resolve(dir);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new BuildError(`must build at directory: not a valid directory: evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`);
  }
  if (!fs.statSync(real).isDirectory()) throw new BuildError(`must build at directory: '${real}': file is not directory`);
  return real;
}

export function isWithin(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Process-wide cache of file contents and parsed documents, keyed by absolute path. */
export class FileCache {
  private readonly bytes = new Map<string, Buffer>();
  private readonly parsed = new Map<string, unknown>();

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

  /** Memoizes a parse of a file; callers must not mutate what they get back. */
  memo<T>(key: string, make: () => T): T {
    if (this.parsed.has(key)) return this.parsed.get(key) as T;
    const v = make();
    this.parsed.set(key, v);
    return v;
  }
}
