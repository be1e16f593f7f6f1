/**
 * The Flux objects of the tree: the management entry point (the one GitRepository of the fleet
 * repository that every Flux Kustomization of the fleet uses, a Flux Kustomization per cluster
 * overlay), the Kustomization that applies a cluster's workload content, one HelmRepository and
 * HelmRelease per add-on, and the patches that point them at one workload cluster. Base objects carry
 * short names; each cluster's overlay prefixes them with `<cluster>-`.
 */
import * as path from 'node:path';
import type { JsonObject } from '../json/value.js';
import type { Addon, AddonSettings, ResolvedCluster, ResolvedFleet } from '../fleet/types.js';
import { FLUX_HELM_GROUP as HELM_GROUP, FLUX_KUSTOMIZE_GROUP as KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP as SOURCE_GROUP } from '../kubernetes/api-groups.js';
import { patchEntry, type PatchEntry, type Target } from './kustomize.js';

const SOURCE_API = `${SOURCE_GROUP}/v1`;
const KUSTOMIZE_API = `${KUSTOMIZE_GROUP}/v1`;
const HELM_API = `${HELM_GROUP}/v2`;

export const GIT_REPOSITORY_NAME = 'fleet';
export const WORKLOAD_KUSTOMIZATION_NAME = 'workload';

/**
 * The fleet's namespace on the management cluster: the cluster overlays put their objects there,
 * and the management entry point creates it and keeps its own objects there, so every reference
 * between them stays inside one namespace.
 */
export function fleetNamespaceObject(fleet: ResolvedFleet): JsonObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: fleet.namespace } };
}

/** The one source of the fleet repository: cloned once per interval, however many clusters use it. */
export function gitRepository(fleet: ResolvedFleet): JsonObject {
  return {
    apiVersion: SOURCE_API,
    kind: 'GitRepository',
    metadata: { name: GIT_REPOSITORY_NAME, namespace: fleet.namespace },
    spec: { interval: '5m', url: fleet.repository.url, ref: { branch: fleet.repository.branch } },
  };
}

/** A folder of the tree as a Flux Kustomization's `path`: relative to the repository root, where `repository.path` puts the tree. */
export function fluxPath(fleet: Pick<ResolvedFleet, 'repository'>, treePath: string): string {
  return `./${path.posix.join(fleet.repository.path, treePath)}`;
}

/** Applies a cluster's overlay on the management cluster, pruning what the overlay no longer holds. */
export function clusterKustomization(fleet: ResolvedFleet, cluster: Pick<ResolvedCluster, 'name'>, overlay: string): JsonObject {
  return {
    apiVersion: KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: { name: cluster.name, namespace: fleet.namespace },
    spec: { interval: '10m', prune: true, path: fluxPath(fleet, overlay), sourceRef: { kind: 'GitRepository', name: GIT_REPOSITORY_NAME } },
  };
}

/** Where the content every workload cluster gets lives in the repository; Flux fills in each cluster's values. */
export const WORKLOAD_BASE_DIR = 'base/workload';

/**
 * Variables Flux substitutes into the workload content (`postBuild.substitute`): one shared base
 * serves every cluster, so a cluster costs no files of its own for it.
 */
export const WORKLOAD_VARIABLES = { fleet: 'CAPIFLEET_FLEET', environment: 'CAPIFLEET_ENVIRONMENT', cluster: 'CAPIFLEET_CLUSTER' } as const;

/**
 * Applies the workload content into a cluster; the overlay sets which kubeconfig and which values.
 * Its source is the management entry point's GitRepository, in the same namespace: the overlay
 * holds no GitRepository, so its name prefix leaves the reference alone.
 */
export function workloadKustomization(fleet: ResolvedFleet): JsonObject {
  return {
    apiVersion: KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: { name: WORKLOAD_KUSTOMIZATION_NAME },
    spec: { interval: '10m', prune: true, path: fluxPath(fleet, WORKLOAD_BASE_DIR), sourceRef: { kind: 'GitRepository', name: GIT_REPOSITORY_NAME } },
  };
}

/** What a workload cluster learns about itself, as Flux substitutes it: which fleet, environment and name it has. */
export function workloadClusterInfo(): JsonObject {
  const v = (name: string): string => `\${${name}}`;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'capifleet-cluster', namespace: 'kube-system' },
    data: { fleet: v(WORKLOAD_VARIABLES.fleet), environment: v(WORKLOAD_VARIABLES.environment), cluster: v(WORKLOAD_VARIABLES.cluster) },
  };
}

/**
 * kustomize knows no Flux kind, so without these entries `namePrefix` would rename a HelmRepository
 * and leave the HelmRelease pointing at the old name. Listed in base/flux, they reach every overlay
 * that includes it.
 */
