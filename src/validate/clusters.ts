/**
 * validate in a Flux repository: each cluster of the cluster graph is one unit, holding every object
 * Flux applies to it (so cross-resource rules see all a cluster receives), and what Flux would
 * refuse along the way (a path that does not build, a substitution that fails) is a finding of that
 * cluster. What no cluster reaches is still found and checked as in any other tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isKernelFilesystem } from '../files.js';
import { buildClusterGraph, clusterObjects, type BuildProblem, type Cluster, type ClusterGraph, type FluxKustomizationRef } from '../cluster-graph/graph.js';
import type { KustomizationCheck } from '../engine/kustomization.js';
import type { FileCache } from '../engine/loader.js';
import { FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP } from '../kubernetes/api-groups.js';
import type { ResourceKey } from '../kubernetes/resource-key.js';
import type { Finding } from './finding.js';
import { discoverInputs, isKustomizationDir, type Input } from './inputs.js';

export interface ClusterInputOptions {
  kustomizationCheck?: KustomizationCheck;
  fileCache?: FileCache;
  onWarning?: (message: string, file?: string) => void;
}

/**
 * What the command-line paths mean: one folder that is no kustomization is a repository, checked
 * cluster by cluster when Flux applies it; anything else as discoverInputs says.
 */
export function discoverRepositoryInputs(paths: readonly string[], options: ClusterInputOptions = {}): Input[] {
  const [only] = paths;
  // the kernel's file systems are refused by discoverInputs before anything walks them
  const repository = paths.length === 1 && only !== '-' && isDirectory(only!) && !isKernelFilesystem(only!) && !isKustomizationDir(only!);
  return (repository ? clusterInputs(path.resolve(only!), options) : undefined) ?? discoverInputs(paths, options.kustomizationCheck);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // discoverInputs says what is wrong
  }
}

/**
 * The inputs of a repository Flux applies: one per cluster of its graph, then the kustomizations
 * and manifest files no cluster reaches. Undefined when the graph finds no cluster.
 */
export function clusterInputs(root: string, options: ClusterInputOptions = {}): Input[] | undefined {
  const graph = buildClusterGraph(root, options);
  if (graph.clusters.length === 0) return undefined;
  const reached = reachedBy(graph);
  const rest = discoverInputs([root], options.kustomizationCheck).flatMap((input): Input[] => {
    if (input.kind === 'kustomization') return reached.dir(input.dir) ? [] : [input];
    if (input.kind !== 'files') return [input];
    const files = input.files.filter((f) => !reached.file(f));
    return files.length ? [{ ...input, files }] : [];
  });
  return [...graph.clusters.map((c) => clusterInput(c, graph)), ...rest];
}

/** How reports name a cluster's unit. */
export function clusterUnitName(cluster: string): string {
  return `cluster ${cluster}`;
}

function clusterInput(cluster: Cluster, graph: ClusterGraph): Input {
  const overlay = clusterUnitName(cluster.name);
  // a substituteFrom object the repository does not give is what the flux/values-from rule reports
  const problems: Finding[] = cluster.builds.flatMap((b) => b.problems.filter((p): p is BuildProblem & { kind: keyof typeof PROBLEM_RULES } => p.kind !== 'substitution-source').map((p) => problemFinding(p, b.kustomization, overlay)));
  for (const u of graph.unfollowed.filter((x) => x.kustomization.cluster === cluster.name)) {
    problems.push({ ruleId: 'flux/source-not-followed', severity: 'info', overlay, message: `${describe(u.kustomization)}: ${u.reason}`, ...at(u.kustomization) });
  }
  const resources = clusterObjects(cluster).map((o) => o.resource);
  return { kind: 'cluster', loaded: { unit: { name: overlay, resources, created: bootstrapObjects(cluster) }, problems } };
}

/** What `flux bootstrap` or a FluxInstance creates in a cluster it syncs: the source and the Kustomization of the entry path. */
function bootstrapObjects(cluster: Cluster): ResourceKey[] {
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
  return { ...PROBLEM_RULES[p.kind], overlay, message: `${describe(ks)}: ${p.message}`, ...location };
}

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
function reachedBy(graph: ClusterGraph): { dir: (dir: string) => boolean; file: (file: string) => boolean } {
  const built = new Set<string>();
  const files = new Set<string>();
  for (const c of graph.clusters) {
    for (const b of c.builds) {
      built.add(b.dir);
      for (const r of b.resources) if (r.state.source) files.add(r.state.source.file);
    }
  }
  const generated = [...built].filter((d) => !isKustomizationDir(d));
  const inGenerated = (p: string): boolean => generated.some((d) => p.startsWith(d + path.sep));
  return {
    dir: (dir) => built.has(dir) || inGenerated(dir) || [...files].some((f) => f.startsWith(dir + path.sep)),
    file: (file) => files.has(file) || inGenerated(file),
  };
}
