import { BuildError } from '../../errors.js';
import { emitDocument } from '../../yaml/emit.js';
import { decodeGoYamlV2 } from '../../yaml/go-yaml-v2.js';
import { resolvePlain } from '../../yaml/parse.js';
import { lookupPath, matchPath, resolvePlainValue, splitKyamlPath, type MatchedField } from '../fieldpath.js';
import type { CreateKind } from '../fieldspec.js';
import { clone, isObject, type JsonValue } from '../../json/value.js';
import { foldFieldNames, type SchemaNode } from '../kustomization.js';
import { replacementSchema } from '../kustomization-schema.js';
import type { Loader } from '../loader.js';
import { nodeText } from '../merge/nodes.js';
import { resIdSelects, resIdString, type ResId } from '../resid.js';
import type { Resource } from '../resource.js';
import { checkFreshNodesReadableBack } from '../resources.js';
import { selectResources } from '../selector.js';
import type {
  Replacement,
  ReplacementField,
  ReplacementOptions,
  ReplacementSource,
  ReplacementTarget,
  Selector,
  Transformer,
} from '../types.js';

const DEFAULT_FIELD_PATH = 'metadata.name';

/**
 * kustomize's ReplacementTransformer: for each replacement in order, reads one value from the
 * single resource its source selects and writes it into the fields of every resource its targets
 * select. Sources and targets are selected by exact id fields against a resource's current or
 * any earlier id (so names before a prefix still work); targets also by label and annotation
 * selectors. Writing into an existing scalar keeps the scalar's YAML type, as kyaml keeps the
 * node's tag: a string target gets the text, a number target must receive a number's text.
 */
export function replacementTransformer(replacements: readonly Replacement[]): Transformer {
  return (resources) => {
    for (const r of replacements) {
      if (!r.source || !r.targets) throw new BuildError('replacements must specify a source and at least one target');
      const value = sourceValue(resources.resources(), r.source);
      for (const target of r.targets) applyTarget(resources.resources(), value, target);
    }
  };
}

/** A replacement's value: the node itself, and its scalar text (kyaml's Value: "" for maps and lists). */
interface SourceValue {
  text: string;
  /** The node to put where a map or list is replaced (may fail, as kustomize fails printing it). */
  node(): JsonValue;
  kind: CreateKind;
}

function ids(r: Resource): ResId[] {
  return [r.curId(), ...r.state.previousIds];
}

function sourceValue(resources: Resource[], source: ReplacementSource): SourceValue {
  const matches = resources.filter((r) => ids(r).some((id) => resIdSelects(source, id)));
  if (matches.length > 1) throw new BuildError(`multiple matches for selector ${sourceSelectorString(source)}`);
  if (matches.length === 0) throw new BuildError(`nothing selected by ${sourceSelectorString(source)}`);
  const fieldPath = source.fieldPath || DEFAULT_FIELD_PATH;
  let found: JsonValue | undefined;
  try {
    found = lookupPath(matches[0]!.obj, splitKyamlPath(fieldPath));
  } catch (e) {
    throw new BuildError(`error looking up replacement source: ${(e as Error).message}`);
  }
  if (found === undefined || found === null || isEmptyCollection(found)) {
    throw new BuildError(`fieldPath \`${fieldPath}\` is missing for replacement source ${resIdString(selectorId(source))}`);
  }
  return refine(found, source.options);
}

function isEmptyCollection(v: JsonValue): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

function kindOf(v: JsonValue): CreateKind {
  return Array.isArray(v) ? 'seq' : isObject(v) ? 'map' : 'scalar';
}

/** With a delimiter, the source value is one piece of its text, keeping the source's type. */
function refine(found: JsonValue, options: ReplacementOptions | undefined): SourceValue {
  const whole = { text: nodeText(found), node: () => clone(found), kind: kindOf(found) };
  if (!options?.delimiter) return whole;
  if (whole.kind !== 'scalar') throw new BuildError('delimiter option can only be used with scalar nodes');
  const pieces = whole.text.split(options.delimiter);
  const index = options.index ?? 0;
  if (index >= pieces.length || index < 0) {
    throw new BuildError(`options.index ${index} is out of bounds for value ${whole.text}`);
  }
  const text = pieces[index]!;
  return { text, node: () => retype(text, found), kind: 'scalar' };
}

