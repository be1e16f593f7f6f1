/**
 * validate in a Flux repository: each cluster of the cluster graph is one unit, holding every object
 * Flux applies to it (so cross-resource rules see all a cluster receives), and what Flux would
 * refuse along the way (a path that does not build, a substitution that fails) is a finding of that
 * cluster. What no cluster reaches is still found and checked as in any other tree.
 */
import * as path from 'node:path';
import { isKernelFilesystem } from '../files.js';
import { buildClusterGraph, clusterObjects, type Build, type BuildProblem, type Cluster, type ClusterGraph, type ClusterGraphOptions, type FluxKustomizationRef, type PlannedBuild, type Prebuilt } from '../cluster-graph/graph.js';
import type { EntryPoint } from '../cluster-graph/entry-points.js';
import { ReadSet, statKind } from '../engine/read-set.js';
import type { Resource } from '../engine/resource.js';
import type { JsonObject } from '../json/value.js';
import { FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP } from '../kubernetes/api-groups.js';
import type { ResourceKey } from '../kubernetes/resource-key.js';
import type { Finding } from './finding.js';
import { discoverInputs, isKustomizationDir, isRemoteResourceError, type ClusterBuildObjects, type DiscoverOptions, type Input, type LoadedInput } from './inputs.js';
import { excludedPaths, type RepositoryOptions } from './repository-options.js';

/** `reads` receives every path the search and the cluster graph looked at. */
export interface ClusterInputOptions extends Omit<DiscoverOptions, 'exclude'> {
  /** Entry points, sources and exclusions from the command line and `.capifleet.yaml`. */
  repository?: RepositoryOptions;
  onWarning?: (message: string, file?: string) => void;
  /** Searches, or serves as an earlier run found them, the inputs a search named `name` finds (see ManifestResultCache.cachedSearch). */
  cachedSearch?: (name: string, search: (reads: ReadSet) => Input[], reads: ReadSet) => Input[];
  /** How the graph of the repository at `root` reuses builds from elsewhere and sees its own, and which builds' objects are known by a key (see ManifestResultCache.graphBuilds). */
  graphBuilds?: (root: string) => GraphBuildHooks;
  /** How the cluster graph builds ahead what it is about to build (see ClusterGraphOptions). */
  prebuild?: ClusterGraphOptions['prebuild'];
}

/** The cluster graph's hooks for reusing builds, and the key of a build's objects by its read set (see ClusterBuildObjects). */
export type GraphBuildHooks = Pick<ClusterGraphOptions, 'reuse' | 'onBuild' | 'decodeSubstituted' | 'buildReads' | 'entryVerdicts'> & {
  /** The key of a build's objects (see ClusterBuildObjects), by its read set and the objects as the cluster receives them (see Build.substituted). */
  keyOf?: (reads: ReadSet, resources: readonly Resource[], substituted: boolean) => string | undefined;
  /** Whether `reuse` will serve the build of `rel` with `spec` (then it is not built ahead). */
  serves?: (rel: string, spec: JsonObject) => boolean;
  /** Sees each cluster's input as made, with its builds in order (see ManifestResultCache.cutoffRun). */
  onCluster?: (loaded: LoadedInput, builds: readonly Pick<Build, 'reads' | 'substituted'>[]) => void;
};

/** Builds ahead those of `plans` the store does not serve (undefined for the others: the graph asks the store then). */
function aheadOfStore(plans: readonly PlannedBuild[], prebuild: NonNullable<ClusterGraphOptions['prebuild']>, served: (plan: PlannedBuild) => boolean): (Prebuilt | undefined)[] {
  const todo = plans.filter((p) => !served(p));
  const built = new Map(todo.length ? prebuild(todo).map((b, i) => [todo[i]!, b] as const) : []);
  return plans.map((p) => built.get(p));
}

/** ClusterInputOptions with the exclusions made a test of a path. */
type SearchOptions = ClusterInputOptions & Pick<DiscoverOptions, 'exclude'>;

/**
 * What the command-line paths mean: one folder that is no kustomization is a repository, checked
 * cluster by cluster when Flux applies it, as is one folder given with entry points; anything else
 * as discoverInputs says. Excluded paths are left out of every search, never a path named.
 */
