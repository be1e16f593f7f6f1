import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import { keyedHash, readRegularFile, sha256, writeFileAtomic } from '../files.js';
import { isObject, type JsonValue } from '../json/value.js';
import type { SchemaCatalog } from '../schemas/catalog.js';
import type { ValidateOptions } from './validator.js';
import { manifestFile, type CheckedFile, type ManifestFile } from './inputs.js';
import type { CheckedInput, CheckedOverlay } from './validate-many.js';
import type { Warning } from '../worker-pool.js';
import { observeReads, type Read } from '../engine/read-set.js';
import type { BuildOptions } from '../engine/target.js';

/** Each changes whenever the layout of its file changes, so an older one is never read. */
const FILES_PACK = 'results-v1.json';
const UNITS_PACK = 'units-v1.json';
const OVERLAYS_PACK = 'overlays-v1.json';

/** What a manifest file gave, as kept on disk. */
interface FileEntry extends CheckedFile {
  /** The file's bytes, path and input name with the fingerprint, hashed: the entry serves only that. */
  key: string;
}

/** What a set of manifest files checked together gave: its report unit and every finding, graded and located. */
interface UnitEntry extends CheckedInput {
  /** Its files' keys in order, hashed with its name. */
  key: string;
  files: string[];
}

/** What an overlay gave: its report unit and every finding, every path its build looked at and its warnings. */
interface OverlayEntry extends CheckedOverlay {
  reads: Read[];
  /** What its reads observe (see observeReads), hashed with its directory and the fingerprint. */
  key: string;
}

/**
 * Everything besides a file's bytes that its objects' findings depend on: capifleet's build, the
 * schemas (CEL rules come with them), template variables and the options and configuration the
 * checks read.
 */
export function resultFingerprint(build: string, catalog: SchemaCatalog, options: ValidateOptions, secret: string, buildOptions: BuildOptions = {}): string {
  return keyedHash(
    secret,
    JSON.stringify({
      build,
      // the release is in messages ("not served by Flux 2.9")
      schemas: catalog.entries().map((e) => `${e.apiVersion}/${e.kind}@${e.hash}:${e.release ?? ''}`),
      vars: [...options.vars],
      strictVars: options.strictVars,
      strictRefs: options.strictRefs,
      missingSchemas: options.missingSchemas,
      rules: [...options.rules],
      cel: options.cel !== undefined,
      // how kustomizations are built: another load restrictor or Helm setting builds other objects
      buildOptions,
    }),
  );
}

/**
 * Keeps what reading and checking each plain manifest file gave (its objects as JSON, its own
 * problems and its objects' findings, already located), so an unchanged file is neither parsed
 * nor schema-checked again; and what each set of such files checked together gave, so a set whose
 * files are all unchanged is not even assembled: its objects are not read back and the
 * cross-resource rules do not run. Line maps are not kept: the locator re-reads a file only when
 * a cross-resource finding points into it. An entry whose key does not match (changed bytes,
 * options or schemas) or whose shape is wrong is ignored and replaced.
 */
export class ManifestResultCache {
  private fingerprint: string | undefined;
  private readonly files: Pack<FileEntry>;
  private readonly units: Pack<UnitEntry>;
  private readonly overlays: Pack<OverlayEntry>;
  /** What each path the overlays looked at shows this run, looked at once (see observeReads). */
  private readonly observed = new Map<string, string>();

  /** `fingerprintOf` (see resultFingerprint) is asked only when a manifest file is read: it reads every schema index. */
  constructor(cacheDir: string, private readonly fingerprintOf: () => string) {
    this.files = new Pack(
      path.join(cacheDir, FILES_PACK),
      (e) => Array.isArray(e.objects) && Array.isArray(e.problems) && Array.isArray(e.objectFindings),
      (file) => fs.existsSync(file),
    );
    this.units = new Pack(
      path.join(cacheDir, UNITS_PACK),
      (e) => Array.isArray(e.unit?.resources) && Array.isArray(e.findings) && Array.isArray(e.files),
      (_, e) => e.files.every((file) => fs.existsSync(file)),
    );
    this.overlays = new Pack(
      path.join(cacheDir, OVERLAYS_PACK),
      (e) => Array.isArray(e.unit?.resources) && Array.isArray(e.findings) && Array.isArray(e.reads) && Array.isArray(e.warnings),
      (dir) => fs.existsSync(dir),
    );
  }

  /**
   * What the cache holds for the overlay in `dir`, when everything its last build looked at shows
   * the same today: a file added to a folder it listed, a changed file or symlink means a rebuild.
   */
  lookupOverlay(dir: string): { checked: CheckedInput; warnings: Warning[] } | undefined {
    const stored = this.overlays.peek(dir);
    const hit = stored && this.overlays.get(dir, this.overlayKey(dir, stored.reads));
    return hit && { checked: { unit: hit.unit, findings: hit.findings }, warnings: hit.warnings };
  }

