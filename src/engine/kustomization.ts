import * as path from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { BuildError } from '../errors.js';
import { ajvLibrary, yamlLibrary } from '../libraries.js';
import { parseGoYamlV2, plainBlockGoYamlV2 } from '../yaml/go-yaml-v2.js';
import { decodeUtf8 } from '../yaml/parse.js';
import { compareGoStrings, hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { kustomizationSchema } from './kustomization-schema.js';
import type { Loader } from './loader.js';
import type { HelmChart, Kustomization } from './types.js';
import { unescapePointerToken } from '../json/pointer.js';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';
const COMPONENT_VERSION = 'kustomize.config.k8s.io/v1alpha1';

/** A kustomization file, read and checked, with the means to point errors at its lines. */
export interface LoadedKustomization {
  kustomization: Kustomization;
  /** kustomize's deprecation warnings for fields this file uses. */
  deprecations: string[];
  /** Absolute path of the file. */
  file: string;
  /** File name inside its directory (for origin annotations). */
  fileName: string;
  /** 1-based line of the value at a path such as ['patches', 2], or of the nearest parent. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Gives the compiled check of kustomizationSchema; callers that keep compiled code between runs supply their own. */
export type KustomizationCheck = () => ValidateFunction;

/**
 * Compiles kustomizationSchema with ajv; `source` keeps the code for ajv's standalone output.
 * ajv's code optimizer costs more start-up than it saves on one small file. validate caches the
 * code by the schema's hash: changing these options means a new COMPILER_VERSION there.
 */
export function compileKustomizationSchema(source = false): { ajv: Ajv; validate: ValidateFunction } {
  const ajv = new (ajvLibrary().Ajv)({ allErrors: false, strict: false, code: { optimize: false, source } });
  return { ajv, validate: ajv.compile(kustomizationSchema) };
}

let compiled: ValidateFunction | undefined;

/** The check compiled in this process, once. */
export const compiledKustomizationCheck: KustomizationCheck = () => {
  compiled ??= compileKustomizationSchema().validate;
  return compiled;
};

/** Finds and reads the kustomization file of the loader's directory. */
export function loadKustomization(loader: Loader, check: KustomizationCheck = compiledKustomizationCheck): LoadedKustomization {
  const names = loader.list();
  const present = KUSTOMIZATION_FILE_NAMES.filter((n) => names.includes(n) && loader.isFile(n));
  if (present.length === 0) {
    throw new BuildError(
      `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${loader.root}'`,
    );
  }
  if (present.length > 1) throw new BuildError(`found multiple kustomization files: ${present.join(', ')}`, loader.root);
  const fileName = present[0]!;
  const file = path.join(loader.root, fileName);
  const bytes = loader.load(fileName);
  return loader.fileCache.memo(`kustomization:${file}`, () => parseKustomization(bytes, file, fileName, check));
}

/**
 * Parses kustomization text as kustomize does: YAML 1.1 scalars (kustomize decodes this file with
 * go-yaml v2, so `yes` is a boolean, and a repeated key silently replaces the earlier one), then a
 * strict decode into its Go types.
 */
export function parseKustomization(
  bytes: Buffer,
  file: string,
  fileName = path.basename(file),
  check: KustomizationCheck = compiledKustomizationCheck,
): LoadedKustomization {
  const text = decodeUtf8(bytes, file);
  let full: ReturnType<typeof parseGoYamlV2> | undefined;
  const readFully = () => (full ??= parseGoYamlV2(text, file));
  // lines are wanted for errors only: a file the fast reader takes is read in full only then
  const lineOf = (p: readonly (string | number)[]): number | undefined => nodeLine(readFully().doc, readFully().lineCounter, p);
  let value = plainBlockGoYamlV2(text) ?? readFully().value;
  if (value === null) throw new BuildError(EMPTY, file);
  if (!isObject(value)) throw new BuildError('kustomization file must be a YAML mapping', file, 1);
  value = foldFieldNames(value, kustomizationSchema as SchemaNode);
  const validate = check();
  if (!validate(value)) {
    const err = validate.errors![0]!;
    const at = pointerPath(err);
    throw new BuildError(describeSchemaError(err, at), file, lineOf(at));
  }
  if (isObject(value) && isEmptyKustomization(value)) throw new BuildError(EMPTY, file);
  const k = dropNulls(value) as Kustomization;
  checkKindAndVersion(k, file, lineOf);
  return { kustomization: foldDeprecatedFields(k), deprecations: deprecations(k), file, fileName, lineOf };
}

/** kustomize's words for a kustomization that sets nothing. */
const EMPTY = 'kustomization.yaml is empty';

/** Fields kustomize's FixKustomization empties whatever they hold: their entries move to other fields. */
const MOVED_FIELDS = new Set(['bases', 'imageTags', 'helmChartInflationGenerator']);

/**
 * kustomize's CheckEmpty: once decoded into Go and fixed, no field but kind and apiVersion differs
 * from its zero value (null, or an empty text; an empty list or map still counts as set, except in
 * the fields whose entries move elsewhere).
 */
function isEmptyKustomization(k: Record<string, JsonValue>): boolean {
  return Object.entries(k).every(
    ([field, v]) =>
      field === 'kind' || field === 'apiVersion' || v === null || v === '' || (MOVED_FIELDS.has(field) && Array.isArray(v) && v.length === 0),
  );
}

function checkKindAndVersion(k: Kustomization, file: string, lineOf: LoadedKustomization['lineOf']): void {
  const kind = k.kind || 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') {
    throw new BuildError(`kind should be Kustomization or Component, not '${kind}'`, file, lineOf(['kind']));
  }
  const required = kind === 'Component' ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  if (k.apiVersion && k.apiVersion !== required) {
    throw new BuildError(`apiVersion for ${kind} should be ${required}, not '${k.apiVersion}'`, file, lineOf(['apiVersion']));
  }
}

/** kustomize's FixKustomization: deprecated fields folded into their successors. */
const DEPRECATED: Record<string, string> = {
  bases: 'resources',
  imageTags: 'images',
  patchesJson6902: 'patches',
  patchesStrategicMerge: 'patches',
  commonLabels: 'labels',
  vars: 'replacements',
};

function deprecations(k: Kustomization): string[] {
  return Object.entries(DEPRECATED)
    .filter(([field]) => (k as Record<string, unknown>)[field] !== undefined)
    .map(([field, successor]) => `'${field}' is deprecated. Please use '${successor}' instead.`);
}

/** The deprecated helmChartInflationGenerator entry kustomize's SplitHelmParameters reads. */
interface HelmChartArgs {
  chartName?: string;
  chartVersion?: string;
  chartRepoUrl?: string;
  chartHome?: string;
  helmHome?: string;
  values?: string;
  valuesLocal?: JsonObject | null;
  valuesMerge?: string;
  releaseName?: string;
}

function foldDeprecatedFields(k: Kustomization & { bases?: string[]; imageTags?: Kustomization['images']; helmChartInflationGenerator?: HelmChartArgs[] }): Kustomization {
  const { bases, imageTags, helmChartInflationGenerator, ...rest } = k;
  const out: Kustomization = { ...rest, kind: k.kind || 'Kustomization' };
  if (bases) out.resources = [...(k.resources ?? []), ...bases];
  if (imageTags) out.images = [...(k.images ?? []), ...imageTags];
  if (helmChartInflationGenerator?.length) foldHelmChartArgs(out, helmChartInflationGenerator);
  for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
    const gens = out[field];
    if (!gens) continue;
    out[field] = gens.map(({ env, ...g }) => (env ? { ...g, envs: [...(g.envs ?? []), env] } : g));
  }
  return out;
}