export function discoverRepositoryInputs(paths: readonly string[], options: ClusterInputOptions = {}): Input[] {
  const [only] = paths;
  const reads = options.reads ?? new ReadSet();
  const entries = options.repository?.entries.length ?? 0;
  // the kernel's file systems are refused by discoverInputs before anything walks them
  const repository = paths.length === 1 && only !== '-' && isDirectory(only!, reads) && !isKernelFilesystem(only!) && (entries > 0 || !isKustomizationDir(only!, reads));
  const exclude = excludedPaths(options.repository?.exclude ?? []);
  const searched: SearchOptions = { ...options, reads, ...(exclude ? { exclude } : {}) };
  return (repository ? clusterInputs(path.resolve(only!), searched) : undefined) ?? discoverInputs(paths, searched);
}

/** Whether `p` is a folder, as the read set's stat observes it (anything else: discoverInputs says what is wrong). */
function isDirectory(p: string, reads: ReadSet): boolean {
  const abs = path.resolve(p);
  reads.add(abs, 'stat');
  return statKind(abs) === 'directory';
}

/**
 * The inputs of a repository Flux applies: one per cluster of its graph, then the kustomizations
 * and manifest files no cluster reaches. Undefined when the graph finds no cluster.
 */
export function clusterInputs(root: string, options: SearchOptions = {}): Input[] | undefined {
  const { repository, exclude, graphBuilds, cachedSearch, ...graphOptions } = options;
  const { keyOf, serves, onCluster, ...hooks } = graphBuilds?.(root) ?? {};
  const { prebuild } = graphOptions;
  const graph = buildClusterGraph(root, {
    ...graphOptions,
    ...hooks,
    // what the build store serves is not built ahead
    ...(prebuild && serves ? { prebuild: (plans: readonly PlannedBuild[]) => aheadOfStore(plans, prebuild, (p) => serves(path.relative(root, p.dir).split(path.sep).join('/'), p.spec)) } : {}),
    ...(exclude ? { exclude: (p: string) => exclude(p, root) } : {}),
    ...(repository?.entries.length ? { entryPoints: repository.entries.map((p) => ({ path: p })) } : {}),
    ...(repository ? { sources: repository.sources } : {}),
  });
  if (graph.clusters.length === 0) return undefined;
  const reached = reachedBy(graph, options.reads);
  // what no cluster reaches: a search of its own, so a change only the graph read (a cluster's file) does not make it run again
  const search = (reads: ReadSet): Input[] => discoverInputs([root], { ...options, reads });
  const searched = new ReadSet();
  const found = cachedSearch ? cachedSearch(JSON.stringify(['what the cluster graph does not reach', root, repository?.exclude ?? []]), search, searched) : search(searched);
  options.reads?.addAll(searched);
  const rest = found.flatMap((input): Input[] => {
    if (input.kind === 'kustomization') return reached.dir(input.dir) ? [] : [input];
    if (input.kind !== 'files') return [input];
    const files = input.files.filter((f) => !reached.file(f));
    return files.length ? [{ ...input, files }] : [];
  });
  return [
    ...graph.clusters.map((c) => {
      const input = clusterInput(c, graph, keyOf);
      onCluster?.(input.loaded, c.builds);
      return input;
    }),
    ...rest,
  ];
}

/** How reports name a cluster's unit. */
export function clusterUnitName(cluster: string): string {
  return `cluster ${cluster}`;
}

