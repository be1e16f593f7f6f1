import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/src/cli, where this module runs from once built. */
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The version in capifleet's package.json, for SARIF and JSON reports. */
export function toolVersion(): string {
  let dir = HERE;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

/** Written by the build beside the compiled code (`npm run build`, scripts/build-id.mjs). */
export const BUILD_ID_FILE = path.resolve(HERE, '..', '..', 'build-id');

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
