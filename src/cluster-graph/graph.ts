/**
 * The cluster graph: from a repository, the clusters Flux applies it to and what each receives.
 *
 * Flux applies a repository from entry points (entry-points.ts). Each entry path is built as
 * kustomize-controller builds it (flux-build.ts); every Flux Kustomization among the objects a
 * cluster receives is reconciled by that cluster's kustomize-controller: its source resolves among
 * the same cluster's objects (this repository's working tree, or another source that is listed and
 * not followed), its path is built with its own spec and post-build substitution
 * (substitution.ts), and the objects go to the same cluster or, with `spec.kubeConfig`, to another
 * one. Every object keeps the file and line it was read from (the engine's `state.source`) and the
 * build it came with, which names the chain of Flux Kustomizations from the entry point.
 *
 * A Kustomization's source or substituteFrom objects may come from a build met later, so
 * Kustomizations wait until what they name is there; when none can go on, the first waiting one
 * is built with what there is.
 */
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { emitDocument } from '../yaml/emit.js';
import { getPath, isObject, type JsonObject } from '../json/value.js';
import type { KustomizationCheck } from '../engine/kustomization.js';
import { FileCache } from '../engine/loader.js';
import { ReadSet } from '../engine/read-set.js';
import type { Resource, SourceLocation } from '../engine/resource.js';
import { clusterFolders, declaredEntryPoints, givenEntryPoints, normalize, type EntryPoint, type EntryVerdicts, type GivenEntryPoint } from './entry-points.js';
import { fluxBuild, fluxBuildKey } from './flux-build.js';
import { CAPI_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP } from '../kubernetes/api-groups.js';
import { ARTIFACT_GENERATOR, SOURCE_KINDS } from './flux-kinds.js';
import { cachedFiles, recordingFiles, type RepoFiles } from './repo-files.js';
import { postBuildOf, postBuildVariables, substituteResources, type SubstitutedDecoder, type SubstitutionProblem, type UnsetVariables } from './substitution.js';

export interface ClusterGraphOptions {
  /** Entry points to start from; when given, the repository's own are not searched. */
  entryPoints?: readonly GivenEntryPoint[];
  /**
   * The entry points a search of the repository finds, when the caller knows them (those of the
   * same repository at another state, where no change can alter them): not searched again.
   */
  foundEntryPoints?: readonly EntryPoint[];
  /**
   * Sources that are folders of this working tree, by `NAME` or `NAMESPACE/NAME`, each a folder
   * relative to the repository (`--source NAME=PATH`).
   */
  sources?: Readonly<Record<string, string>>;
  /** URLs of this repository (e.g. fleet.yaml's): a source with one of them is the working tree. */
  repositoryUrls?: readonly string[];
  /**
   * Paths the search for entry points leaves out, with all below them (`--exclude`); what Flux
   * reaches from an entry point is built all the same.
   */
  exclude?: (absolute: string) => boolean;
  /** kustomize-controller's StrictPostBuildSubstitutions feature gate; on by default since v1.9. */
  strictSubstitution?: boolean;
  /** How the graph lists and reads the repository (default: the disk through fileCache); builds read through the engine's loader. */
  files?: RepoFiles;
  /** Shares file reads and parses with other renders of the process. */
  fileCache?: FileCache;
  /**
   * A path's objects as Flux builds them, before substitution, from elsewhere (the same path of
   * this repository at another state, when nothing its build read differs): used instead of
   * building again. The objects must be the caller's own copies; they are substituted in place.
   * Its warnings, if any, are passed on to onWarning as the build's own would be.
   */
  reuse?: (rel: string, spec: JsonObject) => ReusedBuild | undefined;
  /**
   * Sees each path as it is built, before substitution (which changes the objects in place: copy
   * what you keep), with the warnings the build gave and whether it failed (then it has no objects
   * and the graph reports the failure; a failed build is no build to reuse).
   */
  onBuild?: (rel: string, spec: JsonObject, resources: readonly Resource[], reads: ReadSet, outcome: BuildOutcome) => void;
  /**
   * Says of a Flux Kustomization about to be reconciled (its folder relative to the repository,
   * its spec, the build that declares it and its reference) that the caller needs nothing of it:
   * it is reconciled without building its path, so neither its objects nor anything they lead to
   * are in the graph (a diff leaves out what it has proved the same at both states).
   */
  skip?: (rel: string, spec: JsonObject, declaredBy: Build, ks: FluxKustomizationRef) => boolean;
  /**
   * Builds ahead, e.g. in worker threads, the paths of the disk a pass of the graph is about to
   * build (the Kustomizations ready at once), each as fluxBuild would here; what it gives for one
   * (undefined: built here) stands in for that build when the graph comes to it, its warnings
   * given then. Not asked when `files` is given.
   */
  prebuild?: (builds: readonly PlannedBuild[]) => readonly (Prebuilt | undefined)[];
  /** Reads objects back after post-build substitution (see SubstitutedDecoder). */
  decodeSubstituted?: SubstitutedDecoder;
  kustomizationCheck?: KustomizationCheck;
  onWarning?: (message: string, file?: string) => void;
  /** Receives every path the graph looks at: its own reads and every build's (see ReadSet), but for those `buildReads` receives. */
  reads?: ReadSet;
  /**
   * Receives every path the builds look at, instead of `reads` (which then has the graph's own):
   * for a caller that tells whether a build changed by what it gives, not by what it read.
   */
  buildReads?: ReadSet;
  /**
   * Says which YAML files may declare an entry point (see EntryVerdicts); a file it says declares
   * nothing is not read by the search, and not recorded in `reads`: its owner accounts for it.
   */
  entryVerdicts?: EntryVerdicts;
}

