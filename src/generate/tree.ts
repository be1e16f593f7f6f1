/**
 * STUB for the `writer` branch, so `capifleet generate` builds before the `layout` branch lands.
 * The lead takes the `layout` branch's version of this file at merge; only the signature is shared.
 */
import type { GeneratedFile, ResolvedFleet } from '../fleet/types.js';

export function generateTree(fleet: ResolvedFleet): { files: GeneratedFile[]; warnings: string[] } {
  const files: GeneratedFile[] = [{ path: 'base/flux/kustomization.yaml', content: `namespace: ${fleet.namespace}\n` }];
  for (const c of fleet.clusters) {
    files.push({ path: `overlays/${c.environment}/${c.name}/kustomization.yaml`, content: `namePrefix: ${c.name}-\nresources:\n  - ../../../base/flux\n` });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const warnings = fleet.clusters.filter((c) => c.provider === 'aks-azuremanaged').map((c) => `cluster ${c.name}: provider aks-azuremanaged is deprecated`);
  return { files, warnings };
}
