import { emitDocument } from '../yaml/emit.js';
import type { Resource } from './resource.js';

/** The multi-document stream `kustomize build` prints: documents joined by `---`. */
export function renderYaml(resources: readonly Resource[]): string {
  return resources.map((r) => emitDocument(r.obj)).join('---\n');
}
