import type { Document, DocumentOptions, LineCounter, ParseOptions, SchemaOptions, ScalarTag } from 'yaml';
import { isObject, type JsonValue } from '../json/value.js';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { resolveGoYamlV2Plain } from './scalar-resolve.js';
import { parseBlockSubset, type PlainScalars } from './block-subset.js';
import {
  checkCharacters,
  checkDecoding,
  checkDirective,
  checkBlockDepth,
  checkFlowDepth,
  checkScannerRules,
  excessiveAliasing,
  isStackOverflow,
  lineFeedsOnly,
  nestedTooDeep,
} from './go-yaml-rules.js';

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

/** Tags go-yaml v2 does not act on: timestamps stay text, `!!omap`, `!!pairs` and `!!set` collections are read by their kind. */
const IGNORED_TAGS = new Set(['timestamp', 'omap', 'pairs', 'set'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * The yaml library set to resolve plain scalars as go-yaml v2 does — it decodes the files
 * kustomize reads through sigs.k8s.io/yaml (the kustomization, configurations, replacement and
 * JSON patch files): YAML 1.1 booleans and nulls and Go's number syntax, but no sexagesimal
 * numbers (`12:30` stays a string), timestamps left as strings, and no YAML 1.1 collection types.
 */
export const GO_YAML_V2: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => [
    goYamlV2Plain,
    ...tags.filter((t) => typeof t !== 'string' && !IGNORED_TAGS.has(t.tag) && (t as ScalarTag).format !== 'TIME'),
  ],
};

/**
 * The first document of a file kustomize decodes with go-yaml v2 (later ones are never read),
 * with go-yaml's reader and scanner rules applied; every problem names the file and line.
 * `uniqueKeys`: whether a repeated key is an error (sigs.k8s.io/yaml's strict decoding) rather
 * than replacing the earlier one.
 */
export function parseGoYamlV2(
  input: string,
  file: string | undefined,
  uniqueKeys = false,
): { doc: Document; lineCounter: LineCounter; value: JsonValue } {
  const text = lineFeedsOnly(input);
  checkCharacters(text, file);
  checkDirective(text, file, false);
  checkFlowDepth(text, file);
  const { Document, LineCounter, parseAllDocuments } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseAllDocuments(text, { ...GO_YAML_V2, lineCounter, uniqueKeys })[0] ?? new Document(null);
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const error = doc.errors[0];
  if (error) {
    if (isStackOverflow(error)) throw nestedTooDeep(file, lineOf(error.pos[0]));
    throw new BuildError(`invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, file, lineOf(error.pos[0]));
  }
  try {
    checkScannerRules(doc, text, lineOf, file);
    checkBlockDepth(doc, text, lineOf, file, true);
    checkDecoding(doc, lineOf, file, excessiveAliasing);
    // aliases were counted above, by go-yaml's rule
    const value = (doc.toJS({ maxAliasCount: -1 }) ?? null) as JsonValue;
    return { doc, lineCounter, value };
  } catch (e) {
    if (isStackOverflow(e)) throw nestedTooDeep(file);
    throw e;
  }
}

/**
 * What kustomize gets from a file it decodes with go-yaml v2 (replacement and JSON patch files):
 * the first document only, a repeated key replacing the earlier one.
 */
export function decodeGoYamlV2(text: string, file?: string): JsonValue {
  return plainBlockGoYamlV2(text) ?? parseGoYamlV2(text, file).value;
}

/** Plain scalars by goYamlV2Plain's rule, as the full reader resolves them; a `<<` key is a merge. */
const GO_YAML_V2_PLAIN: PlainScalars = {
  value: resolveGoYamlV2Plain,
  isTextKey: (text) => text !== '<<' && resolveGoYamlV2Plain(text) === text,
};

/**
 * The value parseGoYamlV2 gives, read by the fast block reader (a tenth of the full reader's
 * time), or undefined: the text is outside the block subset (flow collections but `{}` and `[]`,
 * anchors, tags, escapes, multi-line scalars, control characters, duplicate keys ...; see
 * parseBlockSubset), holds more than one document (go-yaml v2 reads the first, the full reader
 * knows what may follow), or holds a null anywhere (the fast reader marks a value written empty,
 * which the full reader does not). No line is known here: the full reader gives them when needed.
 */
export function plainBlockGoYamlV2(text: string): JsonValue | undefined {
  const docs = parseBlockSubset(text, GO_YAML_V2_PLAIN);
  if (docs?.length !== 1) return undefined;
  const value = docs[0]!.value;
  return holdsNull(value) ? undefined : value;
}

function holdsNull(v: JsonValue): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.some(holdsNull);
  return isObject(v) && Object.values(v).some(holdsNull);
}
