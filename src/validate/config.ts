import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { readRegularFile } from '../files.js';
import { describeValue, isObject, type JsonObject } from '../json/value.js';
import { parseDocuments } from '../yaml/parse.js';
import type { Severity } from './finding.js';
import { RULE_ALIASES } from './rule-registry.js';
import { joinPointer } from '../json/pointer.js';
import { excludeGlob, existingFolder, NO_REPOSITORY_OPTIONS, sourceName, type RepositoryOptions, type Written } from './repository-options.js';

export const CONFIG_FILE = '.capifleet.yaml';

export type RuleSetting = 'off' | Extract<Severity, 'error' | 'warning'> | 'info';

/** What `.capifleet.yaml` says about validation: rule id → off or a severity; where to start and what to leave out. */
export interface ValidateConfig {
  rules: Map<string, RuleSetting>;
  /** `entries:`, `sources:` and `exclude:`, their paths made absolute from the file's folder. */
  repository: RepositoryOptions;
  /** The file it came from, when there was one. */
  file?: string;
}

const SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

/**
 * Reads the project configuration: the file given, else `.capifleet.yaml` in the directory when
 * present. Other top-level keys belong to other commands and are left alone; under `rules`
 * every id must be one `knownIds` holds, so a typo cannot silently keep a rule on; an id of an
 * earlier release names the rule that carries its check now (RULE_ALIASES).
 */
export function loadValidateConfig(options: { file?: string; dir: string; knownIds: ReadonlySet<string> }): ValidateConfig {
  const file = options.file ?? path.join(options.dir, CONFIG_FILE);
  // a configuration that is a folder, a FIFO or unreadable is refused, not taken for none
  const text = readRegularFile(file);
  if (text === undefined) {
    if (options.file) throw new BuildError(`cannot read configuration file ${options.file}: no such file`);
    return { rules: new Map(), repository: NO_REPOSITORY_OPTIONS };
  }
  const [doc] = parseDocuments(text, file);
  const value = doc?.value ?? null;
  if (value === null) return { rules: new Map(), repository: NO_REPOSITORY_OPTIONS, file };
  if (!isObject(value)) throw new BuildError('configuration must be a mapping', file, doc!.line);
  const repository = repositoryOptions(value, file, doc!.lines);
  const rules = value.rules ?? null;
  if (rules === null) return { rules: new Map(), repository, file };
  if (!isObject(rules)) throw new BuildError('rules must be a mapping of rule id to off, error, warning or info', file, doc!.lines.get('/rules'));
  const out = new Map<string, RuleSetting>();
  for (const [written, setting] of Object.entries(rules)) {
    const line = doc!.lines.get(joinPointer('/rules', written));
    const id = RULE_ALIASES.get(written) ?? written;
    if (!options.knownIds.has(id)) throw new BuildError(`unknown rule "${id}"`, file, line);
    // YAML 1.2 reads `off` as a string; be kind to those who write `false`
    const s = setting === false ? 'off' : setting;
    if (typeof s !== 'string' || !SETTINGS.includes(s as RuleSetting)) {
      throw new BuildError(`rule "${id}": expected one of ${SETTINGS.join(', ')}`, file, line);
    }
    out.set(id, s as RuleSetting);
  }
  return { rules: out, repository, file };
}

/** `entries:` (folders), `sources:` (NAME: folder) and `exclude:` (globs), relative to the configuration's folder. */
function repositoryOptions(value: JsonObject, file: string, lines: ReadonlyMap<string, number>): RepositoryOptions {
  const base = path.dirname(path.resolve(file));
  const at = (pointer: string, what: string): Written => ({ what, file, ...(lines.has(pointer) ? { line: lines.get(pointer)! } : {}) });
  const strings = (key: string, what: string): string[] => {
    const list = value[key] ?? null;
    if (list === null) return [];
    if (!Array.isArray(list)) throw new BuildError(`${key} must be a list of ${what}`, file, lines.get(`/${key}`));
    return list.map((item, i) => {
      if (typeof item !== 'string' || item === '') throw new BuildError(`${key}[${i}]: expected ${what.replace(/s$/, '')}, got ${describeValue(item)}`, file, lines.get(`/${key}/${i}`));
      return item;
    });
  };
  const entries = strings('entries', 'folders').map((e, i) => existingFolder(e, base, at(`/entries/${i}`, 'entry point')));
  const exclude = strings('exclude', 'globs').map((glob, i) => excludeGlob(glob, base, at(`/exclude/${i}`, 'exclude')));
  const sources: Record<string, string> = {};
  const written = value.sources ?? null;
  if (written !== null && !isObject(written)) throw new BuildError('sources must be a mapping of source NAME or NAMESPACE/NAME to a folder', file, lines.get('/sources'));
  for (const [name, folder] of Object.entries(written ?? {})) {
    const where = at(joinPointer('/sources', name), 'source');
    if (typeof folder !== 'string' || folder === '') throw new BuildError(`source "${name}": expected a folder, got ${describeValue(folder)}`, where.file, where.line);
    sources[sourceName(name, where)] = existingFolder(folder, base, where);
  }
  return { entries, sources, exclude };
}
