import { fieldSpecMatches, visitFieldSpec, wrongNodeKind, type FieldSpec } from '../fieldspec.js';
import { isObject, type JsonValue } from '../../json/value.js';
import { gvkSelects, type Gvk } from '../resid.js';
import type { Transformer } from '../types.js';

/** Kinds whose names kustomize never prefixes or suffixes (matched on the original id). */
const SKIPPED: Partial<Gvk>[] = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

/** kustomize's PrefixTransformer (`namePrefix:` with the namePrefix field specs). */
export function prefixTransformer(prefix: string, fieldSpecs: readonly FieldSpec[]): Transformer {
  return affixTransformer(prefix, fieldSpecs, 'prefix');
}

/** kustomize's SuffixTransformer (`nameSuffix:` with the nameSuffix field specs), run after the prefix. */
export function suffixTransformer(suffix: string, fieldSpecs: readonly FieldSpec[]): Transformer {
  return affixTransformer(suffix, fieldSpecs, 'suffix');
}

/**
 * Adds the affix to every field the specs reach (creating it, as the affix alone, where a spec says
 * so). Specs select kinds by the resource's original id. A change of metadata/name is recorded in
 * the build state (the affix, and the id before it) so name references can follow. kustomize does
 * not run the transformer for an empty kustomization field, so an empty affix does nothing.
 */
function affixTransformer(affix: string, fieldSpecs: readonly FieldSpec[], side: 'prefix' | 'suffix'): Transformer {
  return (resources) => {
    if (affix === '') return;
    for (const r of resources) {
      const original = r.orgId();
      if (SKIPPED.some((skip) => gvkSelects(skip, original))) continue;
      for (const fs of fieldSpecs) {
        if (!fieldSpecMatches(fs, original)) continue;
        if (fs.path === 'metadata/name') {
          (side === 'prefix' ? r.state.namePrefixes : r.state.nameSuffixes).push(affix);
          r.storePreviousId();
        }
        visitFieldSpec(
          r.obj,
          r.gvk,
          fs,
          (ref) => {
            const text = scalarText(ref.value);
            ref.set(side === 'prefix' ? affix + text : text + affix);
          },
          'scalar',
        );
      }
    }
  };
}

/** The text of a scalar field as YAML holds it; anything else is an error, as in kustomize. */
function scalarText(v: JsonValue): string {
  if (isObject(v) || Array.isArray(v)) throw wrongNodeKind('ScalarNode', v);
  return String(v);
}
