import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see either the old or the new content, never a partial one:
 * write a temporary sibling, then rename over the target.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
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
