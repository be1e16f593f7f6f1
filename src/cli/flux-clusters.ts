import * as path from 'node:path';
import { buildClusterGraph } from '../cluster-graph/graph.js';
import { cachedFiles } from '../cluster-graph/repo-files.js';
import { clusterUnits, type ClusterUnit } from '../diff/repository.js';
import type { FileCache } from '../engine/loader.js';
import type { KustomizationCheck } from '../engine/kustomization.js';
import type { Resource } from '../engine/resource.js';
import { BuildError } from '../errors.js';
import { walkFolder } from '../files.js';
import type { ResourceKey } from '../kubernetes/resource-key.js';
import { bootstrapObjects } from '../validate/clusters.js';
import { isKustomizationDir } from '../validate/inputs.js';
import { printWarning } from './io.js';

/** A cluster Flux reaches, as diff shows it, with what Flux's bootstrap creates in it (present for validation's references). */
export interface FluxCluster extends ClusterUnit {
  created: ResourceKey[];
}

/**
 * The clusters Flux reaches in the repository at `root` (its entry points, `clusters/<name>`),
 * as diff shows them, read through `fileCache` (files edited in memory included).
 */
export function fluxClusters(root: string, fileCache: FileCache, kustomizationCheck?: KustomizationCheck): FluxCluster[] {
  const graph = buildClusterGraph(root, { fileCache, files: cachedFiles(fileCache), onWarning: printWarning, ...(kustomizationCheck ? { kustomizationCheck } : {}) });
  return clusterUnits(graph).map((unit) => ({ ...unit, created: bootstrapObjects(graph.clusters.find((c) => c.name === unit.name)!) }));
}

/** A cluster's objects, when Flux can apply all of them; else why not, as a BuildError. */
export function fluxObjects(unit: ClusterUnit): Resource[] {
  if (unit.problem) throw new BuildError(`cluster ${unit.name}: ${unit.problem.message}`, unit.problem.file, unit.problem.line);
  return unit.resources;
}

/** The kustomization folders under `root` (relative POSIX paths, in walk order); hidden folders and node_modules skipped. */
export function kustomizationFolders(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of walkFolder(path.join(root, rel))) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (isKustomizationDir(path.join(root, child))) out.push(child);
    out.push(...kustomizationFolders(root, child));
  }
  return out;
}
