/**
 * A repository at two states (a git ref's files and the working tree), cluster by cluster, as Flux
 * applies it: each side's clusters come from the cluster graph; a fleet spec tree without an
 * entry point for Flux has one cluster per overlay of the spec. Only the clusters a change can
 * reach are built again: a cluster whose builds read no changed path (see ReadSet) gives the same
 * objects on both sides, so it is neither rendered a second time nor compared.
 */
import * as path from 'node:path';
import { cachedFiles, diskFiles } from '../cluster-graph/repo-files.js';
import { buildShapingSpec } from '../cluster-graph/flux-build.js';
import { postBuildOf } from '../cluster-graph/substitution.js';
import { buildClusterGraph, type Build, type BuildProblem, type Cluster, type ClusterGraph, type ClusterGraphOptions, type FluxKustomizationRef } from '../cluster-graph/graph.js';
import { ARTIFACT_GENERATOR, SOURCE_KINDS } from '../cluster-graph/flux-kinds.js';
import { mayDeclareEntryPoint, type EntryPoint } from '../cluster-graph/entry-points.js';
import type { KustomizationCheck } from '../engine/kustomization.js';
import { FileCache } from '../engine/loader.js';
import { PathObserver, ReadSet, type Read } from '../engine/read-set.js';
import type { Resource } from '../engine/resource.js';
import { render, type RenderOptions } from '../engine/target.js';
import { BuildError } from '../errors.js';
import { fleetRepositoryUrl, loadFleet } from '../fleet/load.js';
import type { ResolvedFleet } from '../fleet/types.js';
import { clusterDir } from '../generate/tree.js';
import { getPath, type JsonObject, type JsonValue } from '../json/value.js';
import { FLUX_KUSTOMIZE_GROUP } from '../kubernetes/api-groups.js';
import type { ClusterInput } from './report.js';
import { changeReach } from './reach.js';
import { specSettingsDiff } from './settings.js';
import type { SettingChange } from './types.js';

/** What differs between the two states, as paths relative to the repository (`/` separators). */
export interface ChangeSet {
  /** Files whose bytes differ, and files and folders that exist on one side only. */
  paths: ReadonlySet<string>;
  /** Folders that gained or lost a name. */
  listings: ReadonlySet<string>;
}

/**
 * The folders whose listing a set of changes alters: the parent of every path that is on one side
 * only. `existsOn(rel)` says whether a folder exists on both sides; one that does not is itself a
 * path on one side only, and its parent's listing changed too.
 */
export function changeSet(modified: readonly string[], oneSided: readonly string[], existsOnBoth: (folder: string) => boolean): ChangeSet {
  const paths = new Set([...modified, ...oneSided]);
  const listings = new Set<string>();
  for (let p of oneSided) {
    for (;;) {
      const parent = path.posix.dirname(p);
      const folder = parent === '.' ? '' : parent;
      listings.add(folder);
      if (folder === '' || existsOnBoth(folder)) break;
      paths.add(folder);
      p = folder;
    }
  }
  return { paths, listings };
}

/**
 * Whether a build that looked at `reads` (absolute paths) may build differently: it read, stat'ed
 * or resolved a changed path or a path below one, or listed a folder that gained or lost a name.
 * What each path is to the changes is worked out once: builds share most of what they read.
 */
export function readsTouching(root: string, changes: ChangeSet): (reads: readonly Read[]) => boolean {
  const top = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  // by absolute path: relative to the root, and whether it or a folder above it changed; none outside the root
  const known = new Map<string, { rel: string; changed: boolean } | undefined>();
  const look = (abs: string): { rel: string; changed: boolean } | undefined => {
    if (known.has(abs)) return known.get(abs);
    let seen: { rel: string; changed: boolean } | undefined;
    if (abs === root || abs.startsWith(top)) {
      const rel = abs.slice(top.length).split(path.sep).join('/');
      let changed = false;
      for (let p = rel; !changed && p !== '' && p !== '.' && p !== '..'; p = path.posix.dirname(p)) changed = changes.paths.has(p);
      seen = { rel, changed };
    }
    known.set(abs, seen);
    return seen;
  };
  return (reads) => {
    if (changes.paths.size === 0 && changes.listings.size === 0) return false;
    return reads.some(({ path: abs, kinds }) => {
      const seen = look(abs);
      return seen !== undefined && (seen.changed || (kinds.includes('list') && changes.listings.has(seen.rel)));
    });
  };
}

