/**
 * The fleet spec (`fleet.yaml`, `capifleet.io/v1alpha1` `Fleet`) as read from disk, and the
 * settings of each cluster once `defaults` ← environment `defaults` ← cluster are merged.
 * The field names are a public contract: extend them, never rename them.
 */

export type Provider = 'aks' | 'aks-azuremanaged' | 'azure' | 'docker';
export const PROVIDERS: readonly Provider[] = ['aks', 'aks-azuremanaged', 'azure', 'docker'];

/** The CAPI API version the generated cluster objects use; `v1beta1` for management clusters on older CAPI. */
export type CapiVersion = 'v1beta1' | 'v1beta2';

export interface AzureIdentity {
  name?: string;
  clientID?: string;
  tenantID?: string;
}

export interface AzureSettings {
  subscriptionID?: string;
  identity?: AzureIdentity;
  /** Azure resource group of the cluster (default: the cluster's name). */
  resourceGroup?: string;
}

export interface NodePool {
  name: string;
  /** AKS agent pool mode. */
  mode?: 'System' | 'User';
  vmSize?: string;
  replicas?: number;
  /** Autoscaling bounds: both set turns the cluster autoscaler on for the pool. */
  minReplicas?: number;
  maxReplicas?: number;
}

export interface ControlPlane {
  replicas?: number;
  vmSize?: string;
}

/** One add-on's settings at a level (defaults, environment, cluster). */
export interface AddonSettings {
  enabled?: boolean;
  /** Chart version, overriding the add-on's `chart.version`. */
  version?: string;
  /** Helm values, merged deeply over the add-on's own `values`. */
  values?: Record<string, unknown>;
}

/** Everything that can be set in `defaults`, an environment's `defaults`, or on a cluster. */
export interface ClusterSettings {
  provider?: Provider;
  capiVersion?: CapiVersion;
  kubernetesVersion?: string;
  location?: string;
  azure?: AzureSettings;
  nodePools?: NodePool[];
  controlPlane?: ControlPlane;
  addons?: Record<string, AddonSettings>;
  /** Labels on the cluster's objects. */
  labels?: Record<string, string>;
}

export interface Environment {
  name: string;
  /** The environment a release is promoted from (`capifleet promote`). */
  promotesFrom?: string;
  defaults?: ClusterSettings;
}

export interface AddonChart {
  name: string;
  version: string;
  /** Helm repository URL (https:// or oci://). */
  repository: string;
}

/** An add-on a cluster can enable: a Helm chart installed into the workload cluster by Flux. */
export interface Addon {
  name: string;
  /** Namespace in the workload cluster the chart is installed into. */
  namespace: string;
  chart: AddonChart;
  values?: Record<string, unknown>;
}

export interface ClusterEntry extends ClusterSettings {
  name: string;
  environment: string;
}

export const FLEET_API_VERSION = 'capifleet.io/v1alpha1';
export const FLEET_KIND = 'Fleet';

export interface FleetSpec {
  apiVersion: typeof FLEET_API_VERSION;
  kind: typeof FLEET_KIND;
  metadata: { name: string };
  spec: {
    /** Management-cluster namespace of the cluster objects (default: metadata.name). */
    namespace?: string;
    /** This repository, as Flux pulls it. */
    repository: {
      url: string;
      branch?: string;
      /** Folder of the spec and its tree inside the repository (default: the root). */
      path?: string;
    };
    defaults?: ClusterSettings;
    environments: Environment[];
    addons?: Addon[];
    clusters: ClusterEntry[];
  };
}

/** An add-on as one cluster gets it: the chart and values after every level is merged. */
export interface ResolvedAddon {
  name: string;
  namespace: string;
  chart: AddonChart;
  /** The add-on's own values, then defaults', the environment's and the cluster's, merged deeply. */
  values: Record<string, unknown>;
}

/** One cluster with every setting resolved and defaulted: what a provider needs to write its objects. */
export interface ResolvedCluster {
  name: string;
  environment: string;
  /** Management-cluster namespace of its objects. */
  namespace: string;
  provider: Provider;
  capiVersion: CapiVersion;
  kubernetesVersion: string;
  location?: string;
  azure: AzureSettings;
  /** Every pool with its replicas; for the AKS providers also its mode (exactly the spec's, or defaulted so one pool is System). */
  nodePools: NodePool[];
  controlPlane: ControlPlane;
  /** Enabled add-ons only, in the order the spec lists them. */
  addons: ResolvedAddon[];
  labels: Record<string, string>;
}

/** A fleet spec read and checked, with each cluster's settings resolved. */
export interface ResolvedFleet {
  name: string;
  namespace: string;
  /** `path`: the tree's folder in the repository, normalized (`deploy/fleet`; `` for the root). */
  repository: { url: string; branch: string; path: string };
  environments: Environment[];
  addons: Addon[];
  clusters: ResolvedCluster[];
  /**
   * The spec as written. The tree keeps each level apart (fleet defaults in `base/`, an
   * environment's settings in `overlays/<env>/`, a cluster's in its overlay), so generation
   * reads the levels as well as the merged result.
   */
  spec: FleetSpec;
  /** Where the spec came from, for messages and for paths relative to it. */
  file: string;
}

/** One file of the generated tree, its path relative to the fleet repository's root (POSIX separators). */
export interface GeneratedFile {
  path: string;
  content: string;
}
