import type { FieldSpec } from './fieldspec.js';
import type { JsonObject } from '../json/value.js';
import type { Gvk } from './resid.js';
import type { ResMap } from './resmap.js';

/** A kustomization feature applied to a whole build, in place (kustomize's resmap.Transformer). */
export type Transformer = (resources: ResMap) => void;

/** Selects resources by id fields, regex-capable names, and label/annotation selectors. */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface Patch {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface Image {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export interface Replica {
  name: string;
  count: number;
}

export interface Label {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  /** deprecated single-file form of envs */
  env?: string;
  options?: GeneratorOptions;
}

export interface SecretArgs extends GeneratorArgs {
  type?: string;
}

/** A target of a var or replacement source/target: kustomize's ObjectReference-ish shape. */
export interface VarTarget {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface Var {
  name: string;
  objref: VarTarget & { group?: string; version?: string };
  fieldref?: { fieldPath?: string };
}

export interface ReplacementSource extends Partial<Gvk> {
  name?: string;
  namespace?: string;
  fieldPath?: string;
  options?: ReplacementOptions;
}

export interface ReplacementOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface ReplacementTarget {
  select?: Selector;
  reject?: Selector[];
  fieldPaths?: string[];
  options?: ReplacementOptions;
}

export interface Replacement {
  source?: ReplacementSource;
  targets?: ReplacementTarget[];
}

/** An entry of `replacements`: inline, or a path to a file of replacements. */
export interface ReplacementField extends Replacement {
  path?: string;
}

export interface HelmChart {
  name?: string;
  version?: string;
  repo?: string;
  releaseName?: string;
  namespace?: string;
  valuesFile?: string;
  valuesInline?: JsonObject;
  valuesMerge?: string;
  additionalValuesFiles?: string[];
  includeCRDs?: boolean;
  skipHooks?: boolean;
  apiVersions?: string[];
  kubeVersion?: string;
  nameTemplate?: string;
  skipTests?: boolean;
  [key: string]: unknown;
}

export interface SortOptions {
  order?: 'legacy' | 'fifo';
  legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
}

/**
 * A kustomization file after legacy fields were folded into their successors
 * (bases → resources, patchesStrategicMerge/patchesJson6902 → patches, imageTags → images,
 * commonLabels → labels stays separate because its selector behaviour differs).
 */
export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: JsonObject;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: Label[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: Patch[];
  patches?: Patch[];
  images?: Image[];
  replacements?: ReplacementField[];
  replicas?: Replica[];
  vars?: Var[];
  sortOptions?: SortOptions;
  resources?: string[];
  components?: string[];
  crds?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: SecretArgs[];
  helmGlobals?: { chartHome?: string; configHome?: string };
  helmCharts?: HelmChart[];
  generatorOptions?: GeneratorOptions;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
}