/** One cluster of a side: the objects Flux gives it, and the builds that give them. */
export interface ClusterUnit {
  name: string;
  builds: Build[];
  resources: Resource[];
  /** Its objects are applied with `prune: true`: one that disappears is deleted. */
  pruned: boolean;
  /** Why Flux would not apply all of it: a build that fails, a path that is not there. */
  problem?: BuildProblem;
  /** A build of it substitutes variables from objects (`postBuild.substituteFrom`), which other builds may give. */
  substitutesFrom: boolean;
}

/** An overlay's read set as an earlier run recorded it, with what it observed then (PathObserver.observe). */
export interface KnownReads {
  reads: Read[];
  observed: string;
}

export interface RepositoryDiffOptions {
  /** The repository as it is: its top folder. */
  working: string;
  /** The repository as it was: its top folder, and the cache its files are read through (a TreeFileCache holding a commit's files, or a folder's). */
  base: { root: string; fileCache: FileCache };
  changes: ChangeSet;
  /** The fleet spec, relative to the repository (default fleet.yaml): a change to it reaches every cluster. */
  specFile?: string;
  /** Read sets of a fleet tree's overlays from an earlier run, by overlay folder (relative): a cluster whose reads still observe the same is not built to be found untouched. */
  known?: ReadonlyMap<string, KnownReads>;
  /**
   * Builds of the working tree kept by earlier runs (a build store's hooks, see build-store.ts):
   * a path whose reads show the same is served from them instead of built, and what is built is
   * handed to them to keep.
   */
  workingBuilds?: Pick<ClusterGraphOptions, 'reuse' | 'onBuild'>;
  /** For the working tree's files. */
  fileCache?: FileCache;
  kustomizationCheck?: KustomizationCheck;
  onWarning?: (message: string, file?: string) => void;
}

export interface RepositoryDiff {
  /** The clusters the changes reach, each side's objects (a cluster on one side only has one). */
  clusters: ClusterInput[];
  /** How the clusters were found. */
  via: 'cluster graph' | 'fleet overlays';
  /** The working tree's clusters the diff looked at (in a Flux repository, the graph's: those it left out as the same at both states are not counted). */
  total: number;
  /** The working side's overlays built this run, with their reads, to keep for the next (fleet overlays only). */
  reads: Map<string, KnownReads>;
  /** What the fleet spec sets differently, when it changed. */
  settings: SettingChange[];
  /**
   * What was built, of how much: the working tree's overlays or graph builds (those `served` by
   * workingBuilds are not built), and the base's (built again rather than taken from the working tree);
   * the Flux Kustomizations neither state built, proved the same at both.
   */
  built: { working: number; served: number; base: number; of: number; leftOut: number };
}

export const DEFAULT_SPEC_FILE = 'fleet.yaml';

