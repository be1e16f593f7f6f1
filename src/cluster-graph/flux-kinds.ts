import type { JsonObject } from '../json/value.js';
import { parseApiVersion } from '../kubernetes/resource-key.js';

/** The source kinds a Flux Kustomization's sourceRef may name. */
export const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);

/** Flux's source-watcher: composes ExternalArtifacts from other sources. */
export const ARTIFACT_GENERATOR = { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator' };

/** The bootstrap source and Kustomization, as `flux bootstrap` names them. */
export const BOOTSTRAP = { namespace: 'flux-system', name: 'flux-system', sourceKind: 'GitRepository' };

export function groupOf(obj: JsonObject): string {
  return typeof obj.apiVersion === 'string' ? parseApiVersion(obj.apiVersion).group : '';
}