export function nameReferences(): JsonObject {
  const field = (group: string, kind: string, path: string): JsonObject => ({ group, kind, path });
  const releaseAndKustomization = (helmPath: string, kustomizePath: string): JsonObject[] => [
    field(HELM_GROUP, 'HelmRelease', helmPath),
    field(KUSTOMIZE_GROUP, 'Kustomization', kustomizePath),
  ];
  return {
    nameReference: [
      { kind: 'HelmRepository', group: SOURCE_GROUP, fieldSpecs: [field(HELM_GROUP, 'HelmRelease', 'spec/chart/spec/sourceRef/name')] },
      { kind: 'Kustomization', group: KUSTOMIZE_GROUP, fieldSpecs: [field(KUSTOMIZE_GROUP, 'Kustomization', 'spec/dependsOn/name')] },
      { kind: 'HelmRelease', group: HELM_GROUP, fieldSpecs: [field(HELM_GROUP, 'HelmRelease', 'spec/dependsOn/name')] },
      {
        kind: 'Secret',
        version: 'v1',
        fieldSpecs: [
          ...releaseAndKustomization('spec/kubeConfig/secretRef/name', 'spec/kubeConfig/secretRef/name'),
          ...releaseAndKustomization('spec/valuesFrom/name', 'spec/postBuild/substituteFrom/name'),
          field(SOURCE_GROUP, 'GitRepository', 'spec/secretRef/name'),
          field(SOURCE_GROUP, 'HelmRepository', 'spec/secretRef/name'),
        ],
      },
      { kind: 'ConfigMap', version: 'v1', fieldSpecs: releaseAndKustomization('spec/valuesFrom/name', 'spec/postBuild/substituteFrom/name') },
    ],
  };
}

export function helmRepository(addon: Addon): JsonObject {
  const oci = addon.chart.repository.startsWith('oci://');
  return {
    apiVersion: SOURCE_API,
    kind: 'HelmRepository',
    metadata: { name: addon.name },
    spec: { interval: '1h', ...(oci ? { type: 'oci' } : {}), url: addon.chart.repository },
  };
}

/**
 * The add-on's release with its chart's own version and values; other levels patch these. The
 * release and its storage live in the add-on's namespace of the workload cluster (the HelmRelease's
 * own namespace exists only on the management cluster).
 */
export function helmRelease(addon: Addon): JsonObject {
  return {
    apiVersion: HELM_API,
    kind: 'HelmRelease',
    metadata: { name: addon.name },
    spec: {
      interval: '10m',
      releaseName: addon.name,
      targetNamespace: addon.namespace,
      storageNamespace: addon.namespace,
      chart: { spec: { chart: addon.chart.name, version: addon.chart.version, sourceRef: { kind: 'HelmRepository', name: addon.name } } },
      install: { createNamespace: true, remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      ...(addon.values && Object.keys(addon.values).length ? { values: addon.values as JsonObject } : {}),
    },
  };
}

function helmReleaseTarget(name?: string): Target {
  return { group: HELM_GROUP, kind: 'HelmRelease', ...(name !== undefined ? { name } : {}) };
}

/** One level's add-on version and values as a patch of the add-on's HelmRelease; none when the level sets neither. */
export function addonSettingsPatch(addon: string, settings: AddonSettings | undefined): PatchEntry | undefined {
  const hasValues = settings?.values !== undefined && Object.keys(settings.values).length > 0;
  if (!settings || (settings.version === undefined && !hasValues)) return undefined;
  const spec: JsonObject = {};
  if (settings.version !== undefined) spec.chart = { spec: { version: settings.version } };
  if (hasValues) spec.values = settings.values as JsonObject;
  return patchEntry(helmReleaseTarget(addon), { apiVersion: HELM_API, spec });
}

/**
 * Points the cluster's Flux objects at its workload cluster, through the kubeconfig Secret Cluster
 * API writes, and gives the workload content the cluster's values.
 */
export function workloadClusterPatches(fleet: string, cluster: Pick<ResolvedCluster, 'name' | 'environment'>, hasAddons: boolean): PatchEntry[] {
  const kubeConfig = { secretRef: { name: `${cluster.name}-kubeconfig`, key: 'value' } };
  const substitute = {
    [WORKLOAD_VARIABLES.fleet]: fleet,
    [WORKLOAD_VARIABLES.environment]: cluster.environment,
    [WORKLOAD_VARIABLES.cluster]: cluster.name,
  };
  const patches = [
    patchEntry(
      { group: KUSTOMIZE_GROUP, kind: 'Kustomization', name: WORKLOAD_KUSTOMIZATION_NAME },
      { apiVersion: KUSTOMIZE_API, spec: { kubeConfig, postBuild: { substitute } } },
    ),
  ];
  if (hasAddons) patches.push(patchEntry(helmReleaseTarget(), { apiVersion: HELM_API, spec: { kubeConfig } }));
  return patches;
}
