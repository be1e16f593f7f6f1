import { CAPI_GROUP, BOOTSTRAP_GROUP, CONTROL_PLANE_GROUP } from '../../kubernetes/api-groups.js';
import { BuildError } from '../../errors.js';
import { sha256 } from '../../files.js';
import { isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { TEMPLATE_HASH_LENGTH } from '../../kubernetes/names.js';
import type { CapiVersion, NodePool, ResolvedCluster } from '../../fleet/types.js';
import type { PatchTarget, ProviderPatch } from './provider.js';

/**
 * The Cluster API objects every provider shares (Cluster, MachineDeployment, MachinePool,
 * KubeadmControlPlane, KubeadmConfigTemplate), in the shape of the cluster's `capiVersion`.
 */


/** The label Cluster API and clusterctl use to tie an object to its cluster. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** The cluster autoscaler reads a node group's bounds from these annotations. */
const AUTOSCALER_MIN = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
const AUTOSCALER_MAX = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

/** CAPI's own groups follow the management cluster's CAPI version; providers keep their own. */
export function capiApiVersion(group: string, version: CapiVersion): string {
  return `${group}/${version}`;
}

/**
 * A reference to an object built alongside: v1beta2 names its API group, v1beta1 its whole
 * apiVersion. Read from the object itself so a reference cannot disagree with its target.
 */
export function refTo(version: CapiVersion, target: JsonObject): JsonObject {
  const apiVersion = String(target.apiVersion);
  const { kind } = target;
  const name = (target.metadata as JsonObject).name!;
  if (version === 'v1beta1') return { apiVersion, kind: kind!, name };
  return { apiGroup: apiVersion.slice(0, apiVersion.lastIndexOf('/')), kind: kind!, name };
}

/** Metadata of one of the cluster's objects: the cluster's labels, and the cluster-name label so `-l` finds them all. */
export function objectMeta(cluster: ResolvedCluster, name: string, extraLabels: Record<string, string> = {}): JsonObject {
  return { name, labels: { ...cluster.labels, [CLUSTER_NAME_LABEL]: cluster.name, ...extraLabels } };
}

/** Names of the cluster's own objects, as the CAPZ and CAPD templates name them. */
export const names = {
  controlPlane: (cluster: ResolvedCluster) => `${cluster.name}-control-plane`,
  pool: (cluster: ResolvedCluster, pool: NodePool) => `${cluster.name}-${pool.name}`,
};

/**
 * The name of a machine template whose spec cannot change in place (CAPZ refuses any update to an
 * AzureMachineTemplate's spec): its base name and a short hash of everything its machines get
 * from it. A changed spec is then a new template, and the MachineDeployment or KubeadmControlPlane
 * pointing at it replaces its machines on purpose (as CAPI's docs have users do by hand); the same
 * spec keeps its name. Keys are sorted before hashing so only the content decides the name.
 */
export function immutableTemplateName(base: string, content: JsonValue): string {
  const json = JSON.stringify(content, (_, v: JsonValue) => (isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
  return `${base}-${sha256(json).slice(0, TEMPLATE_HASH_LENGTH)}`;
}

/** Both autoscaling bounds set: the cluster autoscaler (or AKS) owns the pool's size. */
export function autoscaled(pool: NodePool): pool is NodePool & { minReplicas: number; maxReplicas: number } {
  return pool.minReplicas !== undefined && pool.maxReplicas !== undefined;
}

function replicasField(replicas: number | undefined): JsonObject {
  return replicas === undefined ? {} : { replicas };
}

/**
 * The replicas git should own: none for an autoscaled pool (else every reconcile of git would
 * undo the autoscaler's decisions), none when unset (Cluster API defaults them).
 */
function poolReplicas(pool: NodePool): JsonObject {
  return autoscaled(pool) ? {} : replicasField(pool.replicas);
}

/** A setting the provider cannot do without. */
export function required<T>(cluster: ResolvedCluster, value: T | undefined, setting: string): T {
  if (value === undefined || value === '') {
    throw new BuildError(`cluster "${cluster.name}": provider ${cluster.provider} needs ${setting}`);
  }
  return value;
}

/** Self-managed providers name the control plane's machine template `<cluster>-control-plane`; a pool may not take that name. */
export function checkPoolNamesFree(cluster: ResolvedCluster): void {
  const clash = cluster.nodePools.find((p) => names.pool(cluster, p) === names.controlPlane(cluster));
  if (clash) throw new BuildError(`cluster "${cluster.name}": node pool name "${clash.name}" is taken by the control plane's objects with provider ${cluster.provider}`);
}

export function capiCluster(cluster: ResolvedCluster, infrastructure: JsonObject, controlPlane: JsonObject): JsonObject {
  const v = cluster.capiVersion;
  return {
    apiVersion: capiApiVersion(CAPI_GROUP, v),
    kind: 'Cluster',
    metadata: objectMeta(cluster, cluster.name),
    spec: { controlPlaneRef: refTo(v, controlPlane), infrastructureRef: refTo(v, infrastructure) },
  };
}

/** Machine settings shared by MachineDeployment and MachinePool templates. */
function machineSpec(cluster: ResolvedCluster, infrastructure: JsonObject, bootstrap: JsonObject | undefined): JsonObject {
  return {
    ...(bootstrap ? { bootstrap: { configRef: refTo(cluster.capiVersion, bootstrap) } } : {}),
    clusterName: cluster.name,
    infrastructureRef: refTo(cluster.capiVersion, infrastructure),
    version: cluster.kubernetesVersion,
  };
}

/** A pool of kubeadm-bootstrapped machines; autoscaled pools carry the autoscaler's bounds. */
export function machineDeployment(cluster: ResolvedCluster, pool: NodePool, infrastructure: JsonObject, bootstrap: JsonObject): JsonObject {
  const meta = objectMeta(cluster, names.pool(cluster, pool));
  if (autoscaled(pool)) meta.annotations = { [AUTOSCALER_MAX]: String(pool.maxReplicas), [AUTOSCALER_MIN]: String(pool.minReplicas) };
  return {
    apiVersion: capiApiVersion(CAPI_GROUP, cluster.capiVersion),
    kind: 'MachineDeployment',
    metadata: meta,
    spec: {
      clusterName: cluster.name,
      ...poolReplicas(pool),
      // Cluster API fills in the cluster and deployment labels
      selector: {},
      template: { spec: machineSpec(cluster, infrastructure, bootstrap) },
    },
  };
}

/** A pool whose machines the provider bootstraps itself (AKS); its bootstrap defaults come from the provider base. */
export function machinePool(cluster: ResolvedCluster, pool: NodePool, infrastructure: JsonObject): JsonObject {
  return {
    apiVersion: capiApiVersion(CAPI_GROUP, cluster.capiVersion),
    kind: 'MachinePool',
    metadata: objectMeta(cluster, names.pool(cluster, pool)),
    spec: {
      clusterName: cluster.name,
      ...poolReplicas(pool),
      template: { spec: machineSpec(cluster, infrastructure, undefined) },
    },
  };
}

export function kubeadmControlPlane(cluster: ResolvedCluster, machineTemplate: JsonObject, kubeadmConfigSpec: JsonObject): JsonObject {
  const v = cluster.capiVersion;
  const infrastructureRef = refTo(v, machineTemplate);
  return {
    apiVersion: capiApiVersion(CONTROL_PLANE_GROUP, v),
    kind: 'KubeadmControlPlane',
    metadata: objectMeta(cluster, names.controlPlane(cluster)),
    spec: {
      kubeadmConfigSpec,
      // v1beta2 moved the machine fields under machineTemplate.spec
      machineTemplate: v === 'v1beta1' ? { infrastructureRef } : { spec: { infrastructureRef } },
      ...replicasField(cluster.controlPlane.replicas),
      version: cluster.kubernetesVersion,
    },
  };
}

export function kubeadmConfigTemplate(cluster: ResolvedCluster, pool: NodePool, spec: JsonObject): JsonObject {
  return {
    apiVersion: capiApiVersion(BOOTSTRAP_GROUP, cluster.capiVersion),
    kind: 'KubeadmConfigTemplate',
    metadata: objectMeta(cluster, names.pool(cluster, pool)),
    spec: { template: { spec } },
  };
}

/** Command-line flags for kubeadm components and the kubelet: a map in v1beta1, a list of name/value in v1beta2. */
export function kubeadmArgs(version: CapiVersion, args: Record<string, string>): JsonObject | JsonObject[] {
  if (version === 'v1beta1') return { ...args };
  return Object.entries(args).map(([name, value]) => ({ name, value }));
}

/**
 * A provider-wide strategic-merge patch for every object of a kind. Kustomize wants a whole
 * object, so the patch carries apiVersion, kind and a name the target makes irrelevant.
 */
export function patchOf(apiVersion: string, kind: string, body: JsonObject): ProviderPatch {
  const slash = apiVersion.lastIndexOf('/');
  const target: PatchTarget = slash < 0 ? { version: apiVersion, kind } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
  return { target, patch: { apiVersion, kind, metadata: { name: 'provider-defaults' }, ...body } };
}
