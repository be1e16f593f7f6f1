import { BuildError } from '../errors.js';
import { hasKey, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { joinPointer } from '../json/pointer.js';
import { FORMATS } from './formats.js';
import { OBJECT_META_DEF, OBJECT_META_REF, OBJECT_META_SCHEMA } from './object-meta.js';

/** A JSON Schema being built; key order is the order of assignment, so output is stable. */
export type Schema = { [keyword: string]: unknown };

/** One served version of a CRD as a JSON Schema of the whole object. */
export interface ConvertedVersion {
  apiVersion: string;
  kind: string;
  deprecated: boolean;
  deprecationWarning?: string;
  schema: Schema;
}

/** Where a CRD document was read from, for error messages. */
export interface CrdLocation {
  file: string;
  /** line of the document */
  line: number;
  /** line of each node by JSON pointer, when the parser recorded them */
  lines?: ReadonlyMap<string, number>;
}

/**
 * Converts an apiextensions.k8s.io/v1 CustomResourceDefinition into one JSON Schema per served
 * version (see convertNode for the rules). Every problem is a BuildError naming the file and
 * the line of the offending node.
 */
export function convertCrd(crd: JsonValue, where: CrdLocation): ConvertedVersion[] {
  const fail = (message: string, pointer = ''): never => {
    throw new BuildError(message, where.file, where.lines?.get(pointer) ?? where.line);
  };
  if (!isObject(crd)) return fail('a CustomResourceDefinition must be a mapping');
  if (crd.kind !== 'CustomResourceDefinition') return fail(`not a CustomResourceDefinition (kind: ${String(crd.kind)})`, '/kind');
  if (crd.apiVersion !== 'apiextensions.k8s.io/v1') {
    return fail(`unsupported CustomResourceDefinition apiVersion ${String(crd.apiVersion)}; expected apiextensions.k8s.io/v1`, '/apiVersion');
  }
  const spec = crd.spec;
  if (!isObject(spec)) return fail('CustomResourceDefinition has no spec');
  const group = spec.group;
  const kind = isObject(spec.names) ? spec.names.kind : undefined;
  if (typeof group !== 'string' || group === '') return fail('spec.group must be a non-empty string', '/spec');
  if (typeof kind !== 'string' || kind === '') return fail('spec.names.kind must be a non-empty string', '/spec/names');
  if (!Array.isArray(spec.versions)) return fail('spec.versions must be a list', '/spec');

  const out: ConvertedVersion[] = [];
  spec.versions.forEach((version, i) => {
    const at = `/spec/versions/${i}`;
    if (!isObject(version) || typeof version.name !== 'string') return fail('a version needs a name', at);
    if (version.served !== true) return;
    const openApi = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (!isObject(openApi)) return fail(`version ${version.name} has no schema.openAPIV3Schema`, at);
    const apiVersion = `${group}/${version.name}`;
    const converted: ConvertedVersion = {
      apiVersion,
      kind,
      deprecated: version.deprecated === true,
      schema: rootSchema(apiVersion, kind, openApi, (message, pointer) => fail(message, `${at}/schema/openAPIV3Schema${pointer}`)),
    };
    if (typeof version.deprecationWarning === 'string') converted.deprecationWarning = version.deprecationWarning;
    out.push(converted);
  });
  return out;
}

type Fail = (message: string, pointer: string) => never;

/** The schema of a whole object: the CRD's schema with apiVersion, kind and a strict ObjectMeta. */
function rootSchema(apiVersion: string, kind: string, openApi: JsonObject, fail: Fail): Schema {
  const converted = convertNode(openApi, '', 'structural', fail);
  const crdProperties = (converted.properties ?? {}) as Schema;
  const properties: Schema = {
    apiVersion: { type: 'string', enum: [apiVersion] },
    kind: { type: 'string', enum: [kind] },
    metadata: metadataSchema(crdProperties.metadata as Schema | undefined),
  };
  for (const [name, schema] of Object.entries(crdProperties)) {
    if (!hasKey(properties as JsonObject, name)) properties[name] = schema;
  }
  const required = ['apiVersion', 'kind', ...((converted.required as string[] | undefined) ?? []).filter((r) => r !== 'apiVersion' && r !== 'kind')];
  const { properties: _p, required: _r, type: _t, additionalProperties, ...rest } = converted;
  const preserveUnknown = converted['x-kubernetes-preserve-unknown-fields'] === true;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required,
    properties,
    ...(preserveUnknown ? {} : { additionalProperties: additionalProperties ?? false }),
    ...rest,
    definitions: { [OBJECT_META_DEF]: OBJECT_META_SCHEMA },
  };
}

