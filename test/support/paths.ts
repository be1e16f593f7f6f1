import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether running from test/ sources or compiled dist/test/. */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.basename(dir) !== 'test') dir = path.dirname(dir);
  const parent = path.dirname(dir);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
})();

export const casesDir = path.join(repoRoot, 'test', 'cases');
/** The command-line tool as installed: the bundle package.json's bin names. */
export const cliPath = path.join(repoRoot, 'dist', 'cli', 'capifleet.js');
