import type { JsonObject } from '../engine/json.js';
import { parseApiVersion } from '../engine/resid.js';

export const FLUX_KUSTOMIZATION_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const CAPI_GROUP = 'cluster.x-k8s.io';
/** Flux's source-watcher: composes ExternalArtifacts from other sources. */
export const ARTIFACT_GENERATOR = { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator' };

/** The source kinds a Flux Kustomization's sourceRef may name. */
export const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);

/** The bootstrap source and Kustomization, as `flux bootstrap` and a FluxInstance's sync name them. */
export const BOOTSTRAP = { namespace: 'flux-system', name: 'flux-system' };

export function groupOf(obj: JsonObject): string {
  return typeof obj.apiVersion === 'string' ? parseApiVersion(obj.apiVersion).group : '';
}