function clusterInput(cluster: Cluster, graph: ClusterGraph, keyOf: GraphBuildHooks['keyOf']): Input & { kind: 'cluster' } {
  const overlay = clusterUnitName(cluster.name);
  // a substituteFrom object the repository does not give is what the flux/values-from rule reports
  const problems: Finding[] = cluster.builds.flatMap((b) => b.problems.filter((p): p is BuildProblem & { kind: keyof typeof PROBLEM_RULES } => p.kind !== 'substitution-source').map((p) => problemFinding(p, b.kustomization, overlay)));
  for (const u of graph.unfollowed.filter((x) => x.kustomization.cluster === cluster.name)) {
    problems.push({ ruleId: 'flux/source-not-followed', severity: 'info', overlay, message: `${describe(u.kustomization)}: ${u.reason}`, ...at(u.kustomization) });
  }
  const resources = clusterObjects(cluster).map((o) => o.resource);
  const fluxOperator = 'entryPoint' in cluster.reachedBy && FLUX_OPERATOR_ENTRY_POINTS.has(cluster.reachedBy.entryPoint.via);
  const builds = cluster.builds.map((b): ClusterBuildObjects => {
    const key = keyOf?.(b.reads, b.resources, b.substituted);
    return { resources: b.resources, ...(key !== undefined ? { key } : {}) };
  });
  return { kind: 'cluster', loaded: { unit: { name: overlay, resources, created: bootstrapObjects(cluster), ...(fluxOperator ? { fluxOperator } : {}) }, problems }, builds };
}

/** Entry points a FluxInstance syncs: that cluster's Flux is installed by Flux Operator. */
const FLUX_OPERATOR_ENTRY_POINTS = new Set<EntryPoint['via']>(['FluxInstance', 'flux-instance HelmRelease']);

/** What `flux bootstrap` or a FluxInstance creates in a cluster it syncs: the source and the Kustomization of the entry path. */
export function bootstrapObjects(cluster: Cluster): ResourceKey[] {
  if (!('entryPoint' in cluster.reachedBy)) return [];
  const { namespace, name, sourceKind } = cluster.reachedBy.entryPoint.bootstrap;
  return [
    { group: FLUX_SOURCE_GROUP, kind: sourceKind, namespace, name },
    { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', namespace, name },
  ];
}

const PROBLEM_RULES: Record<Exclude<BuildProblem['kind'], 'substitution-source'>, { ruleId: string; severity: Finding['severity'] }> = {
  build: { ruleId: 'input/build', severity: 'error' },
  path: { ruleId: 'input/build', severity: 'error' },
  substitution: { ruleId: 'flux/substitution', severity: 'error' },
};

function problemFinding(p: BuildProblem & { kind: keyof typeof PROBLEM_RULES }, ks: FluxKustomizationRef, overlay: string): Finding {
  const location = p.file ? { location: { file: p.file, line: p.line ?? 1 } } : at(ks);
  // kustomize-controller fetches remote resources (unless run with --no-remote-bases); capifleet cannot check them offline
  const rule = p.kind === 'build' && isRemoteResourceError(p.message) ? UNCHECKED : PROBLEM_RULES[p.kind];
  return { ...rule, overlay, message: `${describe(ks)}: ${p.message}`, ...location };
}

const UNCHECKED = { ruleId: 'input/unchecked', severity: 'warning' } as const;

function describe(ks: FluxKustomizationRef): string {
  return `Kustomization ${ks.namespace}/${ks.name}`;
}

function at(ks: FluxKustomizationRef): Pick<Finding, 'location'> {
  return ks.declaredAt ? { location: { ...ks.declaredAt } } : {};
}

/**
 * Whether the graph reaches a kustomization folder or a manifest file: a folder it built, a file
 * its objects were read from, or anything inside a folder it built with the kustomization Flux
 * generates (which takes every YAML file and kustomization below it). Until the engine reports
 * what a build reads (issue 11), a kustomization read only as a base elsewhere counts as not
 * reached when none of its objects come from a file inside it.
 */
function reachedBy(graph: ClusterGraph, reads: ReadSet | undefined): { dir: (dir: string) => boolean; file: (file: string) => boolean } {
  const built = new Set<string>();
  const files = new Set<string>();
  for (const c of graph.clusters) {
    for (const b of c.builds) {
      built.add(b.dir);
      for (const r of b.resources) if (r.state.source) files.add(r.state.source.file);
    }
  }
  const generated = [...built].filter((d) => !isKustomizationDir(d, reads));
  const inGenerated = (p: string): boolean => generated.some((d) => p.startsWith(d + path.sep));
  return {
    dir: (dir) => built.has(dir) || inGenerated(dir) || [...files].some((f) => f.startsWith(dir + path.sep)),
    file: (file) => files.has(file) || inGenerated(file),
  };
}
