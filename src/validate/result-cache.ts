import type { RepositoryOptions } from './repository-options.js';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import { ignoreCacheDir, jsonText, readRegularFile, sha256, writeFileAtomic } from '../files.js';
import { isObject, jsonExact, type JsonObject, type JsonValue } from '../json/value.js';
// types only: a run the cache serves whole loads neither the engine nor the checks (see validate.ts)
import type { CheckedFile, Input } from './inputs.js';
import type { CheckedInput, CheckedOverlay } from './validate-many.js';
import type { CheckedUnit, Finding } from './finding.js';
import type { Warning } from '../worker-pool.js';
import { CLOCK_TICK_MS, PathObserver, ReadSet, type Read, type ReadStamps } from '../engine/read-set.js';
import { keepLastRun, runName } from './served-run.js';
import { BUILD_STORE_FILE, BuildStore, buildKey } from '../cluster-graph/build-store.js';
import { postBuildOf } from '../cluster-graph/substitution.js';
import { decodeGoYamlV2 } from '../yaml/go-yaml-v2.js';
import type { GraphBuildHooks } from './clusters.js';

/** Each changes whenever the layout of its file changes, so an older one is never read. */
const FILES_PACK = 'results-v1.json';
const UNITS_PACK = 'units-v1.json';
const OVERLAYS_PACK = 'overlays-v1.json';
const INPUTS_PACK = 'inputs-v1.json';
const RUNS_PACK = 'runs-v1.json';

/**
 * Makes the cache folder before a run looks at anything (made later, its making would be a change
 * to the folder holding it), ignored by git. Making it changed that folder: the run begins a clock
 * tick later, or that change would count as one made while it ran, and nothing the run looked at
 * would be kept. Whether it was made here; a folder that cannot be made (read-only checkout) only
 * costs speed.
 */
export async function makeCacheDir(dir: string): Promise<boolean> {
  const made = !fs.existsSync(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
    ignoreCacheDir(dir);
  } catch {
    return false;
  }
  if (made) await new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_TICK_MS));
  return made;
}

const REFERENCES_PACK = 'references-v1.json';
const OBSERVATIONS_PACK = 'observations-v1.json';
const BUILD_FINDINGS_PACK = 'build-findings-v1.json';
const SUBSTITUTED_PACK = 'substituted-v1.json';
/** The entry of the observations pack that says whose it is (see observationsOurs). */
const OBSERVATIONS_OWNER = '';

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
  /** What its reads observe (see PathObserver.observe), hashed with its directory and the fingerprint. */
  key: string;
}

/** What the search from some command-line paths found: the inputs, and every path it looked at. */
interface InputsEntry {
  inputs: StoredInput[];
  reads: Read[];
  /** What its reads observe, hashed with the paths, the working directory and the fingerprint. */
  key: string;
}

/** What a whole run reported: its units and findings in input order, the warnings it gave. */
export interface RunResult {
  units: CheckedUnit[];
  findings: Finding[];
  warnings: Warning[];
}

/** What a run from some command-line paths reported, and every path it looked at. */
interface RunEntry extends RunResult {
  reads: Read[];
  /** What its reads observe, hashed with the paths, the working directory and the fingerprint. */
  key: string;
}

/** What a run was asked to check: its command-line paths, and the entry points, sources and exclusions it was given. */
export interface RunScope {
  paths: readonly string[];
  repository?: RepositoryOptions;
}

/** Inputs as kept on disk: a cluster of the cluster graph comes with its objects, and is not kept. */
type StoredInput = Exclude<Input, { kind: 'cluster' }>;

/** What a path showed under a stat signature (see ObservationMemo). */
interface ObservationEntry {
  /** The signature. */
  key: string;
  value: string;
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
  private readonly inputs: Pack<InputsEntry>;
  private readonly runs: Pack<RunEntry>;
  private readonly referenceLists: Pack<{ key: string; refs: string[] }>;
  private readonly observations: Pack<ObservationEntry>;
  /** A cluster's build's objects' own findings (see ClusterBuildObjects), by the cluster's unit and the build's key. */
  private readonly buildFindings: Pack<{ key: string; findings: Finding[] }>;
  /** What the YAML texts post-build substitution gave read as (see SubstitutedDecoder), as JSON, by the text's hash. */
  private readonly substituted: Pack<{ key: string; json: string }>;
  /** What each path the searches and overlays looked at shows this run, looked at once. */
  private readonly observer: PathObserver;