/** The clusters of the two states that the changes reach, ready for diffClusters. */
export function diffRepository(options: RepositoryDiffOptions): RepositoryDiff {
  const fileCache = options.fileCache ?? new FileCache();
  const specFile = options.specFile ?? DEFAULT_SPEC_FILE;
  const everything = options.changes.paths.has(specFile);
  const common = { ...(options.onWarning ? { onWarning: options.onWarning } : {}), ...(options.kustomizationCheck ? { kustomizationCheck: options.kustomizationCheck } : {}) };
  // asked of each build's reads (shared by the builds served from them), once
  const touchedReads = new Map<ReadSet, boolean>();
  const touches = readsTouching(options.working, options.changes);
  const touched = (reads: ReadSet): boolean => {
    let t = touchedReads.get(reads);
    if (t === undefined) touchedReads.set(reads, (t = everything || touches(reads.entries())));
    return t;
  };

  // the spec is loaded whole only where what it sets is compared, or its clusters are the overlays
  const fleets = (): { working: ResolvedFleet | undefined; base: ResolvedFleet | undefined } => {
    const working = fleetAt(options.working, specFile, fileCache, 'the working tree');
    return { working, base: everything ? fleetAt(options.base.root, specFile, options.base.fileCache, 'the base') : working };
  };
  let builds = 0;
  let served = 0;
  let rebuilt = 0;
  const workingUrls = repositoryUrls(options.working, specFile, fileCache);
  const reach = changeReach(options.working, options.changes, fileCache, options.kustomizationCheck);
  /**
   * Both states' graphs. The working tree first: the builds its changes do not reach are the
   * base's too. With `lazy`, each leaves out the Flux Kustomizations proved the same at both
   * states (skipSame); undefined when what was left out may have differed after all.
   */
  const graphs = (lazy: boolean): { working: ClusterGraph; base?: ClusterGraph; reused: Set<ReadSet>; leftOut: number; receivesLeftOut: (cluster: string) => boolean } | undefined => {
    // The graph builds a path once per run for every spec that shapes it alike (a workload in many
    // clusters, its variables apart), so each is kept by path and shaping spec, with a copy from
    // before substitution; a base build with the very same spec takes the objects as substitution
    // left them, unless its variables come from objects, which may differ in the base
    const pristine = new Map<string, { spec: JsonObject; resources: readonly Resource[]; reads: ReadSet; unsubstituted?: Resource[] }>();
    const keepPristine = (rel: string, spec: JsonObject, resources: readonly Resource[], reads: ReadSet): void => {
      if (touched(reads)) return;
      pristine.set(buildKey(rel, spec), { spec, resources, reads, ...(postBuildOf(spec) ? { unsubstituted: resources.map((r) => r.clone()) } : {}) });
    };
    const workingSkip = lazy ? skipSame((b) => !touched(b.reads), reach.mayRead) : undefined;
    const working = buildClusterGraph(options.working, {
      ...common,
      fileCache,
      // the search for entry points reads every YAML file: through the cache, the builds and changeReach find them read
      files: { ...diskFiles, read: (file) => fileCache.read(file) },
      ...workingUrls,
      ...(workingSkip ? { skip: workingSkip.skip } : {}),
      reuse: (rel, spec) => {
        const kept = options.workingBuilds?.reuse?.(rel, spec);
        if (kept) {
          served++;
          keepPristine(rel, spec, kept.resources, kept.reads);
        }
        return kept;
      },
      onBuild: (rel, spec, resources, reads, outcome) => {
        builds++;
        options.workingBuilds?.onBuild?.(rel, spec, resources, reads, outcome);
        // a failure is the base's own to find: it is no build to take over
        if (!outcome.failed) keepPristine(rel, spec, resources, reads);
      },
    });
    // a reused build keeps the working side's read set: a cluster of the base whose builds all have one was not built again
    const reused = new Set<ReadSet>();
    if (working.clusters.length === 0) return { working, reused, leftOut: 0, receivesLeftOut: () => false };
    const substitutionProblems = new Map(working.clusters.flatMap((c) => c.builds.map((b) => [b.resources as readonly Resource[], b.problems.filter((p) => p.kind === 'substitution')])));
    const baseSkip = lazy ? skipSame((b) => reused.has(b.reads), reach.mayRead) : undefined;
    const entries = everything ? undefined : sameEntryPoints(options, working, fileCache);
    const base = buildClusterGraph(options.base.root, {
      ...common,
      ...(entries ? { foundEntryPoints: entries } : {}),
      fileCache: options.base.fileCache,
      files: cachedFiles(options.base.fileCache),
      ...(everything ? repositoryUrls(options.base.root, specFile, options.base.fileCache) : workingUrls),
      ...(baseSkip ? { skip: baseSkip.skip } : {}),
      onBuild: () => rebuilt++,
      reuse: (rel, spec) => {
        const kept = pristine.get(buildKey(rel, spec));
        if (!kept) return undefined;
        reused.add(kept.reads);
        const sameVariables = (postBuildOf(spec)?.substituteFrom.length ?? 0) === 0 && JSON.stringify(kept.spec) === JSON.stringify(spec);
        if (!sameVariables && kept.unsubstituted) return { resources: kept.unsubstituted.map((r) => r.clone()), reads: kept.reads };
        // the same objects and the same spec's own variables: substitution gives what it gave the working side
        return { resources: kept.resources.map((r) => r.clone()), reads: kept.reads, substituted: substitutionProblems.get(kept.resources) ?? [] };
      },
    });
    if (workingSkip && baseSkip && !leftOutAlike({ graph: working, ...workingSkip }, { graph: base, ...baseSkip })) return undefined;
    const receivers = new Set([...(workingSkip ? leftOutTargets(working, workingSkip, reach.appliesInto) : []), ...(baseSkip ? leftOutTargets(base, baseSkip, reach.appliesInto) : [])]);
    return { working, base, reused, leftOut: workingSkip?.skipped.length ?? 0, receivesLeftOut: (cluster) => receivers.has(cluster) };
  };
  type Graphs = NonNullable<ReturnType<typeof graphs>>;
  /** The clusters the changes reach, each side's objects; undefined when one of them receives a Kustomization left out (its objects would be missing). */
  const compare = ({ working, base, reused, receivesLeftOut }: Graphs & { base: ClusterGraph }): ClusterInput[] | undefined => {
    // a cluster no change reaches whose base was served whole from the working side's builds has the
    // same objects, unless a build takes variables from objects other builds give
    const servedAlike = (was: ClusterUnit, unit: ClusterUnit): boolean => !was.substitutesFrom && !unit.substitutesFrom && was.builds.every((b) => reused.has(b.reads));
    const before = new Map(clusterUnits(base).map((u) => [u.name, u]));
    const reached: { unit?: ClusterUnit; was?: ClusterUnit }[] = [];
    for (const unit of clusterUnits(working)) {
      const was = before.get(unit.name);
      before.delete(unit.name);
      if (was && !unit.builds.some((b) => touched(b.reads)) && (servedAlike(was, unit) || sameObjects(was, unit))) continue;
      reached.push({ unit, ...(was ? { was } : {}) });
    }
    for (const was of before.values()) reached.push({ was });
    if (reached.some(({ unit, was }) => receivesLeftOut((unit ?? was)!.name))) return undefined;
    return reached.map(({ unit, was }): ClusterInput => ({ name: (unit ?? was)!.name, ...(unit ? { to: applicable(unit) } : {}), ...(was ? { from: applicable(was) } : {}), pruned: (unit ?? was)!.pruned }));
  };
  let sides = graphs(!everything) ?? graphs(false)!;
  let clusters = sides.base ? compare({ ...sides, base: sides.base }) : undefined;
  if (sides.base && !clusters) {
    sides = graphs(false)!;
    clusters = compare({ ...sides, base: sides.base! });
  }
  const { working, base, leftOut } = sides;
  const fleet = everything || working.clusters.length === 0 ? fleets() : undefined;
  const settings = everything && fleet?.working && fleet.base ? specSettingsDiff(fleet.base, fleet.working) : [];
  if (!base || !clusters) return { ...fleetOverlays(options, fleet!.working, fleet!.base, everything, fileCache, common), settings };
  return {
    clusters: clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    via: 'cluster graph',
    total: working.clusters.length,
    reads: new Map(),
    settings,
    built: { working: builds, served, base: rebuilt, of: builds + served, leftOut },
  };
}