/** A path's build from elsewhere (see ClusterGraphOptions.reuse). */
export interface ReusedBuild {
  resources: Resource[];
  reads: ReadSet;
  warnings?: readonly BuildWarning[];
  /**
   * Set when the objects are already as post-build substitution with this spec leaves them (a
   * caller that knows substitution would give the same here: the same objects and variables),
   * with the problems it gave: the graph does not substitute them again.
   */
  substituted?: readonly BuildProblem[];
}

/** What else a build gave besides its objects (see ClusterGraphOptions.onBuild). */
export interface BuildOutcome {
  warnings: readonly BuildWarning[];
  failed: boolean;
}

export interface BuildWarning {
  message: string;
  file?: string;
}

/** A path the graph is about to build, with what fluxBuild builds it from. */
export interface PlannedBuild {
  dir: string;
  spec: JsonObject;
  declaredAt?: SourceLocation;
}

/** What fluxBuild gave for a PlannedBuild: its objects, or the error it threw, with every path it read and each warning. */
export interface Prebuilt {
  resources: Resource[];
  reads: ReadSet;
  failure?: BuildError;
  warnings: { message: string; file?: string }[];
}

export interface ClusterGraph {
  /** Absolute path of the repository. */
  root: string;
  entryPoints: EntryPoint[];
  clusters: Cluster[];
  /** Sources that are not this repository: listed, never followed, never an error. */
  unfollowed: UnfollowedSource[];
}

export interface Cluster {
  name: string;
  /** An entry point of the repository, or the Kustomization whose `spec.kubeConfig` applies into it. */
  reachedBy: { entryPoint: EntryPoint } | { kubeConfig: { secret: string; kustomization: FluxKustomizationRef; capiCluster?: string } };
  /** Every path applied to it, in the order the graph met them. */
  builds: Build[];
}

/** A Flux Kustomization object, in the cluster whose kustomize-controller reconciles it. */
export interface FluxKustomizationRef {
  cluster: string;
  namespace: string;
  name: string;
  /** Where it is declared; none for the bootstrap one that `flux bootstrap` or a FluxInstance creates. */
  declaredAt?: SourceLocation;
}

/** One path built and applied to a cluster. */
export interface Build {
  kustomization: FluxKustomizationRef;
  /** Provenance: the Flux Kustomizations from the entry point down to this one, outermost first. */
  chain: FluxKustomizationRef[];
  /** Folder relative to the repository (`/` separators, `` for the root). */
  path: string;
  /** Absolute folder. */
  dir: string;
  /**
   * Every path its build looked at (the engine's read set, with the folders Flux's generated
   * kustomization listed): the build gives the same objects while all of them show the same.
   */
  reads: ReadSet;
  /** Objects applied, each with `state.source` (file and line) where it was read from. */
  resources: Resource[];
  /** Why Flux would refuse this build; none when it applies. */
  problems: BuildProblem[];
  /**
   * Whether post-build substitution made its objects from its path's build: one build of a path
   * serves every Kustomization that shapes it alike, whether or how each substitutes.
   */
  substituted: boolean;
}