function applyTarget(resources: Resource[], value: SourceValue, target: ReplacementTarget): void {
  const select = target.select;
  if (!select) throw new BuildError('target must specify resources to select');
  const rejects = target.reject ?? [];
  const fieldPaths = target.fieldPaths?.length ? target.fieldPaths : [DEFAULT_FIELD_PATH];
  for (const r of resources) {
    if (!selectedByLabelsAndAnnotations(r, select, rejects)) continue;
    // kustomize checks rejections id by id: a resource is rejected only if the id that is
    // selected is also one a reject names
    const selected = ids(r).some((id) => resIdSelects(select, id) && !rejects.some((rej) => !isEmptyId(rej) && resIdSelects(rej, id)));
    if (selected) for (const fp of fieldPaths) writeField(r, fp, value, target.options);
  }
}

/** The select's label/annotation selectors must match; any reject with one that matches excludes. */
function selectedByLabelsAndAnnotations(r: Resource, select: Selector, rejects: readonly Selector[]): boolean {
  const matches = (s: Selector): boolean =>
    selectResources([r], { labelSelector: s.labelSelector ?? '', annotationSelector: s.annotationSelector ?? '' }).length === 1;
  if (!matches(select)) return false;
  return !rejects.some((rej) => (rej.labelSelector || rej.annotationSelector) && matches(rej));
}

function isEmptyId(s: Selector): boolean {
  return !s.group && !s.version && !s.kind && !s.name && !s.namespace;
}

function writeField(r: Resource, fieldPath: string, value: SourceValue, options: ReplacementOptions | undefined): void {
  const createKind = options?.create ? value.kind : undefined;
  const failure = createKind
    ? `unable to find or create field ${JSON.stringify(fieldPath)} in replacement target`
    : `unable to find field ${JSON.stringify(fieldPath)} in replacement target`;
  let fields: MatchedField[];
  try {
    fields = matchPath(r.obj, splitKyamlPath(fieldPath), createKind);
  } catch (e) {
    throw new BuildError(`${failure}: ${(e as Error).message}`);
  }
  if (fields.length === 0) throw new BuildError(failure);
  for (const f of fields) setField(f, value, options);
}

function setField(field: MatchedField, value: SourceValue, options: ReplacementOptions | undefined): void {
  const target = field.value;
  const scalarTarget = !isObject(target) && !Array.isArray(target);
  let text = value.text;
  if (options?.delimiter) {
    if (!scalarTarget) throw new BuildError('delimiter option can only be used with scalar nodes');
    const parts = nodeText(target).split(options.delimiter);
    const index = options.index ?? 0;
    if (index < 0) parts.unshift(text);
    else if (index >= parts.length) parts.push(text);
    else parts[index] = text;
    text = parts.join(options.delimiter);
  }
  // a created field is a fresh node, which kustomize must be able to print and read back (an existing
  // one keeps the style it was read with, which is not known here: a plain one would fail alike)
  if (field.created) field.set(checkFreshNodesReadableBack(resolvePlainValue(text)));
  else if (scalarTarget) field.set(retype(text, target));
  else field.set(value.node());
}

type ScalarType = 'str' | 'int' | 'float' | 'bool' | 'null';

function scalarType(v: JsonValue): ScalarType {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return 'int';
  return 'float';
}

/**
 * New text in an existing scalar: kyaml keeps the node's tag, so the text must read as a value of
 * the scalar's type when kustomize decodes the resource (and the failure is kustomize's).
 */
function retype(text: string, typedAs: JsonValue): JsonValue {
  const want = scalarType(typedAs);
  if (want === 'str') return text;
  const resolved = resolvePlain(text);
  // an explicit tag turns off timestamp detection: such text reads as a string
  const type = resolved.type === 'timestamp' || resolved.type === 'merge' ? 'str' : resolved.type;
  const fits = type === want || (want === 'float' && type === 'int');
  if (!fits) throw new BuildError(`map[string]interface {}(nil): yaml: cannot decode !!${type} \`${text}\` as a !!${want}`);
  return want === 'float' && typeof resolved.value === 'bigint' ? Number(resolved.value) : resolved.value;
}

