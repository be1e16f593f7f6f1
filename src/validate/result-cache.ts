import type { RepositoryOptions } from './repository-options.js';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import { ignoreCacheDir, jsonText, readRegularFile, sha256, writeFileAtomic } from '../files.js';
import { isObject, jsonExact, type JsonObject, type JsonValue } from '../json/value.js';
// types only: a run the cache serves whole loads neither the engine nor the checks (see validate.ts)
import type { CheckedFile, ClusterBuildObjects, Input, LoadedInput } from './inputs.js';
import type { CheckedInput, CheckedOverlay } from './validate-many.js';
import type { CheckedUnit, Finding } from './finding.js';
import type { Warning } from '../worker-pool.js';
import type { Resource } from '../engine/resource.js';
import type { FileCache } from '../engine/loader.js';
import { CLOCK_TICK_MS, diskContents, PathObserver, ReadSet, type PathContents, type Read, type ReadKind, type ReadStamps } from '../engine/read-set.js';
import { keepLastRun, runName } from './served-run.js';
import { BUILD_STORE_FILE, BuildStore, buildDigest, buildKey } from '../cluster-graph/build-store.js';
import { decodeGoYamlV2 } from '../yaml/go-yaml-v2.js';
import type { GraphBuildHooks } from './clusters.js';
import { groupOf, shapesClusterGraph } from '../cluster-graph/flux-kinds.js';

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
const ENTRY_VERDICTS_PACK = 'entry-verdicts-v1.json';
const RUN_PARTS_PACK = 'run-parts-v1.json';
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
  /** The key of what its report came from, in parts (see RunParts), when that is kept. */
  parts?: string;
}

/** A build of the cluster graph as a run used it: its path and spec, what it gave (see BuildStore.digest) and what it read. */
interface UsedBuild {
  rel: string;
  spec: JsonObject;
  digest: string;
  reads: Read[];
}

/**
 * A used build as kept: its paths as places in its run's reads (RunEntry.reads), looked at as the
 * run looked at them (the run's reads cover the build's), and what they showed.
 */
interface BuildPart extends Omit<UsedBuild, 'reads'> {
  reads: number[];
  observed: string;
}

/**
 * What a run's report came from, in parts (see cutoffRun): the paths it looked at itself, the
 * files the entry-point search judged by their bytes to declare nothing, and what each build of
 * its one cluster graph gave.
 */
interface RunParts {
  /** Names them for their run (see RunEntry.parts): parts of another run are not these. */
  key: string;
  /** The fingerprint they hold for (see findingsKey): a report made with other schemas or options is not this run's. */
  fingerprint: string;
  root: string;
  /** What the run looked at itself: each path as its place in the run's reads, and how it was looked at (kinds joined by commas). */
  rest: [number, string][];
  /** What `rest` showed (see PathObserver.observe). */
  restObserved: string;
  /** Their places in the run's reads. */
  quiet: number[];
  /** What the quiet files showed, read. */
  quietObserved: string;
  builds: BuildPart[];
  /** What the files findings point into showed, read: a line a finding names may move with a comment. */
  locatedObserved: string;
  /** The graph's clusters, their builds as places in `builds`; none when a build of one was not kept. */
  clusters?: ClusterPart<number>[];
}

/**
 * A cluster of a run's graph as its unit was made (see GraphBuildHooks.onCluster): what it holds
 * besides its builds' objects, and its builds in order (`B` names each: its buildKey, or its
 * place in RunParts.builds).
 */
interface ClusterPart<B> {
  unit: Omit<LoadedInput['unit'], 'resources'>;
  problems: Finding[];
  builds: B[];
  /** Whether its objects are its builds' as the store keeps them: none was post-build substituted. */
  unsubstituted: boolean;
}

/** What a cluster graph of this run gave the result cache to know besides its own reads (see ClusterGraphOptions.buildReads). */
interface GraphRun {
  root: string;
  /** Every path its builds looked at. */
  buildReads: ReadSet;
  /** The YAML files its entry-point search judged by their bytes to declare nothing (see EntryVerdicts). */
  quiet: Set<string>;
  /** The builds it used, by buildKey; undefined once one was not kept (it failed, or read through helm). */
  builds: Map<string, UsedBuild> | undefined;
  /** Its clusters as their units were made; undefined once one held a build the result cache did not see. */
  clusters: ClusterPart<string>[] | undefined;
}