/**
 * ObjectMeta, plus whatever the CRD itself says about metadata (usually nothing; some CRDs
 * limit metadata.name), checked side by side.
 */
function metadataSchema(crdMetadata: Schema | undefined): Schema {
  const extra = crdMetadata && { ...crdMetadata };
  if (extra) {
    delete extra.type;
    delete extra.additionalProperties;
  }
  if (!extra || Object.keys(extra).length === 0) return { $ref: OBJECT_META_REF };
  return { allOf: [{ $ref: OBJECT_META_REF }, extra] };
}

/**
 * `structural`: a node of the schema tree that says what fields exist; objects there reject
 * unknown fields. `value`: a branch of allOf/anyOf/oneOf/not, which only adds checks on a value
 * whose structure is defined elsewhere, so it must not forbid anything by itself.
 */
type Mode = 'structural' | 'value';

/** Keywords copied as they are (after checking their type). */
const SCALAR_KEYWORDS: readonly [string, 'number' | 'string' | 'boolean'][] = [
  ['pattern', 'string'],
  ['minLength', 'number'],
  ['maxLength', 'number'],
  ['minimum', 'number'],
  ['maximum', 'number'],
  ['multipleOf', 'number'],
  ['minItems', 'number'],
  ['maxItems', 'number'],
  ['uniqueItems', 'boolean'],
  ['minProperties', 'number'],
  ['maxProperties', 'number'],
];

const VALIDATION_RULE_FIELDS = ['rule', 'message', 'messageExpression', 'fieldPath', 'reason', 'optionalOldSelf'] as const;

/**
 * One OpenAPI v3 schema node of a CRD → JSON Schema draft-07. Keywords are read only where
 * they are keywords: the keys of `properties` are field names, copied verbatim even when they
 * look like keywords (ClusterClass variable schemas have fields named `x-kubernetes-validations`).
 * Descriptions, titles, examples and externalDocs are dropped.
 */
export function convertNode(node: JsonValue, pointer: string, mode: Mode, fail: Fail): Schema {
  if (!isObject(node)) return fail('a schema must be a mapping', pointer);
  const out: Schema = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  const nullable = node.nullable === true;

  let types: string[] | undefined;
  if (intOrString) types = ['integer', 'string'];
  else if (typeof node.type === 'string') types = [node.type];
  else if (node.type !== undefined) fail('type must be a string', `${pointer}/type`);
  if (types && nullable) types.push('null');
  if (types) out.type = types.length === 1 ? types[0] : types;

  if (Array.isArray(node.enum)) {
    out.enum = nullable && !node.enum.includes(null) ? [...node.enum.map(plain), null] : node.enum.map(plain);
  }
  for (const [keyword, type] of SCALAR_KEYWORDS) {
    const v = plain(node[keyword]);
    if (v === undefined) continue;
    if (typeof v !== type) fail(`${keyword} must be a ${type}`, `${pointer}/${keyword}`);
    out[keyword] = v;
  }
  // OpenAPI v3.0 writes exclusive bounds as booleans beside minimum/maximum; draft-07 as numbers.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (node[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    }
  }
  if (typeof node.format === 'string') applyFormat(out, node.format);

  if (node.required !== undefined) {
    if (!Array.isArray(node.required) || !node.required.every((r) => typeof r === 'string')) {
      fail('required must be a list of strings', `${pointer}/required`);
    }
    // The API server applies defaults before it validates: a required field with a default may be left out.
    const properties = isObject(node.properties) ? node.properties : {};
    const required = (node.required as string[]).filter((r) => !(isObject(properties[r] ?? null) && (properties[r] as JsonObject).default !== undefined));
    if (required.length > 0) out.required = required;
  }
  if (node.properties !== undefined) {
    if (!isObject(node.properties)) return fail('properties must be a mapping', `${pointer}/properties`);
    const properties: Schema = {};
    for (const name of Object.keys(node.properties)) {
      const child = convertNode(node.properties[name]!, joinPointer(`${pointer}/properties`, name), mode, fail);
      Object.defineProperty(properties, name, { value: child, enumerable: true, writable: true, configurable: true });
    }
    out.properties = properties;
  }
  if (embedded) addEmbeddedResourceFields(out);
  if (isObject(node.additionalProperties)) {
    out.additionalProperties = convertNode(node.additionalProperties, `${pointer}/additionalProperties`, mode, fail);
  } else if (typeof node.additionalProperties === 'boolean') {
    out.additionalProperties = node.additionalProperties;
  } else if (mode === 'structural' && !preserveUnknown && (types?.includes('object') || out.properties)) {
    out.additionalProperties = false;
  }
  if (node.items !== undefined) out.items = convertNode(node.items, `${pointer}/items`, mode, fail);

  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[combinator];
    if (branches === undefined || (intOrString && combinator === 'anyOf' && onlyTypeBranches(branches))) continue;
    if (!Array.isArray(branches)) return fail(`${combinator} must be a list`, `${pointer}/${combinator}`);
    const converted = branches.map((b, i) => convertNode(b, `${pointer}/${combinator}/${i}`, 'value', fail));
    out[combinator] = combinator === 'allOf' && Array.isArray(out.allOf) ? [...(out.allOf as Schema[]), ...converted] : converted;
  }
  if (node.not !== undefined) out.not = convertNode(node.not, `${pointer}/not`, 'value', fail);
  if (node.default !== undefined) out.default = plain(node.default);

  const listType = node['x-kubernetes-list-type'];
  if (typeof listType === 'string') {
    out['x-kubernetes-list-type'] = listType;
    if (listType === 'set') out.uniqueItems = true;
    if (listType === 'map') {
      const keys = node['x-kubernetes-list-map-keys'];
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string')) {
        fail('x-kubernetes-list-type map needs x-kubernetes-list-map-keys (a list of field names)', pointer);
      }
      out['x-kubernetes-list-map-keys'] = [...(keys as string[])];
    }
  }
  if (intOrString) out['x-kubernetes-int-or-string'] = true;
  if (preserveUnknown) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (embedded) out['x-kubernetes-embedded-resource'] = true;
  if (node['x-kubernetes-validations'] !== undefined) {
    out['x-kubernetes-validations'] = convertValidationRules(node['x-kubernetes-validations'], `${pointer}/x-kubernetes-validations`, fail);
  }
  return out;
}

