/**
 * Where validate starts in a repository and what it leaves out, from the command line and
 * `.capifleet.yaml`: entry points (`--entry PATH`, `entries:`), sources that are folders of the
 * working tree (`--source NAME=PATH`, `sources:`) and paths a search leaves out (`--exclude GLOB`,
 * `exclude:`). Paths on the command line are relative to the working folder, those in the
 * configuration to its folder; both are absolute once read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { globLibrary } from '../libraries.js';
import { DNS_LABEL } from '../kubernetes/names.js';

export interface RepositoryOptions {
  /** Folders to start from instead of the entry points the repository declares. */
  entries: string[];
  /** Sources that are this working tree's folders, by `NAME` or `NAMESPACE/NAME`. */
  sources: Record<string, string>;
  /** Globs, each with the folder it is relative to. */
  exclude: { glob: string; base: string }[];
}

export const NO_REPOSITORY_OPTIONS: RepositoryOptions = { entries: [], sources: {}, exclude: [] };

/** Where a value was written, for its one-line error: `--source`, or the configuration file and line. */
export interface Written {
  what: string;
  file?: string;
  line?: number;
}

/**
 * A folder that must exist: an entry point or a source's path. One the configuration names must
 * lie inside the configuration's folder, links resolved: a repository's `.capifleet.yaml` cannot
 * make validate read the rest of the machine.
 */
export function existingFolder(written: string, base: string, at: Written): string {
  const abs = path.resolve(base, written);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new BuildError(`${at.what} ${written}: no such folder`, at.file, at.line);
  if (at.file && !isInside(fs.realpathSync(base), fs.realpathSync(abs))) {
    throw new BuildError(`${at.what} ${written}: outside the folder of the configuration`, at.file, at.line);
  }
  return abs;
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** An exclusion: a glob below its folder (no `/` first, no `..`), so matching it never walks the rest of the machine. */
export function excludeGlob(glob: string, base: string, at: Written): { glob: string; base: string } {
  if (glob.startsWith('/') || glob.split('/').includes('..')) throw new BuildError(`${at.what} ${glob}: a glob must be relative to its folder, without ..`, at.file, at.line);
  return { glob, base };
}

/** `--source NAME=PATH`: a GitRepository or OCIRepository named NAME (or NAMESPACE/NAME) is the folder PATH of the working tree. */
export function parseSource(arg: string, base: string, at: Written): [string, string] {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new BuildError(`${at.what} ${arg}: expected NAME=PATH`, at.file, at.line);
  return [sourceName(arg.slice(0, eq), at), existingFolder(arg.slice(eq + 1) || '.', base, at)];
}

/** A source's `NAME` or `NAMESPACE/NAME`, each a DNS label as Kubernetes names them. */
export function sourceName(name: string, at: Written): string {
  const parts = name.split('/');
  if (parts.length > 2 || !parts.every((p) => DNS_LABEL.test(p))) {
    throw new BuildError(`${at.what} "${name}": a source is NAME or NAMESPACE/NAME, in lowercase letters, digits and '-'`, at.file, at.line);
  }
  return name;
}

/** The command line's values over the configuration's: its entries replace them, its sources win by name, exclusions add up. */
export function mergeRepositoryOptions(config: RepositoryOptions, cli: RepositoryOptions): RepositoryOptions {
  return {
    entries: cli.entries.length ? cli.entries : config.entries,
    sources: { ...config.sources, ...cli.sources },
    exclude: [...config.exclude, ...cli.exclude],
  };
}

/** Folders a search of the repository never descends into (they hold no manifests of its own). */
const NEVER_SEARCHED = ['**/node_modules/**', '**/.git/**'];

/**
 * A search's test of the paths it meets below the folder it was given: excluded when the path, or
 * a folder between it and that folder, is one the globs match on disk (as glob(7) matches, `**`
 * across folders; `test/` or `test` leaves out the folder with all it holds). The folder searched
 * is never excluded: a path named on the command line is always checked. Undefined when nothing is
 * excluded.
 */
export function excludedPaths(exclude: RepositoryOptions['exclude']): ExcludedPath | undefined {
  if (exclude.length === 0) return undefined;
  const { globSync } = globLibrary();
  const matched = new Set(exclude.flatMap(({ glob, base }) => globSync(glob, { cwd: base, absolute: true, dot: true, ignore: NEVER_SEARCHED }).map((p) => path.resolve(p))));
  return (p, searched) => {
    for (let at = path.resolve(p); at !== searched && at.startsWith(searched + path.sep); at = path.dirname(at)) {
      if (matched.has(at)) return true;
    }
    return false;
  };
}

/** Whether a search of the folder `searched` leaves out `absolute`, a path below it. */
export type ExcludedPath = (absolute: string, searched: string) => boolean;