  /** `fingerprintOf` (see resultFingerprint) is asked only when a manifest file is read: it reads every schema index. */
  /** When this run began (ms): what changed since may not be what it read (see changedBefore). */
  private readonly started = Date.now();

  private readonly buildsFile: string;
  private builds: BuildStore | undefined;

  /**
   * `buildsKey` authenticates the store of the cluster graph's builds (see BuildStore.encode): the
   * user's secret with capifleet's build, not the schemas or options, which builds do not depend
   * on. Without it no build is kept.
   */
  constructor(
    private readonly cacheDir: string,
    private readonly fingerprintOf: () => string,
    private readonly buildsKey?: string,
  ) {
    this.buildsFile = path.join(cacheDir, BUILD_STORE_FILE);
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
    this.runs = new Pack(
      path.join(cacheDir, RUNS_PACK),
      (e) => Array.isArray(e.units) && Array.isArray(e.findings) && Array.isArray(e.warnings) && Array.isArray(e.reads),
      (_, e) => e.reads.length > 0 && fs.existsSync(e.reads[0]!.path),
    );
    this.referenceLists = new Pack(
      path.join(cacheDir, REFERENCES_PACK),
      (e) => Array.isArray(e.refs) && e.refs.every((r) => typeof r === 'string'),
      (file) => fs.existsSync(file),
    );
    this.inputs = new Pack(
      path.join(cacheDir, INPUTS_PACK),
      (e) => Array.isArray(e.inputs) && Array.isArray(e.reads),
      (_, e) => e.reads.length > 0 && fs.existsSync(e.reads[0]!.path),
    );
    this.buildFindings = new Pack(
      path.join(cacheDir, BUILD_FINDINGS_PACK),
      (e) => Array.isArray(e.findings),
      // the keys of those not used this run name what no longer is
      () => false,
    );
    this.substituted = new Pack(
      path.join(cacheDir, SUBSTITUTED_PACK),
      (e) => typeof e.json === 'string',
      () => false,
    );
    this.observations = new Pack(
      path.join(cacheDir, OBSERVATIONS_PACK),
      (e) => typeof e.value === 'string',
      (name) => name === OBSERVATIONS_OWNER || fs.existsSync(name.slice(name.indexOf('\0') + 1)),
    );
    this.observer = new PathObserver({
      get: (name, signature) => (this.observationsOurs() ? this.observations.get(name, signature)?.value : undefined),
      set: (name, signature, value) => {
        this.observationsOurs();
        this.observations.set(name, { key: signature, value });
      },
    });
  }

  private ownObservations: boolean | undefined;

  /**
   * Whether the stored observations are this user's with this build of capifleet (its owner entry
   * carries `buildsKey`, else the fingerprint): forged ones would make a changed file look
   * unchanged. What a path shows depends on no schema or option, so validate and diff share them.
   * Others are dropped, and the pack is marked as this run's.
   */
  private observationsOurs(): boolean {
    if (this.ownObservations === undefined) {
      const owner = sha256(`${this.buildsKey ?? this.fingerprinted()}\0observations`);
      this.ownObservations = this.observations.peek(OBSERVATIONS_OWNER)?.key === owner;
      if (!this.ownObservations) {
        this.observations.clear();
        this.observations.set(OBSERVATIONS_OWNER, { key: owner, value: '' });
      }
    }
    return this.ownObservations;
  }

  private fingerprinted(): string {
    return (this.fingerprint ??= this.fingerprintOf());
  }

  /**
   * The inputs `discover` finds for `run` (in this working directory): as the last search found
   * them when everything it looked at (folders listed, kustomizations read, the cluster graph's
   * reads) shows the same today, else searched again and kept. `reads` receives what it looked at.
   */
  cachedInputs(run: RunScope, discover: (reads: ReadSet) => Input[], reads: ReadSet): Input[] {
    return this.cachedSearch(runName(run), discover, reads);
  }

  /** As cachedInputs, for any search named `name` (what the name does not say must be in what the search reads). */
  readonly cachedSearch = (name: string, discover: (reads: ReadSet) => Input[], reads: ReadSet): Input[] => {
    const stored = this.inputs.peek(name);
    const hit = stored && this.inputs.get(name, this.readsKey(name, stored.reads));
    if (hit) {
      reads.addReads(hit.reads);
      return hit.inputs;
    }
    const inputs = discover(reads);
    const storable = inputs.filter((i): i is StoredInput => i.kind !== 'cluster');
    if (reads.complete && storable.length === inputs.length) {
      const entries = reads.entries();
      if (!this.changedDuringRun(entries)) this.inputs.set(name, { inputs: storable, reads: entries, key: this.readsKey(name, entries) });
    }
    return inputs;
  };