/**
 * The base's entry points when they are the working tree's (each declaring file's path moved to the
 * base): no folder was added or removed, and no changed file may declare one at either state.
 */
function sameEntryPoints(options: RepositoryDiffOptions, working: ClusterGraph, fileCache: FileCache): EntryPoint[] | undefined {
  const sides = [
    { root: options.working, files: fileCache },
    { root: options.base.root, files: options.base.fileCache },
  ];
  for (const rel of options.changes.paths) {
    const at = sides.map((s) => ({ ...s, file: path.join(s.root, rel), kind: s.files.kind(path.join(s.root, rel)) }));
    if (at.some((s) => s.kind === 'directory')) return undefined;
    if (mayDeclareEntryPoint(rel, at.flatMap((s) => (s.kind === 'file' ? [s.files.read(s.file)] : [])))) return undefined;
  }
  return working.entryPoints
    .filter((e) => e.via !== 'clusters folder')
    .map((e) => (e.declaredAt ? { ...e, declaredAt: { ...e.declaredAt, file: path.join(options.base.root, path.relative(options.working, e.declaredAt.file)) } } : e));
}

/** What skipSame left out of one state's graph, and how it told the builds alike at both. */
interface LeftOut {
  skip: NonNullable<ClusterGraphOptions['skip']>;
  /** The Kustomizations left out: namespace, name and folder. */
  skipped: string[];
  /** The same, each with its folder and spec. */
  left: { ks: FluxKustomizationRef; rel: string; spec: JsonObject }[];
  alike: (b: Build) => boolean;
  /** Builds that declare Kustomizations applying into other clusters (`kubeConfig`), some left out and some not. */
  remoteSplit: () => boolean;
}

