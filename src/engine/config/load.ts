import { BuildError } from '../../errors.js';
import { parseGoYamlV2, plainBlockGoYamlV2 } from '../../yaml/go-yaml-v2.js';
import { decodeUtf8 } from '../../yaml/parse.js';
import type { FieldSpec } from '../fieldspec.js';
import { isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import type { Loader } from '../loader.js';
import { defaultTransformerConfig } from './defaults.js';
import type { NameBackReferences } from './name-reference.js';
import {
  emptyTransformerConfig,
  FIELD_SPEC_LISTS,
  mergeTransformerConfigs,
  sortTransformerConfig,
  type TransformerConfig,
} from './transformer-config.js';

/**
 * kustomize's MakeTransformerConfig for one kustomization: the built-in defaults merged with its
 * `configurations:` files (each a TransformerConfig in YAML), in order.
 */
export function makeTransformerConfig(loader: Loader, configurations: readonly string[] | undefined): TransformerConfig {
  const defaults = defaultTransformerConfig();
  if (!configurations?.length) return defaults;
  let fromFiles = emptyTransformerConfig();
  for (const ref of configurations) {
    const file = loader.resolve(ref);
    fromFiles = mergeTransformerConfigs(fromFiles, parseTransformerConfig(loader.load(ref), file));
  }
  return mergeTransformerConfigs(defaults, fromFiles);
}

/**
 * Reads a TransformerConfig file as kustomize does: YAML 1.1 (sigs.k8s.io/yaml) into Go structs,
 * strictly (unknown fields are errors; Go matches field names case-insensitively).
 */
export function parseTransformerConfig(bytes: Buffer | string, file: string): TransformerConfig {
  let value: JsonValue;
  try {
    const text = decodeUtf8(bytes, file);
    // the fast reader takes no repeated key: what it reads, the strict full reader reads alike
    value = plainBlockGoYamlV2(text) ?? parseGoYamlV2(text, file, true).value;
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    throw new BuildError(`error converting YAML to JSON: ${e.message.replace(/^invalid YAML: /, '')}`, e.file, e.line);
  }
  try {
    return sortTransformerConfig(decodeConfig(value));
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    throw new BuildError(`error unmarshaling JSON: while decoding JSON: json: ${e.message}`, file);
  }
}

const FIELD_SPEC_KEYS = ['group', 'version', 'kind', 'path', 'create'] as const;
const NAME_REFERENCE_KEYS = ['group', 'version', 'kind', 'fieldSpecs'] as const;
const CONFIG_KEYS = [...FIELD_SPEC_LISTS, 'nameReference'] as const;

/** The Go type names kustomize's decode errors mention. */
type GoType = 'builtinconfig.TransformerConfig' | 'types.FsSlice' | 'builtinconfig.nbrSlice' | 'types.FieldSpec' | 'builtinconfig.NameBackReferences' | 'string' | 'bool';

/** The JSON type Go's encoding/json names in its decoding errors. */
export function jsonTypeName(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : 'number';
}

function mismatch(v: JsonValue, struct: string, field: string, type: GoType): BuildError {
  const where = struct ? `Go struct field ${struct}.${field}` : 'Go value';
  return new BuildError(`cannot unmarshal ${jsonTypeName(v)} into ${where} of type ${type}`);
}

/** The entries of a JSON object keyed by the struct field each one sets (Go's case-insensitive match). */
function structFields<K extends string>(obj: JsonObject, keys: readonly K[]): [K, JsonValue][] {
  return Object.entries(obj).map(([name, v]): [K, JsonValue] => {
    const key = keys.find((k) => k === name) ?? keys.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw new BuildError(`unknown field "${name}"`);
    return [key, v];
  });
}

function decodeConfig(v: JsonValue): TransformerConfig {
  const out = emptyTransformerConfig();
  if (v === null) return out;
  if (!isObject(v)) throw mismatch(v, '', '', 'builtinconfig.TransformerConfig');
  for (const [key, value] of structFields(v, CONFIG_KEYS)) {
    if (key === 'nameReference') out.nameReference = decodeList(value, `TransformerConfig`, key, 'builtinconfig.nbrSlice', decodeNameReference);
    else out[key] = decodeList(value, 'TransformerConfig', key, 'types.FsSlice', (e, p) => decodeFieldSpec(e, 'FieldSpec', p));
  }
  return out;
}

function decodeList<T>(v: JsonValue, struct: string, field: string, type: GoType, decode: (e: JsonValue, path: string) => T): T[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw mismatch(v, struct, field, type);
  return v.map((e) => decode(e, field));
}

function decodeString(v: JsonValue, struct: string, field: string): string {
  if (v === null) return '';
  if (typeof v !== 'string') throw mismatch(v, struct, field, 'string');
  return v;
}

function decodeFieldSpec(v: JsonValue, struct: string, path: string): FieldSpec {
  const fs: FieldSpec = { path: '' };
  if (v === null) return fs;
  if (!isObject(v)) throw mismatch(v, struct, path, 'types.FieldSpec');
  for (const [key, value] of structFields(v, FIELD_SPEC_KEYS)) {
    if (key === 'create') {
      if (value !== null && typeof value !== 'boolean') throw mismatch(value, 'FieldSpec', `${path}.create`, 'bool');
      if (value === true) fs.create = true;
    } else {
      const s = decodeString(value, 'FieldSpec', `${path}.${key}`);
      if (key === 'path') fs.path = s;
      else if (s !== '') fs[key] = s;
    }
  }
  return fs;
}

function decodeNameReference(v: JsonValue, path: string): NameBackReferences {
  const ref: NameBackReferences = { fieldSpecs: [] };
  if (v === null) return ref;
  if (!isObject(v)) throw mismatch(v, 'TransformerConfig', path, 'builtinconfig.NameBackReferences');
  for (const [key, value] of structFields(v, NAME_REFERENCE_KEYS)) {
    if (key === 'fieldSpecs') {
      ref.fieldSpecs = decodeList(value, 'NameBackReferences', `${path}.fieldSpecs`, 'types.FsSlice', (e, p) => decodeFieldSpec(e, 'FieldSpec', p));
    } else {
      const s = decodeString(value, 'NameBackReferences', `${path}.${key}`);
      if (s !== '') ref[key] = s;
    }
  }
  return ref;
}