/**
 * kustomize's FixKustomization: each helmChartInflationGenerator entry becomes a helmCharts entry
 * (makeHelmChartFromHca), and the last chart and config homes given become helmGlobals unless the
 * kustomization sets them.
 */
function foldHelmChartArgs(out: Kustomization, args: readonly HelmChartArgs[]): void {
  const globals: { chartHome?: string; configHome?: string } = {};
  const charts = args.map((a) => {
    if (a.helmHome) globals.configHome = a.helmHome;
    if (a.chartHome) globals.chartHome = a.chartHome;
    const chart: HelmChart = {};
    if (a.chartName) chart.name = a.chartName;
    if (a.chartVersion) chart.version = a.chartVersion;
    if (a.chartRepoUrl) chart.repo = a.chartRepoUrl;
    if (a.values) chart.valuesFile = a.values;
    if (a.valuesLocal) chart.valuesInline = a.valuesLocal;
    if (a.valuesMerge) chart.valuesMerge = a.valuesMerge;
    if (a.releaseName) chart.releaseName = a.releaseName;
    return chart;
  });
  if (!out.helmGlobals && (globals.chartHome || globals.configHome)) out.helmGlobals = globals;
  out.helmCharts = [...(out.helmCharts ?? []), ...charts];
}

function dropNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map((e) => (e === null ? '' : dropNulls(e)));
  if (isObject(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, val] of Object.entries(v)) if (val !== null) out[key] = dropNulls(val);
    return out;
  }
  return v;
}