/**
 * Leaves out of a state's graph each Flux Kustomization that is the same at both states with all
 * it leads to: declared by a build alike at both (`unchanged`: it read no change; and the
 * Kustomization that applies it is such a one, and takes no variables from other builds' objects;
 * an entry point's is compared by leftOutAlike), and whose folder reads no change (changeReach).
 */
function skipSame(unchanged: (b: Build) => boolean, mayRead: (rel: string, spec: JsonObject) => boolean): LeftOut {
  const declaredAlike = new Map<FluxKustomizationRef, boolean>();
  const alike = (b: Build): boolean => unchanged(b) && (b.chain.length === 0 || declaredAlike.get(b.kustomization) === true);
  const skipped: string[] = [];
  const left: LeftOut['left'] = [];
  // by declaring build: whether a Kustomization into another cluster was left out, and whether one was not
  const remote = new Map<Build, { left: boolean; kept: boolean }>();
  const noteRemote = (spec: JsonObject, declaredBy: Build, left: boolean): void => {
    if (spec.kubeConfig === undefined) return;
    const seen = remote.get(declaredBy) ?? { left: false, kept: false };
    if (left) seen.left = true;
    else seen.kept = true;
    remote.set(declaredBy, seen);
  };
  return {
    skipped,
    left,
    alike,
    remoteSplit: () => [...remote.values()].some((r) => r.left && r.kept),
    skip: (rel, spec, declaredBy, ks) => {
      const same = alike(declaredBy);
      const leave = same && !mayRead(rel, spec);
      noteRemote(spec, declaredBy, leave);
      if (leave) {
        skipped.push(`${ks.namespace}/${ks.name}\0${rel}`);
        left.push({ ks, rel, spec });
        return true;
      }
      declaredAlike.set(ks, same && (postBuildOf(spec)?.substituteFrom.length ?? 0) === 0);
      return false;
    },
  };
}

/**
 * Whether the two graphs left out what a graph of everything would show the same at both states:
 * the same Kustomizations, from the same entry points (their specs, at the repository's root), and
 * nothing built that depends on what was left out: no variables taken from objects, no source that
 * a Kustomization left out may have resolved to in a build that differs, none that a Kustomization
 * built found nowhere (a build left out may give it), and no build that applies into other clusters
 * both with Kustomizations left out and not (which decides whose objects it is).
 */
function leftOutAlike(working: LeftOut & { graph: ClusterGraph }, base: LeftOut & { graph: ClusterGraph }): boolean {
  if (!working.skipped.length && !base.skipped.length) return true;
  const entries = (g: ClusterGraph): string => JSON.stringify(g.entryPoints.map((e) => ({ ...e, declaredAt: e.declaredAt?.line })));
  if (working.graph.entryPoints.some((e) => e.sourceRoot) || entries(working.graph) !== entries(base.graph)) return false;
  if (JSON.stringify([...working.skipped].sort()) !== JSON.stringify([...base.skipped].sort())) return false;
  const isSource = (r: Resource): boolean => SOURCE_KINDS.has(r.kind) || (r.kind === ARTIFACT_GENERATOR.kind && r.gvk.group === ARTIFACT_GENERATOR.group);
  return [working, base].every(({ graph, alike, remoteSplit }) => {
    if (remoteSplit() || clusterUnits(graph).some((u) => u.substitutesFrom)) return false;
    const sourceFound = (u: ClusterGraph['unfollowed'][number]): boolean =>
      graph.clusters.some((c) => c.name === u.kustomization.cluster && c.builds.some((b) => b.resources.some((r) => r.kind === u.sourceRef.kind && r.name === u.sourceRef.name && (r.namespace || 'default') === u.sourceRef.namespace)));
    if (!graph.unfollowed.every(sourceFound)) return false;
    return graph.clusters.every((c) => c.builds.every((b) => alike(b) || !b.resources.some(isSource)));
  });
}

/**
 * The clusters of a graph that a Kustomization left out, or one it leads to, would have applied
 * into: its own, or the one its kubeConfig reaches from there (when another Kustomization reaches
 * it too), and every cluster reached through a kubeConfig name its build and what it leads to may
 * apply through (`appliesInto`; every cluster when that is not known). Once names are settled,
 * each reference names the cluster that reconciles it.
 */