export interface BuildProblem {
  /**
   * `build`: the path does not build; `path`: no such folder; `substitution`: post-build
   * substitution fails; `substitution-source`: a substituteFrom object that is not optional is not
   * among what the repository gives the cluster (Flux fails unless something outside the repository
   * creates it; the build's other variables are still substituted, none is reported unset).
   */
  kind: 'build' | 'path' | 'substitution' | 'substitution-source';
  message: string;
  /** Set for a variable unset in strict mode. */
  variable?: string;
  file?: string;
  line?: number;
}

export interface UnfollowedSource {
  kustomization: FluxKustomizationRef;
  sourceRef: { kind: string; name: string; namespace: string };
  reason: string;
}

/** The objects a cluster receives, each with the build that applies it. */
export function clusterObjects(cluster: Cluster): { resource: Resource; build: Build }[] {
  return cluster.builds.flatMap((build) => build.resources.map((resource) => ({ resource, build })));
}

/** What a cluster's builds looked at, together: a change to none of these paths changes none of its objects before substitution. */
export function clusterReads(cluster: Cluster): ReadSet {
  const reads = new ReadSet();
  for (const b of cluster.builds) reads.addAll(b.reads);
  return reads;
}

/** The graph of the repository at `root`. Build failures are results; only bad options throw. */
export function buildClusterGraph(root: string, options: ClusterGraphOptions = {}): ClusterGraph {
  return new GraphBuilder(path.resolve(root), options).run();
}

/** A cluster while the graph grows: its builds and an index of its objects for lookups. */
class ClusterState {
  readonly builds: Build[] = [];
  private readonly index = new Map<string, Resource>();
  private readonly kinds = new Map<string, Resource[]>();
  /** Settled once the graph is complete (a CAPI Cluster may be met after the kubeConfig that names it). */
  name = '';

  constructor(
    /** An entry point's cluster, or one reached through the kubeConfig secret of a Kustomization of `home`. */
    readonly origin: { entryPoint: EntryPoint } | { home: ClusterState; namespace: string; secret: string; kustomization: FluxKustomizationRef },
  ) {}

  add(build: Build): void {
    this.builds.push(build);
    for (const r of build.resources) {
      const k = objectKey(r.gvk.group, r.kind, r.namespace || 'default', r.name);
      if (!this.index.has(k)) this.index.set(k, r);
      const byKind = `${r.gvk.group}|${r.kind}`;
      const same = this.kinds.get(byKind);
      if (same) same.push(r);
      else this.kinds.set(byKind, [r]);
    }
  }

  ofKind(group: string, kind: string): readonly Resource[] {
    return this.kinds.get(`${group}|${kind}`) ?? [];
  }

  find(group: string, kind: string, namespace: string, name: string): Resource | undefined {
    return this.index.get(objectKey(group, kind, namespace, name));
  }
}

