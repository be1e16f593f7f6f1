import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../cli/io.js';
import { isObject, type JsonObject, type JsonValue } from '../engine/json.js';
import type { SchemaCatalog } from '../schemas/catalog.js';
import { sha256 } from '../schemas/store.js';
import type { ValidateOptions } from './engine.js';
import type { Finding } from './finding.js';
import { manifestResource, readManifestFile, type ManifestFile, type ManifestFileReader } from './inputs.js';
import type { SourceLocator } from './source-map.js';

/** Changes whenever the layout of an entry changes, so older entries are never read. */
const ENTRY_VERSION = 'results-v1';

/** What a manifest file gave, as kept on disk: its objects with their document lines, and its findings. */
interface Entry {
  objects: { obj: JsonObject; line: number }[];
  problems: Finding[];
  objectFindings: Finding[];
}

/**
 * Everything besides a file's bytes that its objects' findings depend on: capifleet's version, the
 * schemas (CEL rules come with them), template variables and the options and configuration the
 * checks read.
 */
export function resultFingerprint(toolVersion: string, catalog: SchemaCatalog, options: ValidateOptions): string {
  return sha256(
    JSON.stringify({
      toolVersion,
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
 * problems and its objects' findings, already located) in a directory, one file per entry keyed
 * by the file's bytes, path, input name and the fingerprint, so an unchanged file is neither
 * parsed nor schema-checked again. Line maps are not kept: the locator re-reads a file only when
 * a cross-resource finding points into it. An unreadable or foreign entry is ignored and rewritten.
 */
export class ManifestResultCache {
  private readonly dir: string;
  private readonly used = new Set<string>();
  private wrote = false;
  private fingerprint: string | undefined;

  /** `fingerprint` (see resultFingerprint) is asked for only when a manifest file is read: it reads every schema index. */
  constructor(cacheDir: string, private readonly fingerprintOf: () => string) {
    this.dir = path.join(cacheDir, ENTRY_VERSION);
  }

  /** A reader that serves files from the cache and, for the others, reads them and checks their objects with `check`. */
  reader(locator: SourceLocator, check: (file: ManifestFile, overlay: string) => Finding[]): ManifestFileReader {
    return (file, overlay) => {
      const bytes = fs.readFileSync(file);
      this.fingerprint ??= this.fingerprintOf();
      const key = createHash('sha256').update(`${this.fingerprint}\0${overlay}\0${file}\0`).update(bytes).digest('hex');
      this.used.add(key);
      const entry = this.read(key);
      if (entry) {
        return {
          resources: entry.objects.map((o) => manifestResource(o.obj, file, o.line)),
          problems: entry.problems,
          objectFindings: entry.objectFindings,
        };
      }
      const read = readManifestFile(file, bytes, overlay, locator);
      const result = { ...read, objectFindings: check(read, overlay) };
      this.write(key, result);
      return result;
    };
  }

  /** Drops the entries this run did not use, when it added any: the cache holds at most one entry per file last checked. */
  prune(): void {
    if (!this.wrote) return;
    for (const name of fs.readdirSync(this.dir)) {
      if (!this.used.has(name.replace(/\.json$/, ''))) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private read(key: string): Entry | undefined {
    let entry: unknown;
    try {
      entry = JSON.parse(fs.readFileSync(this.entryFile(key), 'utf8'));
    } catch {
      return undefined;
    }
    const ok = isObject(entry as JsonValue) && Array.isArray((entry as Entry).objects) && Array.isArray((entry as Entry).problems) && Array.isArray((entry as Entry).objectFindings);
    return ok ? (entry as Entry) : undefined;
  }

  private write(key: string, result: Required<ManifestFile>): void {
    const objects = result.resources.map((r) => ({ obj: r.obj, line: r.state.source!.line }));
    // values JSON cannot carry (big integers, NaN, infinities, -0) would come back changed: such files are not kept
    if (!objects.every((o) => jsonExact(o.obj))) return;
    const entry: Entry = { objects, problems: result.problems, objectFindings: result.objectFindings };
    try {
      writeFileAtomic(this.entryFile(key), JSON.stringify(entry));
      this.wrote = true;
    } catch {
      // a cache that cannot be written (read-only checkout) only costs speed
    }
  }

  private entryFile(key: string): string {
    return path.join(this.dir, `${key}.json`);
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