  /**
   * What the last run of the same scope reported, when everything it looked at (its search, every
   * overlay's build, every manifest file) shows the same today: nothing is rebuilt or checked.
   */
  lookupRun(run: RunScope): RunResult | undefined {
    const name = runName(run);
    const stored = this.runs.peek(name);
    const hit = stored && this.runs.get(name, this.readsKey(name, stored.reads));
    if (!hit) return undefined;
    const result = { units: hit.units, findings: hit.findings, warnings: hit.warnings };
    // the last run kept was of another scope, or its stamps changed and what they stamp did not (a file touched)
    this.keepAsLastRun(run, hit.reads, result);
    return result;
  }

  /** Keeps what a run reported, under what everything it looked at shows now. */
  recordRun(run: RunScope, reads: ReadSet, result: RunResult): void {
    if (!reads.complete) return;
    const name = runName(run);
    const entries = reads.entries();
    if (this.changedDuringRun(entries)) return;
    this.runs.set(name, { ...result, reads: entries, key: this.readsKey(name, entries) });
    this.keepAsLastRun(run, entries, result);
  }

  /** Keeps a run's result as the last run at save (see keepLastRun), when its paths can be stamped. */
  private keepAsLastRun(run: RunScope, reads: readonly Read[], result: RunResult): void {
    const stamps = this.observer.stamp(reads);
    if (stamps) this.lastRun = { run, stamps, result };
  }

  /** The run recorded, kept as the last one at save (see keepLastRun). */
  private lastRun: { run: RunScope; stamps: ReadStamps; result: RunResult } | undefined;

  /**
   * What a kustomization file lists (see DiscoverOptions.references), served while its bytes and
   * its folder's entries are the same (a second kustomization file there makes it unreadable).
   */
  readonly references = (file: string, list: () => string[]): string[] => {
    const reads: Read[] = [
      { path: path.dirname(file), kinds: ['list'] },
      { path: file, kinds: ['read'] },
    ];
    const key = this.readsKey('', reads);
    const hit = this.referenceLists.get(file, key);
    if (hit) return hit.refs;
    const refs = list();
    if (!this.changedDuringRun(reads)) this.referenceLists.set(file, { key, refs });
    return refs;
  };

  /**
   * Whether a path the entry depends on changed since this run began: its result may come from
   * what was there before, its key from what is there now; such an entry is not kept.
   */
  private changedDuringRun(reads: readonly Read[]): boolean {
    return this.observer.changedSince(reads, this.started);
  }

  private readsKey(name: string, reads: readonly Read[]): string {
    return sha256(`${this.fingerprinted()}\0${name}\0${this.observer.observe(reads)}`);
  }

  /**
   * What the cache holds for the overlay in `dir`, when everything its last build looked at shows
   * the same today: a file added to a folder it listed, a changed file or symlink means a rebuild.
   */
  lookupOverlay(dir: string): { checked: CheckedInput; warnings: Warning[]; reads: Read[] } | undefined {
    const stored = this.overlays.peek(dir);
    const hit = stored && this.overlays.get(dir, this.overlayKey(dir, stored.reads));
    return hit && { checked: { unit: hit.unit, findings: hit.findings }, warnings: hit.warnings, reads: hit.reads };
  }

  /** Keeps what building and checking the overlay in `dir` gave, under what its reads show now. */
  recordOverlay(dir: string, checked: CheckedOverlay & { reads: Read[] }): void {
    if (!this.changedDuringRun(checked.reads)) this.overlays.set(dir, { key: this.overlayKey(dir, checked.reads), ...checked });
  }

  private overlayKey(dir: string, reads: readonly Read[]): string {
    return this.readsKey(dir, reads);
  }

  /** The key of what a file with these bytes gives when checked as part of `overlay`. */
  fileKey(file: string, overlay: string, bytes: Uint8Array): string {
    return createHash('sha256').update(`${this.fingerprinted()}\0${overlay}\0${file}\0`).update(bytes).digest('hex');
  }