function pointerPath(err: ErrorObject): (string | number)[] {
  const parts = err.instancePath
    .split('/')
    .slice(1)
    .map(unescapePointerToken)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (err.keyword === 'additionalProperties') parts.push((err.params as { additionalProperty: string }).additionalProperty);
  return parts;
}

function describeSchemaError(err: ErrorObject, at: (string | number)[]): string {
  const field = at.length ? at.join('.') : '(top level)';
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown field '${field}' in kustomization`;
    case 'type': {
      const t = (err.params as { type: string | string[] }).type;
      const want = (Array.isArray(t) ? t : [t]).filter((x) => x !== 'null').join(' or ');
      return `field '${field}' must be ${want === 'object' ? 'a mapping' : want === 'array' ? 'a list' : `a ${want}`}`;
    }
    case 'enum':
      return `field '${field}' must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.filter((v) => v).join(', ')}`;
    default:
      return `field '${field}' ${err.message ?? 'is invalid'}`;
  }
}

function nodeLine(doc: Document, lc: LineCounter, p: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined = lineAt(node, lc);
  for (const key of p) {
    if (yamlLibrary().isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      line = lineAt(pair.key, lc) ?? line;
      node = pair.value;
    } else if (yamlLibrary().isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = lineAt(node, lc) ?? line;
    } else break;
  }
  return line;
}

function lineAt(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}

export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
}

/**
 * kustomize turns the YAML into JSON through a Go map, so its decoder sees the keys sorted, and Go
 * matches struct fields case-insensitively: `fieldref: {fieldpath: ...}` fills `fieldPath`, and of
 * `Namespace: b` and `namespace: a` the later in sorted order wins (a null leaves the field alone).
 */
export function foldFieldNames(v: JsonValue, schema: SchemaNode): JsonValue {
  if (Array.isArray(v)) return schema.items ? v.map((e) => foldFieldNames(e, schema.items!)) : v;
  const props = schema.properties;
  if (isObject(v) && typeof schema.additionalProperties === 'object') return zeroNullEntries(v, schema.additionalProperties);
  if (!isObject(v) || !props) return v;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(v).sort(compareGoStrings)) {
    const field = Object.hasOwn(props, key) ? key : (Object.keys(props).find((p) => p.toLowerCase() === key.toLowerCase()) ?? key);
    const value = v[key]!;
    if (value === null && hasKey(out, field)) continue;
    setKey(out, field, Object.hasOwn(props, field) ? foldFieldNames(value, props[field]!) : value);
  }
  return out;
}

/** A null entry of a Go map of strings (or booleans) decodes to the zero value, and is kept. */
function zeroNullEntries(v: Record<string, JsonValue>, entry: SchemaNode): JsonValue {
  const types = [entry.type].flat();
  const zero = types.includes('string') ? '' : types.includes('boolean') ? false : null;
  const out: Record<string, JsonValue> = {};
  for (const [k, e] of Object.entries(v)) setKey(out, k, e === null ? zero : e);
  return out;
}