/** A build made again by cutoffRun, as fluxBuild gives it from the disk. */
export interface Rebuilt {
  resources: readonly Resource[];
  reads: ReadSet;
  warnings: Warning[];
  failed: boolean;
}

/** How cutoffRun makes a build again, tells a file that may declare an entry point, and checks a cluster assembled again. */
export interface CutoffHow {
  rebuild: (dir: string, spec: JsonObject) => Rebuilt;
  mayDeclareEntry: (bytes: Buffer) => boolean;
  check: (input: Input & { kind: 'cluster' }) => CheckedInput;
}

/** A build cutoffRun made again: its place in RunParts.builds, what it gave and read, and its digest now. */
interface RemadeBuild {
  place: number;
  rel: string;
  spec: JsonObject;
  build: Rebuilt;
  reads: Read[];
  digest: string;
}

/**
 * Whether two builds of a path give the cluster graph the same to go by: the same objects that
 * may shape it, in order, each read from the same place, and objects from the same files.
 */
function sameGraphShape(before: readonly Resource[], after: readonly Resource[]): boolean {
  const shape = (resources: readonly Resource[]): string =>
    JSON.stringify([resources.filter((r) => shapesClusterGraph(groupOf(r.obj), r.kind)).map((r) => [r.obj, r.state]), [...new Set(resources.map((r) => r.state.source?.file ?? ''))].sort()]);
  return shape(before) === shape(after);
}

function warningsText(warnings: readonly { message: string; file?: string }[]): string {
  return JSON.stringify(warnings.map((w) => [w.message, w.file ?? null]));
}

/** What a run was asked to check: its command-line paths, and the entry points, sources and exclusions it was given. */
export interface RunScope {
  paths: readonly string[];
  repository?: RepositoryOptions;
}

/** The files findings point into, sorted. */
function locatedFiles(findings: readonly Finding[]): string[] {
  return [...new Set(findings.flatMap((f) => (f.location && f.location.file !== '-' ? [path.resolve(f.location.file)] : [])))].sort();
}

