import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'capifleet';

interface PackageManifest {
  name?: unknown;
  version?: unknown;
}

/**
 * The folder capifleet is installed in: the nearest one above the running module whose
 * package.json is capifleet's. Found rather than counted in `..` steps, so tsc's output, the
 * bundled command-line tool and an installed package all agree, whatever their depth.
 */
const PACKAGE = findPackage(path.dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_ROOT = PACKAGE.root;

/** What the build writes: compiled modules, the bundled command-line tool, shipped schema code, the build id. */
export const DIST_DIR = path.join(PACKAGE_ROOT, 'dist');

/** capifleet's own package.json, as read when its folder was found. */
export function packageManifest(): PackageManifest {
  return PACKAGE.manifest;
}

function findPackage(from: string): { root: string; manifest: PackageManifest } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const found = manifestIn(path.join(dir, 'package.json'));
    if (found?.name === PACKAGE_NAME) return { root: dir, manifest: found };
    if (path.dirname(dir) === dir) throw new Error(`capifleet's package.json not found above ${from}`);
  }
}

function manifestIn(file: string): PackageManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageManifest;
  } catch {
    return undefined;
  }
}
