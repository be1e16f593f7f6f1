import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from './errors.js';

/**
 * Writes a file so that readers see either the old or the new content, never a partial one:
 * write a temporary sibling, then rename over the target. Only a regular file is replaced: a
 * rename over a symbolic link, a device or a FIFO would put a file where the user (or the system)
 * keeps something else, so those are refused.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  checkReplaceable(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    // created afresh ('wx'), so a link sitting under the temporary name is never followed
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, content, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Refuses, as writeFileAtomic does, a file that exists and is not a regular file; for a check before a run writes anything. */
export function checkReplaceable(file: string): void {
  const existing = fs.lstatSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) throw new BuildError(`refusing to replace ${file}: it is ${fileKind(existing)}, not a regular file`);
}

/** What a file that is not a regular one is, for messages. */
export function fileKind(stats: fs.Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return stats.isFile() ? 'a regular file' : 'a special file';
}

/**
 * A file name made from content (a resource's name, a CRD's kind): one path segment that is never
 * `.` or `..` and holds no separator or control character, so it cannot lead out of its folder.
 */
export function safeFileName(name: string): string {
  const safe = name.replace(/[/\\\u0000-\u001f\u007f]/g, '_');
  return /^\.*$/.test(safe) ? `${safe.replace(/\./g, '_')}_` : safe;
}

/**
 * Writes `content` (atomically) at `names` (path segments made safe with safeFileName) below the
 * folder `dir`, creating the folders between. Each folder on the way is checked to resolve inside
 * `dir`, before anything is created in it, so a symbolic link among them cannot lead the write out.
 */
export function writeFileInside(dir: string, names: readonly string[], content: string | Uint8Array): string {
  const segments = names.map(safeFileName);
  fs.mkdirSync(dir, { recursive: true });
  const realDir = fs.realpathSync(dir);
  let folder = dir;
  for (const segment of segments.slice(0, -1)) {
    folder = path.join(folder, segment);
    try {
      fs.mkdirSync(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const real = realpathOrUndefined(folder);
    if (real === undefined || (real !== realDir && !real.startsWith(realDir + path.sep))) {
      throw new BuildError(`refusing to write through ${folder}: it leads out of ${dir}${real === undefined ? '' : `, to ${real}`}`);
    }
  }
  const file = path.join(folder, segments[segments.length - 1]!);
  writeFileAtomic(file, content);
  return file;
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Keeps a cache folder in a project out of version control, as tools' caches usually do
 * (.pytest_cache, .ruff_cache): a `.gitignore` inside it that ignores everything, itself included.
 */
export function ignoreCacheDir(dir: string): void {
  const ignore = path.join(dir, '.gitignore');
  try {
    if (fs.existsSync(dir) && !fs.existsSync(ignore)) writeFileAtomic(ignore, '*\n');
  } catch {
    // a cache that cannot be written only costs speed
  }
}

/** The sha256 of a text, in hex: the one content hash of stamps, caches and schema records. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