function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}|${kind}|${namespace}|${name}`;
}

/** A path's build before substitution (see GraphBuilder.builtOnce). */
interface BuiltOnce {
  resources: readonly Resource[];
  reads: ReadSet;
  failure?: BuildError;
  /** Each object as YAML, as substitution writes it before expanding variables, once asked. */
  emitted: (string | undefined)[];
}

/** A Flux Kustomization waiting to be reconciled by its cluster. */
interface Pending {
  object: Resource;
  home: ClusterState;
  parent: Build;
}

/** ExternalArtifacts composed of ExternalArtifacts, deeper than any real repository nests them. */
const MAX_ARTIFACT_DEPTH = 8;

/** A source that is this working tree gives the folder of each of its paths (none for a path it does not hold). */
type SourceResolution = { kind: 'this'; dirOf: (rel: string) => string | undefined } | { kind: 'other'; reason: string } | { kind: 'unknown' };

class GraphBuilder {
  private readonly files: RepoFiles;
  /** The files as builds see them: each build records what it reads in its own read set. */
  private readonly buildFiles: RepoFiles;
  private readonly fileCache: FileCache;
  /** The file cache the builds read through: what tells build keys apart, asked once per path. */
  private readonly cached: RepoFiles;
  private readonly clusters: ClusterState[] = [];
  /** The clusters reached through a kubeConfig, by the cluster that reaches them and the secret's namespace and name (a fleet has thousands). */
  private readonly byKubeConfig = new Map<ClusterState, Map<string, ClusterState>>();
  private readonly unfollowed: UnfollowedSource[] = [];
  /** Flux Kustomizations reconciled, by `namespace/name`, per cluster. */
  private readonly reconciled = new Map<ClusterState, Set<string>>();
  /** The cluster of each Kustomization met; FluxKustomizationRef.cluster is filled in once names settle. */
  private readonly homes = new Map<FluxKustomizationRef, ClusterState>();
  private readonly pending: Pending[] = [];
  private readonly urls: Set<string>;
  /**
   * Each build of the run, before substitution, by fluxBuildKey: a path built again with the same
   * spec (the same workload in many clusters, its post-build variables apart) is copied from it.
   */
  private readonly builtOnce = new Map<string, BuiltOnce>();
  /** What `prebuild` gave, by fluxBuildKey, until the graph comes to build it. */
  private readonly prebuilt = new Map<string, Prebuilt>();
  /** Folders of the Kustomizations `skip` left out: they count as reached. */
  private readonly skipped: string[] = [];

  constructor(
    private readonly root: string,
    private readonly options: ClusterGraphOptions,
  ) {
    this.fileCache = options.fileCache ?? new FileCache();
    this.cached = cachedFiles(this.fileCache);
    // the disk through the builds' file cache: what the search for entry points listed and read, a build does not again
    this.buildFiles = options.files ?? this.cached;
    this.files = options.reads ? recordingFiles(this.buildFiles, options.reads) : this.buildFiles;
    this.urls = new Set((options.repositoryUrls ?? []).map(normalizeUrl));
  }

  run(): ClusterGraph {
    const given = this.options.entryPoints;
    const found = this.options.foundEntryPoints;
    const entryPoints = given?.length ? givenEntryPoints(this.root, given, this.files) : found ? structuredClone([...found]) : declaredEntryPoints(this.root, this.files, this.options.exclude, this.options.entryVerdicts);
    for (const entry of entryPoints) this.startAt(entry);
    this.drain();
    if (!given?.length) {
      // clusters/<name>/ folders are entry points of their own unless a build already reaches them
      for (const entry of clusterFolders(this.root, this.files, this.options.exclude)) {
        if (this.reached(entry.path)) continue;
        entryPoints.push(entry);
        this.startAt(entry);
        this.drain();
      }
    }
    settleNames(this.clusters);
    for (const [ref, home] of this.homes) ref.cluster = home.name;
    return {
      root: this.root,
      entryPoints,
      clusters: this.clusters.map((c) => ({ name: c.name, reachedBy: reachedBy(c), builds: c.builds })),
      unfollowed: this.unfollowed,
    };
  }

  private reached(rel: string): boolean {
    const covers = (p: string): boolean => p === '' || p === rel || p.startsWith(`${rel}/`) || rel.startsWith(`${p}/`);
    return this.skipped.some(covers) || this.clusters.some((c) => c.builds.some((b) => covers(b.path)));
  }

  /** The bootstrap Kustomization of an entry point, in a cluster of its own. */
  private startAt(entry: EntryPoint): void {
    if (entry.repositoryUrl) this.urls.add(normalizeUrl(entry.repositoryUrl));
    const cluster = new ClusterState({ entryPoint: entry });
    this.clusters.push(cluster);
    const ks = this.reconciling(cluster, entry.bootstrap.namespace, entry.bootstrap.name, entry.declaredAt)!;
    this.apply(ks, [], entry.spec ?? {}, path.join(this.root, entry.path), cluster, cluster);
  }

  /** The reference of a Kustomization about to be reconciled, or undefined if it already was. */
  private reconciling(home: ClusterState, namespace: string, name: string, declaredAt: SourceLocation | undefined): FluxKustomizationRef | undefined {
    const done = this.reconciled.get(home) ?? new Set<string>();
    this.reconciled.set(home, done);
    if (done.has(`${namespace}/${name}`)) return undefined;
    done.add(`${namespace}/${name}`);
    const ref: FluxKustomizationRef = { cluster: '', namespace, name, ...(declaredAt ? { declaredAt: { ...declaredAt } } : {}) };
    this.homes.set(ref, home);
    return ref;
  }

  /** Reconciles waiting Kustomizations: in passes over those whose inputs are all there, else the first one. */
  private drain(): void {
    while (this.pending.length) {
      this.prebuildReady();
      let progressed = false;
      for (let i = 0; i < this.pending.length; ) {
        if (!this.isReady(this.pending[i]!)) i++;
        else {
          this.reconcile(this.pending.splice(i, 1)[0]!);
          progressed = true;
        }
      }
      if (!progressed) this.reconcile(this.pending.shift()!);
    }
  }

  /** Hands `prebuild` what the coming pass builds: each ready Kustomization's path of this repository, once per build key. */
  private prebuildReady(): void {
    if (!this.options.prebuild || this.options.files) return;
    const planned = new Map<string, PlannedBuild>();
    for (const p of this.pending) {
      if (!this.isReady(p)) continue;
      const { namespace, name, spec } = kustomizationParts(p.object);
      if (this.reconciled.get(p.home)?.has(`${namespace}/${name}`)) continue;
      const source = this.resolveSource(p.home, sourceRefOf(spec, namespace));
      const dir = source.kind === 'this' ? source.dirOf(normalize(typeof spec.path === 'string' ? spec.path : '')) : undefined;
      if (dir === undefined || !this.files.isDirectory(dir)) continue;
      const declaredAt = p.object.state.source;
      const key = fluxBuildKey(this.cached, dir, spec, declaredAt);
      if (!this.builtOnce.has(key) && !this.prebuilt.has(key)) planned.set(key, { dir, spec, ...(declaredAt ? { declaredAt } : {}) });
    }
    if (planned.size === 0) return;
    const built = this.options.prebuild([...planned.values()]);
    [...planned.keys()].forEach((key, i) => {
      const b = built[i];
      if (b) this.prebuilt.set(key, b);
    });
  }

  private isReady(p: Pending): boolean {
    const { namespace, spec } = kustomizationParts(p.object);
    if (this.resolveSource(p.home, sourceRefOf(spec, namespace)).kind === 'unknown') return false;
    const pb = postBuildOf(spec);
    return !pb || pb.substituteFrom.every((ref) => p.home.find('', ref.kind, namespace, ref.name));
  }

  private reconcile(p: Pending): void {
    const { namespace, name, spec } = kustomizationParts(p.object);
    const ks = this.reconciling(p.home, namespace, name, p.object.state.source);
    if (!ks) return; // met twice in its cluster: reconciled once
    const chain = [...p.parent.chain, p.parent.kustomization];
    const ref = sourceRefOf(spec, namespace);
    const source = this.resolveSource(p.home, ref);
    const rel = normalize(typeof spec.path === 'string' ? spec.path : '');
    const dir = source.kind === 'this' ? source.dirOf(rel) : undefined;
    if (dir === undefined) {
      const reason =
        source.kind === 'other' ? source.reason : source.kind === 'this' ? `${ref.kind} ${ref.namespace}/${ref.name} holds no folder of this repository at ${rel || '.'}` : `${ref.kind} ${ref.namespace}/${ref.name} is not among the objects of the cluster`;
      this.unfollowed.push({ kustomization: ks, sourceRef: ref, reason });
      return;
    }
    const at = path.relative(this.root, dir).split(path.sep).join('/');
    if (this.options.skip?.(at, spec, p.parent, ks)) {
      this.skipped.push(at);
      return;
    }
    this.apply(ks, chain, spec, dir, p.home, this.targetOf(p.home, namespace, spec, ks));
  }

  /** Builds `dir` for a Kustomization of `home`, substitutes, and hands the objects to `target`. */
  private apply(ks: FluxKustomizationRef, chain: FluxKustomizationRef[], spec: JsonObject, dir: string, home: ClusterState, target: ClusterState): void {
    const rel = path.relative(this.root, dir).split(path.sep).join('/');
    const build: Build = { kustomization: ks, chain, path: rel, dir, reads: new ReadSet(), resources: [], problems: [], substituted: postBuildOf(spec) !== undefined };
    build.reads.add(dir, 'stat');
    if (!this.files.isDirectory(dir)) {
      build.problems.push({ kind: 'path', message: `kustomization path not found: stat ${dir}: no such file or directory`, ...ks.declaredAt });
    } else {
      const key = fluxBuildKey(this.cached, dir, spec, ks.declaredAt);
      const earlier = this.builtOnce.get(key);
      let once = earlier;
      let failure: BuildError | undefined;
      let reused: ReusedBuild | undefined;
      if (earlier) {
        build.resources = earlier.resources.map((r) => r.clone());
        // the same paths, and the same object a `reuse` gave (its caller may know it by identity)
        build.reads = earlier.reads;
        failure = earlier.failure;
      } else {
        reused = this.options.reuse?.(rel, spec);
        if (reused) {
          build.resources = reused.resources;
          build.reads = reused.reads;
          for (const w of reused.warnings ?? []) this.options.onWarning?.(w.message, w.file);
        } else {
          const warnings: BuildWarning[] = [];
          const warn = (w: BuildWarning): void => {
            warnings.push(w);
            this.options.onWarning?.(w.message, w.file);
          };
          const prebuilt = this.prebuilt.get(key);
          if (prebuilt) {
            this.prebuilt.delete(key);
            build.resources = prebuilt.resources;
            build.reads.addAll(prebuilt.reads);
            failure = prebuilt.failure;
            prebuilt.warnings.forEach(warn);
          } else {
            try {
              build.resources = fluxBuild(recordingFiles(this.buildFiles, build.reads), dir, spec, ks.declaredAt, {
                fileCache: this.fileCache,
                reads: build.reads,
                ...(this.options.kustomizationCheck ? { kustomizationCheck: this.options.kustomizationCheck } : {}),
                onWarning: (message, file) => warn({ message, ...(file !== undefined ? { file } : {}) }),
              });
            } catch (e) {
              if (!(e instanceof BuildError)) throw e;
              failure = e;
            }
          }
          this.options.onBuild?.(rel, spec, build.resources, build.reads, { warnings, failed: failure !== undefined });
        }
        // objects a `reuse` gave already substituted for this spec are no build to copy for another
        if (!reused?.substituted) {
          // substitution changes its objects in place; nothing else does while the graph grows
          const resources = build.substituted ? build.resources.map((r) => r.clone()) : build.resources;
          once = { resources, reads: build.reads, emitted: [], ...(failure ? { failure } : {}) };
          this.builtOnce.set(key, once);
        }
      }
      if (failure) {
        // an error of the Kustomization's own spec has no file: it points where the Kustomization is declared
        const file = failure.file ?? ks.declaredAt?.file;
        const line = failure.file ? failure.line : ks.declaredAt?.line;
        build.problems.push({ kind: 'build', message: failure.message, ...(file ? { file } : {}), ...(line ? { line } : {}) });
      }
      // what the graph looked at includes what each build read
      (this.options.buildReads ?? this.options.reads)?.addAll(build.reads);
      if (reused?.substituted) build.problems.push(...reused.substituted.map((p) => ({ ...p })));
      else {
        for (const { missingSource, ...p } of this.substitute(build, spec, home, target, once)) {
          build.problems.push({ kind: missingSource ? 'substitution-source' : 'substitution', ...withLocation(p, ks.declaredAt) });
        }
      }
    }
    target.add(build);
    for (const object of build.resources) {
      if (object.kind === 'Kustomization' && object.gvk.group === FLUX_KUSTOMIZE_GROUP) this.pending.push({ object, home: target, parent: build });
    }
  }

  /** Post-build substitution of the build's objects, which are copies of `once`'s when there is one. */
  private substitute(build: Build, spec: JsonObject, home: ClusterState, target: ClusterState, once: BuiltOnce | undefined): (SubstitutionProblem & { missingSource?: boolean })[] {
    const pb = postBuildOf(spec);
    if (!pb) return [];
    const { namespace } = build.kustomization;
    // what the build itself applies counts when it goes to the cluster that looks it up (a later reconcile sees it)
    const own = home === target ? build.resources : [];
    const find = (kind: string, name: string): Resource | undefined =>
      home.find('', kind, namespace, name) ?? own.find((r) => r.kind === kind && r.gvk.group === '' && r.name === name && (r.namespace || 'default') === namespace);
    const { missing, ...variables } = postBuildVariables(pb, find);
    // a variable may come from what is missing: only those known are substituted, none is called unset
    const unset: UnsetVariables = missing.length ? 'keep' : (this.options.strictSubstitution ?? true) ? 'report' : 'empty';
    // the same objects are written out for each copy: once is enough
    const emitted = once && ((i: number): string => (once.emitted[i] ??= emitDocument(once.resources[i]!.obj)));
    return [
      ...missing.map((message) => ({ message, missingSource: true })),
      ...substituteResources(build.resources, variables, { unset, always: pb.always, files: this.files, ...(emitted ? { emitted } : {}), ...(this.options.decodeSubstituted ? { decode: this.options.decodeSubstituted } : {}) }),
    ];
  }

  private resolveSource(home: ClusterState, ref: UnfollowedSource['sourceRef'], depth = 0): SourceResolution {
    const mapped = this.options.sources?.[`${ref.namespace}/${ref.name}`] ?? this.options.sources?.[ref.name];
    if (mapped !== undefined) return this.folder(path.resolve(this.root, mapped));
    // the bootstrap source syncs the entry path from this repository, whether or not the repository holds it
    const entry = 'entryPoint' in home.origin ? home.origin.entryPoint : undefined;
    const sync = entry?.bootstrap;
    if (sync && ref.namespace === sync.namespace && ref.name === sync.name && ref.kind !== 'ExternalArtifact') return this.folder(path.join(this.root, entry!.sourceRoot ?? ''));
    if (ref.kind === 'ExternalArtifact') {
      return depth > MAX_ARTIFACT_DEPTH ? { kind: 'other', reason: `ExternalArtifacts compose each other in a circle at ${ref.namespace}/${ref.name}` } : this.resolveArtifact(home, ref, depth);
    }
    if (!SOURCE_KINDS.has(ref.kind)) return { kind: 'other', reason: `sourceRef kind '${ref.kind}' is not a Flux source` };
    const object = home.find(FLUX_SOURCE_GROUP, ref.kind, ref.namespace, ref.name);
    if (!object) return { kind: 'unknown' };
    const url = getPath(object.obj, ['spec', 'url']);
    if (typeof url === 'string' && this.urls.has(normalizeUrl(url))) return this.folder(this.root);
    return { kind: 'other', reason: `${ref.kind} ${ref.namespace}/${ref.name}${typeof url === 'string' ? ` (${url})` : ''} is not this repository` };
  }

  private folder(base: string): SourceResolution {
    return { kind: 'this', dirOf: (rel) => path.join(base, rel) };
  }

  /**
   * An ExternalArtifact that an ArtifactGenerator of the cluster composes from sources: it holds
   * this repository's folders when its sources do, at the places its `copy` rules put them
   * (`@alias/dir/**` or `@alias/dir/` to `@artifact/to/`).
   */
  private resolveArtifact(home: ClusterState, ref: UnfollowedSource['sourceRef'], depth: number): SourceResolution {
    for (const generator of home.ofKind(ARTIFACT_GENERATOR.group, ARTIFACT_GENERATOR.kind)) {
      if ((generator.namespace || 'default') !== ref.namespace) continue;
      const spec = isObject(generator.obj.spec) ? generator.obj.spec : {};
      const artifact = (Array.isArray(spec.artifacts) ? spec.artifacts : []).filter(isObject).find((a) => a.name === ref.name);
      if (!artifact) continue;
      const sources = new Map<string, SourceResolution>();
      for (const s of (Array.isArray(spec.sources) ? spec.sources : []).filter(isObject)) {
        const sourceRef = { kind: String(s.kind ?? ''), name: String(s.name ?? ''), namespace: typeof s.namespace === 'string' && s.namespace ? s.namespace : ref.namespace };
        sources.set(String(s.alias ?? ''), this.resolveSource(home, sourceRef, depth + 1));
      }
      const copies = (Array.isArray(artifact.copy) ? artifact.copy : []).filter(isObject).flatMap((c) => {
        // `@alias/dir/**` and `@alias/dir/` both copy what the folder holds
        const from = /^@([^/]+)\/(?:(.*?)\/)?(?:\*\*)?$/.exec(String(c.from ?? ''));
        const to = /^@artifact\/(.*?)\/?$/.exec(String(c.to ?? ''));
        return from && to ? [{ alias: from[1]!, from: from[2] ?? '', to: to[1]! }] : [];
      });
      const used = [...new Set(copies.map((c) => c.alias))].map((alias) => sources.get(alias) ?? { kind: 'other' as const, reason: `ArtifactGenerator has no source '${alias}'` });
      const blocked = used.find((r) => r.kind !== 'this');
      if (blocked) return blocked;
      return {
        kind: 'this',
        dirOf: (rel) => {
          const copy = copies.filter((c) => c.to === '' || rel === c.to || rel.startsWith(`${c.to}/`)).sort((a, b) => b.to.length - a.to.length)[0];
          const source = copy && sources.get(copy.alias);
          return source?.kind === 'this' ? source.dirOf(path.posix.join(copy!.from, rel.slice(copy!.to.length))) : undefined;
        },
      };
    }
    return { kind: 'unknown' };
  }

  /** The cluster a Kustomization applies into: its own, or the one its kubeConfig reaches. */
  private targetOf(home: ClusterState, namespace: string, spec: JsonObject, ks: FluxKustomizationRef): ClusterState {
    const secret = getPath(spec, ['kubeConfig', 'secretRef', 'name']) ?? getPath(spec, ['kubeConfig', 'configMapRef', 'name']);
    if (typeof secret !== 'string' || secret === '') return home;
    const reached = this.byKubeConfig.get(home) ?? new Map<string, ClusterState>();
    this.byKubeConfig.set(home, reached);
    const key = `${namespace}/${secret}`;
    const existing = reached.get(key);
    if (existing) return existing;
    const cluster = new ClusterState({ home, namespace, secret, kustomization: ks });
    this.clusters.push(cluster);
    reached.set(key, cluster);
    return cluster;
  }
}

