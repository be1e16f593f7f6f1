import type { TransformerConfig } from '../config/transformer-config.js';
import { mergeFieldSpecs } from '../config/transformer-config.js';
import type { FieldSpec } from '../fieldspec.js';
import type { Label, Transformer } from '../types.js';
import { setMapEntries } from './map-entries.js';

/** kustomize's LabelTransformer: sets the labels at every field spec of every resource. */
export function labelTransformer(labels: Record<string, string> | undefined, fieldSpecs: readonly FieldSpec[]): Transformer {
  return (resources) => {
    if (!labels || Object.keys(labels).length === 0) return;
    for (const r of resources) setMapEntries(r, labels, fieldSpecs);
  };
}

/**
 * Where one `labels:` entry applies: its own `fields` and the `labels` specs of `configurations:`
 * files, plus every label selector and template (`includeSelectors`, as commonLabels), or else
 * templates (`includeTemplates`) and metadata.labels. Conflicting specs (same field, different
 * `create`) are an error, as in kustomize.
 */
export function labelEntryFieldSpecs(label: Label, config: TransformerConfig): FieldSpec[] {
  const own = mergeFieldSpecs(label.fields ?? [], config.labels);
  if (label.includeSelectors) return mergeFieldSpecs(own, config.commonLabels);
  const templates = label.includeTemplates ? mergeFieldSpecs(own, config.templateLabels) : own;
  return mergeFieldSpecs(templates, [{ path: 'metadata/labels', create: true }]);
}

/**
 * The label transformers of a kustomization in kustomize's order: one per `labels:` entry, then
 * `commonLabels` (selectors and templates included), so commonLabels wins a shared key.
 */
export function kustomizationLabelTransformers(
  labels: readonly Label[] | undefined,
  commonLabels: Record<string, string> | undefined,
  config: TransformerConfig,
): Transformer[] {
  return [
    ...(labels ?? []).map((label) => labelTransformer(label.pairs, labelEntryFieldSpecs(label, config))),
    labelTransformer(commonLabels, config.commonLabels),
  ];
}
