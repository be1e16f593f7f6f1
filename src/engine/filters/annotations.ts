import type { FieldSpec } from '../fieldspec.js';
import type { Transformer } from '../types.js';
import { setMapEntries } from './map-entries.js';

/**
 * kustomize's AnnotationsTransformer (`commonAnnotations`): sets the annotations at every field
 * spec (metadata and pod templates by default) of every resource.
 */
export function annotationsTransformer(annotations: Record<string, string> | undefined, fieldSpecs: readonly FieldSpec[]): Transformer {
  return (resources) => {
    if (!annotations || Object.keys(annotations).length === 0) return;
    for (const r of resources) setMapEntries(r, annotations, fieldSpecs);
  };
}
