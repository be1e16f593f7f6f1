import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST_DIR, packageManifest } from '../package-root.js';

/** The version in capifleet's package.json, for SARIF and JSON reports. */
export function toolVersion(): string {
  return String(packageManifest().version ?? '0.0.0');
}

/** Written by the build beside the compiled code (`npm run build`, scripts/build-id.mjs). */
export const BUILD_ID_FILE = path.join(DIST_DIR, 'build-id');

/** The code the build id covers: the bundled command-line tool, with the dependencies it bundles (the CEL engine among them). */
export const BUILD_ID_CODE_DIR = path.join(DIST_DIR, 'cli');

/**
 * What identifies this build of capifleet for caches of its results: a hash of the compiled code,
 * so a changed checker never serves results an older one cached, even without a version bump.
 */
export function buildId(): string {
  try {
    return fs.readFileSync(BUILD_ID_FILE, 'utf8').trim();
  } catch {
    return toolVersion();
  }
}

/** The hash `buildId` reads: every compiled module under `srcDir`, in a stable order. */
export function hashCompiledCode(srcDir: string): string {
  const hash = createHash('sha256');
  const files = (fs.readdirSync(srcDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).sort();
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(path.join(srcDir, file)));
  return hash.digest('hex');
}
