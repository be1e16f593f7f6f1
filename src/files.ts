import { isAscii } from 'node:buffer';
import { createHmac, hash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printDebug } from './debug.js';
import { BuildError } from './errors.js';

/**
 * Writes a file so that readers see either the old or the new content, never a partial one:
 * write a temporary sibling, then rename over the target. Only a regular file is replaced: a
 * rename over a symbolic link, a device or a FIFO would put a file where the user (or the system)
 * keeps something else, so those are refused.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  checkReplaceable(file);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    throw cannot('write', file, e);
  }
  replaceFile(file, content);
}

/** writeFileAtomic's write, into a folder that exists, of a file checkReplaceable let through. */
function replaceFile(file: string, content: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    // created afresh ('wx'), so a link sitting under the temporary name is never followed; what an
    // interrupted run left there is removed when met (looked for first, it cost every write a stat)
    try {
      fs.writeFileSync(tmp, content, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      fs.rmSync(tmp, { force: true });
      fs.writeFileSync(tmp, content, { flag: 'wx' });
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw cannot('write', file, e);
  }
}

/** What the system's error codes mean for a path the user gave, in their words. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file sits where a folder of its path goes',
  EEXIST: 'a file sits where a folder of its path goes',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
};

/** A file-system error on `file` as one line (a BuildError); anything else (a bug) as it is. */
export function cannot(verb: string, file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return e;
  return new BuildError(`cannot ${verb} ${file}: ${ERRNO_WORDS[code] ?? code}`);
}

/** Refuses, as writeFileAtomic does, a file that exists and is not a regular file; for a check before a run writes anything. */
export function checkReplaceable(file: string): void {
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (e) {
    throw cannot('write', file, e);
  }
  if (existing && !existing.isFile()) throw new BuildError(`refusing to replace ${file}: it is ${fileKind(existing)}, not a regular file`);
}

/**
 * Reads a file capifleet was pointed at or keeps state in; `undefined` when there is none. Only a
 * regular file (or a link to one) is read: a FIFO or a device would block or never end, and a
 * folder is no file. Anything else that goes wrong is one line naming the file.
 */
export function readRegularFile(file: string): Buffer | undefined {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannot('read', file, e);
  }
  if (!stats.isFile()) throw new BuildError(`cannot read ${file}: it is ${fileKind(stats)}, not a regular file`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw cannot('read', file, e);
  }
}

/**
 * The kernel's own file systems, by statfs magic number: proc, sysfs, devpts, cgroup, cgroup2,
 * debugfs, tracefs, securityfs, bpf, pstore, configfs, fusectl, mqueue, hugetlbfs, binfmt_misc,
 * efivarfs, autofs.
 */
const KERNEL_FILESYSTEMS = new Set([
  0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0xcafe4a11, 0x6165676c, 0x62656570, 0x65735543,
  0x19800202, 0x958458f6, 0x42494e4d, 0xde5e81e4, 0x0187,
]);

/**
 * The entries of a folder a walk goes through, sorted by name as Go's filepath.Walk visits them;
 * one that cannot be read is one line, not skipped (a manifest there would silently go unread).
 * Sub-folders mounted from one of the kernel's file systems (/proc, /sys, cgroups: a walk of `/`
 * meets them) hold no one's files, only the system's state, and reading them fails or never ends:
 * they are left out, with a debug note.
 */
