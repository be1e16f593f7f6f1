import { BuildError } from '../../errors.js';
import { yamlLibrary } from '../../libraries.js';
import type { FieldSpec } from '../fieldspec.js';
import { hasKey, isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import type { Loader } from '../loader.js';
import {
  emptyTransformerConfig,
  mergeFieldSpecs,
  mergeNameReferences,
  mergeTransformerConfigs,
  NO_TRANSFORMER_CONFIG,
  type TransformerConfig,
} from './transformer-config.js';

/*
 * kustomize's `crds:` field (LoadConfigFromCRDs). Each file is a map of OpenAPI definitions by
 * type name ({"<pkg>.<Kind>": {"Schema": {...}}}), as generated for Go types. Definitions that look
 * like Kubernetes objects (kind, apiVersion and metadata properties) contribute field specs for
 * their Kind from string-valued vendor extensions on their properties, following `$ref`s to
 * other definitions in the same file:
 *   x-kubernetes-annotation      -> commonAnnotations
 *   x-kubernetes-label-selector  -> commonLabels
 *   x-kubernetes-identity        -> namePrefix
 *   x-kubernetes-object-ref-api-version + x-kubernetes-object-ref-kind
 *                                -> nameReference of that version and kind, at the property's
 *                                   x-kubernetes-object-ref-name-key (default `name`)
 * Extension keys must be written in lower case: kustomize looks them up lower-cased but stores
 * them as written.
 */

type Definitions = Map<string, JsonObject>;

export function loadCrdConfig(loader: Loader, crds: readonly string[] | undefined): TransformerConfig {
  if (!crds?.length) return NO_TRANSFORMER_CONFIG;
  let config = emptyTransformerConfig();
  try {
    for (const ref of crds ?? []) {
      const defs = parseDefinitions(loader.load(ref), ref);
      config = mergeTransformerConfigs(config, configFromDefinitions(defs));
    }
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    throw new BuildError(`loading CRDs [${(crds ?? []).join(' ')}]: ${e.message}`, e.file, e.line);
  }
  return config;
}

function parseDefinitions(bytes: Buffer, ref: string): Definitions {
  const text = bytes.toString('utf8');
  if (text.length === 0) throw new BuildError(`unable to parse open API definition from '${ref}': empty file`);
  let value: JsonValue;
  try {
    value = text[0] === '{' ? (JSON.parse(text) as JsonValue) : parseYaml11(text);
  } catch (e) {
    throw new BuildError(`unable to parse open API definition from '${ref}': ${(e as Error).message.split('\n')[0]}`);
  }
  const defs: Definitions = new Map();
  if (value === null) return defs;
  if (!isObject(value)) throw new BuildError(`unable to parse open API definition from '${ref}': json: cannot unmarshal ${typeof value} into Go value of type accumulator.nameToApiMap`);
  for (const [name, def] of Object.entries(value)) {
    const schema = isObject(def) ? fieldFolded(def, 'Schema') : undefined;
    defs.set(name, isObject(schema) ? schema : {});
  }
  return defs;
}

function parseYaml11(text: string): JsonValue {
  const doc = yamlLibrary().parseDocument(text, { version: '1.1', uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  return (doc.toJS() ?? null) as JsonValue;
}

/** A Go struct field as encoding/json finds it: exact name first, else case-insensitively. */
function fieldFolded(obj: JsonObject, name: string): JsonValue | undefined {
  if (hasKey(obj, name)) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

function propertiesOf(schema: JsonObject): JsonObject {
  const p = schema.properties;
  return isObject(p) ? p : {};
}

function looksLikeKubernetesType(schema: JsonObject): boolean {
  const p = propertiesOf(schema);
  return hasKey(p, 'kind') && hasKey(p, 'apiVersion') && hasKey(p, 'metadata');
}

function configFromDefinitions(defs: Definitions): TransformerConfig {
  let config = emptyTransformerConfig();
  for (const [name, schema] of defs) {
    if (!looksLikeKubernetesType(schema)) continue;
    const kind = name.split('.').pop()!;
    const one = emptyTransformerConfig();
    addDefinition(one, kind, defs, name, [], new Set());
    config = mergeTransformerConfigs(config, one);
  }
  return config;
}

function extension(property: JsonObject, key: string): string | undefined {
  const v = property[key];
  return typeof v === 'string' ? v : undefined;
}

function addDefinition(config: TransformerConfig, kind: string, defs: Definitions, typeName: string, path: string[], visiting: Set<string>): void {
  const schema = defs.get(typeName);
  if (!schema) return;
  if (visiting.has(typeName)) throw new BuildError(`definition '${typeName}' refers to itself`);
  visiting.add(typeName);
  for (const [prop, property] of Object.entries(propertiesOf(schema))) {
    if (!isObject(property)) continue;
    const at = (...p: string[]): FieldSpec => ({ kind, path: [...path, ...p].join('/') });
    if (extension(property, 'x-kubernetes-annotation') !== undefined) config.commonAnnotations = mergeFieldSpecs(config.commonAnnotations, [at(prop)]);
    if (extension(property, 'x-kubernetes-label-selector') !== undefined) config.commonLabels = mergeFieldSpecs(config.commonLabels, [at(prop)]);
    if (extension(property, 'x-kubernetes-identity') !== undefined) config.namePrefix = mergeFieldSpecs(config.namePrefix, [at(prop)]);
    const version = extension(property, 'x-kubernetes-object-ref-api-version');
    const refKind = extension(property, 'x-kubernetes-object-ref-kind');
    if (version !== undefined && refKind !== undefined) {
      const nameKey = extension(property, 'x-kubernetes-object-ref-name-key') ?? 'name';
      const target = { ...(refKind ? { kind: refKind } : {}), ...(version ? { version } : {}) };
      config.nameReference = mergeNameReferences(config.nameReference, [{ ...target, fieldSpecs: [at(prop, nameKey)] }]);
    }
    const ref = property.$ref;
    if (typeof ref === 'string') addDefinition(config, kind, defs, ref, [...path, prop], visiting);
  }
  visiting.delete(typeName);
}