  /** Keeps what building and checking the overlay in `dir` gave, under what its reads show now. */
  recordOverlay(dir: string, checked: CheckedOverlay & { reads: Read[] }): void {
    this.overlays.set(dir, { key: this.overlayKey(dir, checked.reads), ...checked });
  }

  private overlayKey(dir: string, reads: readonly Read[]): string {
    this.fingerprint ??= this.fingerprintOf();
    return sha256(`${this.fingerprint}\0${dir}\0${observeReads(reads, this.observed)}`);
  }

  /** The key of what a file with these bytes gives when checked as part of `overlay`. */
  fileKey(file: string, overlay: string, bytes: Uint8Array): string {
    this.fingerprint ??= this.fingerprintOf();
    return createHash('sha256').update(`${this.fingerprint}\0${overlay}\0${file}\0`).update(bytes).digest('hex');
  }

  /** What the cache holds for a file under its key (see fileKey). */
  lookup(file: string, key: string): ManifestFile | undefined {
    const hit = this.files.get(file, key);
    return hit && manifestFile(file, hit);
  }

  /** Keeps what reading and checking a file gave, under its key. */
  record(file: string, key: string, checked: CheckedFile): void {
    // values JSON cannot carry (big integers, NaN, infinities, -0) would come back changed: such files are not kept
    this.files.set(file, checked.objects.every((o) => jsonExact(o.obj)) ? { key, ...checked } : undefined);
  }

  /** The key of what the set of files with these keys (see fileKey), in this order, gives. */
  unitKey(name: string, fileKeys: readonly string[]): string {
    return sha256(`${name}\0${fileKeys.join('\0')}`);
  }

  /** What the cache holds for the set of files named `name` under its key (see unitKey). */
  lookupUnit(name: string, key: string): CheckedInput | undefined {
    const hit = this.units.get(name, key);
    return hit && { unit: hit.unit, findings: hit.findings };
  }

  /** Keeps what checking a set of files together gave, under its key. */
  recordUnit(name: string, key: string, files: readonly string[], checked: CheckedInput): void {
    this.units.set(name, { key, files: [...files], ...checked });
  }

  /** Writes what changed. */
  save(): void {
    this.files.save();
    this.units.save();
    this.overlays.save();
  }
}

/**
 * One file of entries by name: read on first use, written whole and only when an entry changed,
 * with this run's entries and the stored ones it did not use that are still `inUse`.
 */
class Pack<E extends { key: string }> {
  private stored: Record<string, unknown> | undefined;
  /** Entries this run used or made; undefined for one it must not keep. */
  private readonly current = new Map<string, E | undefined>();
  private changed = false;

  constructor(
    private readonly file: string,
    private readonly wellFormed: (entry: Partial<E>) => boolean,
    private readonly inUse: (name: string, entry: E) => boolean,
  ) {}

  /** The stored entry by name, if well formed, whatever its key. */
  peek(name: string): E | undefined {
    this.stored ??= readPack(this.file);
    const entry = this.stored[name] as Partial<E> | undefined;
    return isObject(entry as JsonValue) && this.wellFormed(entry!) ? (entry as E) : undefined;
  }

  get(name: string, key: string): E | undefined {
    const entry = this.peek(name);
    if (entry?.key !== key) return undefined;
    this.current.set(name, entry);
    return entry;
  }

  set(name: string, entry: E | undefined): void {
    this.current.set(name, entry);
    this.changed = true;
  }

  save(): void {
    if (!this.changed) return;
    this.stored ??= readPack(this.file);
    const kept = Object.entries(this.stored).filter(([name, e]) => !this.current.has(name) && isObject(e as JsonValue) && this.wellFormed(e as Partial<E>) && this.inUse(name, e as E));
    const entries = Object.fromEntries([...kept, ...[...this.current].filter(([, e]) => e !== undefined)]);
    try {
      writeFileAtomic(this.file, JSON.stringify(entries));
    } catch {
      // a cache that cannot be written (read-only checkout) only costs speed
    }
  }
}

/** The stored entries by name; none when the file is missing or not ours (then it is rebuilt). */
function readPack(file: string): Record<string, unknown> {
  try {
    const bytes = readRegularFile(file);
    if (bytes === undefined) return {};
    // JSON.stringify writes non-ASCII characters as they are, but the pack of a usual fleet has none: then a byte copy reads it
    const pack: unknown = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
    if (isObject(pack as JsonValue)) return pack as Record<string, unknown>;
    printDebug(`${file}: not an object; the cache is rebuilt`);
  } catch (e) {
    printDebug(`${file}: ${e instanceof BuildError ? e.message : 'not valid JSON'}; the cache is rebuilt`);
  }
  return {};
}

/** Whether JSON.parse(JSON.stringify(value)) gives the same value back. */
function jsonExact(value: JsonValue): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value === 'bigint') return false;
  if (Array.isArray(value)) return value.every(jsonExact);
  if (isObject(value)) return Object.values(value).every(jsonExact);
  return true;
}