/** Files read whole. */
function readsOf(files: readonly string[]): Read[] {
  return files.map((file) => ({ path: file, kinds: ['read'] }));
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
  /** Whether a YAML file may declare an entry point (see EntryVerdicts), by file, under what its bytes show. */
  private readonly entryVerdicts: Pack<{ key: string; may: boolean }>;
  /** What each run's report came from, in parts (see cutoffRun), by the run's name. */
  private readonly runParts: Pack<RunParts>;
  /** The cluster graphs built this run, in order (see graphBuilds). */
  private readonly graphRuns: GraphRun[] = [];
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
    this.entryVerdicts = new Pack(
      path.join(cacheDir, ENTRY_VERDICTS_PACK),
      (e) => typeof e.may === 'boolean',
      (file) => fs.existsSync(file),
    );
    this.runParts = new Pack(
      path.join(cacheDir, RUN_PARTS_PACK),
      (e) =>
        typeof e.root === 'string' &&
        typeof e.fingerprint === 'string' &&
        Array.isArray(e.rest) &&
        e.rest.every((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'string') &&
        [e.restObserved, e.quietObserved, e.locatedObserved].every((o) => typeof o === 'string') &&
        Array.isArray(e.quiet) &&
        e.quiet.every((i) => typeof i === 'number') &&
        Array.isArray(e.builds) &&
        e.builds.every((b) => isObject(b as unknown as JsonValue) && typeof b.rel === 'string' && isObject(b.spec) && typeof b.digest === 'string' && Array.isArray(b.reads) && typeof b.observed === 'string') &&
        (e.clusters === undefined ||
          (Array.isArray(e.clusters) &&
            e.clusters.every(
              (c) => isObject(c as unknown as JsonValue) && isObject(c.unit as unknown as JsonValue) && typeof c.unit.name === 'string' && Array.isArray(c.problems) && typeof c.unsubstituted === 'boolean' && Array.isArray(c.builds) && c.builds.every((i) => Number.isInteger(i) && e.builds![i] !== undefined),
            ))),
      // kept only beside the run they are parts of
      (name, e) => this.runs.peek(name)?.parts === e.key,
    );
    this.observations = new Pack(
      path.join(cacheDir, OBSERVATIONS_PACK),
      (e) => typeof e.value === 'string',
      (name) => name === OBSERVATIONS_OWNER || fs.existsSync(name.slice(name.indexOf('\0') + 1)),
    );
    this.observer = new PathObserver(
      {
        get: (name, signature) => (this.observationsOurs() ? this.observations.get(name, signature)?.value : undefined),
        set: (name, signature, value) => {
          this.observationsOurs();
          this.observations.set(name, { key: signature, value });
        },
      },
      this.started,
      { read: (file) => this.contents.read(file), list: (dir) => this.contents.list(dir) },
    );
  }

  /** Where the observer and the entry-point verdicts find what files and folders hold: the disk, or the builds' file cache (see readThrough). */
  private contents: PathContents = diskContents;

  /**
   * Reads files and lists folders through the builds' file cache, so a file the run hashes,
   * judges and builds is read once, and a folder listed once. Only a cache made since this one
   * began: what it read before the observer started could be hashed under a stat made after a
   * change (see PathObserver).
   */
  readThrough(fileCache: FileCache): void {
    if (fileCache.madeAt >= this.started) this.contents = { read: (file) => fileCache.read(file), list: (dir) => fileCache.dirents(dir) };
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
    const graphs = this.graphRuns.length;
    const inputs = discover(reads);
    const storable = inputs.filter((i): i is StoredInput => i.kind !== 'cluster');
    const all = this.withGraphReads(reads, graphs);
    if (all.complete && storable.length === inputs.length) {
      const entries = all.entries();
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
    // asked again in the same run (the command line asks before it loads the checks), the answer is the same
    if (this.runsMissed.has(name)) return undefined;
    const stored = this.runs.peek(name);
    const key = stored && this.readsKey(name, stored.reads);
    const hit = key !== undefined ? this.runs.get(name, key) : undefined;
    if (!hit) {
      this.runsMissed.set(name, key);
      return undefined;
    }
    const result = { units: hit.units, findings: hit.findings, warnings: hit.warnings };
    // the last run kept was of another scope, or its stamps changed and what they stamp did not (a file touched)
    this.keepAsLastRun(run, hit.reads, result);
    return result;
  }

  /** The runs lookupRun did not serve, with what their stored reads show now (their key today). */
  private readonly runsMissed = new Map<string, string | undefined>();

  /**
   * Keeps what a run reported, under what everything it looked at shows now: `reads`, and what
   * the cluster graphs it built looked at beside their own reads; with the run's parts when it
   * built one graph whose builds were all kept (see cutoffRun).
   */
  recordRun(run: RunScope, reads: ReadSet, result: RunResult): void {
    const all = this.withGraphReads(reads, 0);
    if (!all.complete) return;
    const name = runName(run);
    const entries = all.entries();
    if (this.changedDuringRun(entries)) return;
    const key = this.readsKey(name, entries);
    this.runsMissed.delete(name);
    const [graph, ...more] = this.graphRuns;
    const parted = graph?.builds !== undefined && more.length === 0;
    // named by the run's key now; a run served by cutoffRun keeps them
    this.runs.set(name, { ...result, reads: entries, key, ...(parted ? { parts: key } : {}) });
    this.keepAsLastRun(run, entries, result);
    if (!graph?.builds || !parted) return;
    const places = new Map(entries.map((r, i) => [r.path, i]));
    const rest = reads.entries();
    const quiet = [...graph.quiet].sort();
    const buildAt = new Map([...graph.builds.keys()].map((k, i) => [k, i]));
    const clusters = graph.clusters?.map((c) => ({ ...c, builds: c.builds.map((k) => buildAt.get(k)) }));
    this.runParts.set(name, {
      key,
      fingerprint: this.findingsKey(),
      root: graph.root,
      rest: rest.map((r) => [places.get(r.path)!, r.kinds.join(',')]),
      restObserved: this.observer.observe(rest),
      quiet: quiet.map((file) => places.get(file)!),
      quietObserved: this.observer.observe(readsOf(quiet)),
      builds: [...graph.builds.values()].map(({ reads: used, ...build }) => {
        const at = used.map((r) => places.get(r.path)!);
        return { ...build, reads: at, observed: this.observer.observe(at.map((i) => entries[i]!)) };
      }),
      locatedObserved: this.observer.observe(readsOf(locatedFiles(result.findings))),
      ...(clusters?.every((c) => c.builds.every((i) => i !== undefined)) ? { clusters: clusters as ClusterPart<number>[] } : {}),
    });
  }

  /** `reads` with what the cluster graphs built this run, from the `from`th on, looked at beside their own reads (see GraphRun). */
  private withGraphReads(reads: ReadSet, from: number): ReadSet {
    const graphs = this.graphRuns.slice(from);
    if (graphs.length === 0) return reads;
    const all = new ReadSet();
    all.addAll(reads);
    for (const g of graphs) {
      all.addAll(g.buildReads);
      for (const file of g.quiet) all.add(file, 'read');
    }
    return all;
  }

  /**
   * The last run's report for `run` when what changed since it cannot change it (an early
   * cutoff): what the run looked at itself shows the same, every file its entry-point search
   * judged to declare nothing still does, and every build of its cluster graph whose reads show
   * something else gives, made again, what it gave (a comment added, a file touched). Then the
   * graph is the same, and so is every cluster's report: nothing else is built or checked. When
   * such a build gives other objects but the same graph shape, only the clusters it applies into
   * are checked again (see clustersRechecked). None when a file a finding points into changed
   * (the line it names may have moved).
   */
  cutoffRun(run: RunScope, how: CutoffHow): RunResult | undefined {
    const name = runName(run);
    const stored = this.runs.peek(name);
    const parts = typeof stored?.parts === 'string' ? this.runParts.get(name, stored.parts) : undefined;
    if (!stored || !parts || parts.fingerprint !== this.findingsKey()) return undefined;
    /** The run's reads at these places; undefined for a place it has not (parts not of this run). */
    const at = (places: readonly number[]): Read[] | undefined => {
      const reads = places.map((i) => stored.reads[i]);
      return reads.every((r) => r !== undefined) ? reads : undefined;
    };
    const rest = at(parts.rest.map(([i]) => i))?.map((r, i) => ({ path: r.path, kinds: parts.rest[i]![1].split(',') as ReadKind[] }));
    const quiet = at(parts.quiet)?.map((r) => r.path);
    if (!rest || !quiet || this.observer.observe(rest) !== parts.restObserved) return undefined;
    // a line a finding names may have moved: only findings checked again may point into what changed (see clustersRechecked)
    const moved = this.observer.observe(readsOf(locatedFiles(stored.findings))) !== parts.locatedObserved;
    if (moved && !parts.clusters) return undefined;
    if (this.observer.observe(readsOf(quiet)) !== parts.quietObserved && quiet.some((file) => this.entryVerdict(file, how.mayDeclareEntry))) return undefined;
    let served = 0;
    let covered: Map<string, readonly ReadKind[]> | undefined;
    /** Builds made again, while the report may still be the last one or the last one's clusters those builds apply into checked again. */
    const remade: RemadeBuild[] = [];
    /** No cutoff: the builds made again are kept and sealed, so the graph built after all serves them. */
    const noCutoff = (): undefined => {
      if (remade.length === 0) return undefined;
      const store = this.buildStore();
      for (const { rel, spec, build, reads } of remade) {
        store.keep(parts.root, rel, spec, { resources: build.resources, reads, warnings: build.warnings });
        this.madeHere.add(buildKey(parts.root, rel, spec));
      }
      store.settle((r) => this.observer.observe(r));
      return undefined;
    };
    for (const [place, { rel, spec, digest, reads: places, observed }] of parts.builds.entries()) {
      const before = at(places);
      if (!before) return noCutoff();
      if (this.observer.observe(before) === observed) {
        served++;
        continue;
      }
      const build = how.rebuild(path.join(parts.root, rel), spec);
      const reads = build.reads.entries();
      // what the run's reads (its key) cover: a build that now looks at more is no cutoff
      covered ??= new Map(stored.reads.map((r) => [r.path, r.kinds]));
      const uncovered = reads.some((r) => !r.kinds.every((k) => covered!.get(r.path)?.includes(k)));
      this.graphBuildCounts.built++;
      if (build.failed || !build.reads.complete || this.changedDuringRun(reads)) return noCutoff();
      const now = buildDigest(build);
      remade.push({ place, rel, spec, build, reads, digest: now });
      if (uncovered || (now !== digest && !parts.clusters)) return noCutoff();
    }
    const changed = remade.filter((b) => b.digest !== parts.builds[b.place]!.digest);
    const rechecked = changed.length > 0 ? this.clustersRechecked(stored, parts, remade, changed, how.check, moved ? quiet : undefined) : undefined;
    if ((changed.length > 0 || moved) && !rechecked) return noCutoff();
    this.graphBuildCounts.served += served;
    const key = this.runsMissed.get(name) ?? this.readsKey(name, stored.reads);
    if (rechecked) {
      if (!this.changedDuringRun(stored.reads)) {
        const placeOf = new Map(stored.reads.map((r, i) => [r.path, i]));
        const builds = parts.builds.map((b, i) => {
          const remadeHere = changed.find((c) => c.place === i);
          if (!remadeHere) return b;
          // the places of what it reads now: the run's reads cover them
          const places = remadeHere.reads.map((r) => placeOf.get(r.path)!);
          return { ...b, digest: remadeHere.digest, reads: places, observed: this.observer.observe(places.map((p) => stored.reads[p]!)) };
        });
        this.runs.set(name, { ...rechecked, reads: stored.reads, key, parts: parts.key });
        this.runParts.set(name, { ...parts, builds, locatedObserved: this.observer.observe(readsOf(locatedFiles(rechecked.findings))) });
        this.keepAsLastRun(run, stored.reads, rechecked);
      }
      return rechecked;
    }
    const result = { units: stored.units, findings: stored.findings, warnings: stored.warnings };
    if (!this.changedDuringRun(stored.reads)) {
      this.runs.set(name, { ...stored, key });
      this.keepAsLastRun(run, stored.reads, result);
    }
    return result;
  }

  /**
   * The last run's report with the clusters the builds `changed` (those of `remade` that gave another digest) apply into checked again, when
   * the graph cannot have changed: each changed build gives the same objects that may shape it
   * (shapesClusterGraph: in order, with where each was read), its objects come from the same files
   * (the graph reaches the same) and it warns as it did. Each such cluster is assembled from its
   * builds' objects (the others' served by the build store, their own findings by their keys) and
   * checked; every other unit and finding is the last run's. None when a cluster to check had a
   * build post-build substituted (its objects are not the store's), or the last report's findings
   * are not grouped by unit in unit order. `movedIn`, when a file some finding points into
   * changed, lists the files besides the remade builds' reads that may have: a finding not checked
   * again must point into none of them.
   */
  private clustersRechecked(stored: RunEntry, parts: RunParts, remade: readonly RemadeBuild[], changed: readonly RemadeBuild[], check: CutoffHow['check'], movedIn?: readonly string[]): RunResult | undefined {
    const no = (why: string): undefined => {
      printDebug(`no early cutoff: ${why}`);
      return undefined;
    };
    const store = this.buildStore();
    for (const { rel, spec, build } of changed) {
      const before = store.kept(parts.root, rel, spec);
      if (!before || !sameGraphShape(before.resources, build.resources)) return no(`${rel || '.'} gives the cluster graph other objects to go by`);
      if (warningsText(before.warnings) !== warningsText(build.warnings)) return no(`${rel || '.'} warns otherwise`);
    }
    const remadeAt = new Map(remade.map((c) => [c.place, c]));
    const changedAt = new Set(changed.map((c) => c.place));
    const affected = parts.clusters!.filter((c) => c.builds.some((i) => changedAt.has(i)));
    if (affected.some((c) => !c.unsubstituted)) return no('a cluster to check again has objects post-build substitution made');
    const unitAt = new Map(stored.units.map((u, i) => [u.name, i]));
    if (affected.length === 0 || unitAt.size !== stored.units.length) return no("the last report's units are not the graph's clusters");
    const groups: Finding[][] = stored.units.map(() => []);
    let last = 0;
    for (const f of stored.findings) {
      const i = f.overlay === undefined ? undefined : unitAt.get(f.overlay);
      if (i === undefined || i < last) return no("the last report's findings are not in the order of its units");
      groups[(last = i)]!.push(f);
    }
    if (movedIn) {
      const changedFiles = new Set([...movedIn, ...remade.flatMap((b) => [...b.reads, ...parts.builds[b.place]!.reads.map((i) => stored.reads[i]!)].map((r) => r.path))]);
      const affectedAt = new Set(affected.map((c) => unitAt.get(c.unit.name)));
      const kept = groups.filter((_, i) => !affectedAt.has(i)).flat();
      if (locatedFiles(kept).some((file) => changedFiles.has(file))) return no('a finding not checked again points into a file that changed');
    }
    const units = [...stored.units];
    for (const cluster of affected) {
      const at = unitAt.get(cluster.unit.name);
      if (at === undefined) return no(`the last report has no unit ${cluster.unit.name}`);
      const builds: ClusterBuildObjects[] = [];
      for (const place of cluster.builds) {
        const { rel, spec } = parts.builds[place]!;
        const remade = remadeAt.get(place);
        const at = buildKey(parts.root, rel, spec);
        if (remade) {
          const key = this.objectsKey(at, remade.reads, '');
          builds.push({ resources: remade.build.resources.map((r) => r.clone()), ...(key !== undefined ? { key } : {}) });
          continue;
        }
        // served as the build store's get serves, what its reads show looked at once for the check and the key
        const kept = store.peek(parts.root, rel, spec);
        const observed = kept && this.observer.observe(kept.reads);
        const objects = observed !== undefined && observed === kept!.observed ? store.kept(parts.root, rel, spec) : undefined;
        if (!objects) return no(`the build store does not serve ${rel || '.'}`);
        const key = this.objectsKey(at, kept!.reads, '', observed);
        builds.push({ resources: objects.resources, ...(key !== undefined ? { key } : {}) });
      }
      const resources = builds.flatMap((b) => b.resources);
      const checked = check({ kind: 'cluster', loaded: { unit: { ...cluster.unit, resources }, problems: cluster.problems }, builds });
      units[at] = checked.unit;
      groups[at] = checked.findings;
      this.clustersCheckedAgain.push(cluster.unit.name);
    }
    printDebug(`early cutoff: ${changed.length} build${changed.length === 1 ? '' : 's'} changed, the graph's shape did not; ${affected.length} cluster${affected.length === 1 ? '' : 's'} checked again`);
    return { units, findings: groups.flat(), warnings: stored.warnings };
  }

  /** Whether a YAML file may declare an entry point, as `test` says of its bytes, or as kept for the bytes it has. */
  private entryVerdict(file: string, test: (bytes: Buffer) => boolean): boolean {
    const known = this.verdicts.get(file);
    if (known !== undefined) return known;
    const may = this.keptEntryVerdict(file, test);
    this.verdicts.set(file, may);
    return may;
  }

  /** Verdicts given this run (cutoffRun, then the graph, may ask for the same), by file. */
  private readonly verdicts = new Map<string, boolean>();

  private keptEntryVerdict(file: string, test: (bytes: Buffer) => boolean): boolean {
    const reads: Read[] = [{ path: file, kinds: ['read'] }];
    const observed = this.observer.observe(reads);
    const kept = this.entryVerdicts.get(file, observed);
    if (kept) return kept.may;
    const may = test(this.contents.read(file));
    if (!this.changedDuringRun(reads)) this.entryVerdicts.set(file, { key: observed, may });
    return may;
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
    const graph: GraphRun = { root, buildReads: new ReadSet(), quiet: new Set(), builds: new Map(), clusters: [] };
    this.graphRuns.push(graph);
    return {
      buildReads: graph.buildReads,
      entryVerdicts: (file, test) => {
        const may = this.entryVerdict(file, test);
        if (!may) graph.quiet.add(file);
        return may;
      },
      reuse: (rel, spec) => {
        const served = store.get(root, rel, spec, (reads) => this.observer.observe(reads));
        if (served) {
          if (!this.madeHere.has(buildKey(root, rel, spec))) this.graphBuildCounts.served++;
          builds.set(served.reads, { rel, spec });
          graph.builds?.set(buildKey(root, rel, spec), { rel, spec, digest: store.digest(root, rel, spec)!, reads: served.reads.entries() });
        }
        return served;
      },
      serves: (rel, spec) => {
        const kept = store.peek(root, rel, spec);
        return kept !== undefined && this.observer.observe(kept.reads) === kept.observed;
      },
      onBuild: (rel, spec, resources, reads, { warnings, failed }) => {
        this.graphBuildCounts.built++;
        if (failed || !reads.complete) {
          graph.builds = undefined;
          return;
        }
        const entries = reads.entries();
        const digest = store.keep(root, rel, spec, { resources, reads: entries, warnings });
        builds.set(reads, { rel, spec });
        graph.builds?.set(buildKey(root, rel, spec), { rel, spec, digest, reads: entries });
      },
      decodeSubstituted: (text) => {
        const name = sha256(text);
        const kept = this.substituted.get(name, this.findingsKey());
        if (kept) return JSON.parse(kept.json) as JsonValue;
        const value = decodeGoYamlV2(text);
        this.substituted.set(name, jsonExact(value) ? { key: this.findingsKey(), json: JSON.stringify(value) } : undefined);
        return value;
      },
      keyOf: (reads, resources, substituted) => {
        const build = builds.get(reads);
        // substitution made the objects from more than the build (variables from the cluster): they are named by what they are too
        return build && this.objectsKey(buildKey(root, build.rel, build.spec), reads.entries(), substituted ? buildDigest({ resources, warnings: [] }) : '');
      },
      onCluster: (loaded, clusterBuilds) => {
        const used = clusterBuilds.map((b) => builds.get(b.reads));
        if (!used.every((b) => b !== undefined)) graph.clusters = undefined;
        const { resources: _, ...unit } = loaded.unit;
        graph.clusters?.push({ unit, problems: loaded.problems, builds: used.map((b) => buildKey(root, b!.rel, b!.spec)), unsubstituted: clusterBuilds.every((b) => !b.substituted) });
      },
    };
  }

  /** The key of a build's objects in a cluster (see ClusterBuildObjects): its buildKey, what its reads show and, substituted, the objects' digest. */
  private objectsKey(build: string, reads: readonly Read[], objects: string, observed = this.observer.observe(reads)): string | undefined {
    if (this.changedDuringRun(reads)) return undefined;
    return sha256(`${build}\0${observed}\0${objects}`);
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

  /** The units of the clusters cutoffRun checked again, the graph's shape kept (see clustersRechecked). */
  readonly clustersCheckedAgain: string[] = [];

  /** The cluster graph's builds this run: served from the build store, and built. */
  readonly graphBuildCounts = { served: 0, built: 0 };

  /** The builds cutoffRun made and kept before it found the report changed, by buildKey: the graph then serves them, made this run. */
  private readonly madeHere = new Set<string>();

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
    // a path changed after this run first looked at it: what the run keeps under what the path
    // showed then may have been made from what it shows now (were it put back, that would be served)
    if (this.observer.changedSinceLooked()) {
      printDebug('a path changed while the run went on: nothing of the run is kept');
      return;
    }
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
    this.entryVerdicts.save();
    this.runParts.save();
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
