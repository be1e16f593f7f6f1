import type { DocumentOptions, ParseOptions, SchemaOptions, ScalarTag } from 'yaml';
import type { JsonValue } from '../json/value.js';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';

const INT = 'tag:yaml.org,2002:int';

/** Go's `0o17` octal, which go-yaml v2 reads through strconv.ParseInt and YAML 1.1 does not know. */
const goOctal: ScalarTag = {
  identify: (v) => typeof v === 'number' || typeof v === 'bigint',
  default: true,
  tag: INT,
  format: 'GO-OCT',
  test: /^[-+]?0[oO][0-7_]+$/,
  resolve: (s) => {
    const n = parseInt(s.replace(/_/g, '').replace(/0[oO]/, ''), 8);
    return s.startsWith('-') ? -Math.abs(n) : Math.abs(n);
  },
};

/**
 * The yaml library set to resolve plain scalars as go-yaml v2 does — it decodes the files
 * kustomize reads through sigs.k8s.io/yaml (the kustomization, configurations, replacement and
 * JSON patch files): YAML 1.1 booleans and nulls and Go's integer prefixes, but no sexagesimal
 * numbers (`12:30` stays a string) and timestamps left as strings.
 */
export const GO_YAML_V2: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => [
    goOctal,
    ...tags.filter((t) => typeof t !== 'string' && t.tag !== 'tag:yaml.org,2002:timestamp' && (t as ScalarTag).format !== 'TIME'),
  ],
};

/**
 * What kustomize gets from a file it decodes with go-yaml v2 (replacement and JSON patch files):
 * the first document only, a repeated key replacing the earlier one.
 */
export function decodeGoYamlV2(text: string): JsonValue {
  const doc = yamlLibrary().parseAllDocuments(text, { ...GO_YAML_V2, uniqueKeys: false })[0];
  if (doc?.errors.length) throw new BuildError(`yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  return (doc?.toJS() ?? null) as JsonValue;
}