function selectorId(s: ReplacementSource | Selector): ResId {
  return { group: s.group ?? '', version: s.version ?? '', kind: s.kind ?? '', name: s.name ?? '', namespace: s.namespace ?? '' };
}

/** kustomize's SourceSelector.String(): the id, then the field path and options when set. */
function sourceSelectorString(source: ReplacementSource): string {
  const parts = [resIdString(selectorId(source))];
  if (source.fieldPath) parts.push(source.fieldPath);
  const o = source.options;
  if (o && (o.delimiter || o.create)) parts.push(`${o.delimiter ?? ''}(${o.index ?? 0}), create=${o.create === true}`);
  return parts.join(':');
}

/**
 * The replacements of a kustomization's `replacements:` field, `path:` entries read from their
 * file (one replacement, or a list of them; only the first YAML document counts). Problems are
 * reported as kustomize reports plugin configuration errors, quoting the whole field.
 */
export function loadReplacements(fields: readonly ReplacementField[], loader: Loader): Replacement[] {
  const out: Replacement[] = [];
  try {
    for (const f of fields) {
      if (f.path && (f.source || f.targets?.length)) throw new BuildError('cannot specify both path and inline replacement');
      if (f.path) out.push(...readReplacementFile(loader, f.path));
      // an empty inline targets list is dropped when kustomize re-encodes the field
      else out.push({ source: f.source, targets: f.targets?.length ? f.targets : undefined } as Replacement);
    }
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    const config = emitDocument({ Replacements: fields as unknown as JsonValue });
    throw new BuildError(`trouble configuring builtin ReplacementTransformer with config: \`\n${config}\`: ${e.message}`, e.file, e.line);
  }
  return out;
}

function readReplacementFile(loader: Loader, path: string): Replacement[] {
  const text = loader.load(path).toString('utf8');
  const value = decodeGoYamlV2(text);
  // decoded like the kustomization itself: field names match case-insensitively
  const check = (v: JsonValue): Replacement => checkReplacement(foldFieldNames(v, replacementSchema as SchemaNode), 'Go value of type types.Replacement');
  if (Array.isArray(value)) return value.map(check);
  if (isObject(value)) return [check(value)];
  throw new BuildError(`unsupported replacement type encountered within replacement path: ${goKind(value)}`);
}

/** The reflect.Kind name Go reports for a decoded JSON value. */
function goKind(v: JsonValue): string {
  if (v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'float64';
}

/** Go's JSON name for a value's type in "cannot unmarshal X into ..." errors. */
function jsonKind(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
}

function unmarshalError(v: JsonValue, into: string): BuildError {
  return new BuildError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into ${into}`);
}

/** The shape checks of Go's (lenient) JSON decoding of a replacement: unknown fields are ignored. */
function checkReplacement(v: JsonValue, into: string): Replacement {
  if (!isObject(v)) throw unmarshalError(v, into);
  const strings = (o: JsonValue, owner: string, keys: string[]): void => {
    if (!isObject(o)) return;
    for (const k of keys) {
      if (o[k] !== undefined && o[k] !== null && typeof o[k] !== 'string') {
        throw unmarshalError(o[k]!, `Go struct field ${owner}.${k} of type string`);
      }
    }
  };
  const idKeys = ['group', 'version', 'kind', 'name', 'namespace'];
  const object = (o: JsonValue | undefined, field: string, type: string): void => {
    if (o !== undefined && o !== null && !isObject(o)) throw unmarshalError(o, `Go struct field ${field} of type ${type}`);
  };
  object(v.source, 'Replacement.source', 'types.SourceSelector');
  strings(v.source ?? null, 'SourceSelector.source', [...idKeys, 'fieldPath']);
  if (v.targets !== undefined && v.targets !== null) {
    if (!Array.isArray(v.targets)) throw unmarshalError(v.targets, 'Go struct field Replacement.targets of type []*types.TargetSelector');
    for (const t of v.targets) {
      object(t, 'Replacement.targets', 'types.TargetSelector');
      if (isObject(t)) {
        object(t.select, 'TargetSelector.targets.select', 'types.Selector');
        strings(t.select ?? null, 'Selector.targets.select', [...idKeys, 'labelSelector', 'annotationSelector']);
      }
    }
  }
  return v as unknown as Replacement;
}