  /** What the cache holds for a file under its key (see fileKey). */
  lookup(file: string, key: string): CheckedFile | undefined {
    return this.files.get(file, key);
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

  /**
   * Hooks for the cluster graph of the repository at `root`: a build whose reads show what they
   * showed when it was kept is served from the build store, and every other successful build is
   * kept for the next run. None without a key for the store.
   */
  graphBuilds(root: string): GraphBuildHooks {
    if (this.buildsKey === undefined) return {};
    const store = this.buildStore();
    /** The path and spec of each build served or made, by its read set (the graph keeps it as the build's). */
    const builds = new WeakMap<ReadSet, { rel: string; spec: JsonObject }>();
    return {
      reuse: (rel, spec) => {
        const served = store.get(root, rel, spec, (reads) => this.observer.observe(reads));
        if (served) {
          this.graphBuildCounts.served++;
          builds.set(served.reads, { rel, spec });
        }
        return served;
      },
      serves: (rel, spec) => {
        const kept = store.peek(root, rel, spec);
        return kept !== undefined && this.observer.observe(kept.reads) === kept.observed;
      },
      onBuild: (rel, spec, resources, reads, { warnings, failed }) => {
        this.graphBuildCounts.built++;
        if (failed || !reads.complete) return;
        store.keep(root, rel, spec, { resources, reads: reads.entries(), warnings });
        builds.set(reads, { rel, spec });
      },
      decodeSubstituted: (text) => {
        const name = sha256(text);
        const kept = this.substituted.get(name, this.findingsKey());
        if (kept) return JSON.parse(kept.json) as JsonValue;
        const value = decodeGoYamlV2(text);
        this.substituted.set(name, jsonExact(value) ? { key: this.findingsKey(), json: JSON.stringify(value) } : undefined);
        return value;
      },
      keyOf: (reads) => {
        const build = builds.get(reads);
        // substitution made the objects from more than the build
        if (!build || postBuildOf(build.spec)) return undefined;
        const entries = reads.entries();
        return this.changedDuringRun(entries) ? undefined : sha256(`${buildKey(root, build.rel, build.spec)}\0${this.observer.observe(entries)}`);
      },
    };
  }

  /** The own findings (see ClusterBuildObjects) kept for a build's objects in a cluster's unit, under the build's key. */
  lookupBuildFindings(unit: string, key: string): Finding[] | undefined {
    return this.buildFindings.get(`${unit}\0${key}`, this.findingsKey())?.findings;
  }

  recordBuildFindings(unit: string, key: string, findings: Finding[]): void {
    this.buildFindings.set(`${unit}\0${key}`, { key: this.findingsKey(), findings });
  }

  /** The key of entries that hold for this build of capifleet with these schemas and options. */
  private findingsKey(): string {
    return (this.fingerprintKey ??= sha256(`${this.fingerprinted()}\0build findings`));
  }

  private fingerprintKey: string | undefined;

  /** The cluster graph's builds this run: served from the build store, and built. */
  readonly graphBuildCounts = { served: 0, built: 0 };

  private buildStore(): BuildStore {
    if (!this.builds) {
      let bytes: Buffer | undefined;
      try {
        bytes = readRegularFile(this.buildsFile);
      } catch (e) {
        printDebug(`${this.buildsFile}: ${e instanceof BuildError ? e.message : String(e)}; builds are not served`);
      }
      this.builds = BuildStore.decode(bytes, this.buildsKey!);
    }
    return this.builds;
  }

  /** Writes what changed. */
  save(): void {
    if (this.builds) printDebug(`cluster graph: ${this.graphBuildCounts.served} builds served from ${this.buildsFile}, ${this.graphBuildCounts.built} built`);
    if (this.builds?.modified) {
      // a build that read a path changed while the run went on may not be what the path shows now
      this.builds.settle((reads) => (this.changedDuringRun(reads) ? undefined : this.observer.observe(reads)));
      try {
        writeFileAtomic(this.buildsFile, this.builds.encode(this.buildsKey!));
      } catch {
        // a cache that cannot be written (read-only checkout) only costs speed
      }
    }
    this.files.save();
    this.units.save();
    this.overlays.save();
    this.inputs.save();
    this.runs.save();
    this.referenceLists.save();
    this.observations.save();
    this.buildFindings.save();
    this.substituted.save();
    if (this.lastRun) keepLastRun(this.cacheDir, this.lastRun.run, this.fingerprinted(), this.lastRun.stamps, this.lastRun.result);
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

  /** Forgets every stored entry: this run's are all that is written. */
  clear(): void {
    this.stored = {};
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
    const pack: unknown = JSON.parse(jsonText(bytes));
    if (isObject(pack as JsonValue)) return pack as Record<string, unknown>;
    printDebug(`${file}: not an object; the cache is rebuilt`);
  } catch (e) {
    printDebug(`${file}: ${e instanceof BuildError ? e.message : 'not valid JSON'}; the cache is rebuilt`);
  }
  return {};
}
