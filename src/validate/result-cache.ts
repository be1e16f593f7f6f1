import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../cli/io.js';
import { isObject, type JsonValue } from '../engine/json.js';
import type { SchemaCatalog } from '../schemas/catalog.js';
import { sha256 } from '../schemas/store.js';
import type { ValidateOptions } from './engine.js';
import { manifestFile, type CheckedFile, type ManifestFile } from './inputs.js';

/** Changes whenever the layout of the file changes, so an older one is never read. */
const PACK_FILE = 'results-v1.json';

/** What a manifest file gave, as kept on disk. */
interface Entry extends CheckedFile {
  /** The file's bytes, path and input name with the fingerprint, hashed: the entry serves only that. */
  key: string;
}

/**
 * Everything besides a file's bytes that its objects' findings depend on: capifleet's build, the
 * schemas (CEL rules come with them), template variables and the options and configuration the
 * checks read.
 */
export function resultFingerprint(build: string, catalog: SchemaCatalog, options: ValidateOptions): string {
  return sha256(
    JSON.stringify({
      build,
      schemas: catalog.entries().map((e) => `${e.apiVersion}/${e.kind}@${e.hash}`),
      vars: [...options.vars],
      strictVars: options.strictVars,
      strictRefs: options.strictRefs,
      missingSchemas: options.missingSchemas,
      rules: [...options.rules],
      cel: options.cel !== undefined,
    }),
  );
}

/**
 * Keeps what reading and checking each plain manifest file gave (its objects as JSON, its own
 * problems and its objects' findings, already located), so an unchanged file is neither parsed
 * nor schema-checked again. One file holds every entry, by path: a run reads it once and writes
 * it once, and only when something changed. Line maps are not kept: the locator re-reads a file
 * only when a cross-resource finding points into it. An entry whose key does not match (changed
 * bytes, options or schemas) or whose shape is wrong is ignored and replaced; entries of files
 * this run did not read stay while those files exist.
 */
export class ManifestResultCache {
  private readonly file: string;
  private fingerprint: string | undefined;
  private stored: Record<string, unknown> | undefined;
  /** Entries of the files this run read; undefined for a file whose objects JSON cannot carry. */
  private readonly current = new Map<string, Entry | undefined>();
  private changed = false;

  /** `fingerprintOf` (see resultFingerprint) is asked only when a manifest file is read: it reads every schema index. */
  constructor(cacheDir: string, private readonly fingerprintOf: () => string) {
    this.file = path.join(cacheDir, PACK_FILE);
  }

  /**
   * What the cache holds for a file with these bytes (`hit`), and the key what checking the file
   * gives is recorded under otherwise (see record).
   */
  lookup(file: string, overlay: string, bytes: Uint8Array): { key: string; hit?: ManifestFile } {
    this.fingerprint ??= this.fingerprintOf();
    const key = createHash('sha256').update(`${this.fingerprint}\0${overlay}\0${file}\0`).update(bytes).digest('hex');
    const hit = this.entry(file, key);
    if (!hit) return { key };
    this.current.set(file, hit);
    return { key, hit: manifestFile(file, hit) };
  }

  /** Keeps what reading and checking a file gave, under the key lookup named. */
  record(file: string, key: string, checked: CheckedFile): void {
    // values JSON cannot carry (big integers, NaN, infinities, -0) would come back changed: such files are not kept
    this.current.set(file, checked.objects.every((o) => jsonExact(o.obj)) ? { key, ...checked } : undefined);
    this.changed = true;
  }

  /** Writes the entries when any changed: this run's, and those of files it did not read that still exist. */
  save(): void {
    if (!this.changed) return;
    const kept = Object.entries(this.stored ?? {}).filter(([file]) => !this.current.has(file) && fs.existsSync(file));
    const entries = Object.fromEntries([...kept, ...[...this.current].filter(([, e]) => e !== undefined)]);
    try {
      writeFileAtomic(this.file, JSON.stringify(entries));
    } catch {
      // a cache that cannot be written (read-only checkout) only costs speed
    }
  }

  private entry(file: string, key: string): Entry | undefined {
    this.stored ??= readPack(this.file);
    const entry = this.stored[file];
    if (!isObject(entry as JsonValue)) return undefined;
    const { key: stored, objects, problems, objectFindings } = entry as Partial<Entry>;
    return stored === key && Array.isArray(objects) && Array.isArray(problems) && Array.isArray(objectFindings) ? (entry as Entry) : undefined;
  }
}

/** The stored entries by file; none when the file is missing or not ours. */
function readPack(file: string): Record<string, unknown> {
  try {
    const bytes = fs.readFileSync(file);
    // JSON.stringify writes non-ASCII characters as they are, but the pack of a usual fleet has none: then a byte copy reads it
    const pack: unknown = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
    return isObject(pack as JsonValue) ? (pack as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Whether JSON.parse(JSON.stringify(value)) gives the same value back. */
function jsonExact(value: JsonValue): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value === 'bigint') return false;
  if (Array.isArray(value)) return value.every(jsonExact);
  if (isObject(value)) return Object.values(value).every(jsonExact);
  return true;
}