/** Adds a format's range or pattern; a second pattern goes into allOf so both apply. */
function applyFormat(out: Schema, format: string): void {
  const constraint = FORMATS[format];
  if (!constraint) return;
  if (constraint.minimum !== undefined) out.minimum = Math.max(constraint.minimum, (out.minimum as number | undefined) ?? -Infinity);
  if (constraint.maximum !== undefined) out.maximum = Math.min(constraint.maximum, (out.maximum as number | undefined) ?? Infinity);
  if (constraint.pattern !== undefined) {
    if (out.pattern === undefined) out.pattern = constraint.pattern;
    else out.allOf = [...((out.allOf as Schema[] | undefined) ?? []), { pattern: constraint.pattern }];
  }
}

/**
 * An embedded resource (x-kubernetes-embedded-resource) is a whole object: apiVersion and kind
 * are required and metadata is an ObjectMeta, besides what the schema lists.
 */
function addEmbeddedResourceFields(out: Schema): void {
  const properties = (out.properties ?? {}) as Schema;
  out.properties = {
    apiVersion: properties.apiVersion ?? { type: 'string' },
    kind: properties.kind ?? { type: 'string' },
    metadata: metadataSchema(properties.metadata as Schema | undefined),
    ...Object.fromEntries(Object.entries(properties).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')),
  };
  const required = (out.required as string[] | undefined) ?? [];
  out.required = ['apiVersion', 'kind', ...required.filter((r) => r !== 'apiVersion' && r !== 'kind')];
}

function onlyTypeBranches(branches: JsonValue): boolean {
  return Array.isArray(branches) && branches.every((b) => isObject(b) && Object.keys(b).every((k) => k === 'type'));
}

function convertValidationRules(rules: JsonValue, pointer: string, fail: Fail): Schema[] {
  if (!Array.isArray(rules)) return fail('x-kubernetes-validations must be a list', pointer);
  return rules.map((rule, i) => {
    if (!isObject(rule) || typeof rule.rule !== 'string') return fail('a validation rule needs a rule (a CEL expression)', `${pointer}/${i}`);
    const out: Schema = {};
    for (const field of VALIDATION_RULE_FIELDS) if (rule[field] !== undefined) out[field] = plain(rule[field]);
    return out;
  });
}

/** Schema values as plain JSON: integers beyond 2^53 (bigints from the YAML reader) become numbers. */
function plain(v: JsonValue | undefined): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) {
    const out: Schema = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain(v[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

