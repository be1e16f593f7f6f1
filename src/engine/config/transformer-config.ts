import { BuildError } from '../../errors.js';
import type { FieldSpec } from '../fieldspec.js';
import type { NameBackReferences } from './name-reference.js';
import { compareGoStrings } from '../../json/value.js';
import { gvkEquals, gvkSelects, type Gvk } from '../resid.js';
import { DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST } from '../filters/sort.js';

/**
 * kustomize's TransformerConfig: for each field-driven transformer, the fields it touches. The
 * built-in defaults, `configurations:` files and `crds:` all produce one; they are merged along
 * the build. Treat values as immutable: merging returns new lists.
 */
export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  /** Accepted and merged as kustomize does, but no built-in transformer reads it. */
  labels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReferences[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

/** The field-spec lists of a TransformerConfig (all but nameReference). */
export const FIELD_SPEC_LISTS = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonAnnotations',
  'commonLabels',
  'labels',
  'templateLabels',
  'varReference',
  'images',
  'replicas',
] as const;
export type FieldSpecList = (typeof FIELD_SPEC_LISTS)[number];

/** The names kustomize gives the lists in its merge errors. */
const MERGE_ERROR_NAMES: Record<FieldSpecList | 'nameReference', string> = {
  namePrefix: 'NamePrefix',
  nameSuffix: 'NameSuffix',
  namespace: 'NameSpace',
  commonAnnotations: 'CommonAnnotations',
  commonLabels: 'CommonLabels',
  labels: 'Labels',
  templateLabels: 'TemplateLabels',
  varReference: 'VarReference',
  nameReference: 'NameReference',
  images: 'Images',
  replicas: 'Replicas',
};

export function emptyTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    labels: [],
    templateLabels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}

/** A shared empty config, so merges with "nothing" hit the merge memo. Never mutate it. */
export const NO_TRANSFORMER_CONFIG: TransformerConfig = emptyTransformerConfig();

function gvkOf(x: { group?: string; version?: string; kind?: string }): Gvk {
  return { group: x.group ?? '', version: x.version ?? '', kind: x.kind ?? '' };
}

/**
 * kustomize's FsSlice.MergeAll: appends each incoming spec unless one with the same path whose
 * kind the incoming one selects (its empty gvk fields are wildcards) is already there; such a
 * pair that disagrees on `create` is an error.
 */
export function mergeFieldSpecs(base: readonly FieldSpec[], incoming: readonly FieldSpec[]): FieldSpec[] {
  const out = [...base];
  for (const fs of incoming) {
    const existing = out.find((x) => x.path === fs.path && gvkSelects(gvkOf(fs), gvkOf(x)));
    if (!existing) out.push(fs);
    else if ((existing.create ?? false) !== (fs.create ?? false)) throw new BuildError('conflicting fieldspecs');
  }
  return out;
}

/** Merges name references: referrers of the same target gvk are combined, new targets appended. */
export function mergeNameReferences(
  base: readonly NameBackReferences[],
  incoming: readonly NameBackReferences[],
): NameBackReferences[] {
  let out = [...base];
  for (const ref of incoming) {
    let found = false;
    out = out.map((x) => {
      if (!gvkEquals(gvkOf(x), gvkOf(ref))) return x;
      found = true;
      return { ...x, fieldSpecs: mergeFieldSpecs(x.fieldSpecs, ref.fieldSpecs) };
    });
    if (!found) out.push(ref);
  }
  return out;
}

const KIND_RANK = new Map<string, number>([
  ...DEFAULT_ORDER_FIRST.map((k, i): [string, number] => [k, i - DEFAULT_ORDER_FIRST.length]),
  ...DEFAULT_ORDER_LAST.map((k, i): [string, number] => [k, i + 1]),
]);

/** kustomize's Gvk.IsLessThan: the legacy kind order, then `group_version_kind` (`~G`, `~V`, `~K` when empty). */
function compareGvk(a: Gvk, b: Gvk): number {
  const rank = (KIND_RANK.get(a.kind) ?? 0) - (KIND_RANK.get(b.kind) ?? 0);
  if (rank !== 0) return rank;
  const key = (g: Gvk): string => `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
  return compareGoStrings(key(a), key(b));
}

/** kustomize keeps every list ordered by gvk after loading or merging (stable for equal gvks). */
export function sortTransformerConfig(c: TransformerConfig): TransformerConfig {
  const byGvk = <T extends { group?: string; version?: string; kind?: string }>(list: T[]): T[] =>
    [...list].sort((a, b) => compareGvk(gvkOf(a), gvkOf(b)));
  const out = { ...c, nameReference: byGvk(c.nameReference) };
  for (const key of FIELD_SPEC_LISTS) out[key] = byGvk(c[key]);
  return out;
}

const mergeMemo = new WeakMap<TransformerConfig, WeakMap<TransformerConfig, TransformerConfig>>();

/**
 * kustomize's TransformerConfig.Merge: every list merged without duplicates, then sorted. Configs
 * are immutable, so each pair is merged once per process (a fleet merges the same defaults and
 * base configs for every overlay).
 */
export function mergeTransformerConfigs(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  let byB = mergeMemo.get(a);
  if (!byB) mergeMemo.set(a, (byB = new WeakMap()));
  let merged = byB.get(b);
  if (!merged) byB.set(b, (merged = mergeConfigs(a, b)));
  return merged;
}

function mergeConfigs(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  const merged = emptyTransformerConfig();
  const attempt = (name: FieldSpecList | 'nameReference', merge: () => void): void => {
    try {
      merge();
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      throw new BuildError(`failed to merge ${MERGE_ERROR_NAMES[name]} fieldSpec: ${e.message}`);
    }
  };
  for (const key of FIELD_SPEC_LISTS) attempt(key, () => (merged[key] = mergeFieldSpecs(a[key], b[key])));
  attempt('nameReference', () => (merged.nameReference = mergeNameReferences(a.nameReference, b.nameReference)));
  return sortTransformerConfig(merged);
}
