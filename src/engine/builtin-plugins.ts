import { BuildError } from '../errors.js';
import type { FieldSpec } from './fieldspec.js';
import type { MergeSchemaSet } from './merge/schema.js';
import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { foldFieldNames, type SchemaNode } from './kustomization.js';
import { builtinPluginSchemas } from './kustomization-schema.js';
import type { Loader } from './loader.js';
import type { Resource } from './resource.js';
import type { GeneratorArgs, HelmChart, Image, Patch, Replacement, Replica, SecretArgs, Transformer } from './types.js';
import { annotationsTransformer } from './filters/annotations.js';
import { hashSuffixTransformer } from './filters/hash-suffix.js';
import { imageTransformer } from './filters/images.js';
import { labelTransformer } from './filters/labels.js';
import { namespaceTransformer, type NamespaceOptions } from './filters/namespace.js';
import { patchesJson6902Transformer, patchesStrategicMergeTransformer, patchTransformer } from './filters/patch.js';
import { prefixTransformer, suffixTransformer } from './filters/prefix-suffix.js';
import { replacementTransformer } from './filters/replacements.js';
import { replicaCountTransformer } from './filters/replicas.js';
import { generateConfigMaps } from './generators/configmap.js';
import { inflateHelmChart, type HelmSettings } from './generators/helm.js';
import { generateSecrets } from './generators/secret.js';

/**
 * kustomize's builtin plugins as they can be configured in a kustomization's `transformers:` and
 * `generators:` lists (`apiVersion: builtin`). The kustomization fields and these configs drive
 * the same filters; only the config shape differs.
 */
export interface PluginEnv {
  loader: Loader;
  helm: HelmSettings;
  mergeSchemas: MergeSchemaSet;
}

type Config = JsonObject;
const str = (c: Config, k: string): string => (typeof c[k] === 'string' ? (c[k] as string) : '');
const fieldSpecs = (c: Config): FieldSpec[] => (Array.isArray(c.fieldSpecs) ? (c.fieldSpecs as unknown as FieldSpec[]) : []);
const stringMap = (v: JsonValue | undefined): Record<string, string> => (isObject(v) ? (v as Record<string, string>) : {});
const as = <T>(v: JsonValue | undefined): T => v as unknown as T;

const TRANSFORMERS: Record<string, (c: Config, env: PluginEnv) => Transformer> = {
  PatchTransformer: (c, env) => patchTransformer([as<Patch>(c)], env.loader, env.mergeSchemas),
  PatchStrategicMergeTransformer: (c, env) => {
    const paths = Array.isArray(c.paths) ? (c.paths as string[]) : [];
    return patchesStrategicMergeTransformer(typeof c.patches === 'string' ? [...paths, c.patches] : paths, env.loader, env.mergeSchemas);
  },
  PatchJson6902Transformer: (c, env) =>
    patchesJson6902Transformer([{ ...(isObject(c.target) ? { target: as(c.target) } : {}), ...(c.path ? { path: str(c, 'path') } : {}), ...(c.jsonOp ? { patch: str(c, 'jsonOp') } : {}) }], env.loader),
  NamespaceTransformer: (c) =>
    namespaceTransformer(str(stringMap(c.metadata) as unknown as Config, 'namespace'), fieldSpecs(c), {
      ...(c.unsetOnly === true ? { unsetOnly: true } : {}),
      ...(typeof c.setRoleBindingSubjects === 'string' ? { setRoleBindingSubjects: c.setRoleBindingSubjects as NamespaceOptions['setRoleBindingSubjects'] } : {}),
    }),
  PrefixSuffixTransformer: (c) => {
    const prefix = prefixTransformer(str(c, 'prefix'), fieldSpecs(c));
    const suffix = suffixTransformer(str(c, 'suffix'), fieldSpecs(c));
    return (resources) => {
      prefix(resources);
      suffix(resources);
    };
  },
  PrefixTransformer: (c) => prefixTransformer(str(c, 'prefix'), fieldSpecs(c)),
  SuffixTransformer: (c) => suffixTransformer(str(c, 'suffix'), fieldSpecs(c)),
  LabelTransformer: (c) => labelTransformer(stringMap(c.labels), fieldSpecs(c)),
  AnnotationsTransformer: (c) => annotationsTransformer(stringMap(c.annotations), fieldSpecs(c)),
  ImageTagTransformer: (c) => imageTransformer(as<Image>(c.imageTag ?? {}), fieldSpecs(c)),
  ReplicaCountTransformer: (c) => replicaCountTransformer(as<Replica>(c.replica ?? {}), fieldSpecs(c)),
  ReplacementTransformer: (c) => replacementTransformer(Array.isArray(c.replacements) ? as<Replacement[]>(c.replacements) : []),
  HashTransformer: () => hashSuffixTransformer,
};

const GENERATORS: Record<string, (c: Config, env: PluginEnv) => Resource[]> = {
  ConfigMapGenerator: (c, env) => generateConfigMaps([generatorArgs(c)], undefined, env.loader),
  SecretGenerator: (c, env) => generateSecrets([generatorArgs(c) as SecretArgs], undefined, env.loader),
  HelmChartInflationGenerator: (c, env) => inflateHelmChart(as<HelmChart>(c), { ...env.helm, ...helmGlobals(c) }, env.loader),
};

/** A generator config names its object in its own metadata. */
function generatorArgs(c: Config): GeneratorArgs {
  const { metadata, apiVersion: _a, kind: _k, ...rest } = c;
  const md = stringMap(metadata);
  return { ...as<GeneratorArgs>(rest), ...(md.name ? { name: md.name } : {}), ...(md.namespace ? { namespace: md.namespace } : {}) };
}

function helmGlobals(c: Config): Partial<HelmSettings> {
  return { ...(c.chartHome ? { chartHome: str(c, 'chartHome') } : {}), ...(c.configHome ? { configHome: str(c, 'configHome') } : {}) };
}

function pluginKind(config: Resource): string {
  const { apiVersion, kind } = config;
  if (apiVersion !== 'builtin' && !apiVersion.startsWith('builtin/')) {
    throw new BuildError(
      `plugin ${apiVersion}/${kind} '${config.name}' is not a builtin: capifleet runs kustomize's builtin plugins only (exec, container and Go plugins are not supported)`,
    );
  }
  return kind;
}

export function configureTransformer(config: Resource, env: PluginEnv): Transformer {
  const kind = pluginKind(config);
  const make = TRANSFORMERS[kind];
  // kustomize v5.5.0 cannot load SortOrderTransformer from a transformers list either
  if (!make) throw new BuildError(`'${kind}' is not a builtin transformer that a transformers list can load`);
  return make(pluginConfig(kind, config), env);
}

export function configureGenerator(config: Resource, env: PluginEnv): () => Resource[] {
  const kind = pluginKind(config);
  const make = GENERATORS[kind];
  if (!make) throw new BuildError(`'${kind}' is not a builtin generator`);
  return () => make(pluginConfig(kind, config), env);
}

/** kustomize decodes most builtin configs through Go's JSON decoder: field names match case-insensitively. */
function pluginConfig(kind: string, config: Resource): Config {
  const schema = builtinPluginSchemas[kind];
  return schema ? (foldFieldNames(config.obj, schema as SchemaNode) as Config) : config.obj;
}