function leftOutTargets(graph: ClusterGraph, { left }: LeftOut, appliesInto: (rel: string, spec: JsonObject) => Set<string> | undefined): string[] {
  return left.flatMap(({ ks, rel, spec }) => {
    const through = appliesInto(rel, spec);
    if (!through) return graph.clusters.map((c) => c.name);
    // by name alone, whichever cluster reconciles the Kustomization that reaches it (its own kubeConfig's name is among them)
    const reached = graph.clusters.filter((c) => 'kubeConfig' in c.reachedBy && through.has(c.reachedBy.kubeConfig.secret)).map((c) => c.name);
    const secret = getPath(spec, ['kubeConfig', 'secretRef', 'name']) ?? getPath(spec, ['kubeConfig', 'configMapRef', 'name']);
    return typeof secret === 'string' && secret !== '' ? reached : [ks.cluster, ...reached];
  });
}

/** Whether two sides of a cluster hold the same objects, field for field and in the same order. */
function sameObjects(a: ClusterUnit, b: ClusterUnit): boolean {
  if (a.resources.length !== b.resources.length || Boolean(a.problem) !== Boolean(b.problem)) return false;
  return a.resources.every((r, i) => JSON.stringify(r.obj) === JSON.stringify(b.resources[i]!.obj));
}

/** A cluster's objects, when Flux can apply all of them: a cluster reached by the changes cannot be compared otherwise. */
function applicable(unit: ClusterUnit): Resource[] {
  if (unit.problem) throw new BuildError(`cluster ${unit.name}: ${unit.problem.message}`, unit.problem.file, unit.problem.line);
  return unit.resources;
}

/** A build by its path and the parts of its spec that shape it (see buildShapingSpec). */
function buildKey(rel: string, spec: JsonObject): string {
  return `${rel}\0${JSON.stringify(buildShapingSpec(spec))}`;
}

/**
 * A graph's clusters as the diff shows them. A build that declares the Kustomization through
 * whose `kubeConfig` exactly one other cluster is reached (a cluster's overlay on the management
 * cluster: its CAPI objects and the Flux objects that hydrate it) belongs to that cluster, so a
 * change to one cluster's overlay names that cluster, not the management cluster.
 */
export function clusterUnits(graph: ClusterGraph): ClusterUnit[] {
  const declared = fluxKustomizations(graph);
  const reaching = new Map<Build, Cluster[]>();
  for (const c of graph.clusters) {
    if (!('kubeConfig' in c.reachedBy)) continue;
    const declaring = declared.get(kustomizationKey(c.reachedBy.kubeConfig.kustomization))?.inChain;
    if (declaring) reaching.set(declaring, [...(reaching.get(declaring) ?? []), c]);
  }
  const owner = new Map<Build, Cluster>();
  for (const [build, reached] of reaching) if (reached.length === 1) owner.set(build, reached[0]!);
  const owned = new Map<Cluster, Build[]>();
  for (const [b, o] of owner) owned.set(o, [...(owned.get(o) ?? []), b]);
  return graph.clusters.map((c): ClusterUnit => {
    const builds = [...c.builds.filter((b) => !owner.has(b)), ...(owned.get(c) ?? [])];
    const problem = builds.flatMap((b) => b.problems).find((p) => p.kind === 'build' || p.kind === 'path');
    const specs = builds.map((b): unknown => (b.chain.length === 0 && 'entryPoint' in c.reachedBy ? c.reachedBy.entryPoint.spec : declared.get(kustomizationKey(b.kustomization))?.object.obj.spec));
    // the bootstrap Kustomization (not in the repository) prunes
    const pruned = builds.every((b) => {
      const object = declared.get(kustomizationKey(b.kustomization))?.object;
      return object ? getPath(object.obj, ['spec', 'prune']) === true : true;
    });
    const substitutesFrom = specs.some((spec) => {
      const from = getPath(spec as JsonValue, ['postBuild', 'substituteFrom']);
      return Array.isArray(from) && from.length > 0;
    });
    return { name: c.name, builds, resources: builds.flatMap((b) => b.resources), pruned, substitutesFrom, ...(problem ? { problem } : {}) };
  });
}

/**
 * The Flux Kustomization objects each cluster of the graph receives, by cluster, namespace and
 * name: the first one met, and the first one a build below an entry point declares.
 */
