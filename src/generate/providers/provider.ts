import type { JsonObject } from '../../json/value.js';
import type { Provider, ResolvedCluster } from '../../fleet/types.js';

/** Which objects a provider-wide patch applies to, as in a kustomization's patch `target`. */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind: string;
}

/** A strategic-merge patch the provider's base applies to every cluster of the provider. */
export interface ProviderPatch {
  target: PatchTarget;
  patch: JsonObject;
}

/**
 * One infrastructure provider: how a cluster's settings become the CAPI and provider objects the
 * management cluster needs. Pure: the same cluster always yields the same objects.
 */
export interface ProviderModule {
  provider: Provider;
  /** For providers deprecated upstream: the warning `generate` prints for each cluster using it. */
  deprecation?: string;
  /**
   * Every object one cluster needs, with final names and without `metadata.namespace` (the
   * cluster's overlay sets the namespace). What is the same for every cluster of the provider is
   * left to `basePatches`, so a cluster's file holds only what is its own.
   */
  clusterObjects(cluster: ResolvedCluster): JsonObject[];
  /** Defaults shared by every cluster of the provider, applied by the provider's base (a Kustomize Component). */
  basePatches(cluster: Pick<ResolvedCluster, 'capiVersion'>): ProviderPatch[];
}
