import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'capifleet';

/**
 * The folder capifleet is installed in: the nearest one above the running module whose
 * package.json is capifleet's. Found rather than counted in `..` steps, so tsc's output, the
 * bundled command-line tool and an installed package all agree, whatever their depth.
 */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** What the build writes: compiled modules, the bundled command-line tool, shipped schema code, the build id. */
export const DIST_DIR = path.join(PACKAGE_ROOT, 'dist');

/** capifleet's own package.json. */
export function packageManifest(): { version?: unknown } {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (nameIn(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`capifleet's package.json not found above ${from}`);
  }
}

function nameIn(file: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}
