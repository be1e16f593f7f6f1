import type { JsonObject } from '../json/value.js';
import { parseApiVersion } from '../kubernetes/resource-key.js';
import { CAPI_GROUP } from '../kubernetes/api-groups.js';

/** The source kinds a Flux Kustomization's sourceRef may name. */
export const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);

/** Flux's source-watcher: composes ExternalArtifacts from other sources. */
export const ARTIFACT_GENERATOR = { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator' };

/** The bootstrap source and Kustomization, as `flux bootstrap` names them. */
export const BOOTSTRAP = { namespace: 'flux-system', name: 'flux-system', sourceKind: 'GitRepository' };

export function groupOf(obj: JsonObject): string {
  return typeof obj.apiVersion === 'string' ? parseApiVersion(obj.apiVersion).group : '';
}

/**
 * Whether an object of this kind may decide what the cluster graph builds and where it applies
 * it, conservatively: every Flux object (Kustomizations, sources, HelmReleases, FluxInstances,
 * ArtifactGenerators), every ConfigMap and Secret (substituteFrom, valuesFrom, kubeConfig secrets)
 * and CAPI Clusters (they name the clusters kubeConfig secrets reach).
 */
export function shapesClusterGraph(group: string, kind: string): boolean {
  return group.includes('fluxcd') || (group === '' && (kind === 'ConfigMap' || kind === 'Secret')) || (group === CAPI_GROUP && kind === 'Cluster');
}
