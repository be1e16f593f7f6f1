/**
 * JSON Schema of a kustomization file as kustomize v5.5.0 decodes it: Go structs decoded with
 * unknown fields disallowed, so every object here is closed; `null` is accepted wherever Go
 * would leave a zero value.
 */
const str = { type: ['string', 'null'] };
const bool = { type: ['boolean', 'null'] };
const int = { type: ['integer', 'null'] };
const strList = { type: ['array', 'null'], items: str };
const strMap = { type: ['object', 'null'], additionalProperties: str };
const closed = (properties: Record<string, unknown>) => ({
  type: ['object', 'null'],
  properties,
  additionalProperties: false,
});
const listOf = (items: unknown) => ({ type: ['array', 'null'], items });

const gvk = { group: str, version: str, kind: str };
const resId = { ...gvk, name: str, namespace: str };
const fieldSpec = closed({ ...gvk, path: str, create: bool });
const fieldSpecs = listOf(fieldSpec);
const image = closed({ name: str, newName: str, newTag: str, digest: str, tagSuffix: str });
const selector = closed({ ...resId, labelSelector: str, annotationSelector: str });
const patch = closed({ path: str, patch: str, target: selector, options: { type: ['object', 'null'], additionalProperties: bool } });
const generatorOptions = closed({ labels: strMap, annotations: strMap, disableNameSuffixHash: bool, immutable: bool });
const generatorArgs = {
  namespace: str,
  name: str,
  behavior: str,
  literals: strList,
  files: strList,
  envs: strList,
  env: str,
  options: generatorOptions,
};
const fieldOptions = closed({ delimiter: str, index: int, encoding: str, create: bool });
const replacement = {
  source: closed({ ...resId, fieldPath: str, options: fieldOptions }),
  targets: listOf(closed({ select: selector, reject: listOf(selector), fieldPaths: strList, options: fieldOptions })),
};
/** One replacement, as a file named by `replacements: - path:` holds it. */
export const replacementSchema = closed(replacement);
/** The `replacements` field: replacements inline, or the files that hold them. */
const replacements = listOf(closed({ ...replacement, path: str }));
const helmChart = closed({
  name: str,
  version: str,
  repo: str,
  releaseName: str,
  namespace: str,
  additionalValuesFiles: strList,
  valuesFile: str,
  valuesInline: { type: ['object', 'null'] },
  valuesMerge: str,
  includeCRDs: bool,
  skipHooks: bool,
  apiVersions: strList,
  kubeVersion: str,
  nameTemplate: str,
  skipTests: bool,
  devel: bool,
});
const helmChartArgs = closed({
  chartName: str,
  chartVersion: str,
  chartRepoUrl: str,
  chartHome: str,
  chartRepoName: str,
  helmBin: str,
  helmHome: str,
  values: str,
  valuesLocal: { type: ['object', 'null'] },
  valuesMerge: str,
  releaseName: str,
  releaseNamespace: str,
  extraArgs: strList,
});

export const kustomizationSchema = closed({
  apiVersion: str,
  kind: str,
  metadata: closed({ name: str, namespace: str, labels: strMap, annotations: strMap }),
  openapi: strMap,
  namePrefix: str,
  nameSuffix: str,
  namespace: str,
  commonLabels: strMap,
  labels: listOf(closed({ pairs: strMap, includeSelectors: bool, includeTemplates: bool, fields: fieldSpecs })),
  commonAnnotations: strMap,
  patchesStrategicMerge: strList,
  patchesJson6902: listOf(patch),
  patches: listOf(patch),
  images: listOf(image),
  imageTags: listOf(image),
  replacements,
  replicas: listOf(closed({ name: str, count: int })),
  vars: listOf(
    closed({
      name: str,
      objref: closed({ ...gvk, apiVersion: str, name: str, namespace: str }),
      fieldref: closed({ fieldPath: str }),
    }),
  ),
  sortOptions: closed({
    order: str,
    legacySortOptions: closed({ orderFirst: strList, orderLast: strList }),
  }),
  resources: strList,
  components: strList,
  crds: strList,
  bases: strList,
  configMapGenerator: listOf(closed(generatorArgs)),
  secretGenerator: listOf(closed({ ...generatorArgs, type: str })),
  helmGlobals: closed({ chartHome: str, configHome: str }),
  helmCharts: listOf(helmChart),
  helmChartInflationGenerator: listOf(helmChartArgs),
  generatorOptions,
  configurations: strList,
  generators: strList,
  transformers: strList,
  validators: strList,
  inventory: { type: ['object', 'null'] },
  buildMetadata: strList,
});

/**
 * The fields of kustomize's builtin plugin configs (`transformers:`/`generators:` entries), for
 * matching their names as Go's JSON decoder does. PrefixSuffixTransformer is absent on purpose:
 * kustomize decodes its config with exact YAML field names.
 */
export const builtinPluginSchemas: Record<string, unknown> = {
  AnnotationsTransformer: closed({ annotations: strMap, fieldSpecs }),
  LabelTransformer: closed({ labels: strMap, fieldSpecs }),
  NamespaceTransformer: closed({ fieldSpecs, unsetOnly: bool, setRoleBindingSubjects: str }),
  ImageTagTransformer: closed({ imageTag: image, fieldSpecs }),
  ReplicaCountTransformer: closed({ replica: closed({ name: str, count: int }), fieldSpecs }),
  PatchTransformer: patch,
  PatchJson6902Transformer: closed({ target: selector, path: str, jsonOp: str }),
  PatchStrategicMergeTransformer: closed({ paths: strList, patches: str }),
  ReplacementTransformer: closed({ replacements }),
  ConfigMapGenerator: closed(generatorArgs),
  SecretGenerator: closed({ ...generatorArgs, type: str }),
  HelmChartInflationGenerator: closed({ ...helmChart.properties, chartHome: str, configHome: str }),
  IAMPolicyGenerator: closed({ cloud: str, kubernetesService: closed({ name: str, namespace: str }), serviceAccount: closed({ name: str, projectId: str }) }),
};