function kustomizationParts(object: Resource): { namespace: string; name: string; spec: JsonObject } {
  return { namespace: object.namespace || 'default', name: object.name, spec: isObject(object.obj.spec) ? object.obj.spec : {} };
}

function sourceRefOf(spec: JsonObject, namespace: string): UnfollowedSource['sourceRef'] {
  const ref = isObject(spec.sourceRef) ? spec.sourceRef : {};
  return { kind: String(ref.kind ?? ''), name: String(ref.name ?? ''), namespace: typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : namespace };
}


function withLocation(p: SubstitutionProblem, fallback: SourceLocation | undefined): Omit<BuildProblem, 'kind'> {
  return p.file ? p : { ...p, ...(fallback ?? {}) };
}

/** `https://github.com/org/repo.git`, `ssh://git@github.com/org/repo` and `git@github.com:org/repo` are one repository. */
function normalizeUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

/** The CAPI Cluster whose `<name>-kubeconfig` secret reaches a cluster, among the objects of the cluster that reaches it. */
function capiClusterOf(c: ClusterState): string | undefined {
  if (!('home' in c.origin)) return undefined;
  const { home, namespace, secret } = c.origin;
  return secret.endsWith('-kubeconfig') ? home.find(CAPI_GROUP, 'Cluster', namespace, secret.slice(0, -'-kubeconfig'.length))?.name : undefined;
}

/**
 * Names the clusters: an entry point's by its folder; one reached through a kubeConfig after the
 * CAPI Cluster whose `<name>-kubeconfig` secret it is, else after the secret. Names two clusters
 * share are told apart by the secret's namespace, then by the cluster it is reached from.
 */
function settleNames(states: ClusterState[]): void {
  for (const c of states) c.name = 'entryPoint' in c.origin ? c.origin.entryPoint.cluster : (capiClusterOf(c) ?? c.origin.secret);
  const qualify = (by: (origin: { home: ClusterState; namespace: string }) => string): void => {
    const counts = new Map<string, number>();
    for (const c of states) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    for (const c of states) if ((counts.get(c.name) ?? 0) > 1 && 'home' in c.origin) c.name = `${by(c.origin)}/${c.name}`;
  };
  qualify((o) => o.namespace);
  qualify((o) => o.home.name);
}

function reachedBy(c: ClusterState): Cluster['reachedBy'] {
  if ('entryPoint' in c.origin) return { entryPoint: c.origin.entryPoint };
  const capiCluster = capiClusterOf(c);
  return { kubeConfig: { secret: c.origin.secret, kustomization: c.origin.kustomization, ...(capiCluster ? { capiCluster } : {}) } };
}