function fluxKustomizations(graph: ClusterGraph): Map<string, { object: Resource; inChain?: Build }> {
  const declared = new Map<string, { object: Resource; inChain?: Build }>();
  for (const c of graph.clusters) {
    for (const b of c.builds) {
      for (const r of b.resources) {
        if (r.kind !== 'Kustomization' || r.gvk.group !== FLUX_KUSTOMIZE_GROUP) continue;
        const key = kustomizationKey({ cluster: c.name, namespace: r.namespace || 'default', name: r.name });
        const known = declared.get(key);
        if (!known) declared.set(key, { object: r, ...(b.chain.length > 0 ? { inChain: b } : {}) });
        else if (!known.inChain && b.chain.length > 0) known.inChain = b;
      }
    }
  }
  return declared;
}

function kustomizationKey(ref: { cluster: string; namespace: string; name: string }): string {
  return `${ref.cluster}\0${ref.namespace}\0${ref.name}`;
}

/**
 * A fleet spec tree that declares no entry point for Flux: each cluster of the spec is its
 * overlay, built as kustomize builds it. The working tree's overlays whose known reads still
 * observe the same and reach no change are not built.
 */
function fleetOverlays(
  options: RepositoryDiffOptions,
  workingFleet: ResolvedFleet | undefined,
  baseFleet: ResolvedFleet | undefined,
  everything: boolean,
  fileCache: FileCache,
  common: Pick<RenderOptions, 'onWarning' | 'kustomizationCheck'>,
): Omit<RepositoryDiff, 'settings'> {
  let baseBuilds = 0;
  if (!workingFleet && !baseFleet) {
    throw new BuildError(`no clusters to compare: neither side has an entry point for Flux (a flux-system Kustomization, overlays/_management/, clusters/<name>/) or a ${options.specFile ?? DEFAULT_SPEC_FILE}`);
  }
  const overlays = (fleet: ResolvedFleet | undefined): { name: string; dir: string }[] => (fleet?.clusters ?? []).map((c) => ({ name: c.name, dir: clusterDir(c) }));
  const after = overlays(workingFleet);
  const before = new Map(overlays(baseFleet).map((c) => [c.name, c]));
  const observer = new PathObserver();
  const touches = readsTouching(options.working, options.changes);
  const built = new Map<string, KnownReads>();
  const buildWorking = (dir: string): Resource[] => {
    const reads = new ReadSet();
    const resources = render(path.join(options.working, dir), { ...common, fileCache, reads });
    built.set(dir, { reads: reads.entries(), observed: observer.observe(reads.entries()) });
    return resources;
  };
  const buildBase = (dir: string): Resource[] => {
    baseBuilds++;
    return render(path.join(options.base.root, dir), { ...common, fileCache: options.base.fileCache });
  };
  const clusters: ClusterInput[] = [];
  for (const c of after) {
    const was = before.get(c.name);
    before.delete(c.name);
    if (was && was.dir === c.dir && !everything) {
      const known = options.known?.get(c.dir);
      let reads = known && observer.observe(known.reads) === known.observed ? known.reads : undefined;
      let to: Resource[] | undefined;
      if (!reads) {
        to = buildWorking(c.dir);
        reads = built.get(c.dir)!.reads;
      }
      if (!touches(reads)) continue;
      clusters.push({ name: c.name, from: buildBase(was.dir), to: to ?? buildWorking(c.dir) });
      continue;
    }
    clusters.push({ name: c.name, to: buildWorking(c.dir), ...(was ? { from: buildBase(was.dir) } : {}) });
  }
  for (const was of before.values()) clusters.push({ name: was.name, from: buildBase(was.dir) });
  return { clusters: clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), via: 'fleet overlays', total: after.length, reads: built, built: { working: built.size, served: 0, base: baseBuilds, of: after.length, leftOut: 0 } };
}

/** A side's fleet spec, if it has one. */
function fleetAt(root: string, specFile: string, files: FileCache, side: string): ResolvedFleet | undefined {
  const file = path.join(root, specFile);
  if (files.kind(file) !== 'file') return undefined;
  try {
    return loadFleet(files.read(file).toString('utf8'), specFile);
  } catch (e) {
    if (e instanceof BuildError) throw new BuildError(`${specFile} in ${side}: ${e.message}`);
    throw e;
  }
}

/** A GitRepository with the URL the side's fleet spec names is this repository. */
function repositoryUrls(root: string, specFile: string, files: FileCache): { repositoryUrls?: string[] } {
  const file = path.join(root, specFile);
  const url = files.kind(file) === 'file' ? fleetRepositoryUrl(files.read(file), specFile) : undefined;
  return url === undefined ? {} : { repositoryUrls: [url] };
}
