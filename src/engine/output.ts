import { BuildError } from '../errors.js';
import { emitDocument } from '../yaml/emit.js';
import type { Resource } from './resource.js';

/** The multi-document stream `kustomize build` prints: documents joined by `---`. */
export function renderYaml(resources: readonly Resource[]): string {
  return resources.map(emitResource).join('---\n');
}

function emitResource(r: Resource): string {
  try {
    return emitDocument(r.obj);
  } catch (e) {
    if (e instanceof BuildError && r.state.source) throw e.at(r.state.source.file, r.state.source.line);
    throw e;
  }
}
