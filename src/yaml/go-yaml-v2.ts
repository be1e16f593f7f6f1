import type { DocumentOptions, ParseOptions, SchemaOptions, ScalarTag } from 'yaml';
import type { JsonValue } from '../json/value.js';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { resolveGoYamlV2Plain } from './scalar-resolve.js';

/**
 * Every plain scalar that may be something other than text (the empty one, YAML 1.1 words,
 * numbers), resolved by go-yaml v2's own rule: the yaml library's YAML 1.1 tags read some texts
 * differently (`.` as a float, no `0o17` octal). `<<` is left to the merge tag.
 */
const goYamlV2Plain: ScalarTag = {
  tag: 'tag:capifleet,go-yaml-v2:plain',
  default: true,
  test: /^(?:[-+.~0-9yYnNoOtTfF]|$)/,
  resolve: resolveGoYamlV2Plain,
  identify: () => false,
};

/**
 * The yaml library set to resolve plain scalars as go-yaml v2 does — it decodes the files
 * kustomize reads through sigs.k8s.io/yaml (the kustomization, configurations, replacement and
 * JSON patch files): YAML 1.1 booleans and nulls and Go's number syntax, but no sexagesimal
 * numbers (`12:30` stays a string) and timestamps left as strings.
 */
export const GO_YAML_V2: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => [
    goYamlV2Plain,
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