export function walkFolder(dir: string): fs.Dirent[] {
  let entries: fs.Dirent[];
  let device: number;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
    device = fs.statSync(dir).dev;
  } catch (e) {
    throw cannot('read the folder', dir, e);
  }
  return entries.filter((e) => !e.isDirectory() || !isKernelMount(path.join(dir, e.name), device)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether `dir` is a mount of a kernel file system (it lies on another device than its parent's `parentDevice`). */
function isKernelMount(dir: string, parentDevice: number): boolean {
  try {
    if (fs.statSync(dir).dev === parentDevice || !isKernelFilesystem(dir)) return false;
  } catch {
    return false; // the walk's read of it says what is wrong
  }
  printDebug(`${dir}: a kernel file system (as /proc or /sys are), not walked`);
  return true;
}

/** Whether the folder `dir` lies on one of the kernel's own file systems; false when that cannot be told. */
export function isKernelFilesystem(dir: string): boolean {
  try {
    return KERNEL_FILESYSTEMS.has(fs.statfsSync(dir).type);
  } catch {
    return false;
  }
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
  return writeFilesInside(dir, [{ names, content }])[0]!;
}

/**
 * writeFileInside for many files: `dir` and each folder on the way are created and checked once
 * (a render of 1000 overlays writes 1000 files into one folder).
 */
export function writeFilesInside(dir: string, files: readonly { names: readonly string[]; content: string | Uint8Array }[]): string[] {
  let realDir: string;
  try {
    fs.mkdirSync(dir, { recursive: true });
    realDir = fs.realpathSync(dir);
  } catch (e) {
    throw cannot('write into', dir, e);
  }
  const checked = new Set<string>([dir]);
  return files.map(({ names, content }) => {
    const segments = names.map(safeFileName);
    let folder = dir;
    for (const segment of segments.slice(0, -1)) {
      folder = path.join(folder, segment);
      if (checked.has(folder)) continue;
      try {
        fs.mkdirSync(folder);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw cannot('write into', folder, e);
      }
      const real = realpathOrUndefined(folder);
      if (real === undefined || !isWithin(real, realDir)) {
        throw new BuildError(`refusing to write through ${folder}: it leads out of ${dir}${real === undefined ? '' : `, to ${real}`}`);
      }
      checked.add(folder);
    }
    const file = path.join(folder, segments[segments.length - 1]!);
    checkReplaceable(file);
    replaceFile(file, content);
    return file;
  });
}

/**
 * Whether `file` is `dir` or lies below it. Both must be absolute and resolved (realpath, so
 * normalized): then a prefix test is exact, and cheap enough for the checks along a deep chain of
 * kustomize bases.
 */
export function isWithin(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** A path resolved through its symbolic links; none when it does not exist (or cannot be resolved). */
export function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** The folder in a project where capifleet keeps what it may reuse between runs (it ignores itself in git). */
export const CACHE_DIR = '.capifleet-cache';

/**
 * A cache folder `dir` to use, or none when something other than a plain folder sits at its name:
 * a symbolic link there (committed to a repository, say) would lead the cache's writes out of it.
 */
export function usableCacheDir(dir: string): string | undefined {
  const stats = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stats || stats.isDirectory()) return dir;
  printDebug(`${dir}: ${fileKind(stats)}, not a folder; going without this cache`);
  return undefined;
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

/**
 * The text of a cache's JSON bytes (UTF-8). JSON.stringify writes non-ASCII characters as they
 * are, but a usual fleet's caches hold none: then a byte copy reads them, faster than decoding.
 */
export function jsonText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** The sha256 of a text or bytes, in hex: the one content hash of stamps, caches and schema records. */
export function sha256(text: string | Uint8Array): string {
  // one call, not a Hash object per text: twice as fast on the short texts caches hash by the thousand
  return hash('sha256', text, 'hex');
}

/** The hex HMAC-SHA256 of a text under a secret: names that only the holder of the secret can make. */
export function keyedHash(secret: string, text: string | Uint8Array): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

let cacheSecret: string | null | undefined;

/**
 * A secret of this user's, kept outside every repository (`$XDG_CACHE_HOME/capifleet/cache-key`,
 * made on first use, readable by the user alone). Caches kept in a repository are keyed with it,
 * so a cache committed to the repository, made by someone else, is never taken for ours: its code
 * is never run and its results never served. None when it cannot be had; then no cache is used.
 */
export function userCacheSecret(): string | undefined {
  if (cacheSecret === undefined) cacheSecret = readOrMakeSecret() ?? null;
  return cacheSecret ?? undefined;
}

function readOrMakeSecret(): string | undefined {
  const file = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'capifleet', 'cache-key');
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const secret = readRegularFile(file)?.toString('utf8') ?? '';
    if (/^[0-9a-f]{64}$/.test(secret)) return secret;
    printDebug(`${file}: not a key capifleet made; going without caches`);
  } catch (e) {
    printDebug(`${file}: ${(e as Error).message}; going without caches`);
  }
  return undefined;
}
