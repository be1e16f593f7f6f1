import * as path from 'node:path';

/**
 * A path as messages and reports show it: relative to the working directory, with `/`, as a
 * person standing there would type it (`.` for the directory itself); a path outside it stays
 * absolute, since a run of `../` helps nobody; `-` (standard input) as it is.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (file === '-') return file;
  const absolute = path.resolve(cwd, file);
  const rel = path.relative(cwd, absolute);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return absolute.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
